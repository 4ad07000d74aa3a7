import { defineConfig } from 'drizzle-kit';

/**
 * The payment gateway simulator's migrations, kept apart from the order service's own:
 * `npx drizzle-kit generate --config simulators/payment-gateway/drizzle.config.ts`, from the repository root.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './simulators/payment-gateway/schema.ts',
  out: './simulators/payment-gateway/drizzle',
  schemaFilter: ['payment_gateway'],
});
