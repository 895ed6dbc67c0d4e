// A @secure() parameter without a default, and one defaulting to newGuid() (not committed).
@secure()
param adminPassword string

@secure()
param seed string = newGuid()

output adminUser string = 'azureuser'
