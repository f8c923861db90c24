/** Runs the built headless app (dist/server.cjs) on 127.0.0.1 with a fresh data dir, as a newcomer would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export interface RunningServer {
  process: ChildProcess;
  /** Console URL with the launch key. */
  consoleUrl: string;
  baseUrl: string;
  adminPassword: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  keepDataDir?: boolean;
  /** Written as the data dir's reachback.yaml before the start: settings fixed by the deployment. */
  configYaml?: string;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'reachback-e2e-'));
  if (options.configYaml !== undefined) writeFileSync(path.join(dataDir, 'reachback.yaml'), options.configYaml, { mode: 0o600 });
  const child = spawn(process.execPath, [path.join(root, 'dist', 'server.cjs'), '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REACHBACK_LOG_LEVEL: 'warn' },
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const consoleUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stdout}\n${stderr}`)), 30_000);
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const match = /Console:\s+(\S+)/.exec(stdout);
      if (match && /Data dir:/.test(stdout)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  const adminPassword = /One-time password:\s+(\S+)/.exec(stdout)?.[1] ?? '';
  return {
    process: child,
    consoleUrl,
    baseUrl: new URL(consoleUrl).origin,
    adminPassword,
    dataDir,
    output: () => stdout + stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.keepDataDir && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
