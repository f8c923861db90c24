/** The headless server as a newcomer or operator meets it: clear refusals, nothing overwritten. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/app';

const serverScript = path.resolve(__dirname, '..', 'dist', 'server.cjs');
const running: RunningServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'reachback-cli-'));
  dirs.push(dir);
  return dir;
}

function runServer(args: string[]) {
  return spawnSync(process.execPath, [serverScript, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, REACHBACK_LOG_LEVEL: 'error' },
  });
}

describe('headless server', () => {
  it('refuses a second instance on the same data dir', async () => {
    const dir = dataDir();
    running.push(await startServer({ dataDir: dir }));
    const second = runServer(['--port', '0', '--data-dir', dir]);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/in use by another Reachback instance \(pid \d+\)/);
  });

  it('refuses to start on a corrupt snapshot, names the file and leaves it as it was', async () => {
    const dir = dataDir();
    const first = await startServer({ dataDir: dir });
    await first.stop(); // a clean stop writes the snapshot
    const snapshot = path.join(dir, 'snapshot.rbs');
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(snapshot, bytes);
    const result = runServer(['--port', '0', '--data-dir', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(snapshot);
    expect(result.stderr).toMatch(/checksum/);
    expect(readFileSync(snapshot).equals(bytes)).toBe(true);
  });

  it('keeps its data and prints no new password on the next start', async () => {
    const dir = dataDir();
    const first = await startServer({ dataDir: dir });
    expect(first.adminPassword).not.toBe('');
    await first.stop();
    const second = await startServer({ dataDir: dir });
    running.push(second);
    expect(second.adminPassword).toBe('');
    expect(second.output()).not.toMatch(/One-time password/);
  });

  it('explains a port that is taken and a bad flag', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const taken = runServer(['--port', String(port), '--data-dir', dataDir()]);
    blocker.close();
    expect(taken.status).toBe(1);
    expect(taken.stderr).toMatch(/port is already in use/);
    const bad = runServer(['--prot', '80']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/Unknown option --prot/);
    expect(bad.stderr).toMatch(/Usage:/);
  });
});
