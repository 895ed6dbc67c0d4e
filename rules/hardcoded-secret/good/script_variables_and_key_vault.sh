#!/bin/bash
set -euo pipefail
# From the environment, a required variable, Key Vault, and a documented placeholder.
az vm create -g app-rg -n vm1 --image Ubuntu2204 --admin-password "$ADMIN_PASSWORD"
az vm create -g app-rg -n vm2 --image Ubuntu2204 --admin-password "${VM_PASSWORD:?set VM_PASSWORD}"
PASS=$(az keyvault secret show --vault-name app-kv -n vm-admin --query value -o tsv)
az vm create -g app-rg -n vm3 --image Ubuntu2204 --admin-password "$PASS"
az vm create -g app-rg -n vm4 --image Ubuntu2204 --admin-password '<your-password>'
az keyvault secret set --vault-name app-kv -n api-key --file ./api-key.txt
