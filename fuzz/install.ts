/** `.ci/run`'s install step: schemathesis, pinned, into its virtual environment in the per-user cache (a no-op once there). */
import { ensureSchemathesis } from './schemathesis.js';

process.stdout.write(`${ensureSchemathesis((message) => process.stdout.write(`${message}\n`))}\n`);
