/**
 * The named functions the preload exposes to the console as `window.reachback`.
 * Type-only, shared by electron/preload.ts and renderer/platform.ts.
 */
export interface SaveResult {
  saved: boolean;
  path?: string;
}

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface ReachbackPlatform {
  /** 'electron' inside the desktop app; the browser fallback reports 'browser'. */
  readonly kind: 'electron';
  appVersion(): Promise<string>;
  /** Asks where to save, then writes the data. Text is written as UTF-8. */
  saveFile(suggestedName: string, data: string | Uint8Array, filters?: FileFilter[]): Promise<SaveResult>;
  /** Prints the current page to a PDF file chosen by the user. */
  printToPDF(suggestedName: string): Promise<SaveResult>;
}

export const platformFunctionNames = ['appVersion', 'saveFile', 'printToPDF'] as const;
