variable "name" {
  type = string
}

variable "expose_socket" {
  type    = bool
  default = false
}

resource "docker_container" "this" {
  name  = var.name
  image = "traefik:v3.1"

  dynamic "volumes" {
    for_each = var.expose_socket ? ["/var/run/docker.sock"] : []
    content {
      host_path      = volumes.value
      container_path = "/var/run/docker.sock"
    }
  }
}
