import { defineConfig } from 'drizzle-kit';
import { EMBEDDED_DATABASE_URL } from './src/platform/config.js';

// drizzle-kit is an entry point of its own: `generate` needs no database, `studio` and `push` use this URL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? EMBEDDED_DATABASE_URL },
});
