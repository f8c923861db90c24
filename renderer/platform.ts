/**
 * What the console may ask of the machine it runs on. Inside Electron the
 * preload exposes `window.reachback`; in a plain browser we fall back to a
 * Blob download and the browser's own print dialog.
 */
import type { FileFilter, ReachbackPlatform, SaveResult } from '../electron/platform-api';

declare global {
  interface Window {
    reachback?: ReachbackPlatform;
  }
}

export interface Platform {
  readonly kind: 'electron' | 'browser';
  /** Desktop app version, or null in a browser. */
  appVersion(): Promise<string | null>;
  saveFile(suggestedName: string, data: string | Uint8Array, filters?: FileFilter[]): Promise<SaveResult>;
  printToPDF(suggestedName: string): Promise<SaveResult>;
}

const mimeByExtension: Record<string, string> = {
  csv: 'text/csv;charset=utf-8',
  json: 'application/json;charset=utf-8',
  txt: 'text/plain;charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function mimeFor(name: string): string {
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  return mimeByExtension[extension] ?? 'application/octet-stream';
}

const browserPlatform: Platform = {
  kind: 'browser',
  appVersion: () => Promise.resolve(null),
  saveFile(suggestedName, data) {
    // Copy binary data so the Blob gets a plain ArrayBuffer-backed view.
    const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
    const url = URL.createObjectURL(new Blob([part], { type: mimeFor(suggestedName) }));
    const link = document.createElement('a');
    link.href = url;
    link.download = suggestedName;
    link.style.display = 'none';
    document.body.appendChild(link);
    link.click();
    link.remove();
    // Revoking right away can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return Promise.resolve({ saved: true });
  },
  printToPDF() {
    // The browser's print dialog offers "Save as PDF"; we cannot know whether the user saved.
    window.print();
    return Promise.resolve({ saved: false });
  },
};

function electronPlatform(bridge: ReachbackPlatform): Platform {
  return {
    kind: 'electron',
    appVersion: () => bridge.appVersion(),
    saveFile: (name, data, filters) => bridge.saveFile(name, data, filters),
    printToPDF: (name) => bridge.printToPDF(name),
  };
}

export const platform: Platform = window.reachback ? electronPlatform(window.reachback) : browserPlatform;
