/**
 * CPU-bound processes kept beside a test run, to check that tests hold on a busy machine.
 * Each hog is one `node` process spinning until it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export function startHogs(count: number): { stop: () => void } {
  const hogs: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  return {
    stop: () => {
      for (const hog of hogs) hog.kill('SIGKILL');
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Standalone: `tsx scripts/cpu-hog.ts [count]` runs hogs until interrupted.
  const hogs = startHogs(Number(process.argv[2] ?? 2));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (hogs.stop(), process.exit(0)));
  console.log(`${process.argv[2] ?? 2} CPU hogs running; Ctrl-C stops them.`);
}
