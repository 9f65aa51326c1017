/**
 * What convert cannot carry over is listed, each setting with its position, at the top of the stack and in the
 * result's notes; placeholders it writes instead fail when the stack is constructed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { convertFixture, outDir, ROOT } from './helpers';
import { convertCompose, noteLine } from '../../src/convert/stack';

const FILE = 'test/convert/fixtures/unmapped/compose.yaml';

/** Each setting of fixtures/unmapped that has no prop (or only in part): where it is written and what the note says. */
const EXPECTED_NOTES: [string, string, RegExp][] = [
  ['8:5', 'services.app.build', /compose builds the image/],
  ['9:5', 'services.app.depends_on', /start order/],
  ['10:5', 'services.app.env_file', /variables read from a file/],
  ['11:5', 'services.app.expose', /documentation only/],
  ['12:5', 'services.app.hostname', /no HardenedContainer prop/],
  ['13:5', 'services.app.extra_hosts', /no HardenedContainer prop/],
  ['15:7', 'services.app.environment', /MODE needs APP_MODE, which has no value/],
  ['17:5', 'services.app.secrets', /compose secrets/],
  ['18:5', 'services.app.stop_grace_period', /no HardenedContainer prop/],
  ['19:5', 'services.app.profiles', /always created/],
  ['23:5', 'services.cache.image', /needs REDIS_TAG, which has no value/],
  ['24:5', 'services.cache.ulimits', /core: no prop/],
  ['24:5', 'services.cache.ulimits', /nofile: soft 1024 and hard 4096/],
  ['27:5', 'services.cache.logging', /driver syslog/],
  ['29:5', 'services.cache.labels', /hardened-docker\.suppress\.read-only-rootfs: a reserved label/],
  ['32:5', 'services.cache.security_opt', /seccomp profile \.\/seccomp\.json: no such file/],
  ['34:5', 'services.cache.volumes', /propagation rshared/],
  ['42:9', 'services.cache.networks', /back\.ipv4_address/],
  ['45:7', 'services.cache.healthcheck', /start_interval/],
  ['47:7', 'services.cache.deploy', /deploy\.mode/],
  ['49:9', 'services.cache.deploy', /deploy\.resources\.reservations/],
  ['53:5', 'networks.back.ipam', /set it on the Network/],
  ['56:1', 'secrets', /top-level section/],
];

let out: { dir: string; cleanup: () => void };
beforeAll(() => {
  out = outDir();
});
afterAll(() => out.cleanup());

test('every setting without a prop is a note at its position, in file order; x- extensions are not', () => {
  const { notes } = convertFixture('unmapped', out.dir);
  const got = notes.map((n) => [`${n.at?.line}:${n.at?.column}`, n.setting, n.message]);
  expect(got).toHaveLength(EXPECTED_NOTES.length);
  EXPECTED_NOTES.forEach(([at, setting, message], i) => {
    expect(got[i]).toEqual([at, setting, expect.stringMatching(message)]);
    expect(notes[i].at?.file).toBe(FILE);
  });
  expect(notes.some((n) => n.setting.includes('x-team'))).toBe(false);
});

test('the notes are listed at the top of the stack, wrapped as comments', () => {
  const { source, notes } = convertFixture('unmapped', out.dir);
  const header = source.slice(0, source.indexOf('\nimport '));
  const text = header.split('\n').map((l) => l.replace(/^\/\/ ?/, '')).join(' ').replace(/\s+/g, ' ');
  for (const n of notes) expect(text).toContain(`- ${noteLine(n)}`.replace(/\s+/g, ' '));
  for (const line of source.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
});

test('a service whose image compose builds, or needs a variable without a value, gets an image placeholder construction refuses', () => {
  const { source } = convertFixture('unmapped', out.dir);
  expect(source).toContain('// TODO: the compose file builds this image (build:)');
  expect(source).toContain('// TODO: the image needs REDIS_TAG, which has no value');
  const file = path.join(out.dir, 'unmapped.ts');
  fs.writeFileSync(file, source);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ComposeStack } = require(file);
  expect(() => new ComposeStack(new App({ outdir: path.join(out.dir, 'unmapped.out') }), 'stack'))
    .toThrow(/HardenedContainer image: "TODO: image reference" is not an image reference/);
});

test('with the variables given, the same settings are carried over', () => {
  const libraryModule = path.relative(out.dir, path.join(ROOT, 'src'));
  const { source, notes } = convertCompose([path.join(ROOT, FILE)], { cwd: ROOT, libraryModule, env: { REDIS_TAG: '7.4', APP_MODE: 'live' } });
  expect(source).toContain('image: \'redis:7.4\'');
  expect(source).toContain('MODE: \'live\'');
  expect(notes.map((n) => n.setting)).not.toContain('services.cache.image');
});
