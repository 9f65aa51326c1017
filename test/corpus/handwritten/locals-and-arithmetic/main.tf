locals {
  run_as    = "10001:10001"
  memory_mb = 64 * 8
  drop      = ["ALL"]
}

resource "docker_container" "worker" {
  name   = "worker"
  image  = "busybox:1.36"
  user   = local.run_as
  memory = local.memory_mb

  capabilities {
    drop = local.drop
  }
}
