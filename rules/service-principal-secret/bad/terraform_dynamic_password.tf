# A dynamic password block exists to create passwords: it counts even when its for_each is
# a variable.
variable "passwords" {
  type = list(string)
}

resource "azuread_application" "app" {
  display_name = "app"

  dynamic "password" {
    for_each = var.passwords
    content {
      display_name = password.value
    }
  }
}
