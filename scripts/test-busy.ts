/**
 * `npm run test:busy`: the whole `npm test`, twice, with two CPU-bound processes kept running beside
 * it (the tests must not depend on how fast the machine is). The hogs are stopped however the runs
 * end; the exit status is non-zero if either run failed.
 */
import { spawnSync } from 'node:child_process';
import { startHogs } from './cpu-hog.ts';

const RUNS = 2;
const hogs = startHogs(2);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    hogs.stop();
    process.exit(130);
  });
}
const results: number[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    console.log(`\n=== npm test, run ${run} of ${RUNS}, beside 2 CPU hogs ===\n`);
    const r = spawnSync('npm', ['test'], { stdio: 'inherit', env: process.env });
    results.push(r.status ?? 1);
  }
} finally {
  hogs.stop();
}
console.log(`\nnpm test beside 2 CPU hogs: ${results.map((s, i) => `run ${i + 1} ${s === 0 ? 'passed' : `failed (exit ${s})`}`).join(', ')}.`);
process.exit(results.every((s) => s === 0) ? 0 : 1);
