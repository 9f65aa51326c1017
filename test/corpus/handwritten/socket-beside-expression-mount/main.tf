# A reverse proxy as homelab modules write it: the Docker socket bound literally, beside a named volume whose name
# comes from a resource, and a bind whose host path only the user knows.
variable "certs_dir" {
  type = string
}

resource "docker_volume" "acme" {
  name = "proxy-acme"
}

resource "docker_container" "proxy" {
  name  = "proxy"
  image = "traefik:v3.1"

  mounts {
    type      = "bind"
    source    = "/var/run/docker.sock"
    target    = "/var/run/docker.sock"
    read_only = true
  }

  mounts {
    type   = "volume"
    source = docker_volume.acme.name
    target = "/acme"
  }

  volumes {
    host_path      = var.certs_dir
    container_path = "/certs"
    read_only      = true
  }

  ports {
    internal = 443
    external = 443
  }
}
