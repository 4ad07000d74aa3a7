import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Logger } from '../platform/logger.js';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sends the SDK's logs (runtime, core, workflow `log`, activity `log`) into the process's pino
 * logger, keeping the metadata the SDK attaches: workflowId, runId, activityType, attempt, and
 * the orderId and requestId that the order-context interceptors add.
 */
export function temporalLoggerFor(logger: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => logger[PINO_LEVEL[level]]({ ...meta }, message);
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}

export interface RuntimeSettings {
  logger: Logger;
  /**
   * host:port for the SDK's own Prometheus exporter (SDK_METRICS_PORT, 9465 by default), beside
   * the worker's prom-client metrics on METRICS_PORT (9464). Omitted means no SDK metrics.
   */
  sdkMetricsAddress?: string;
}

/**
 * Must run once per process, before the first connection or worker.
 *
 * The SDK's core metrics (`temporal_workflow_completed_total`, `temporal_activity_execution_failed_total`,
 * `temporal_worker_task_slots_available`, `temporal_activity_execution_latency_seconds`, ...) are
 * exported in Prometheus' own conventions, as our metrics are: counters end in `_total` and
 * durations are in seconds, with the unit in the name.
 */
export function installRuntime({ logger, sdkMetricsAddress }: RuntimeSettings): void {
  Runtime.install({
    logger: temporalLoggerFor(logger),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      ...(sdkMetricsAddress
        ? { metrics: { prometheus: { bindAddress: sdkMetricsAddress, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } } }
        : {}),
    },
  });
}
