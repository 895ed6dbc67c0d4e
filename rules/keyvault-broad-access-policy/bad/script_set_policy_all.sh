#!/usr/bin/env bash
# az keyvault set-policy with every secret permission.
set -euo pipefail
az keyvault set-policy -n kv-app -g rg-app \
  --object-id 77777777-7777-7777-7777-777777777777 \
  --secret-permissions all
