import type { Experiment } from '../run/experiment.js';
import { apiKill } from './api-kill.js';
import { cancelRace, duplicateStorm, lastUnit } from './client-storms.js';
import { dbOutage } from './db-outage.js';
import { gatewayFlap, gatewaySlow, lostChargeResponse } from './gateway-faults.js';
import { temporalRestart } from './temporal-restart.js';
import { workerKill, workerKillOfTwo } from './worker-kill.js';

/** Every experiment, in the order `npm run chaos` runs them. */
export const EXPERIMENTS: readonly Experiment[] = [
  workerKill,
  workerKillOfTwo,
  apiKill,
  temporalRestart,
  dbOutage,
  gatewayFlap,
  gatewaySlow,
  lostChargeResponse,
  duplicateStorm,
  lastUnit,
  cancelRace,
];

/** `worker-kill` names both of its variants (`worker-kill` and `worker-kill:two-workers`). */
export function experimentsNamed(name: string): Experiment[] {
  return EXPERIMENTS.filter((experiment) => experiment.name === name || experiment.name.startsWith(`${name}:`));
}
