// `secure-parameter-default` is also a Bicep linter rule: this directive silences Bicep's rule
// (an empty default), so idlint does not report it as unused.
@secure()
#disable-next-line secure-parameter-default
param appSecret string = ''

output appSecretLength int = length(appSecret)
