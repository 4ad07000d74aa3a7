import type { temporal } from '@temporalio/proto';
import { NON_RETRYABLE_ERROR_TYPES } from '../../domain/business-errors.js';

type Failure = temporal.api.failure.v1.IFailure;

/** A failure as the timeline shows it: a stable type, and a message that is safe to show a client. */
export interface ShownFailure {
  type: string;
  message: string;
  /** The message held back, for the log; absent when the message is shown. */
  withheld?: string;
}

/**
 * The rule: a failure's message is shown only when its type is one our own code raises with a
 * message it wrote (business failures, refused transitions, the gateway client's errors). Any
 * other type (a driver's error, say) can carry SQL text, parameters or hosts: the timeline shows its
 * type and a fixed message, and the message goes to the log. A new failure type with a message
 * meant for clients belongs on this list.
 */
// The activities' own non-retryable types (src/activities/payments.ts, data-errors.ts) word their messages themselves, with no SQL or parameters.
const TYPES_WITH_OUR_MESSAGES = new Set<string>([
  ...NON_RETRYABLE_ERROR_TYPES,
  'IllegalOrderTransition',
  'GatewayUnavailableError',
  'GatewayRequestError',
  'PaymentRequestRejected',
  'DataRejected',
]);

export const WITHHELD_MESSAGE = 'the step failed unexpectedly; its detail is in the logs';

export function shownFailure(failure: Failure): ShownFailure {
  if (failure.applicationFailureInfo) {
    const type = failure.applicationFailureInfo.type || 'Error';
    if (TYPES_WITH_OUR_MESSAGES.has(type)) return { type, message: failure.message ?? '' };
    return { type, message: WITHHELD_MESSAGE, withheld: failure.message ?? '' };
  }
  // The server writes these messages ("activity StartToClose timeout"); they name no data.
  if (failure.timeoutFailureInfo) return { type: 'Timeout', message: failure.message ?? 'timed out' };
  if (failure.canceledFailureInfo) return { type: 'Cancelled', message: 'cancelled' };
  return { type: 'Error', message: WITHHELD_MESSAGE, withheld: failure.message ?? '' };
}
