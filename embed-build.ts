/**
 * The embeddable build: `vite build` (and so `ensureBuild`) also writes a library build of the same
 * app, `mount()` from src/app/mount.tsx, as one self-contained ES module at
 * `<outDir>/embed/katapult-panel.js`. The server serves it at `/embed/katapult-panel.js`.
 *
 * There is no CSS file: MUI's styles are made by emotion at run time and inserted into the panel's
 * shadow root (see mount.tsx), so the one module is all a host page loads.
 */
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { build, type Plugin } from 'vite';
import { EMBED_DIR, EMBED_FILE } from './server/build.ts';

export function embedLibrary(): Plugin {
  let root = process.cwd();
  let outDir = 'dist';
  return {
    name: 'katapult-panel-embed-library',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        publicDir: false,
        plugins: [react()],
        // Library mode keeps process.env.NODE_ENV for the consumer; this module is the final product.
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          outDir: resolve(outDir, EMBED_DIR),
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: false,
          minify: true,
          copyPublicDir: false,
          lib: { entry: resolve(root, 'src/app/mount.tsx'), formats: ['es'], fileName: () => EMBED_FILE },
          rolldownOptions: { output: { codeSplitting: false } },
        },
      });
    },
  };
}
