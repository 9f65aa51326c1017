import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { cleanupProjects, project } from './helpers';
import { loadComposeProject } from '../../../src/spec/compose/load';
import { composeServiceSpec } from '../../../src/spec/compose/service-spec';
import { ComposeError } from '../../../src/spec/compose/tree';

afterEach(cleanupProjects);

const SETTINGS = [
  'privileged', 'user', 'read_only', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'volumes', 'ports', 'network_mode', 'networks', 'ipc',
  'pid', 'uts', 'userns_mode', 'cgroup', 'cgroup_parent', 'devices', 'gpus', 'pids_limit', 'mem_limit', 'memswap_limit', 'cpus', 'cpu_shares',
  'cpu_quota', 'cpu_period', 'deploy', 'ulimits', 'healthcheck', 'restart', 'logging', 'sysctls', 'group_add', 'image', 'init', 'labels',
  'extends', 'profiles', 'container_name', 'scale', 'environment',
];

/** Values of any shape, with strings that look like the settings' own syntax and interpolations. */
const value: fc.Arbitrary<unknown> = (fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.boolean(), fc.integer({ min: -5, max: 70000 }), fc.double({ noNaN: true }), fc.constant(null),
    fc.constantFrom('true', 'host', '80:80', '127.0.0.1:8080:80/udp', '/var/run/docker.sock:/var/run/docker.sock:ro', '512m', 'on-failure:3',
      '${VAR}', '${VAR:-1g}', '$$', '${', 'a=b', '/dev/fuse:/dev/fuse:rwm', '[::1]:1:1', '1-3:4-6', 'ALL'),
    fc.string({ maxLength: 12 }),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...SETTINGS, 'soft', 'hard', 'type', 'source', 'target', 'published', 'host_ip', 'test', 'disable',
      'resources', 'limits', 'memory', 'service', 'file', 'options', 'driver'), fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 4 })),
}) as any) as any).node;

test('any services read to specs or a positioned ComposeError, never another exception', () => {
  const dir = project({});
  const file = path.join(dir, 'compose.yaml');
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('web', 'db', 'base'), fc.dictionary(fc.constantFrom(...SETTINGS), value, { maxKeys: 6 }), { maxKeys: 3 }),
    fc.dictionary(fc.constantFrom('VAR', 'TAG'), fc.string({ maxLength: 6 })), (services, env) => {
      fs.writeFileSync(file, stringify({ services }));
      try {
        const loaded = loadComposeProject([file], { cwd: dir, env });
        for (const s of loaded.services) composeServiceSpec(s, s.at.file);
      } catch (e) {
        if (!(e instanceof ComposeError)) throw e;
        expect(e.message).toMatch(/^compose\.yaml(:\d+:\d+)?: /);
      }
    }), { numRuns: 300 });
});
