import react from '@vitejs/plugin-react';
import babel from 'vite-plugin-babel';
import { defineConfig } from 'vitest/config';
import { embedLibrary } from './embed-build.ts';

/**
 * React Compiler 1.0 (babel-plugin-react-compiler): components and hooks memoized at build time, so
 * an answer re-renders what reads it and not the whole shell. Run by vite-plugin-babel over the
 * app's own TypeScript, parsed but not transformed (the TypeScript and JSX are left to Vite); not
 * @vitejs/plugin-react's own route (@rolldown/plugin-babel), which declares Node >= 22.12 and so
 * warns on every install on the Node 20 these machines run.
 */
const reactCompiler = babel({
  include: /\/src\/.*\.tsx?$/,
  babelConfig: {
    babelrc: false,
    configFile: false,
    parserOpts: { plugins: ['typescript', 'jsx'] },
    plugins: ['babel-plugin-react-compiler'],
  },
});

export default defineConfig({
  // embedLibrary: `vite build` also writes the mount() module into <outDir>/embed/ (issue 6).
  plugins: [react(), reactCompiler, embedLibrary()],
  build: {
    target: 'es2022',
    sourcemap: false,
    // The first screen is one chunk by design, and react-dom alone is past Vite's default warning size.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // What the first screen runs is one script beside the entry, not some thirty shared slivers that each
        // cost a request and compress apart; the lazy parts keep rolldown's own splitting.
        codeSplitting: { groups: [{ name: 'first-screen', tags: ['$initial'] }] },
      },
    },
  },
  test: {
    // Component tests drive a real React tree through user-event: on a shared 2-core machine a
    // journey can take several seconds. Generous, because a timeout here is noise, not a verdict.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'happy-dom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/testing/setup-tests.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'mock/**/*.test.ts'],
          // A real PostgreSQL for the audit log's tests, started once for the run and stopped after it.
          globalSetup: ['server/testing/postgres.global-setup.ts'],
        },
      },
    ],
  },
});
