import { ApplicationFailure } from '@temporalio/common';
import type { BusinessErrorType } from '../domain/business-errors.js';
import { formatMoney, type Money } from '../domain/money.js';

export interface ScreenForFraudInput {
  orderId: string;
  customerId: string;
  total: Money;
}

export interface FraudScreenSettings {
  /** The largest total, in minor units, that is charged without a review. */
  reviewLimit: number;
}

const FRAUD_SUSPECTED: BusinessErrorType = 'FraudSuspected';

export function createFraudActivities({ reviewLimit }: FraudScreenSettings) {
  /**
   * Screens an order before its card is charged. A total above the review limit is a business
   * failure: retrying cannot change the answer, and the saga releases the stock it holds.
   */
  async function screenForFraud({ orderId, total }: ScreenForFraudInput): Promise<void> {
    if (total.amount > reviewLimit) {
      const limit = { amount: reviewLimit, currency: total.currency };
      throw ApplicationFailure.nonRetryable(`Order ${orderId} totals ${formatMoney(total)}, above the fraud review limit of ${formatMoney(limit)}`, FRAUD_SUSPECTED, {
        total,
        reviewLimit,
      });
    }
  }

  return { screenForFraud };
}
