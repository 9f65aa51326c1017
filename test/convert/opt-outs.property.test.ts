/**
 * For any mix of weakenings a compose service can write, the converted stack carries exactly the opt-outs the
 * construct demands: filled in, it constructs (a missing opt-out fails with "needs an opt-out", an extra permission
 * with "nothing in the props needs it"), and each TODO reason left alone fails on its own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import * as fc from 'fast-check';
import { filledReason, outDir, ROOT } from './helpers';
import { convertCompose, TODO_REASON } from '../../src/convert/stack';

/** Settings of one service, each written only when drawn. */
const service = fc.record({
  privileged: fc.option(fc.boolean(), { nil: undefined }),
  user: fc.option(fc.constantFrom('root', '0', '0:0', '1000', '1000:1000'), { nil: undefined }),
  read_only: fc.option(fc.boolean(), { nil: undefined }),
  cap_add: fc.option(fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'NET_ADMIN', 'SYS_ADMIN', 'SYS_PTRACE', 'AUDIT_WRITE']), { nil: undefined }),
  security_opt: fc.option(fc.subarray(['no-new-privileges:true', 'no-new-privileges:false', 'seccomp:unconfined', 'apparmor:unconfined',
    'apparmor=docker-default', 'label:disable', 'label:type:container_t']), { nil: undefined }),
  ports: fc.option(fc.subarray(['8080:80', '127.0.0.1:8081:81', '80:8082', '127.0.0.1:443:8443', '9000', '0.0.0.0:9001:9001/udp', '[::]:9002:9002']),
    { nil: undefined }),
  volumes: fc.option(fc.subarray(['/var/run/docker.sock:/var/run/docker.sock:ro', '/etc:/host/etc', '/etc/ssl:/certs:ro', 'data:/usr/share/data',
    'data:/etc', './src:/app:ro', 'cache:/cache']), { nil: undefined }),
  tmpfs: fc.option(fc.subarray(['/run:exec', '/var/cache:size=8m', '/etc/app', '/tmp:size=32m']), { nil: undefined }),
  network_mode: fc.option(fc.constantFrom('host', 'none', 'bridge'), { nil: undefined }),
  cgroup: fc.option(fc.constantFrom('host', 'private'), { nil: undefined }),
  restart: fc.option(fc.constantFrom('no', 'always', 'unless-stopped', 'on-failure', 'on-failure:9'), { nil: undefined }),
  healthcheck: fc.option(fc.constantFrom({ disable: true }, { test: ['CMD', 'true'], interval: '15s' }, { test: 'exit 0' }), { nil: undefined }),
  mem_limit: fc.option(fc.constantFrom('64m', '1g'), { nil: undefined }),
  memswap_limit: fc.option(fc.constantFrom('64m', '2g', '-1'), { nil: undefined }),
  replicas: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
});

type Service = { [k: string]: unknown };

/** The compose YAML (as JSON, which YAML reads) of one drawn service, cleaned of combinations compose itself refuses. */
function composeOf(s: Service): string {
  const svc: Service = { image: `registry.example.com/app@sha256:${'d'.repeat(64)}` };
  for (const [k, v] of Object.entries(s)) if (v !== undefined && k !== 'replicas') svc[k] = v;
  if (s.network_mode === 'host' || s.network_mode === 'none') delete svc.ports;
  if (s.replicas === 2) {
    svc.deploy = { replicas: 2 };
    delete svc.network_mode;
    // Each replica publishes its own host port: a fixed one would be published twice.
    if (Array.isArray(svc.ports)) svc.ports = (svc.ports as string[]).filter((p) => !p.includes(':'));
  }
  if (svc.memswap_limit !== undefined && svc.mem_limit === undefined) delete svc.memswap_limit;
  return JSON.stringify({ services: { app: svc }, volumes: { data: {}, cache: {} } });
}

let out: { dir: string; cleanup: () => void };
beforeAll(() => {
  out = outDir();
});
afterAll(() => out.cleanup());

let n = 0;
function build(source: string): () => void {
  const file = path.join(out.dir, `stack${n++}.ts`);
  fs.writeFileSync(file, source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ComposeStack } = require(file);
  return () => new ComposeStack(new App({ outdir: path.join(out.dir, 'out') }), 'stack');
}

test('the converted stack has exactly the opt-outs the construct demands, and each TODO reason fails by itself', () => {
  const libraryModule = path.relative(out.dir, path.join(ROOT, 'src')).split(path.sep).join('/');
  fc.assert(fc.property(service, fc.nat(), (s, pick) => {
    const dir = fs.mkdtempSync(path.join(out.dir, 'compose-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), composeOf(s));
    const { source } = convertCompose([path.join(dir, 'compose.yaml')], { cwd: ROOT, libraryModule, env: {} });
    const parts = source.split(`reason: '${TODO_REASON}'`);
    const filled = (except: number) => parts.reduce((acc, part, i) => `${acc}reason: '${i - 1 === except ? TODO_REASON : filledReason('property', i)}'${part}`);
    expect(build(filled(-1))).not.toThrow();
    if (parts.length > 1) {
      // One TODO reason left as written, any of them: construction fails on it.
      expect(build(filled(pick % (parts.length - 1)))).toThrow(/optOuts\.\w+\.reason: "TODO: \.\.\." is a placeholder/);
    }
  }), { numRuns: 60 });
});
