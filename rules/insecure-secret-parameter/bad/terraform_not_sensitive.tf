# A secret-named variable not marked sensitive: its value is printed in plans and logs.
variable "admin_password" {
  type = string
}
