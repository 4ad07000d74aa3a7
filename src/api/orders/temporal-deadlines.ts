import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';

/**
 * Every Temporal call a request makes runs under a deadline tied to that request: with no worker
 * polling, or a server that does not answer, a call would otherwise wait without end, and so would
 * the client. A timed-out call throws; each caller decides what that means for its answer.
 */
export interface TemporalDeadlines {
  /** A plain start, a describe, a history read: one round trip to the server. */
  callMs: number;
  /** `Prefer: wait=N` answers within N seconds plus this margin, whether or not a worker answers. */
  waitMarginMs: number;
  /** How long a cancel waits for the workflow to accept its Update (a worker must run its validator). */
  cancelAcceptMs: number;
  /** How long an accepted cancel waits for the saga to settle before answering 202 instead of 200. */
  cancelSettleMs: number;
}

export const DEFAULT_TEMPORAL_DEADLINES: TemporalDeadlines = {
  callMs: 5_000,
  waitMarginMs: 1_000,
  cancelAcceptMs: 5_000,
  cancelSettleMs: 5_000,
};

/** The gRPC status codes this module reads (grpc/status.proto); @grpc/grpc-js is not a direct dependency. */
export const GrpcStatus = { CANCELLED: 1, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNAUTHENTICATED: 16 } as const;

/** Runs `fn`'s Temporal calls with a deadline `ms` from now. */
export function withinDeadline<R>(temporal: Client, ms: number, fn: () => Promise<R>): Promise<R> {
  return temporal.withDeadline(Date.now() + ms, fn);
}

/** The gRPC status code behind a client error, looking through the SDK's wrappers; undefined when there is none. */
export function grpcStatusOf(error: unknown): number | undefined {
  for (let e = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/** The call ran out of its deadline (or was cancelled): the server may or may not have acted on it. */
export function isTimedOut(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = grpcStatusOf(error);
  return code === GrpcStatus.DEADLINE_EXCEEDED || code === GrpcStatus.CANCELLED;
}
