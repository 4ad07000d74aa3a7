import { ensureTemporalServerBinaries } from '../devstack/temporal-server-build.js';

// Finds temporal-server, temporal-sql-tool and the UI server in the per-user cache, or builds them once, and prints where.
const binaries = await ensureTemporalServerBinaries(process.env);
for (const [name, path] of Object.entries(binaries)) console.log(`${name.padEnd(10)} ${path}`);
