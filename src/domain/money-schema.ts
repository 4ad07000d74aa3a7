import { z } from 'zod';
import type { Money } from './money.js';

/** Validation of money where it enters: the API's bodies and the catalogue. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
export const minorUnitsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const moneySchema = z.object({ amount: minorUnitsSchema, currency: currencySchema }) satisfies z.ZodType<Money>;
