/**
 * A bind source under `~` that climbs out of the home directory lands where that directory decides (`~/../../etc` is
 * /etc from /root or /home/ci): the files do not say, so the host path is unknown, never a pass.
 */
import { cleanupProjects, web } from './helpers';
import { builtinRule } from '../../../src/rules/catalog';
import { RuleStatus } from '../../../src/rules/rule';

afterEach(() => cleanupProjects());

const sensitive = builtinRule('no-sensitive-host-mounts')!;
const sensitiveReadOnly = builtinRule('no-sensitive-host-mounts-read-only')!;
const socket = builtinRule('no-docker-socket')!;

describe('~ in a bind source', () => {
  test.each([
    ['short syntax', 'volumes: ["~/../../etc:/hostetc"]'],
    ['short syntax, read-only', 'volumes: ["~/../..:/host:ro"]'],
    ['long syntax', 'volumes: [{ type: bind, source: "~/../../run", target: /r }]'],
    ['~user form (compose joins it to the home directory as is)', 'volumes: ["~root/../../etc:/e"]'],
  ])('%s: climbing out of the home directory is unknown', (_name, setting) => {
    const spec = web(`services:\n  web:\n    image: nginx\n    ${setting}\n`);
    expect(spec.mounts?.[0]).toMatchObject({ type: 'bind', source: undefined, unknown: ['source'] });
    // The read-write rule or the read-only one, as the mode says; the socket rule whatever the mode.
    const rule = spec.mounts?.[0].readOnly ? sensitiveReadOnly : sensitive;
    expect(rule.check(spec)).toMatchObject({ status: RuleStatus.UNKNOWN, message: expect.stringMatching(/the home directory of whoever runs compose/) });
    expect(socket.check(spec).status).toBe(RuleStatus.UNKNOWN);
  });

  test('below the home directory: read as written, and passes', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    volumes: ["~/app/../data:/data"]\n');
    expect(spec.mounts?.[0]).toMatchObject({ type: 'bind', source: '~/app/../data' });
    expect(spec.unknown).toBeUndefined();
    expect(sensitive.check(spec).status).toBe(RuleStatus.PASS);
  });

  test('a literal sensitive mount beside it still fails', () => {
    const spec = web('services:\n  web:\n    image: nginx\n    volumes: ["~/../../x:/x", "/etc:/etc2"]\n');
    expect(sensitive.check(spec).status).toBe(RuleStatus.FAIL);
  });
});
