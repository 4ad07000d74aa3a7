import type { FailureReason } from './order-status.js';

/**
 * Business failures: retrying cannot help, so activities raise them as non-retryable
 * ApplicationFailures of these types, and the workflow maps them to a failure reason.
 */
export const BUSINESS_ERROR_TYPES = {
  OutOfStock: 'OUT_OF_STOCK',
  PaymentDeclined: 'PAYMENT_DECLINED',
  InvalidOrder: 'INVALID_ORDER',
  FraudSuspected: 'FRAUD_SUSPECTED',
} as const satisfies Record<string, FailureReason>;

export type BusinessErrorType = keyof typeof BUSINESS_ERROR_TYPES;

export const NON_RETRYABLE_ERROR_TYPES = Object.keys(BUSINESS_ERROR_TYPES) as BusinessErrorType[];

export function isBusinessErrorType(type: string | undefined | null): type is BusinessErrorType {
  return type != null && Object.hasOwn(BUSINESS_ERROR_TYPES, type);
}
