// A password parameter that is not @secure(): its value shows up in deployment history.
param adminPassword string

output user string = 'azureuser'
