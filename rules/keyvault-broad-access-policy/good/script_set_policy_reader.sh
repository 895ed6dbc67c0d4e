#!/usr/bin/env bash
# Get and list only; permissions from a variable are not judged.
set -euo pipefail
perms="$1"
az keyvault set-policy -n kv-app -g rg-app \
  --object-id 77777777-7777-7777-7777-777777777777 \
  --secret-permissions get list
az keyvault set-policy -n kv-app -g rg-app \
  --object-id 77777777-7777-7777-7777-777777777777 \
  --key-permissions "$perms"
