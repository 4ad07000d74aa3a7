import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';

/** One statement a read sent, and how PostgreSQL ran it. */
export interface StatementPlan {
  statement: string;
  parameters: unknown[];
  /** EXPLAIN (ANALYZE, BUFFERS): the plan chosen for these parameters, and what it did. */
  analyzed: string;
  /** EXPLAIN (GENERIC_PLAN): the plan a prepared statement may switch to after five executions. */
  generic: string;
  /** Tables of ours read by a sequential scan in either plan. */
  seqScans: string[];
}

const TABLES = ['orders', 'order_items'];

/**
 * Runs `read` (the API's own read function) on a connection that records every statement it
 * sends, then asks PostgreSQL to EXPLAIN each: so the plans are those of the SQL the API sends,
 * not of a copy of it written here.
 */
export async function planOf(url: string, read: (db: Database) => Promise<unknown>): Promise<StatementPlan[]> {
  const sent: { statement: string; parameters: unknown[] }[] = [];
  const recording = postgres(url, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, statement, parameters) => sent.push({ statement, parameters: [...(parameters as unknown[])] }),
  });
  try {
    await read(drizzle(recording, { schema }));
    const plans: StatementPlan[] = [];
    // Taken out first: the EXPLAINs below are recorded too.
    // Taken out first: the EXPLAINs below are recorded too. The driver's own catalogue queries are not the read's.
    for (const { statement, parameters } of sent.splice(0).filter((entry) => /"(orders|order_items)"/.test(entry.statement))) {
      const explain = async (options: string, values: unknown[]) =>
        (await recording.unsafe(`EXPLAIN (${options}) ${statement}`, values as postgres.ParameterOrJSON<never>[], { prepare: false }))
          .map((row) => String(row['QUERY PLAN']))
          .join('\n');
      const analyzed = await explain('ANALYZE, BUFFERS', parameters);
      const generic = await explain('GENERIC_PLAN', []);
      const seqScans = TABLES.filter((table) => new RegExp(`Seq Scan on ${table}\\b`).test(`${analyzed}\n${generic}`));
      plans.push({ statement, parameters, analyzed, generic, seqScans });
    }
    return plans;
  } finally {
    await recording.end({ timeout: 5 });
  }
}
