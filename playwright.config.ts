import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);
/** A recognisable token: e2e tests assert it never reaches the browser. */
export const E2E_SERVER_TOKEN = 'e2e-server-token-must-never-reach-the-browser';

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 2,
  forbidOnly: true,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // Off unless asked (E2E_TRACE=1): recording costs each test about a fifth more CPU, and CI shows only the log.
    trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
  },
  webServer: {
    // The production path: prestart builds what is stale (SPA, precompressed copies, compiled server),
    // then plain `node` runs dist-server/server/main.js.
    command: 'npm start',
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      KATAPULT_API_TOKEN: E2E_SERVER_TOKEN,
      LOG_LEVEL: 'warn',
      // The demo mock's test controls (/__mock/*) exist only when the suite asks for them.
      PANEL_MOCK_CONTROLS: '1',
    },
  },
});
