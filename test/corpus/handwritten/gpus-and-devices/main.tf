resource "docker_container" "trainer" {
  name  = "trainer"
  image = "busybox:1.36"
  gpus  = "all"
}
