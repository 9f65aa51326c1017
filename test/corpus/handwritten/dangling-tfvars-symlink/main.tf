variable "memory_mb" {
  type    = number
  default = 128
}

resource "docker_container" "app" {
  name   = "app"
  image  = "busybox:1.36"
  memory = var.memory_mb
}
