// Preloaded into the stack's Node services to profile them:
//   npm run bench -- --stack-env NODE_OPTIONS=--import=./bench/profile/cpu-profile.mjs --stack-env BENCH_CPU_PROFILE_DIR=/tmp/prof
// (`--cpu-prof` itself is not allowed in NODE_OPTIONS.) Plain JavaScript: it loads before tsx does.
// It samples the main thread only; workflow code runs in the SDK's worker thread and is not in it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname } from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  // A session in the same thread answers synchronously, so this works inside 'exit'.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const name = basename(dirname(process.argv[1] ?? 'node'));
      writeFileSync(`${dir}/${name}-${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
