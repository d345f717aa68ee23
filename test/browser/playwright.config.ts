import { join } from 'node:path';

import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.BROWSER_TEST_PORT ?? 3919);
const root = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Browser tests of the pages with Debian's chromium (Playwright cannot download its own browsers here):
 * at a 360×740 phone viewport and at desktop width, each project with its own agency and users.
 */
export default defineConfig({
  testDir: __dirname,
  testMatch: /.*\.browser\.ts$/,
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: root ? ['--no-sandbox'] : [],
    },
    locale: 'vi-VN',
  },
  projects: [
    {
      name: 'phone',
      use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
    },
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
  ],
  webServer: {
    command: 'node -r ./scripts/register-dist-paths.js dist/scripts/browser-test-server.js',
    url: `http://localhost:${PORT}/robots.txt`,
    cwd: join(__dirname, '..', '..'),
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
