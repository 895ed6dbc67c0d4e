#!/bin/bash
set -euo pipefail
TOKEN=$(az account get-access-token --resource https://management.azure.com/ --query accessToken -o tsv)
echo "Using token $TOKEN"
