resource "docker_container" "cache" {
  name  = "cache"
  image = "redis:7"

  mounts {
    type   = "volume"
    source = "cache-data"
    target = "/data"
  }

  mounts {
    type   = "tmpfs"
    target = "/tmp"
  }
}
