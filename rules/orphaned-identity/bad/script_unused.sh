#!/bin/bash
set -euo pipefail
az identity create -g app-rg -n app-id
az identity create -g app-rg -n old-id
az role assignment create --assignee-object-id "$(az identity show -g app-rg -n old-id --query principalId -o tsv)" \
  --role Reader --scope /subscriptions/$SUB/resourceGroups/app-rg
az vm identity assign -g app-rg -n app-vm --identities app-id
