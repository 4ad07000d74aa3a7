import { ApplicationFailure } from '@temporalio/common';

/** The failure type of a step whose data PostgreSQL refuses: the same data is refused on every attempt. */
export const DATA_REJECTED = 'DataRejected';

/** drizzle wraps the driver's error in a DrizzleQueryError, so PostgreSQL's code is on its cause. */
export function postgresCodeOf(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const found = typeof code === 'string' ? code : cause?.code;
  return typeof found === 'string' && /^[0-9A-Z]{5}$/.test(found) ? found : undefined;
}

/**
 * SQLSTATE class 22 (data exception: a NUL byte in text, a number out of range) and class 23
 * (integrity constraint violation) say the data itself is wrong. An activity handles the
 * conflicts it expects (an unknown SKU's 23503 is InvalidOrder) before the error gets here.
 */
function isDataError(sqlState: string): boolean {
  return sqlState.startsWith('22') || sqlState.startsWith('23');
}

/**
 * Turns a data error from PostgreSQL into a non-retryable DataRejected failure, so the step fails
 * instead of retrying forever. The message names the SQLSTATE only: the driver's error carries the
 * SQL text and the parameters, which must not reach the workflow's history.
 */
export function rejectedDataFailure(error: unknown, activity: string): ApplicationFailure | undefined {
  const sqlState = postgresCodeOf(error);
  if (!sqlState || !isDataError(sqlState)) return undefined;
  return ApplicationFailure.nonRetryable(`${activity}: PostgreSQL refused the data (SQLSTATE ${sqlState})`, DATA_REJECTED, { sqlState });
}

type Activity = (...args: never[]) => Promise<unknown>;

/** Every activity of `activities`, with a data error from PostgreSQL made non-retryable; anything else passes as it is. */
export function rejectingBadData<T extends Record<string, Activity>>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (error) {
        throw rejectedDataFailure(error, name) ?? error;
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
