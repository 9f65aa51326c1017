locals {
  published = [
    { internal = 5432, external = 5432 },
    { internal = 9187, external = 9187 },
  ]
}

resource "docker_container" "db" {
  name  = "db"
  image = "postgres:16"

  dynamic "ports" {
    for_each = local.published
    content {
      internal = ports.value.internal
      external = ports.value.external
    }
  }
}
