import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Sources linted by the repository's own eslint.config.js as if they sat at `filePath`, so the
 * test proves both that the rule bites and that its folder glob reaches that folder.
 */
const FIXTURES = {
  workflowImportsNodeFs: {
    filePath: 'src/workflows/lint-fixture-node-fs.ts',
    code: "import { readFileSync } from 'node:fs';\n\nexport const catalogue = (): string => readFileSync('catalogue.json', 'utf8');\n",
  },
  workflowImportsBareBuiltin: {
    filePath: 'src/workflows/lint-fixture-bare-builtin.ts',
    code: "import { randomUUID } from 'crypto';\n\nexport const paymentKey = (): string => randomUUID();\n",
  },
  workflowImportsActivitiesAtRuntime: {
    filePath: 'src/workflows/lint-fixture-activities-runtime.ts',
    code: "import { createInventoryActivities } from '../activities/inventory.js';\n\nexport const inventory = createInventoryActivities;\n",
  },
  workflowImportsActivityTypes: {
    filePath: 'src/workflows/lint-fixture-activities-type.ts',
    code: "import type { OrderActivities } from '../activities/index.js';\n\nexport type ReserveStock = OrderActivities['reserveStock'];\n",
  },
  workflowImportsTemporalClient: {
    filePath: 'src/workflows/lint-fixture-client.ts',
    code: "import { Client } from '@temporalio/client';\n\nexport const client = (): Client => new Client();\n",
  },
  workflowLeavesPromiseFloating: {
    filePath: 'src/workflows/lint-fixture-floating.ts',
    code: "import { sleep } from '@temporalio/workflow';\n\nexport async function waitABit(): Promise<void> {\n  sleep(1_000);\n}\n",
  },
  shippedCodeImportsDevstack: {
    filePath: 'src/api/lint-fixture-devstack.ts',
    code: "import { startDevStack } from '../../devstack/dev-stack.js';\n\nexport const start = startDevStack;\n",
  },
  shippedCodeImportsSimulator: {
    filePath: 'src/activities/lint-fixture-simulator.ts',
    code: "import { createGatewayApp } from '../../simulators/payment-gateway/app.js';\n\nexport const gateway = createGatewayApp;\n",
  },
  domainImportsDrizzle: {
    filePath: 'src/domain/lint-fixture-drizzle.ts',
    code: "import { eq } from 'drizzle-orm';\n\nexport const byId = eq;\n",
  },
  platformImportsActivities: {
    filePath: 'src/platform/lint-fixture-activities.ts',
    code: "import { DEFAULT_FRAUD_REVIEW_LIMIT } from '../activities/fraud.js';\n\nexport const limit = DEFAULT_FRAUD_REVIEW_LIMIT;\n",
  },
} satisfies Record<string, { filePath: string; code: string }>;

type Fixture = keyof typeof FIXTURES;

/**
 * The fixtures exist only as text, so the type-aware parser cannot find them in tsconfig's program;
 * this lets it give them a default project built from tsconfig.json. Only the parser's plumbing
 * changes: every rule and file glob is the real config's.
 */
const VIRTUAL_FILES: Linter.Config = {
  files: ['src/**/lint-fixture-*.ts'],
  languageOptions: {
    parserOptions: {
      projectService: {
        allowDefaultProject: ['src/*/lint-fixture-*.ts'],
        defaultProject: 'tsconfig.json',
        // The default project takes 8 files unless told otherwise; these are all small.
        maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 32,
      },
    },
  },
};

const problems = new Map<Fixture, Linter.LintMessage[]>();
const rulesIn = (fixture: Fixture) => problems.get(fixture)?.map((m) => m.ruleId ?? `fatal: ${m.message}`);
const restrictedImports = (fixture: Fixture) => problems.get(fixture)?.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports') ?? [];

/**
 * The first lint opens tsconfig.json's whole program for the type-aware rules: the CPU of a
 * `tsc --noEmit`, about 25 s here and a minute or more while other tests compete for the two cores.
 * It happens once, for all the fixtures, under a timeout sized for that and nothing else.
 */
const TYPE_CHECKED_PROGRAM_TIMEOUT_MS = 240_000;

beforeAll(async () => {
  const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: VIRTUAL_FILES });
  for (const [fixture, { filePath, code }] of Object.entries(FIXTURES)) {
    const [result] = await eslint.lintText(code, { filePath });
    const messages = result?.messages ?? [];
    // A fixture that does not parse reports no rule at all: say so, rather than fail an assertion later.
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(`ESLint could not lint ${filePath}: ${fatal.message}`);
    problems.set(fixture as Fixture, messages);
  }
}, TYPE_CHECKED_PROGRAM_TIMEOUT_MS);

describe('workflow code (src/workflows) stays inside the deterministic sandbox', () => {
  it('refuses a Node built-in, node:-prefixed or bare', () => {
    expect(restrictedImports('workflowImportsNodeFs')).toMatchObject([{ line: 1, message: expect.stringMatching(/'node:fs'.*no Node built-ins/) }]);
    expect(restrictedImports('workflowImportsBareBuiltin')).toMatchObject([{ line: 1, message: expect.stringMatching(/'crypto'.*no Node built-ins/) }]);
  });

  it('refuses a runtime import of the activities, and of an I/O package such as the Temporal client', () => {
    expect(restrictedImports('workflowImportsActivitiesAtRuntime')).toMatchObject([
      { line: 1, message: expect.stringMatching(/'\.\.\/activities\/inventory\.js'.*only the \*types\*/) },
    ]);
    expect(restrictedImports('workflowImportsTemporalClient')).toMatchObject([{ line: 1, message: expect.stringMatching(/'@temporalio\/client'.*no I\/O/) }]);
  });

  it('allows `import type` of the activities: that is how proxyActivities<…> is typed', () => {
    expect(rulesIn('workflowImportsActivityTypes')).toEqual([]);
  });

  it('reports a promise nobody awaits, such as a sleep() that does not wait', () => {
    expect(rulesIn('workflowLeavesPromiseFloating')).toEqual(['@typescript-eslint/no-floating-promises']);
  });
});

describe('the import boundaries of the module table (DESIGN.md)', () => {
  it('refuses an import of devstack/ or simulators/ from src/: what ships never depends on what only helps', () => {
    expect(restrictedImports('shippedCodeImportsDevstack')).toMatchObject([{ line: 1, message: expect.stringMatching(/devstack.*only help/) }]);
    expect(restrictedImports('shippedCodeImportsSimulator')).toMatchObject([{ line: 1, message: expect.stringMatching(/simulators.*only help/) }]);
  });

  it('refuses I/O in src/domain, and an upward import from src/platform', () => {
    expect(restrictedImports('domainImportsDrizzle')).toMatchObject([{ line: 1, message: expect.stringMatching(/src\/domain does no I\/O/) }]);
    expect(restrictedImports('platformImportsActivities')).toMatchObject([{ line: 1, message: expect.stringMatching(/src\/platform is plumbing/) }]);
  });
});
