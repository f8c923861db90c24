/** The Electron shell's security settings and IPC surface, against a recording stand-in for electron. */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { channels } from './ipc-channels';
import { parseSaveFileArgs, registerPlatformHandlers } from './ipc';
import { platformFunctionNames } from './platform-api';
import type { FakeBrowserWindow } from './testing/fake-electron';
import { calls } from './testing/fake-electron';
import { createConsoleWindow, isConsoleUrl, secureWebPreferences } from './window';

const consoleUrl = 'http://127.0.0.1:45678/?key=abc';
const origin = 'http://127.0.0.1:45678';

beforeEach(() => {
  calls.windows.length = 0;
  calls.handlers.clear();
  calls.openedExternally.length = 0;
});

describe('console window', () => {
  it('runs the renderer sandboxed, isolated and without Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
    });
    const window = createConsoleWindow(consoleUrl, '/app/preload.cjs') as unknown as FakeBrowserWindow;
    expect(window.options.webPreferences).toEqual(prefs);
    expect(window.loaded).toBe(consoleUrl);
  });

  it('never navigates away from the console and opens other links outside the app', () => {
    const window = createConsoleWindow(consoleUrl, '/p.cjs') as unknown as FakeBrowserWindow;
    let prevented = false;
    window.webContents.listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://example.com/');
    expect(prevented).toBe(true);
    prevented = false;
    window.webContents.listeners.get('will-navigate')!({ preventDefault: () => (prevented = true) }, `${origin}/#/audit`);
    expect(prevented).toBe(false);
    expect(window.webContents.windowOpenHandler!({ url: 'https://docs.example.com/' })).toEqual({ action: 'deny' });
    expect(calls.openedExternally).toEqual(['https://docs.example.com/']);
  });

  it('grants the microphone to the console only, and nothing else', () => {
    const window = createConsoleWindow(consoleUrl, '/p.cjs') as unknown as FakeBrowserWindow;
    const ask = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      window.webContents.permissionHandler!(window.webContents, permission, (g: boolean) => (granted = g), { requestingUrl });
      return granted;
    };
    expect(ask('media', `${origin}/`)).toBe(true);
    expect(ask('geolocation', `${origin}/`)).toBe(false);
    expect(ask('media', 'https://evil.example/')).toBe(false);
  });

  it('recognises the console origin exactly', () => {
    expect(isConsoleUrl(`${origin}/x`, origin)).toBe(true);
    expect(isConsoleUrl('http://127.0.0.1:45679/', origin)).toBe(false);
    expect(isConsoleUrl('not a url', origin)).toBe(false);
  });
});

describe('preload', () => {
  it('exposes exactly the named platform functions and forwards them over IPC', async () => {
    await import('./preload');
    const api = calls.exposed.get('reachback')!;
    expect(Object.keys(api).sort()).toEqual(['kind', ...platformFunctionNames].sort());
    expect(Object.values(api).filter((v) => typeof v === 'function')).toHaveLength(platformFunctionNames.length);
    await (api.saveFile as (n: string, d: string) => Promise<unknown>)('a.csv', 'x');
    expect(calls.invoked.at(-1)).toEqual({ channel: channels.saveFile, args: ['a.csv', 'x', []] });
  });
});

describe('platform IPC handlers', () => {
  function setup() {
    registerPlatformHandlers(
      { handle: (c: string, l: (...a: unknown[]) => unknown) => calls.handlers.set(c, l) } as never,
      () => origin,
      '1.2.3',
    );
    const window = createConsoleWindow(consoleUrl, '/p.cjs') as unknown as FakeBrowserWindow;
    const event = (url: string) => ({ sender: window.webContents, senderFrame: { url } });
    return { event };
  }

  it('answers the console and refuses any other page', async () => {
    const { event } = setup();
    expect(await calls.handlers.get(channels.appVersion)!(event(`${origin}/`))).toBe('1.2.3');
    await expect(async () => calls.handlers.get(channels.appVersion)!(event('https://evil.example/'))).rejects.toThrow(
      /did not come from the Reachback console/,
    );
  });

  it('saves text and PDFs where the user chose', async () => {
    const { event } = setup();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rb-ipc-'));
    calls.saveDialogResult = { canceled: false, filePath: path.join(dir, 'audit.csv') };
    expect(await calls.handlers.get(channels.saveFile)!(event(`${origin}/`), 'audit.csv', '\uFEFFa,b\r\n', [])).toMatchObject({
      saved: true,
    });
    expect(readFileSync(path.join(dir, 'audit.csv'), 'utf8')).toBe('\uFEFFa,b\r\n');
    calls.saveDialogResult = { canceled: false, filePath: path.join(dir, 'report.pdf') };
    await calls.handlers.get(channels.printToPDF)!(event(`${origin}/`), 'report.pdf');
    expect(readFileSync(path.join(dir, 'report.pdf'), 'utf8')).toMatch(/^%PDF/);
    calls.saveDialogResult = { canceled: true };
    expect(await calls.handlers.get(channels.saveFile)!(event(`${origin}/`), 'x.csv', 'x', [])).toEqual({ saved: false });
  });

  it('validates arguments', () => {
    expect(() => parseSaveFileArgs(['../../etc/passwd', 'x'])).toThrow(/plain file name/);
    expect(() => parseSaveFileArgs(['a.csv', 42])).toThrow(/text or bytes/);
    expect(parseSaveFileArgs(['a.csv', new Uint8Array([1]), [{ name: 'CSV', extensions: ['csv'] }, { bad: true }]]).filters).toEqual([
      { name: 'CSV', extensions: ['csv'] },
    ]);
  });
});
