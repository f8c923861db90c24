/**
 * A stand-in for the electron module in unit tests (the binary is not
 * available everywhere): records what the main process and preload ask of it.
 */
type Listener = (...args: unknown[]) => unknown;

export const calls = {
  exposed: new Map<string, Record<string, unknown>>(),
  handlers: new Map<string, Listener>(),
  invoked: [] as { channel: string; args: unknown[] }[],
  windows: [] as FakeBrowserWindow[],
  saveDialogResult: { canceled: false, filePath: '/tmp/out.file' } as { canceled: boolean; filePath?: string },
  openedExternally: [] as string[],
};

class FakeWebContents {
  readonly listeners = new Map<string, Listener>();
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  permissionHandler: Listener | null = null;
  url = '';
  session = { setPermissionRequestHandler: (h: Listener) => (this.permissionHandler = h) };
  getURL = () => this.url;
  setWindowOpenHandler(h: (details: { url: string }) => unknown) {
    this.windowOpenHandler = h;
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener);
    return this;
  }
  async printToPDF() {
    return Buffer.from('%PDF-1.7 fake');
  }
}

export class FakeBrowserWindow {
  readonly webContents = new FakeWebContents();
  loaded = '';
  constructor(readonly options: Record<string, unknown>) {
    calls.windows.push(this);
  }
  async loadURL(url: string) {
    this.loaded = url;
    this.webContents.url = url;
  }
  once() {
    return this;
  }
  on() {
    return this;
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  static fromWebContents(contents: FakeWebContents) {
    return calls.windows.find((w) => w.webContents === contents) ?? null;
  }
}

export const BrowserWindow = FakeBrowserWindow;
export const contextBridge = { exposeInMainWorld: (key: string, api: Record<string, unknown>) => calls.exposed.set(key, api) };
export const ipcRenderer = {
  invoke: async (channel: string, ...args: unknown[]) => {
    calls.invoked.push({ channel, args });
    return null;
  },
};
export const ipcMain = { handle: (channel: string, listener: Listener) => calls.handlers.set(channel, listener) };
export const dialog = {
  showSaveDialog: async () => calls.saveDialogResult,
  showMessageBox: async () => ({ response: 0 }),
  showErrorBox: () => undefined,
};
export const shell = { openExternal: async (url: string) => void calls.openedExternally.push(url) };
export const app = {};
export const Menu = { buildFromTemplate: () => ({}), setApplicationMenu: () => undefined };
