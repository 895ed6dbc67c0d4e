# The secret variable is sensitive; password_length only describes a secret.
variable "admin_password" {
  type      = string
  sensitive = true
}

variable "password_length" {
  type    = number
  default = 24
}
