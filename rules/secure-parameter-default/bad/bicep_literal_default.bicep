// A @secure() parameter with a literal default: the secret is committed with the template.
@secure()
param adminPassword string = 'Def4ult-Passw0rd!'

output adminUser string = 'azureuser'
