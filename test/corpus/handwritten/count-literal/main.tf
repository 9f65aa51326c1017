resource "docker_container" "builder" {
  count      = 2
  name       = "builder-${count.index}"
  image      = "docker:27-dind"
  privileged = true
}
