#!/usr/bin/env bash
# A service principal whose generated password the command prints to the log.
az ad sp create-for-rbac --name deploy-sp --role Reader --scopes "/subscriptions/$SUBSCRIPTION_ID/resourceGroups/rg-app"
