/**
 * `npm run serve` / the no-Electron `npm start`: the core headless, serving
 * the console and the network API. Prints the console URL (with its launch
 * key) and, on first start, the administrator's one-time password.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../logger';
import { DataDirLockedError } from '../store/lock';
import { StoreFileError } from '../store/files';
import { version } from '../version';
import { startApp } from './app';
import { ConfigError, isLoopback, parseServerArgs, usage } from './config';
import { ConfigFileError } from './config-file';

const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function openInChromium(url: string, profileDir: string): boolean {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  const browser = chromiumCandidates.find((c) => existsSync(c));
  if (!browser) return false;
  const child = spawn(browser, [`--app=${url}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--disable-background-networking'], {
    detached: true,
    stdio: 'ignore',
  });
  child.on('error', () => undefined);
  child.unref();
  return true;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(usage);
    return;
  }
  const config = parseServerArgs(process.argv.slice(2));
  const logger = createLogger({ level: (process.env.REACHBACK_LOG_LEVEL as 'info') || 'info' });
  if (!isLoopback(config.host)) logger.warn('listening beyond loopback as configured; protect this port', { host: config.host });
  const app = await startApp({
    ...config,
    version,
    staticDir: path.join(__dirname, 'renderer'),
    logger,
    networkToken: process.env.REACHBACK_NETWORK_TOKEN || undefined,
  });

  // Handlers first: a stop request right after the banner must still close the store cleanly.
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    app.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error('stop failed', { error: error.message });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const lines = [``, `Reachback ${version} is running.`, `  Console:  ${app.http.consoleUrl}`, `  Data dir: ${config.dataDir}`];
  if (app.core.initialAdmin) {
    lines.push(
      ``,
      `First start: an administrator account was created.`,
      `  Username:          ${app.core.initialAdmin.username}`,
      `  One-time password: ${app.core.initialAdmin.password}`,
      `  This password is shown only now. You will choose your own at first sign-in.`,
    );
  }
  if (config.open) {
    lines.push(
      openInChromium(app.http.consoleUrl, path.join(config.dataDir, 'console-profile'))
        ? `  Opened the console in Chromium.`
        : `  Open the console address above in Chromium or another browser.`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

main().catch((error: Error & { code?: string }) => {
  if (error instanceof ConfigError) console.error(`${error.message}\n\n${usage}`);
  else if (error instanceof DataDirLockedError || error instanceof StoreFileError || error instanceof ConfigFileError)
    console.error(`Reachback cannot start: ${error.message}`);
  else if (error.code === 'EADDRINUSE')
    console.error(`Reachback cannot start: the port is already in use. Choose another with --port or REACHBACK_PORT.`);
  else if (error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL')
    console.error(`Reachback cannot start: cannot listen there (${error.message}).`);
  else console.error(`Reachback cannot start: ${error.stack ?? error.message}`);
  process.exit(1);
});
