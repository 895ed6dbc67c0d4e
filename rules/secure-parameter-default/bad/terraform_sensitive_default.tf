# A sensitive variable with a literal default: the secret is committed anyway.
variable "admin_password" {
  type      = string
  sensitive = true
  default   = "Winter2024!Secure#Pass"
}
