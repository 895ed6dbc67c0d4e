// The template is fine; its .bicepparam commits the secure parameter's value.
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
