import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import { databaseUrl } from "./server/test/pg-urls.ts";

// One database per run, named here (the config is evaluated before the web server starts and
// workers inherit the environment); e2e/global-setup.ts creates and seeds it, and drops it after.
process.env.E2E_DB_NAME ??= `modloop_e2e_${randomBytes(4).toString("hex")}`;
const port = Number(process.env.E2E_PORT ?? 3217);
// E2E_BASE_URL: run against a server you started yourself on the same E2E_DB_NAME (e.g. `next dev` while iterating)
const externalBaseURL = process.env.E2E_BASE_URL;
const baseURL = externalBaseURL ?? `http://127.0.0.1:${port}`;

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  // specs share one seeded database and the queue is shared state: run them one at a time
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results/e2e",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium", args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium", viewport: { width: 1360, height: 860 } } }],
  webServer: externalBaseURL
    ? undefined
    : {
        // the production build and web server (scripts/web.ts), as users get it; E2E_SKIP_BUILD=1 reuses an existing .next build
        command: `${process.env.E2E_SKIP_BUILD === "1" ? "" : "npx next build && "}node --import tsx scripts/web.ts --hostname 127.0.0.1 --port ${port}`,
        url: `${baseURL}/login`,
        timeout: 300_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          DATABASE_URL: databaseUrl(process.env.E2E_DB_NAME),
          NEXT_TELEMETRY_DISABLED: "1",
          NODE_ENV: "production",
          MODLOOP_INPROCESS_WORKER: "0",
        },
      },
});
