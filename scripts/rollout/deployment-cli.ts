import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A version's drainage as `describe-version` reports it: unspecified while current, then draining, then drained. */
export type DrainageStatus = 'unspecified' | 'draining' | 'drained';

export interface VersionDescription {
  buildId: string;
  drainageStatus: DrainageStatus;
  /** The task queues whose pollers registered this version. */
  taskQueues: string[];
}

/**
 * The operator's side of a rollout, done with the real `temporal worker deployment` commands, as
 * someone deploying would type them: SDK 1.24 has no deployment client, and the CLI is what a
 * runbook names. Connection flags beyond the address come from the CLI's own environment
 * (TEMPORAL_TLS*, TEMPORAL_API_KEY, a profile), which it reads itself.
 */
export class DeploymentCli {
  constructor(
    private readonly cliPath: string,
    private readonly address: string,
    private readonly namespace: string,
  ) {}

  private async temporal(args: string[]): Promise<string> {
    const { stdout } = await run(this.cliPath, [...args, '--address', this.address, '--namespace', this.namespace], { env: process.env });
    return stdout;
  }

  /** `--yes`: the CLI asks for confirmation otherwise, and a script has no one to ask. */
  async setCurrentVersion(deploymentName: string, buildId: string): Promise<void> {
    await this.temporal(['worker', 'deployment', 'set-current-version', '--deployment-name', deploymentName, '--build-id', buildId, '--yes']);
  }

  async describeVersion(deploymentName: string, buildId: string): Promise<VersionDescription> {
    const out = await this.temporal(['worker', 'deployment', 'describe-version', '--deployment-name', deploymentName, '--build-id', buildId, '--output', 'json']);
    const parsed = JSON.parse(out) as { BuildID: string; drainageInfo?: { drainageStatus?: DrainageStatus }; taskQueuesInfos?: { name: string }[] | null };
    return {
      buildId: parsed.BuildID,
      drainageStatus: parsed.drainageInfo?.drainageStatus ?? 'unspecified',
      taskQueues: (parsed.taskQueuesInfos ?? []).map((q) => q.name),
    };
  }

  /** The deployment's current build, as `describe` reports it. */
  async currentBuildId(deploymentName: string): Promise<string> {
    const out = await this.temporal(['worker', 'deployment', 'describe', '--name', deploymentName, '--output', 'json']);
    return (JSON.parse(out) as { routingConfig: { currentVersionBuildID: string } }).routingConfig.currentVersionBuildID;
  }
}
