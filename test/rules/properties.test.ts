import * as fc from 'fast-check';
import { container, service } from './specs';
import { builtinRule } from '../../src/rules/catalog';
import { DANGEROUS_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES } from '../../src/rules/helpers';
import { IRule, RuleStatus } from '../../src/rules/rule';
import { SENSITIVE_HOST_PATHS } from '../../src/rules/sensitive-paths';

function rule(id: string): IRule {
  const r = builtinRule(id);
  if (!r) throw new Error(`no built-in rule "${id}"`);
  return r;
}

/** A capability name spelled any way Docker accepts: any case, with or without `CAP_`, padded. */
function spelled(name: string): fc.Arbitrary<string> {
  return fc.tuple(
    fc.boolean(), fc.constantFrom('', ' '), fc.array(fc.boolean(), { minLength: name.length + 4, maxLength: name.length + 4 }),
  ).map(([prefix, pad, upper]) => {
    const full = (prefix ? 'CAP_' : '') + name;
    return pad + [...full].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase())).join('') + pad;
  });
}

const group = fc.option(fc.oneof(fc.integer({ min: 0, max: 65535 }).map(String), fc.constantFrom('root', 'app', 'nogroup')), { nil: undefined });

describe('non-root-user over user strings', () => {
  test('any non-zero UID, with any group, passes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), group, (uid, g) => {
      const user = g === undefined ? String(uid) : `${uid}:${g}`;
      expect(rule('non-root-user').check(container({ user })).status).toBe(RuleStatus.PASS);
    }));
  });

  test('root by name or by UID 0 (any number of zeros), with any group, fails and names the value', () => {
    const root = fc.oneof(fc.constant('root'), fc.integer({ min: 1, max: 5 }).map((n) => '0'.repeat(n)));
    fc.assert(fc.property(root, group, fc.boolean(), (name, g, asService) => {
      const user = g === undefined ? name : `${name}:${g}`;
      const spec = asService ? service({ user }) : container({ user });
      const result = rule('non-root-user').check(spec);
      expect(result.status).toBe(RuleStatus.FAIL);
      expect(result.message).toContain(user);
    }));
  });

  test('a user name that is not root passes', () => {
    const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,15}$/).filter((n) => n !== 'root');
    fc.assert(fc.property(name, (user) => {
      expect(rule('non-root-user').check(container({ user })).status).toBe(RuleStatus.PASS);
    }));
  });
});

describe('no-privileged-host-ports over port numbers', () => {
  test('a host port from 1 to 1023 fails and is named; 1024 and above pass (Linux, CIS 5.8)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), (external, internal) => {
      const result = rule('no-privileged-host-ports').check(container({ ports: [{ internal, external, ip: '127.0.0.1' }] }));
      if (external < 1024) {
        expect(result.status).toBe(RuleStatus.FAIL);
        expect(result.message).toContain(`${external} -> ${internal}`);
      } else {
        expect(result.status).toBe(RuleStatus.PASS);
      }
    }));
  });

  test('one privileged port among many is enough to fail', () => {
    const high = fc.array(fc.integer({ min: 1024, max: 65535 }), { maxLength: 5 });
    fc.assert(fc.property(high, fc.integer({ min: 1, max: 1023 }), fc.nat(), (ports, low, at) => {
      const all = [...ports];
      all.splice(at % (ports.length + 1), 0, low);
      const spec = container({ ports: all.map((external) => ({ internal: 8080, external, ip: '127.0.0.1' })) });
      expect(rule('no-privileged-host-ports').check(spec).status).toBe(RuleStatus.FAIL);
    }));
  });
});

describe('capability spellings', () => {
  test('drop ALL in any spelling passes drop-all-capabilities', () => {
    fc.assert(fc.property(spelled('ALL'), fc.array(fc.constantFrom('NET_RAW', 'MKNOD')), (all, others) => {
      expect(rule('drop-all-capabilities').check(container({ capDrop: [...others, all] })).status).toBe(RuleStatus.PASS);
    }));
  });

  test('a dangerous capability in any spelling fails both capability rules', () => {
    const dangerous = fc.constantFrom(...DANGEROUS_CAPABILITIES).chain(spelled);
    fc.assert(fc.property(dangerous, fc.boolean(), (cap, asService) => {
      const spec = asService ? service({ capAdd: [cap] }) : container({ capAdd: [cap] });
      for (const id of ['no-dangerous-capabilities', 'no-added-capabilities']) {
        const result = rule(id).check(spec);
        expect(result.status).toBe(RuleStatus.FAIL);
        expect(result.message).toContain(cap);
      }
    }));
  });

  test('adding back Docker defaults in any spelling passes', () => {
    const defaults = fc.array(fc.constantFrom(...DOCKER_DEFAULT_CAPABILITIES).chain(spelled), { maxLength: 6 });
    fc.assert(fc.property(defaults, (capAdd) => {
      const spec = container({ capDrop: ['ALL'], capAdd });
      expect(rule('no-added-capabilities').check(spec).status).toBe(RuleStatus.PASS);
      expect(rule('no-dangerous-capabilities').check(spec).status).toBe(RuleStatus.PASS);
    }));
  });
});

describe('host paths', () => {
  const segment = fc.stringMatching(/^[a-z0-9_.-]{1,8}$/).filter((s) => s !== '.' && s !== '..');
  /** Writes a path with noise Docker resolves away: doubled slashes, `.` segments, a trailing slash. */
  const noisy = (path: string, noise: boolean[]): string => {
    const parts = path.split('/').filter(Boolean);
    const written = parts.map((p, i) => (noise[i % noise.length] ? `./${p}` : p)).join(noise[0] ? '//' : '/');
    return '/' + written + (noise[1] ? '/' : '');
  };

  test('a read-write bind at or below a sensitive directory fails, however written', () => {
    const dir = fc.constantFrom(...SENSITIVE_HOST_PATHS.filter((d) => d !== '/'));
    fc.assert(fc.property(dir, fc.array(segment, { maxLength: 3 }), fc.array(fc.boolean(), { minLength: 2, maxLength: 4 }), (d, sub, noise) => {
      const source = noisy([d, ...sub].join('/'), noise);
      const spec = container({ mounts: [{ type: 'bind', source, target: '/x' }] });
      expect(rule('no-sensitive-host-mounts').check(spec).status).toBe(RuleStatus.FAIL);
      const ro = container({ mounts: [{ type: 'bind', source, target: '/x', readOnly: true }] });
      expect(rule('no-sensitive-host-mounts').check(ro).status).toBe(RuleStatus.PASS);
      expect(rule('no-sensitive-host-mounts-read-only').check(ro).status).toBe(RuleStatus.FAIL);
    }));
  });

  test('a bind below /srv or /data passes', () => {
    fc.assert(fc.property(fc.constantFrom('/srv', '/data', '/opt/app'), fc.array(segment, { maxLength: 3 }), (d, sub) => {
      const spec = container({ mounts: [{ type: 'bind', source: [d, ...sub].join('/'), target: '/x' }] });
      expect(rule('no-sensitive-host-mounts').check(spec).status).toBe(RuleStatus.PASS);
      expect(rule('no-docker-socket').check(spec).status).toBe(RuleStatus.PASS);
    }));
  });
});

describe('tmpfs options', () => {
  const neutral = fc.constantFrom('rw', 'nodev', 'size=64m', 'mode=1777', 'uid=1000');
  test('options carrying noexec and nosuid, in any order, pass; a later exec or suid fails', () => {
    fc.assert(fc.property(fc.array(neutral, { maxLength: 4 }), fc.nat(), fc.option(fc.constantFrom('exec', 'suid'), { nil: undefined }), (others, seed, undo) => {
      const opts = [...others, 'noexec', 'nosuid'];
      // A deterministic shuffle from the seed.
      for (let i = opts.length - 1; i > 0; i--) {
        const j = (seed + i * 7) % (i + 1);
        [opts[i], opts[j]] = [opts[j], opts[i]];
      }
      if (undo) opts.push(undo);
      const result = rule('tmpfs-noexec-nosuid').check(container({ tmpfs: [{ path: '/tmp', options: opts.join(',') }] }));
      expect(result.status).toBe(undo ? RuleStatus.FAIL : RuleStatus.PASS);
      if (undo) expect(result.message).toContain(`allows ${undo}`);
    }));
  });
});

describe('ports-bound-to-interface over addresses', () => {
  test('a specific address passes; every spelling of "all interfaces" fails', () => {
    const specific = fc.oneof(fc.ipV4().filter((ip) => ip !== '0.0.0.0'), fc.constant('::1'));
    const wildcard = fc.constantFrom('0.0.0.0', '::', '[::]', '0:0:0:0:0:0:0:0', '', undefined);
    fc.assert(fc.property(specific, wildcard, fc.integer({ min: 1025, max: 65535 }), (ip, wild, port) => {
      const ok = rule('ports-bound-to-interface').check(container({ ports: [{ internal: 80, external: port, ip }] }));
      expect(ok.status).toBe(RuleStatus.PASS);
      const bad = rule('ports-bound-to-interface').check(container({ ports: [{ internal: 80, external: port, ip }, { internal: 81, external: port + 0, ip: wild }] }));
      expect(bad.status).toBe(RuleStatus.FAIL);
    }));
  });
});
