import type { HttpPhaseResult } from '../phases/http-floor.js';
import type { IntakePhaseResult } from '../phases/api-intake.js';
import type { IdleLatencyResult } from '../phases/idle-latency.js';
import type { InFlightScalingResult } from '../phases/in-flight-scaling.js';
import type { MillionReadsResult } from '../phases/million-reads.js';
import type { ClusterScaleResult } from '../phases/cluster-scale.js';
import type { OrdersPhaseResult } from '../phases/orders.js';
import type { SoakResult } from '../phases/soak.js';
import type { WorkflowPhaseResult } from '../phases/workflow-phase.js';
import type { BenchSettings } from '../settings.js';
import type { MachineInfo } from './machine.js';

/** Everything one run measured; each phase is absent when it did not run. */
export interface BenchResults {
  label: string;
  machine: MachineInfo;
  settings: Omit<BenchSettings, 'outDir'>;
  durationMs?: number;
  httpFloor?: HttpPhaseResult;
  apiIntake?: IntakePhaseResult;
  engineFloor?: WorkflowPhaseResult;
  orders?: OrdersPhaseResult;
  soak?: SoakResult;
  idleLatency?: IdleLatencyResult;
  inFlightScaling?: InFlightScalingResult;
  millionReads?: MillionReadsResult;
  clusterScale?: ClusterScaleResult;
}
