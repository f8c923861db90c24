import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultDataDir, isLoopback, parseServerArgs } from './config';

describe('server config', () => {
  it('defaults to loopback and the platform data dir', () => {
    const c = parseServerArgs([], { HOME: '/home/op' });
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8470);
    expect(c.dataDir).toBe(defaultDataDir({ HOME: '/home/op' }));
  });

  it('takes flags over environment', () => {
    const env = { REACHBACK_PORT: '9000', REACHBACK_HOST: '127.0.0.2', REACHBACK_DATA_DIR: '/srv/env' };
    expect(parseServerArgs([], env)).toMatchObject({ port: 9000, host: '127.0.0.2', dataDir: '/srv/env' });
    expect(parseServerArgs(['--port', '9100', '--host=0.0.0.0', '--data-dir', 'rel'], env)).toMatchObject({
      port: 9100,
      host: '0.0.0.0',
      dataDir: path.resolve('rel'),
    });
  });

  it('explains bad flags', () => {
    expect(() => parseServerArgs(['--port', 'eighty'], {})).toThrow(ConfigError);
    expect(() => parseServerArgs(['--port', '70000'], {})).toThrow(/0 to 65535/);
    expect(() => parseServerArgs(['--data-dir'], {})).toThrow(/needs a value/);
    expect(() => parseServerArgs(['--verbose'], {})).toThrow(/Unknown option --verbose/);
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
  });

  it('uses the XDG, Windows and macOS conventions', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/reachback');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'win32')).toContain('Reachback');
  });
});
