import { Context } from '@temporalio/activity';
import type { Logger } from '../platform/logger.js';

type Fields = Record<string, unknown>;

/** A business log line from an activity, in the SDK logger's argument order: message, then fields. */
export interface ActivityLog {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
}

function currentActivityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

const silent: ActivityLog = { info: () => {}, warn: () => {} };

/**
 * Inside a running activity, the SDK's activity logger: the worker's runtime routes it into the
 * process's pino logger with workflowId, runId, activityType, attempt, orderId and requestId
 * attached. Outside one (an activity function called directly, as unit tests do), the injected
 * logger if there is one, else nothing.
 */
export function activityLog(fallback?: Logger): ActivityLog {
  const context = currentActivityContext();
  if (context) {
    return {
      info: (message, fields) => {
        context.log.info(message, fields);
      },
      warn: (message, fields) => {
        context.log.warn(message, fields);
      },
    };
  }
  if (!fallback) return silent;
  return {
    info: (message, fields) => {
      fallback.info(fields ?? {}, message);
    },
    warn: (message, fields) => {
      fallback.warn(fields ?? {}, message);
    },
  };
}
