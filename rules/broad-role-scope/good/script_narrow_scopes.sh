#!/bin/bash
set -euo pipefail
RG=app-rg
az identity create -g $RG -n app-id
PRINCIPAL=$(az identity show -g $RG -n app-id --query principalId -o tsv)
# Contributor on a resource group, Reader on the subscription, a role from a variable.
az role assignment create --assignee-object-id "$PRINCIPAL" --role Contributor --scope "/subscriptions/$SUBSCRIPTION_ID/resourceGroups/$RG"
az role assignment create --assignee-object-id "$PRINCIPAL" --role Reader --scope "/subscriptions/$SUBSCRIPTION_ID"
az role assignment create --assignee-object-id "$PRINCIPAL" --role "$ROLE" --scope "/subscriptions/$SUBSCRIPTION_ID"
az role assignment create --assignee-object-id "$PRINCIPAL" --role Contributor --scope "$TARGET_SCOPE"
az webapp identity assign -g $RG -n app-web --identities app-id
