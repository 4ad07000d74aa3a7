import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Fields that must never reach a log line. Payment tokens stand in for cards, so they are
 * treated as secrets wherever they appear; so are credentials (API keys, passwords, a Temporal
 * activity's task token, which completes the activity).
 */
export const REDACTED_PATHS = [
  'paymentToken',
  '*.paymentToken',
  '*.*.paymentToken',
  'token',
  '*.token',
  'taskToken',
  '*.taskToken',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerSettings {
  name: string;
  level?: string;
  /** Pretty output for people at a terminal; JSON lines otherwise. Defaults to stdout being a TTY. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger({ name, level = 'info', pretty = process.stdout.isTTY === true, destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  if (destination) return pino(options, destination);
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options);
}
