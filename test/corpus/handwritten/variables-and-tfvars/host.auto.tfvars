network_mode = "host"
