import { ResourceKind, SpecSource } from '../../src/spec/container-spec';
import { hclErrorMessage, parseHcl, specsFromHcl } from '../../src/spec/hcl-adapter';
import { AdapterError } from '../../src/spec/terraform-adapter';

describe('hclErrorMessage', () => {
  test.each([
    ['parse config: [x.tf:2,7-3,1: Invalid expression; Expected the start of an expression, but found an invalid expression token.]',
      'main.tf:2:7: malformed HCL: Invalid expression; Expected the start of an expression, but found an invalid expression token.'],
    ['parse config: [x.tf:1,18-19: Unclosed configuration block; There is no closing brace for this block before the end of the file.]',
      'main.tf:1:18: malformed HCL: Unclosed configuration block; There is no closing brace for this block before the end of the file.'],
    ['parse config: [x.tf:4,3-4: Argument or block definition required; An argument or block definition is required here., x.tf:9,1-2: Unexpected }]',
      'main.tf:4:3: malformed HCL: Argument or block definition required; An argument or block definition is required here.'],
    ['something else entirely', 'main.tf: malformed HCL: something else entirely'],
  ])('%s', (raw, expected) => {
    expect(hclErrorMessage(raw, 'main.tf')).toBe(expected);
  });
});

describe('HCL through hcl2json', () => {
  test('resources become specs: expressions and dynamic blocks unknown, labels suppress, services read', async () => {
    const specs = await specsFromHcl(`
variable "mem" { default = 128 }
resource "docker_container" "web" {
  name   = "web"
  image  = "nginx@sha256:${'b'.repeat(64)}"
  memory = var.mem
  dynamic "ports" {
    for_each = [80]
    content { internal = ports.value }
  }
  labels {
    label = "hardened-docker.suppress.no-host-network"
    value = "the load balancer needs the host network"
  }
}
resource "docker_service" "svc" {
  name = "svc"
  task_spec {
    container_spec {
      image     = "nginx:1"
      read_only = true
      cap_drop  = ["ALL"]
    }
  }
}
`, 'main.tf');
    expect(specs.map((s) => [s.kind, s.address, s.source, s.file])).toEqual([
      [ResourceKind.CONTAINER, 'docker_container.web', SpecSource.TERRAFORM_HCL, 'main.tf'],
      [ResourceKind.SERVICE, 'docker_service.svc', SpecSource.TERRAFORM_HCL, 'main.tf'],
    ]);
    expect(specs[0].unknown).toEqual(expect.arrayContaining(['memoryBytes', 'ports']));
    expect(specs[0].suppressions).toEqual([{ ruleId: 'no-host-network', reason: 'the load balancer needs the host network', origin: 'label "hardened-docker.suppress.no-host-network"' }]);
    expect(specs[1]).toEqual(expect.objectContaining({ readOnly: true, capDrop: ['ALL'], image: 'nginx:1' }));
  });

  test('a syntax error is an AdapterError with file, line and column', async () => {
    await expect(parseHcl('resource "docker_container" "x" {\n  name = \n}\n', 'dir/bad.tf')).rejects.toThrow(AdapterError);
    await expect(parseHcl('resource "docker_container" "x" {\n  name = \n}\n', 'dir/bad.tf')).rejects.toThrow(/^dir\/bad\.tf:2:10: malformed HCL: Invalid expression/);
  });
});
