/**
 * The subset of Electron's API this app uses. The electron package is an
 * optional dependency (its binary cannot be downloaded everywhere), so the
 * shell is type-checked against this declaration when the package is absent;
 * where it is installed, its own types take precedence.
 */
declare module 'electron' {
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    spellcheck?: boolean;
  }
  interface BrowserWindowConstructorOptions {
    width?: number;
    height?: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    icon?: string;
    backgroundColor?: string;
    autoHideMenuBar?: boolean;
    webPreferences?: WebPreferences;
  }
  interface Event {
    preventDefault(): void;
  }
  interface PrintToPDFOptions {
    printBackground?: boolean;
    landscape?: boolean;
    pageSize?: string;
  }
  interface PermissionRequestHandler {
    (webContents: WebContents, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }): void;
  }
  interface Session {
    setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  }
  interface WebContents {
    session: Session;
    getURL(): string;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
    on(event: 'will-navigate', listener: (event: Event, url: string) => void): this;
    printToPDF(options: PrintToPDFOptions): Promise<Buffer>;
  }
  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions);
    webContents: WebContents;
    loadURL(url: string): Promise<void>;
    show(): void;
    focus(): void;
    restore(): void;
    isMinimized(): boolean;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
    static fromWebContents(webContents: WebContents): BrowserWindow | null;
  }
  interface IpcMainInvokeEvent {
    sender: WebContents;
    senderFrame: { url: string } | null;
  }
  interface IpcMain {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  }
  interface IpcRenderer {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  }
  interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: Record<string, unknown>): void;
  }
  interface SaveDialogOptions {
    title?: string;
    defaultPath?: string;
    filters?: { name: string; extensions: string[] }[];
  }
  interface MessageBoxOptions {
    type?: 'none' | 'info' | 'error' | 'question' | 'warning';
    title?: string;
    message: string;
    detail?: string;
    buttons?: string[];
  }
  interface Dialog {
    showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
    showMessageBox(window: BrowserWindow | null, options: MessageBoxOptions): Promise<{ response: number }>;
    showErrorBox(title: string, content: string): void;
  }
  interface App {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'before-quit' | 'second-instance' | 'activate', listener: (event: Event) => void): this;
    quit(): void;
    exit(code?: number): void;
    getVersion(): string;
    getPath(name: 'userData' | 'documents' | 'downloads'): string;
    requestSingleInstanceLock(): boolean;
  }
  interface MenuItemConstructorOptions {
    label?: string;
    role?: string;
    type?: 'separator' | 'normal';
    submenu?: MenuItemConstructorOptions[];
    click?: () => void;
  }
  class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }
  interface Shell {
    openExternal(url: string): Promise<void>;
  }
  export const app: App;
  export const ipcMain: IpcMain;
  export const ipcRenderer: IpcRenderer;
  export const contextBridge: ContextBridge;
  export const dialog: Dialog;
  export const shell: Shell;
  export { BrowserWindow, Menu };
  export type { BrowserWindowConstructorOptions, IpcMain, IpcMainInvokeEvent, WebContents, WebPreferences };
}
