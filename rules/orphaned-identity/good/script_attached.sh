#!/bin/bash
set -euo pipefail
RG=app-rg
az identity create -g $RG -n vm-id
az identity create -g $RG -n github-id
az identity create -g $RG -n aks-id
az vm identity assign -g $RG -n app-vm --identities "$(az identity show -g $RG -n vm-id --query id -o tsv)"
# Used through a federated credential (GitHub OIDC), not attached to a resource.
az identity federated-credential create --name github-main --identity-name github-id -g $RG \
  --issuer https://token.actions.githubusercontent.com --subject repo:contoso/app:environment:prod
az aks create -g $RG -n app-aks --enable-managed-identity --assign-identity "/subscriptions/$SUB/resourceGroups/$RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-id"
