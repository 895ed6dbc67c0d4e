# A service principal created by a module idlint cannot read (remote source): not judged.
variable "create_secret" {
  type = bool
}

module "deployer" {
  source        = "git::https://example.invalid/modules/service-principal.git?ref=v1.0.0"
  name          = "ci-deployer"
  create_secret = var.create_secret
}
