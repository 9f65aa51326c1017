module "proxy" {
  source        = "./modules/proxy"
  name          = "edge"
  expose_socket = true
}
