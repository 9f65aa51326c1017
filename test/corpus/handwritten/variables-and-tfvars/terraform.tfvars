# Overrides the default: Terraform reads terraform.tfvars of the root module on every plan.
privileged = true
