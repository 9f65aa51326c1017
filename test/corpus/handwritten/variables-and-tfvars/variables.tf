variable "memory_mb" {
  type    = number
  default = 256
}

variable "privileged" {
  type    = bool
  default = false
}

variable "network_mode" {
  type    = string
  default = "bridge"
}

variable "user" {
  type    = string
  default = "10001:10001"
}
