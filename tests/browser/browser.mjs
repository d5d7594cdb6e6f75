// The one browser launch of the browser tests: Debian's chromium (CHROMIUM overrides the
// path) driven by playwright-core, headless, with nothing that talks to the network on
// its own. Each launch gets a fresh profile (user-data-dir): playwright makes a new
// temporary one per launch and removes it on close. The server side comes from
// tests/integration/harness.mjs (Server, Client), as in the integration tests.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, DEMO_PASSWORD } from '../integration/harness.mjs';

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

// Signs login in through the login form of host (the agency's origin, e.g.
// http://qlvb-skhcn.localhost:PORT) with the demo password.
export async function signIn(page, host, login) {
  await page.goto(`${host}/login`);
  await page.fill('#login', login);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
}

// No horizontal scrolling: neither the page nor any element outside a scrolling box
// reaches past the device width. Measured against the width given (the device's), not
// window.innerWidth: on a mobile viewport the layout viewport grows with the content and
// hid an overflow (as tests/browser/signing.test.mjs found).
export async function fitsWidth(page, width = page.viewportSize().width) {
  const { scroll, widest, what } = await page.evaluate(() => {
    const clipped = (e) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      }
      return false;
    };
    let widest = 0, what = '';
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > widest && !clipped(e)) {
        widest = r.right;
        what = `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`;
      }
    }
    return { scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest), what };
  });
  assert.ok(scroll <= width + 1, `${page.url()}: page ${scroll}px wide on a ${width}px screen`);
  assert.ok(widest <= width + 1, `${page.url()}: ${what} reaches ${widest}px on a ${width}px screen`);
}

// Chooses the option of the select sel whose text matches re.
export async function selectByText(page, sel, re) {
  const value = await page.locator(`${sel} option`).evaluateAll(
    (os, src) => (os.find((o) => new RegExp(src).test(o.textContent)) || {}).value, re.source);
  assert.ok(value, `${sel}: an option matching ${re}`);
  await page.selectOption(sel, value);
}
