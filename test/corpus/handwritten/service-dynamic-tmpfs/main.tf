variable "scratch_mounts" {
  type = list(object({ target = string, size = number }))
}

resource "docker_service" "jobs" {
  name = "jobs"

  task_spec {
    container_spec {
      image = "busybox:1.36"

      dynamic "mounts" {
        for_each = var.scratch_mounts
        content {
          type   = "tmpfs"
          target = mounts.value.target
          tmpfs_options {
            size_bytes = mounts.value.size
          }
        }
      }
    }
  }
}
