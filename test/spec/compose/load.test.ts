import * as path from 'path';
import { cleanupProjects, project, services } from './helpers';
import { composeFilesFor, composeFilesIn, isComposeFileName, loadComposeProject } from '../../../src/spec/compose/load';
import { ComposeError, parseComposeYaml } from '../../../src/spec/compose/tree';

afterEach(cleanupProjects);

describe('YAML: anchors, merge keys, x- extensions, positions', () => {
  test('an x- extension merged with <<: its settings apply, the service\'s own win, positions are where each was written', () => {
    const dir = project({
      'compose.yaml': [
        'x-hardened: &hardened', // 1
        '  read_only: true', // 2
        '  privileged: false', // 3
        '  cap_drop: [ALL]', // 4
        'services:', // 5
        '  web:', // 6
        '    <<: *hardened', // 7
        '    image: app', // 8
        '    privileged: true', // 9
        '',
      ].join('\n'),
    });
    const web = services(dir).get('web')!;
    expect(web.spec).toMatchObject({ readOnly: true, privileged: true, capDrop: ['ALL'], image: 'app' });
    expect(web.positions.get('readOnly')).toEqual({ file: 'compose.yaml', line: 2, column: 3 });
    expect(web.positions.get('privileged')).toEqual({ file: 'compose.yaml', line: 9, column: 5 });
  });

  test('a merge key with a list of maps: the earlier map wins; an alias as a value copies the anchored node', () => {
    const dir = project({
      'compose.yaml': 'x-a: &a {user: "1:1"}\nx-b: &b {user: "2:2", init: true}\nx-ops: &ops [ALL]\nservices:\n  web:\n    <<: [*a, *b]\n    cap_drop: *ops\n',
    });
    expect(services(dir).get('web')!.spec).toMatchObject({ user: '1:1', init: true, capDrop: ['ALL'] });
  });

  test('malformed YAML and duplicate keys are positioned errors', () => {
    expect(() => parseComposeYaml('services:\n  web: [\n', 'c.yaml')).toThrow(/^c\.yaml:\d+:\d+: malformed YAML/);
    expect(() => parseComposeYaml('services:\n  web: {}\n  web: {}\n', 'c.yaml')).toThrow(/^c\.yaml:3:3: malformed YAML: Map keys must be unique/);
    expect(() => parseComposeYaml('- a\n', 'c.yaml')).toThrow(/^c\.yaml:1:1: a compose file is a mapping/);
  });
});

describe('several files, and compose.override.yaml', () => {
  const base = 'services:\n  web:\n    image: app:1\n    cap_add: [CHOWN]\n    volumes:\n      - ./data:/data\n      - logs:/logs\n    labels:\n      a: "1"\n    environment: [X=1]\n';
  const over = 'services:\n  web:\n    image: app:2\n    cap_add: [NET_ADMIN]\n    volumes:\n      - /srv/data:/data:ro\n    labels: [b=2]\n  worker:\n    image: w\n';

  test('files merge in order: scalars replaced, lists appended, volumes by target, list-or-map settings by key', () => {
    const dir = project({ 'compose.yaml': base, 'prod.yaml': over });
    const s = services(dir, ['compose.yaml', 'prod.yaml']);
    const web = s.get('web')!;
    expect(web.spec.image).toBe('app:2');
    expect(web.spec.capAdd).toEqual(['CHOWN', 'NET_ADMIN']);
    expect(web.spec.mounts?.map((m) => `${m.source}:${m.target}:${m.readOnly ?? false}`)).toEqual(['logs:/logs:false', '/srv/data:/data:true']);
    expect(web.spec.labels).toEqual({ a: '1', b: '2' });
    expect(web.positions.get('image')).toEqual({ file: 'prod.yaml', line: 3, column: 5 });
    expect(web.positions.get('labels')?.file).toBe('prod.yaml');
    expect([...s.keys()]).toEqual(['web', 'worker']);
  });

  test('compose.yaml named alone brings its compose.override.yaml, as docker compose does; another name does not', () => {
    const dir = project({ 'compose.yaml': base, 'compose.override.yaml': over, 'other.yaml': base });
    expect(composeFilesFor(path.join(dir, 'compose.yaml'))).toEqual([path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
    expect(composeFilesFor(path.join(dir, 'other.yaml'))).toEqual([path.join(dir, 'other.yaml')]);
    expect(composeFilesIn(dir)).toEqual([path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
    expect(composeFilesIn(project({ 'docker-compose.yml': base }))).toHaveLength(1);
    expect(composeFilesIn(project({ 'main.tf': '' }))).toEqual([]);
  });

  test('compose file names', () => {
    for (const n of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.prod.yaml', 'compose.override.yaml']) expect(isComposeFileName(n)).toBe(true);
    for (const n of ['values.yaml', 'compose.json', 'mycompose.yml']) expect(isComposeFileName(n)).toBe(false);
  });
});

describe('extends', () => {
  test('a service of the same file, then a service of another file (relative to the extending file), in a chain', () => {
    const dir = project({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: app',
        '    read_only: true',
        '    cap_drop: [ALL]',
        '  web:',
        '    extends: base',
        '    privileged: true',
        '  api:',
        '    extends:',
        '      service: common',
        '      file: shared/common.yaml',
        '    user: "10:10"',
        '',
      ].join('\n'),
      'shared/common.yaml': 'services:\n  root:\n    pid: host\n  common:\n    extends: root\n    image: shared\n    user: root\n',
    });
    const s = services(dir);
    expect(s.get('web')!.spec).toMatchObject({ image: 'app', readOnly: true, capDrop: ['ALL'], privileged: true });
    expect(s.get('api')!.spec).toMatchObject({ image: 'shared', user: '10:10', pidMode: 'host' });
    expect(s.get('api')!.positions.get('pidMode')).toEqual({ file: 'shared/common.yaml', line: 3, column: 5 });
  });

  test('a cycle, a missing service and a missing file are positioned errors', () => {
    const cycle = project({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
    expect(() => services(cycle)).toThrow(/^compose\.yaml:\d+:\d+: extends: a cycle/);
    expect(() => services(project({ 'compose.yaml': 'services:\n  a:\n    extends: nope\n' }))).toThrow(/^compose\.yaml:3:14: extends: no service "nope"/);
    expect(() => services(project({ 'compose.yaml': 'services:\n  a:\n    extends:\n      service: x\n      file: gone.yaml\n' })))
      .toThrow(/^compose\.yaml:5:13: extends\.file: "gone\.yaml": no such file/);
  });
});

describe('include, profiles, interpolation sources', () => {
  test('include: the included file\'s services are checked too', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: app\n',
      'db/compose.yaml': 'services:\n  db:\n    image: postgres\n    privileged: true\n',
    });
    const s = services(dir);
    expect([...s.keys()].sort()).toEqual(['db', 'web']);
    expect(s.get('db')!.spec).toMatchObject({ privileged: true, file: 'db/compose.yaml' });
  });

  test('every service is kept whatever its profiles, and its profiles are named', () => {
    const dir = project({ 'compose.yaml': 'services:\n  web:\n    image: a\n  debug:\n    image: b\n    profiles: [debug, tools]\n' });
    const s = services(dir);
    expect(s.get('web')!.spec.name).toBeUndefined();
    expect(s.get('debug')!.spec.name).toBe('debug [profiles: debug, tools]');
  });

  test('.env is read from the project directory; the environment wins over it; --env-file replaces it', () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    image: app:${TAG}\n    user: ${UID_GID}\n',
      '.env': 'TAG=from-dotenv\nUID_GID=1:1\n',
      'prod.env': 'TAG=from-env-file\n',
    });
    expect(services(dir).get('web')!.spec).toMatchObject({ image: 'app:from-dotenv', user: '1:1' });
    expect(services(dir, ['compose.yaml'], { env: { TAG: 'from-shell' } }).get('web')!.spec.image).toBe('app:from-shell');
    const withFile = services(dir, ['compose.yaml'], { envFiles: ['prod.env'] }).get('web')!.spec;
    expect(withFile.image).toBe('app:from-env-file');
    expect(withFile.unknown).toEqual(['user']);
  });

  test('interpolation reads the file as written, not x- extensions that nothing uses; a malformed ${ is positioned', () => {
    const dir = project({ 'compose.yaml': 'x-notes: ${not checked\nservices:\n  web:\n    image: "${TAG"\n' });
    expect(() => loadComposeProject([path.join(dir, 'compose.yaml')], { cwd: dir, env: {} })).toThrow(ComposeError);
    expect(() => loadComposeProject([path.join(dir, 'compose.yaml')], { cwd: dir, env: {} })).toThrow(/^compose\.yaml:4:12: interpolation: /);
  });
});

describe('aliases of aliases', () => {
  test('a file whose aliases would expand to billions of nodes is read once per anchor: a positioned error, not a hang', () => {
    const lines = ['x-l0: &l0 ["$${A}", "b"]'];
    for (let i = 1; i <= 12; i++) lines.push(`x-l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
    lines.push('services:', '  web:', '    image: app', '    cap_add: *l12');
    const dir = project({ 'compose.yaml': lines.join('\n') + '\n' });
    expect(() => services(dir)).toThrow(/^compose\.yaml:\d+:\d+: services\.web\.cap_add: expected a list of strings/);
  });
});

describe('relative bind sources', () => {
  test('resolve against the directory of the file they were written in: the project\'s, or an extended file\'s own', () => {
    const dir = project({
      'compose.yaml': 'services:\n  web:\n    extends:\n      service: base\n      file: lib/base.yaml\n    volumes:\n      - ./data:/data\n',
      'lib/base.yaml': 'services:\n  base:\n    image: app\n    volumes:\n      - type: bind\n        source: ../../etc\n        target: /host-etc\n',
    });
    const sources = services(dir).get('web')!.spec.mounts?.map((m) => m.source);
    expect(sources).toEqual([path.resolve(dir, '..', 'etc'), path.join(dir, 'data')]);
  });
});
