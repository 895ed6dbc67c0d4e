#!/usr/bin/env bash
# A service principal with a certificate instead of a password, and a managed identity login.
az ad sp create-for-rbac --name deploy-sp --role Reader --scopes "/subscriptions/$SUBSCRIPTION_ID/resourceGroups/rg-app" --create-cert
az login --identity
