// The password parameter is @secure(); a secret *name* is not a secret.
@secure()
param adminPassword string

param keyVaultSecretName string

output secretName string = keyVaultSecretName
