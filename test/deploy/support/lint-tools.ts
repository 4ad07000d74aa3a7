import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where scripts/install-deploy-linters.sh puts each linter. */
const CACHE = join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'temporal-order-saga');
const LOCATIONS = {
  hadolint: join(CACHE, 'hadolint-2.15.1', 'bin', 'hadolint'),
  'kube-score': join(CACHE, 'kube-score-v1.20.0', 'kube-score'),
} as const;

/**
 * The linter's path, or undefined when it is not installed: then its test is skipped, and says how
 * to install it. CI sets REQUIRE_DEPLOY_LINTERS=1 after installing them, and a missing one fails.
 */
export function deployLinter(name: keyof typeof LOCATIONS): string | undefined {
  try {
    accessSync(LOCATIONS[name], constants.X_OK);
    return LOCATIONS[name];
  } catch {
    if (process.env.REQUIRE_DEPLOY_LINTERS === '1') throw new Error(`${name} is not installed at ${LOCATIONS[name]}: run scripts/install-deploy-linters.sh`);
    return undefined;
  }
}
