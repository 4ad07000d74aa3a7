/**
 * Orders above 5,000.00 (in the order's currency) go to a person before any card is charged.
 * The one default: the worker's FRAUD_REVIEW_LIMIT_MINOR falls back to it, and the activities take the configured value.
 */
export const DEFAULT_FRAUD_REVIEW_LIMIT = 500_000;
