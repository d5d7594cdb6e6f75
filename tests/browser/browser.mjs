// The one browser launch of the browser tests: Debian's chromium (CHROMIUM overrides the
// path) driven by playwright-core, headless, with nothing that talks to the network on
// its own. Each launch gets a fresh profile (user-data-dir): playwright makes a new
// temporary one per launch and removes it on close. The server side comes from
// tests/integration/harness.mjs (Server, Client), as in the integration tests.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../integration/harness.mjs';

export const OUT = join(ROOT, 'tests', 'output'); // screenshots and server logs
export const WAIT = 15000;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: CHROMIUM_ARGS });
}

// A new browser context (own cookies) and page with the tests' timeouts.
export async function newPage(browser, { viewport = { width: 1280, height: 900 }, ...options } = {}) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  return { context, page };
}

// Stops the harness server and keeps its log next to the screenshots.
export async function stopServer(srv, logName) {
  if (!srv) return;
  await srv.stop();
  writeFileSync(join(OUT, logName), srv.log || '');
  srv.cleanup();
}
