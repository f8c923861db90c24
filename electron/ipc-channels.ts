/** IPC channel names shared by the preload and the main process. */
export const channels = {
  appVersion: 'platform:app-version',
  saveFile: 'platform:save-file',
  printToPDF: 'platform:print-to-pdf',
} as const;
