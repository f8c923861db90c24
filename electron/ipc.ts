/**
 * Main-process side of the preload's named functions. Each handler checks
 * that the call comes from the console origin and validates its arguments.
 */
import { writeFile } from 'node:fs/promises';
import { BrowserWindow, dialog, type IpcMain, type IpcMainInvokeEvent } from 'electron';
import { channels } from './ipc-channels';
import type { FileFilter, SaveResult } from './platform-api';
import { isConsoleUrl } from './window';

const maxSaveBytes = 512 * 1024 * 1024;

export class IpcArgumentError extends Error {}

function assertFileName(value: unknown): string {
  if (typeof value !== 'string' || !value || value.length > 200 || /[/\\]/.test(value))
    throw new IpcArgumentError('A plain file name is required');
  return value;
}

export function parseSaveFileArgs(args: unknown[]): { name: string; data: string | Uint8Array; filters: FileFilter[] } {
  const [name, data, filters] = args;
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw new IpcArgumentError('File data must be text or bytes');
  const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  if (size > maxSaveBytes) throw new IpcArgumentError('The file is too large to save');
  const checkedFilters = Array.isArray(filters)
    ? filters.filter(
        (f): f is FileFilter =>
          typeof f?.name === 'string' && Array.isArray(f?.extensions) && f.extensions.every((e: unknown) => typeof e === 'string'),
      )
    : [];
  return { name: assertFileName(name), data, filters: checkedFilters };
}

export function registerPlatformHandlers(ipcMain: IpcMain, consoleOrigin: () => string, version: string): void {
  const fromConsole = (event: IpcMainInvokeEvent) => {
    if (!isConsoleUrl(event.senderFrame?.url ?? '', consoleOrigin()))
      throw new Error('Refused: the call did not come from the Reachback console');
    const window = BrowserWindow.fromWebContents(event.sender);
    if (!window) throw new Error('Refused: no window for this call');
    return window;
  };

  ipcMain.handle(channels.appVersion, (event) => {
    fromConsole(event);
    return version;
  });

  ipcMain.handle(channels.saveFile, async (event, ...args): Promise<SaveResult> => {
    const window = fromConsole(event);
    const { name, data, filters } = parseSaveFileArgs(args);
    const choice = await dialog.showSaveDialog(window, { defaultPath: name, filters });
    if (choice.canceled || !choice.filePath) return { saved: false };
    await writeFile(choice.filePath, data);
    return { saved: true, path: choice.filePath };
  });

  ipcMain.handle(channels.printToPDF, async (event, ...args): Promise<SaveResult> => {
    const window = fromConsole(event);
    const name = assertFileName(args[0]);
    const choice = await dialog.showSaveDialog(window, { defaultPath: name, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    if (choice.canceled || !choice.filePath) return { saved: false };
    const pdf = await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    await writeFile(choice.filePath, pdf);
    return { saved: true, path: choice.filePath };
  });
}
