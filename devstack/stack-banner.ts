import { relative } from 'node:path';
import { DEMO_CUSTOMER_ID } from './dev-secrets.js';
import type { DevStack } from './dev-stack.js';
import { REPO_ROOT } from './repo-root.js';
import { stuckOrdersUrl } from './stuck-orders-link.js';

export type BannerFacts = Pick<DevStack, 'urls' | 'embeddedPostgresDir' | 'secrets' | 'dataDir' | 'payloadsEncrypted'>;

/**
 * What `npm start` and `npm run cluster` print once everything answers: the URLs, the dev tokens,
 * a first order to place. `extraRows` follow the URLs (the cluster's replicas).
 */
export function stackBanner(
  { urls, embeddedPostgresDir, secrets, dataDir, payloadsEncrypted }: BannerFacts,
  extraRows: [string, string][] = [],
  title = 'The order saga is running.',
): string {
  const order = JSON.stringify({ items: [{ sku: 'KBD-001', quantity: 1 }] });
  const rows: [string, string][] = [
    ['API', `${urls.api}   (docs: ${urls.api}/docs)`],
    ['Temporal Web UI', urls.temporalUi],
    ['Temporal frontend', urls.temporalAddress],
    ['Payment gateway', urls.payments],
    ['API metrics', urls.apiMetrics],
    ['Worker metrics', urls.metrics],
    ['SDK metrics', urls.sdkMetrics],
    ['DATABASE_URL', `${urls.database}${embeddedPostgresDir ? `   (embedded, data in ${relative(REPO_ROOT, embeddedPostgresDir)})` : ''}`],
    ...extraRows,
  ];
  const line = '─'.repeat(78);
  return [
    line,
    ` ${title}`,
    '',
    ...rows.map(([name, value]) => `   ${name.padEnd(18)} ${value}`),
    '',
    ` Dev tokens (development only; kept in ${relative(REPO_ROOT, dataDir)}/dev-secrets.json):`,
    `   admin                 ${secrets.adminToken}`,
    `   customer ${DEMO_CUSTOMER_ID.padEnd(12)} ${secrets.customerToken}`,
    '',
    ' Place an order as the demo customer:',
    `   export TOKEN=${secrets.customerToken}`,
    `   curl -si -X POST ${urls.api}/orders -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `     -H "Idempotency-Key: $(date +%s)" -d '${order}'`,
    ' Follow it (the id is in the Location header):',
    `   curl -s ${urls.api}/orders/<id> -H "Authorization: Bearer $TOKEN"`,
    ' A guided tour of the order flows, against this stack:  npm run demo',
    ' Orders stuck short of a final status, started over a minute before now, in the Web UI:',
    `   ${stuckOrdersUrl(urls.temporalUi, 'default')}`,
    ' SQL:  npm run db:psql',
    ...(payloadsEncrypted
      ? [
          ` Payloads are encrypted (dev key in ${relative(REPO_ROOT, dataDir)}/payload-keys). Read them decoded, with the admin token:`,
          `   "$(npm run -s temporal:cli)" workflow show -w order-<id> --codec-endpoint ${urls.api}/codec --codec-auth 'Bearer ${secrets.adminToken}'`,
        ]
      : []),
    '',
    ' Ctrl-C stops everything (a second Ctrl-C kills it at once).',
    line,
  ].join('\n');
}
