#!/bin/bash
set -euo pipefail
az role definition create --role-definition '{
  "Name": "app-operator",
  "IsCustom": true,
  "Actions": ["*"],
  "NotActions": [],
  "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-000000000000"]
}'
