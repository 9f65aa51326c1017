resource "docker_container" "vpn" {
  name  = "vpn"
  image = "busybox:1.36"
}

# Shares the vpn container's network namespace: not the host's.
resource "docker_container" "client" {
  name         = "client"
  image        = "busybox:1.36"
  network_mode = "container:${docker_container.vpn.id}"
}
