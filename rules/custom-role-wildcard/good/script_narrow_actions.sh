#!/bin/bash
set -euo pipefail
az role definition create --role-definition '{
  "Name": "vm-restarter",
  "Actions": ["Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachines/read"],
  "NotActions": [],
  "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app-rg"]
}'
# Not in the repository: unknown, so nothing is claimed.
az role definition create --role-definition @generated-role.json
az role definition create --role-definition "$ROLE_JSON"
