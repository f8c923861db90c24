/**
 * The desktop app: hosts the core in this process on 127.0.0.1 (random port,
 * per-launch key) and shows the console in a locked-down window. The console
 * talks to the core over the same WebSocket as in browser mode.
 */
import path from 'node:path';
import { app, dialog, ipcMain, Menu, type BrowserWindow } from 'electron';
import { startApp, type RunningApp } from '../core/server/app';
import { createLogger } from '../core/logger';
import { registerPlatformHandlers } from './ipc';
import { createConsoleWindow } from './window';

const logger = createLogger({ component: 'electron' });
let running: RunningApp | null = null;
let window: BrowserWindow | null = null;

async function launch(): Promise<void> {
  const dataDir = process.env.REACHBACK_DATA_DIR || path.join(app.getPath('userData'), 'data');
  running = await startApp({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    version: app.getVersion(),
    staticDir: path.join(__dirname, '..', 'renderer'),
    logger,
  });
  const consoleUrl = running.http.consoleUrl;
  const origin = new URL(consoleUrl).origin;
  registerPlatformHandlers(ipcMain, () => origin, app.getVersion());
  Menu.setApplicationMenu(null);
  window = createConsoleWindow(consoleUrl, path.join(__dirname, 'preload.cjs'), path.join(__dirname, '..', 'renderer', 'icon.png'));
  window.on('closed', () => (window = null));
  console.log(`Reachback console: ${consoleUrl}`);
  if (running.core.initialAdmin) {
    const { username, password } = running.core.initialAdmin;
    await dialog.showMessageBox(window, {
      type: 'info',
      title: 'Reachback: first start',
      message: 'An administrator account was created.',
      detail: `Username: ${username}\nOne-time password: ${password}\n\nWrite it down: it is shown only now. You will choose your own password at first sign-in.`,
      buttons: ['I have noted it'],
    });
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!running) return;
    event.preventDefault();
    const stopping = running;
    running = null;
    stopping.stop().finally(() => app.exit(0));
  });
  app
    .whenReady()
    .then(launch)
    .catch((error: Error) => {
      logger.error('electron failed to start', { error: error.message });
      dialog.showErrorBox('Reachback cannot start', error.message);
      app.exit(1);
    });
}
