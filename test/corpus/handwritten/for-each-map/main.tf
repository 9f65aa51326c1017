resource "docker_container" "app" {
  for_each = {
    api = 8080
    web = 8081
  }

  name  = each.key
  image = "nginx:1.27"

  ports {
    internal = 80
    external = each.value
  }
}
