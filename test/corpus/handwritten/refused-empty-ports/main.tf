resource "docker_container" "web" {
  name  = "web"
  image = "nginx:1.27"

  ports {}
}
