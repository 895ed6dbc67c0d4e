// A literal value for a secure parameter, committed with the parameters.
using './main.bicep'

param sqlAdminPassword = 'Sql-Adm1n-Passw0rd!'
