resource "docker_container" "app" {
  name         = "app"
  image        = "busybox:1.36"
  memory       = var.memory_mb
  privileged   = var.privileged
  network_mode = var.network_mode
  user         = var.user
}
