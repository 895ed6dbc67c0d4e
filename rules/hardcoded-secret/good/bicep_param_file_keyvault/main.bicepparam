// az.getSecret() is a reference, not a committed value; so is an environment variable.
using './main.bicep'

param sqlAdminPassword = az.getSecret('00000000-0000-0000-0000-000000000000', 'rg-secrets', 'kv-prod', 'sql-admin')
