import { defineRule } from '../define';
import { unknownIf } from '../helpers';
import { Results, Severity } from '../rule';

export const healthcheck = defineRule({
  id: 'healthcheck',
  title: 'A healthcheck watches the container at runtime',
  cis: ['5.27'],
  severity: Severity.WARNING,
  rationale: 'Without a healthcheck a hung or hijacked process looks "running": nothing restarts it and Swarm keeps routing to it. The reference check reads the container\'s effective healthcheck, which may come from the image\'s HEALTHCHECK; a configuration cannot see the image, so this rule asks for it on the resource (stricter).',
  remediation: 'Add a `healthcheck { test = ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/health"], interval = "30s", timeout = "5s", retries = 3 }` block (docker_service: `task_spec.container_spec.healthcheck`); HardenedContainer takes `healthcheck`. Do not use `["NONE"]`. Note: provider 3.6.2 ignores a changed healthcheck on an existing container until something forces replacement.',
  composeRemediation: 'Add a `healthcheck:` (`test: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/health"]`, `interval: 30s`, `timeout: 5s`, `retries: 3`); never `disable: true` or `test: ["NONE"]`.',
}, (spec) => {
  const unknown = unknownIf(spec, ['healthcheck'], 'healthcheck');
  if (unknown) return unknown;
  const hc = spec.healthcheck;
  if (hc === undefined) return Results.fail('no healthcheck');
  const test = hc.test.filter((t) => t.trim() !== '');
  if (test.length === 0) return Results.fail('healthcheck has an empty test');
  if (test[0].trim().toUpperCase() === 'NONE') return Results.fail('healthcheck test = ["NONE"] disables the image\'s healthcheck');
  return Results.pass();
});
