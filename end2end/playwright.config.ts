// End-to-end tests: Debian's Chromium (never a downloaded browser) against the real server on a
// fresh SQLite database in a temporary folder, with single sign-on through a real OpenID provider
// (the npm package oidc-provider, oidc/provider.mjs) started beside it.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const port = Number(process.env.E2E_PORT ?? 3100);
const bin = process.env.E2E_SERVER_BIN ?? "../target/debug/coop-permits";
const dataDir = mkdtempSync(join(tmpdir(), "coop-e2e-"));
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3110);
const appUrl = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  // The tests run the debug build (several MB of wasm per lazy page) on a 2-core machine that
  // may be compiling at the same time: a first page load can take longer than Playwright's
  // default 5 s. Speed is measured on the release build (scripts/bench-site.sh), not here.
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      // The institution's identity provider, first: the server discovers it when it starts.
      command: "node oidc/provider.mjs",
      url: `http://127.0.0.1:${oidcPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "ignore",
      env: { OIDC_PORT: String(oidcPort), APP_URL: appUrl },
    },
    {
      // The demo accounts (coop-permits demo), then the server.
      command: `${bin} demo --data-dir ${dataDir} >/dev/null && ${bin} serve --listen 127.0.0.1:${port} --data-dir ${dataDir} --site-root ../target/site`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      // The institution the co-op letter states (configuration, never code).
      env: {
        RUST_LOG: "warn",
        COOP_INSTITUTION_NAME: "Example Polytechnic University",
        COOP_INSTITUTION_ADDRESS: "12666 72 Avenue; Surrey, BC V3W 2M8",
        COOP_DLI_NUMBER: "O19319227452",
        COOP_LETTER_SIGNATORY_NAME: "Pat Advisor",
        COOP_LETTER_SIGNATORY_TITLE: "Manager, Co-operative Education",
        // Single sign-on beside passwords (the provider above; its client as registered there).
        COOP_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
        COOP_OIDC_CLIENT_ID: "coop-permits",
        COOP_OIDC_CLIENT_SECRET: "coop-permits-test-secret",
        COOP_OIDC_NAME: "Example Polytechnic account",
        COOP_OIDC_STUDENT_NUMBER_CLAIM: "student_number",
      },
    },
  ],
});
