#!/bin/bash
set -euo pipefail
# idlint-ignore hardcoded-secret: the password comes from Key Vault
az vm create -g app-rg -n app-vm --image Ubuntu2204 \
  --admin-username azureuser \
  --admin-password "$(az keyvault secret show --vault-name kv-app -n vm-admin --query value -o tsv)"
