#!/bin/bash
set -euo pipefail
TOKEN=$(az account get-access-token --query accessToken -o tsv)
curl -sf -H "Authorization: Bearer $TOKEN" "https://management.azure.com/subscriptions?api-version=2020-01-01"
az acr login --name contosoacr --expose-token --query accessToken -o tsv | docker login contosoacr.azurecr.io -u 00000000-0000-0000-0000-000000000000 --password-stdin
EXPIRES=$(az account get-access-token --query expiresOn -o tsv)
echo "token expires at $EXPIRES"
