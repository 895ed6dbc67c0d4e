// The secure parameter's value comes from Key Vault in the .bicepparam.
@secure()
param sqlAdminPassword string

resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'sql1'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlAdminPassword
  }
}
