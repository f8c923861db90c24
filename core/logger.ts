/**
 * Structured logs: one JSON object per line on stderr, so an engineer can grep
 * and a log shipper can parse. Components get a child logger with their name.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(component: string): Logger;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (entry: Record<string, unknown>) => void;

export const stderrSink: LogSink = (entry) => process.stderr.write(JSON.stringify(entry) + '\n');

export function createLogger(options: { level?: LogLevel; sink?: LogSink; component?: string; now?: () => number } = {}): Logger {
  const min = order[options.level ?? 'info'];
  const sink = options.sink ?? stderrSink;
  const now = options.now ?? Date.now;
  const make = (component: string | undefined): Logger => {
    const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (order[level] < min) return;
      sink({ t: new Date(now()).toISOString(), level, ...(component ? { component } : {}), msg, ...fields });
    };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (name) => make(component ? `${component}.${name}` : name),
    };
  };
  return make(options.component);
}

/** A logger that keeps entries in memory; for tests that assert on warnings. */
export function memoryLogger(): Logger & { entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return Object.assign(createLogger({ level: 'debug', sink: (e) => entries.push(e) }), { entries });
}
