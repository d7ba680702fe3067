import pino, { type Logger, type LoggerOptions } from 'pino';
import { censorLogValue, REDACTED_PATHS, REDACTED_ERROR_PATHS, REDACTED_URL_PATHS } from './redaction';

export interface LoggerSettings {
  /** Service name, added to every line as `service`. */
  service: string;
  /** Minimum level; default `info`. */
  level?: string;
  /** Human-readable output through pino-pretty (development only); default false. */
  pretty?: boolean;
}

/** pino options shared by the plain logger and nestjs-pino's HTTP logger. */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    redact: { paths: [...REDACTED_PATHS, ...REDACTED_URL_PATHS, ...REDACTED_ERROR_PATHS], censor: censorLogValue },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    transport: settings.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  };
}

export function createLogger(settings: LoggerSettings): Logger {
  return pino(loggerOptions(settings));
}

export type { Logger } from 'pino';
