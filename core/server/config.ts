/** Where the headless server listens and keeps its data: flags first, then environment, then defaults. */
import os from 'node:os';
import path from 'node:path';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  open: boolean;
}

export const defaultPort = 8470;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Reachback');
  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Reachback');
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'reachback');
}

export class ConfigError extends Error {}

export const usage = `Usage: reachback-serve [--host ADDRESS] [--port N] [--data-dir DIR] [--open]

  --host      address to listen on (env REACHBACK_HOST; default 127.0.0.1).
              Anything other than a loopback address exposes the console and the network API to the network.
  --port      TCP port (env REACHBACK_PORT; default ${defaultPort}; 0 picks a free one)
  --data-dir  where the database lives (env REACHBACK_DATA_DIR; default ${defaultDataDir()})
  --open      open the console in Chromium's app mode when a display is available`;

export function parseServerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config: ServerConfig = {
    host: env.REACHBACK_HOST || '127.0.0.1',
    port: env.REACHBACK_PORT ? Number(env.REACHBACK_PORT) : defaultPort,
    dataDir: env.REACHBACK_DATA_DIR || defaultDataDir(env),
    open: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new ConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--host':
        config.host = value();
        break;
      case '--port':
        config.port = Number(value());
        break;
      case '--data-dir':
        config.dataDir = value();
        break;
      case '--open':
        config.open = true;
        break;
      default:
        throw new ConfigError(`Unknown option ${arg}`);
    }
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535)
    throw new ConfigError(`The port must be a whole number from 0 to 65535`);
  config.dataDir = path.resolve(config.dataDir);
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
