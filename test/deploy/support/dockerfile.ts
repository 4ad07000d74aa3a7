import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined: `COPY --from=x a b` → { keyword: 'COPY', args: '--from=x a b' }. */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The `AS` name, or the index when unnamed. */
  name: string;
  from: string;
  instructions: Instruction[];
}

/** Enough of the Dockerfile grammar for checks: comments, `\` continuations, `FROM … AS name` stages. */
export function parseDockerfile(path: string): { args: Instruction[]; stages: Stage[] } {
  const logical = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [from = '', , name] = instruction.args.split(' ');
      stages.push({ name: name ?? String(stages.length), from, instructions: [] });
    } else if (stages.length === 0) {
      args.push(instruction);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** A COPY's flags, its sources and its destination. */
export function copyParts(instruction: Instruction): { from?: string; sources: string[]; destination: string } {
  const words = instruction.args.startsWith('[') ? (JSON.parse(instruction.args) as string[]) : instruction.args.split(' ');
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
}

/** Whether .dockerignore leaves `path` in the build context: the last pattern that matches it or a parent folder decides. */
export function inBuildContext(dockerignore: string, path: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const candidates = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let included = true;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(
      `^${body
        .split(/(\*\*\/?|\*|\?)/)
        .map((part) => (part.startsWith('**') ? '(.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
    );
    if (candidates.some((candidate) => regex.test(candidate))) included = negated;
  }
  return included;
}
