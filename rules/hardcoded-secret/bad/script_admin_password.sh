#!/bin/bash
set -euo pipefail
RG=app-rg
ADMIN_PASSWORD='Vm-Adm1n-Pa55!'
az vm create -g "$RG" -n app-vm --image Ubuntu2204 \
  --admin-username azureuser --admin-password "$ADMIN_PASSWORD"
az login --service-principal -u 00000000-0000-0000-0000-000000000001 -p 'Sp-S3cret-Value-42' --tenant contoso.onmicrosoft.com
