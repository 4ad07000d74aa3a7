import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirPath } from '../devstack/dev-stack.js';
import { connectDatabase } from '../src/db/client.js';
import { DEMO_CATALOGUE } from '../src/db/seed.js';
import { orderDataConverter, payloadCodecFromConfig } from '../src/platform/codec/index.js';
import { EMBEDDED_DATABASE_URL, type Env } from '../src/platform/config.js';
import { connectClient, temporalSettings } from '../src/platform/temporal-connection.js';
import { checkInvariants, simulatorLedger } from './invariants/index.js';

/**
 * `npm run chaos -- check`: the invariant checker against a running stack, the `npm start` one by
 * default: DATABASE_URL (the embedded one unset), GATEWAY_DATABASE_URL for the gateway's ledger
 * (the same database unset: the simulator keeps its own schema there), TEMPORAL_ADDRESS and the
 * SDK's envconfig, and PAYLOAD_KEYS (else the dev key in .data/payload-keys) to read results.
 * Initial stock comes from `--initial-stock file.json` ({"SKU": units}); on the embedded default the
 * demo catalogue's seed is assumed. Returns the exit code: 1 when anything is broken.
 */
export async function runCheckCommand({ env, initialStockFile, say }: { env: Env; initialStockFile?: string; say: (line: string) => void }): Promise<number> {
  const databaseUrl = env.DATABASE_URL || EMBEDDED_DATABASE_URL;
  const devKeys = join(dataDirPath(), 'payload-keys');
  const payloadKeys = env.PAYLOAD_KEYS ?? (existsSync(devKeys) ? readFileSync(devKeys, 'utf8').trim() : undefined);
  const codec = payloadCodecFromConfig({ PAYLOAD_KEYS: payloadKeys, PAYLOAD_ENCRYPTION: env.PAYLOAD_ENCRYPTION === 'off' || !payloadKeys ? 'off' : 'on' });
  const initialStock = initialStockFile
    ? (JSON.parse(readFileSync(initialStockFile, 'utf8')) as Record<string, number>)
    : databaseUrl === EMBEDDED_DATABASE_URL
      ? Object.fromEntries(DEMO_CATALOGUE.map((p) => [p.sku, p.stockAvailable]))
      : undefined;
  const database = connectDatabase(databaseUrl, { poolSize: 4 });
  const gatewayDatabase = env.GATEWAY_DATABASE_URL ? connectDatabase(env.GATEWAY_DATABASE_URL, { poolSize: 2 }) : database;
  const settings = temporalSettings(env);
  const temporal = await connectClient(settings, { dataConverter: orderDataConverter(codec) });
  try {
    say(
      `checking ${databaseUrl.replace(/\/\/[^@]*@/, '//')} and Temporal at ${settings.connectionOptions.address}${initialStock ? '' : ' (no initial stock: the stock sum is skipped)'}`,
    );
    const { violations, checked } = await checkInvariants({ db: database.db, ledger: simulatorLedger(gatewayDatabase.db), temporal, initialStock });
    say(`checked ${checked.orders} orders and ${checked.workflows} order workflows: ${violations.length} violations`);
    for (const v of violations) process.stdout.write(`${v.group}/${v.rule} ${v.orderId ?? v.sku ?? ''}: ${v.detail}\n`);
    return violations.length === 0 ? 0 : 1;
  } finally {
    await temporal.connection.close();
    await database.close();
    if (gatewayDatabase !== database) await gatewayDatabase.close();
  }
}
