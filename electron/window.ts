/** The console window: locked down, loading only the core's own console origin. */
import { BrowserWindow, shell, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';

/** The renderer gets no Node and no Electron: only the preload's named functions. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
  };
}

export function windowOptions(preload: string, icon?: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Reachback',
    icon,
    backgroundColor: '#0f1720',
    webPreferences: secureWebPreferences(preload),
  };
}

/** Only the console's own origin may be shown in the window. */
export function isConsoleUrl(url: string, consoleOrigin: string): boolean {
  try {
    return new URL(url).origin === consoleOrigin;
  } catch {
    return false;
  }
}

/** The softphone needs the microphone; nothing else is ever granted. */
export const grantedPermissions = new Set(['media']);

export function createConsoleWindow(consoleUrl: string, preload: string, icon?: string): BrowserWindow {
  const origin = new URL(consoleUrl).origin;
  const window = new BrowserWindow(windowOptions(preload, icon));
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to elsewhere open in the user's browser, never inside the app.
    if (/^https?:/.test(url) && !isConsoleUrl(url, origin)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isConsoleUrl(url, origin)) event.preventDefault();
  });
  window.webContents.session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(grantedPermissions.has(permission) && isConsoleUrl(details.requestingUrl ?? '', origin));
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(consoleUrl);
  return window;
}
