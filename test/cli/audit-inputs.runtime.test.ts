import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { describeEngine } from './audit-engine';
import { cli, tempDir } from './helpers';

describeEngine('audit --daemon-config reads a regular file only', () => {
  test('a socket given as --daemon-config: one line naming it, exit 2', async () => {
    const { dir, cleanup } = tempDir('hd-daemon-');
    const sock = path.join(dir, 'daemon.json');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const r = await cli(['audit', '--daemon-config', sock, '--name', 'hd-no-such-container-*', '--no-services']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`hardened-docker audit: --daemon-config ${sock}: not a regular file (a socket); only regular files are read\n`);
    } finally {
      server.close();
      cleanup();
    }
  });

  test('a daemon.json over 1 MiB is refused', async () => {
    const { dir, cleanup } = tempDir('hd-daemon-');
    const file = path.join(dir, 'daemon.json');
    fs.writeFileSync(file, `{"x": "${'a'.repeat(2 * 1024 * 1024)}"}`);
    try {
      const r = await cli(['audit', '--daemon-config', file, '--name', 'hd-no-such-container-*', '--no-services']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`hardened-docker audit: --daemon-config ${file}: input too large: more than 1 MiB per file\n`);
    } finally {
      cleanup();
    }
  });
});
