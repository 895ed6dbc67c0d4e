#!/usr/bin/env bash
# A GitHub pull_request subject created with the az CLI.
set -euo pipefail
az identity create -g rg-ci -n deploy-id
az identity federated-credential create --name github-pr --identity-name deploy-id -g rg-ci \
  --issuer https://token.actions.githubusercontent.com \
  --subject "repo:contoso/webapp:pull_request" \
  --audiences api://AzureADTokenExchange
