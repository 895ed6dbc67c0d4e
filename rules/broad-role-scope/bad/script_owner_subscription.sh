#!/bin/bash
set -euo pipefail
RG=app-rg
az identity create -g $RG -n deployer
PRINCIPAL=$(az identity show -g $RG -n deployer --query principalId -o tsv)
az role assignment create --assignee-object-id "$PRINCIPAL" --assignee-principal-type ServicePrincipal \
  --role Owner --scope "/subscriptions/$SUBSCRIPTION_ID"
az vm create -g $RG -n app-vm --image Ubuntu2204 --assign-identity $(az identity show -g $RG -n deployer --query id -o tsv)
