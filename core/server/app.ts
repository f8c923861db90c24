/** Starts the whole core (store, services, HTTP/WebSocket) and stops it cleanly. */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { startCore, type Core } from './core';
import { startHttpServer, type RunningServer } from './http-server';
import { tuneV8ForCore } from './v8-tuning';

export interface AppOptions {
  dataDir: string;
  host: string;
  port: number;
  version: string;
  staticDir?: string;
  launchKey?: string;
  clock?: Clock;
  logger?: Logger;
  networkToken?: string;
  strictStore?: boolean;
}

export interface RunningApp {
  core: Core;
  http: RunningServer;
  stop(options?: { snapshot?: boolean }): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  tuneV8ForCore();
  const core = await startCore(options);
  let http: RunningServer;
  try {
    http = await startHttpServer(core, options);
  } catch (error) {
    await core.close();
    throw error;
  }
  let stopping: Promise<void> | null = null;
  return {
    core,
    http,
    stop: (stopOptions) => {
      stopping ??= (async () => {
        await http.close();
        await core.close(stopOptions);
      })();
      return stopping;
    },
  };
}
