// Structured logging: one JSON object per line ({time, level, msg, ...fields}); debug/info go to stdout, warn/error
// to stderr. Request and job code bind requestId / jobId once with child() so every line can be traced.

import { config } from './config';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = { requestId?: string; jobId?: string; workerId?: string; [field: string]: unknown };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The configured level, read on first use; an invalid configuration must not silence the error about it. */
function configuredLevel(): LogLevel {
  try {
    return config().NEURALFIN_LOG_LEVEL;
  } catch {
    return 'info';
  }
}

/** Errors lose their message and stack under JSON.stringify; bigint throws. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function format(level: LogLevel, msg: string, fields: LogFields): string {
  const entry = { time: new Date().toISOString(), level, msg, ...fields };
  try {
    return JSON.stringify(entry, replacer);
  } catch {
    // circular structures: keep the line, drop the fields
    return JSON.stringify({ time: entry.time, level, msg, unserializableFields: true });
  }
}

export function createLogger(bindings: LogFields = {}, options: { level?: LogLevel } = {}): Logger {
  let minRank: number | null = options.level ? RANK[options.level] : null;
  const write = (level: LogLevel, msg: string, fields?: LogFields): void => {
    minRank ??= RANK[configuredLevel()];
    if (RANK[level] < minRank) return;
    const line = `${format(level, msg, { ...bindings, ...fields })}\n`;
    if (RANK[level] >= RANK.warn) process.stderr.write(line);
    else process.stdout.write(line);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...bindings, ...fields }, options),
  };
}

/** The process-wide logger. */
export const log: Logger = createLogger();
