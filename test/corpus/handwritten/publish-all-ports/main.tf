resource "docker_container" "web" {
  name              = "web"
  image             = "nginx:1.27"
  publish_all_ports = true
}
