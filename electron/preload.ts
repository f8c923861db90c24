/** Exposes exactly the named platform functions to the console; nothing of Node or Electron leaks through. */
import { contextBridge, ipcRenderer } from 'electron';
import { channels } from './ipc-channels';
import type { FileFilter, ReachbackPlatform, SaveResult } from './platform-api';

const platform: ReachbackPlatform = {
  kind: 'electron',
  appVersion: () => ipcRenderer.invoke(channels.appVersion) as Promise<string>,
  saveFile: (suggestedName: string, data: string | Uint8Array, filters?: FileFilter[]) =>
    ipcRenderer.invoke(channels.saveFile, suggestedName, data, filters ?? []) as Promise<SaveResult>,
  printToPDF: (suggestedName: string) => ipcRenderer.invoke(channels.printToPDF, suggestedName) as Promise<SaveResult>,
};

contextBridge.exposeInMainWorld('reachback', platform as unknown as Record<string, unknown>);
