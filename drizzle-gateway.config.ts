import { defineConfig } from 'drizzle-kit';

/** The payment gateway simulator's migrations, kept apart from the order service's own. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/payment-gateway/schema.ts',
  out: './drizzle/payment-gateway',
  schemaFilter: ['payment_gateway'],
});
