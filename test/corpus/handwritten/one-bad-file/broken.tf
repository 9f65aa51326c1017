resource "docker_container" "broken" {
  name  = "broken"
  image = "busybox:1.36"
  memory = 
}
