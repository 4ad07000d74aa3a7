import { ensureTemporalCli } from '../devstack/temporal-cli.js';

// Finds the Temporal CLI, or builds it once into the per-user cache, and prints its path.
const path = await ensureTemporalCli(process.env);
console.log(path);
