# A sensitive variable without a default: the value is supplied at apply time.
variable "admin_password" {
  type      = string
  sensitive = true
}
