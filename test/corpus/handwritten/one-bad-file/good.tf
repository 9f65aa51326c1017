resource "docker_container" "good" {
  name       = "good"
  image      = "busybox:1.36"
  privileged = true
}
