// Preloaded into the stack's worker for tuning experiments (`--worker-options`, `--prebuilt-bundle`),
// so that worker options can be tried without editing src/worker: it wraps Worker.create and
// merges BENCH_WORKER_OPTIONS (JSON) into the options, and swaps bundling at startup for the
// prebuilt bundle at BENCH_WORKFLOW_BUNDLE. Plain JavaScript: it loads before tsx does.
// Every service gets NODE_OPTIONS; only the worker is touched.
// The stack's worker runs compiled (dist/worker/main-<hash>.mjs); `npm run worker` runs the source.
if (/(src\/worker\/main\.ts|dist\/worker\/main-[0-9a-f]+\.mjs)$/.test(process.argv[1] ?? '')) {
  const { Worker } = await import('@temporalio/worker');
  const create = Worker.create.bind(Worker);
  const overrides = JSON.parse(process.env.BENCH_WORKER_OPTIONS || '{}');
  const bundlePath = process.env.BENCH_WORKFLOW_BUNDLE;
  Worker.create = (options) => {
    const { workflowsPath, ...rest } = options;
    return create({ ...rest, ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath }), ...overrides });
  };
}
