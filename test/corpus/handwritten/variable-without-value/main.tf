variable "privileged" {
  type = bool
}

resource "docker_container" "tool" {
  name       = "tool"
  image      = "busybox:1.36"
  privileged = var.privileged
}
