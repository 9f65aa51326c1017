locals {
  uid = 0
}

resource "docker_container" "legacy" {
  name          = "legacy"
  image         = "busybox:1.36"
  user          = "${local.uid}:${local.uid}"
  security_opts = [format("seccomp=%s", "unconfined")]
}
