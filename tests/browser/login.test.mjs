// Browser test of the sign-in path against the real binary: a user created through the
// API signs in with the temporary password, is forced to /password, gets a field error
// for a weak password, sets a good one and reaches the home page. Also keyboard-only
// sign-in and lang="vi". Screenshots go to tests/output/.
//
// Run: node --test tests/browser/   (QLVB_BIN overrides the binary, default build/qlvb)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(ROOT, process.env.QLVB_BIN || 'build/qlvb');
const OUT = join(ROOT, 'tests', 'output');
const DEMO_PASSWORD = 'Demo@2026qlvb';
const ADMIN = '040090000141'; // Nguyễn Thị Hoa, administrator of Sở Thông tin và Truyền thông
const AGENCY = 'Sở Thông tin và Truyền thông';
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, same agency, single post
const NEW_LOGIN = '040095' + String(100000 + Math.floor(Math.random() * 899999)).slice(0, 6);
const NEW_NAME = 'Trương Thị Kiểm Thử';
const NEW_PASSWORD = 'Hoa-sen.2026!';
const ENV = { ...process.env, QLVB_ARGON2_MEMORY_KIB: '1024' };
const WAIT = 15000;

let dataDir;
let server;
let serverExit;
let base;
let browser;
let temporaryPassword;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Polls until the server answers (bounded), failing early if the process exits.
async function waitForServer(url, ms = WAIT) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (serverExit) throw new Error(`qlvb exited early (${serverExit}); see ${OUT}/browser-server.log`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`qlvb did not answer ${url} within ${ms} ms`);
    await delay(50);
  }
}

async function api(method, path, body, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text };
}

async function newPage(viewport = { width: 1280, height: 900 }, storageState) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', storageState });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.setDefaultNavigationTimeout(WAIT);
  return { context, page };
}

// Submits the form containing `locator` by clicking it and waits for the resulting page.
async function submitAndWait(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

describe('sign-in in a browser', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'qlvb-browser-'));
    execFileSync(BIN, ['init', '--data', dataDir, '--demo'], { env: ENV, stdio: 'ignore' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const log = openSync(join(OUT, 'browser-server.log'), 'w');
    server = spawn(BIN, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, '--threads', '2'], {
      env: ENV,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    server.on('exit', (code, signal) => {
      serverExit = signal || `code ${code}`;
    });
    await waitForServer(`${base}/login`);

    const login = await api('POST', '/api/v1/login', { login: ADMIN, password: DEMO_PASSWORD });
    assert.equal(login.status, 200, `admin login: ${login.text}`);
    const created = await api(
      'POST',
      '/api/v1/users',
      { login: NEW_LOGIN, full_name: NEW_NAME, roles: ['specialist'] },
      login.json.token,
    );
    assert.ok(created.status === 200 || created.status === 201, `create user: ${created.status} ${created.text}`);
    temporaryPassword = created.json.temporary_password;
    assert.ok(temporaryPassword, 'API returns a temporary password');
    assert.equal(created.json.must_change, true);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    if (server && !serverExit) {
      server.kill('SIGTERM');
      const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
      await once(server, 'exit').catch(() => {});
      clearTimeout(timer);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('login page is Vietnamese and labelled', async () => {
    const { context, page } = await newPage();
    try {
      const resp = await page.goto(`${base}/login`);
      assert.equal(resp.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      // Every visible input has a label the accessibility tree can find.
      await page.getByLabel('Số CCCD', { exact: true }).waitFor();
      await page.getByLabel('Mật khẩu', { exact: true }).waitFor();
      await page.screenshot({ path: join(OUT, 'login-desktop.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  test('wrong password shows an error and keeps the login', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Số CCCD', { exact: true }).fill(NEW_LOGIN);
      await page.getByLabel('Mật khẩu', { exact: true }).fill('not-the-password');
      await submitAndWait(page, page.getByRole('button', { name: 'Đăng nhập' }));
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.locator('#login-error').waitFor();
      assert.equal(await page.getByLabel('Số CCCD', { exact: true }).inputValue(), NEW_LOGIN);
      assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), '');
    } finally {
      await context.close();
    }
  });

  test('temporary password forces a change, then the home page', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Số CCCD', { exact: true }).fill(NEW_LOGIN);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(temporaryPassword);
      await submitAndWait(page, page.getByRole('button', { name: 'Đăng nhập' }));

      // Forced change: explanation shown, no way to cancel.
      assert.equal(new URL(page.url()).pathname, '/password');
      const warn = page.locator('.alert-warn');
      await warn.waitFor();
      assert.match(await warn.innerText(), /phải đổi mật khẩu/);
      assert.equal(await page.getByRole('link', { name: 'Hủy' }).count(), 0);
      // The rest of the application is not reachable before the change.
      await page.goto(`${base}/`);
      assert.equal(new URL(page.url()).pathname, '/password');
      await page.screenshot({ path: join(OUT, 'password-forced-desktop.png'), fullPage: true });

      // Too weak (one character class, contains nothing else): field error on new_password.
      await page.getByLabel('Mật khẩu hiện tại', { exact: true }).fill(temporaryPassword);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill('abcdefghijk');
      await page.getByLabel('Nhập lại mật khẩu mới', { exact: true }).fill('abcdefghijk');
      await submitAndWait(page, page.getByRole('button', { name: 'Đổi mật khẩu' }));
      assert.equal(new URL(page.url()).pathname, '/password');
      const fieldError = page.locator('#new_password-error');
      await fieldError.waitFor();
      assert.ok((await fieldError.innerText()).trim().length > 0, 'field error has text');
      assert.equal(await page.locator('#new_password').getAttribute('aria-invalid'), 'true');
      assert.match((await page.locator('#new_password').getAttribute('aria-describedby')) || '', /new_password-error/);
      await page.locator('.alert-warn').waitFor(); // still explained as forced
      await page.screenshot({ path: join(OUT, 'password-error-desktop.png'), fullPage: true });

      // Contains the login: rejected as well.
      await page.getByLabel('Mật khẩu hiện tại', { exact: true }).fill(temporaryPassword);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(`Aa!${NEW_LOGIN}`);
      await page.getByLabel('Nhập lại mật khẩu mới', { exact: true }).fill(`Aa!${NEW_LOGIN}`);
      await submitAndWait(page, page.getByRole('button', { name: 'Đổi mật khẩu' }));
      assert.equal(new URL(page.url()).pathname, '/password');
      await page.locator('#new_password-error').waitFor();

      // Good password.
      await page.getByLabel('Mật khẩu hiện tại', { exact: true }).fill(temporaryPassword);
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Nhập lại mật khẩu mới', { exact: true }).fill(NEW_PASSWORD);
      await submitAndWait(page, page.getByRole('button', { name: 'Đổi mật khẩu' }));
      assert.equal(new URL(page.url()).pathname, '/');
      const greeting = page.locator('#greeting');
      await greeting.waitFor();
      assert.match(await greeting.innerText(), new RegExp(NEW_NAME));
      const welcome = page.locator('.welcome');
      assert.match(await welcome.innerText(), new RegExp(AGENCY));
      assert.match(await page.locator('.masthead').innerText(), new RegExp(NEW_NAME));
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      await page.screenshot({ path: join(OUT, 'home-desktop.png'), fullPage: true });

      // Same session on a phone-sized viewport.
      const state = await context.storageState();
      const phone = await newPage({ width: 390, height: 844 }, state);
      try {
        await phone.page.goto(`${base}/`);
        assert.equal(new URL(phone.page.url()).pathname, '/');
        await phone.page.locator('#greeting').waitFor();
        const overflow = await phone.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
        await phone.page.screenshot({ path: join(OUT, 'home-phone.png'), fullPage: true });
      } finally {
        await phone.context.close();
      }
    } finally {
      await context.close();
    }

    // The temporary password no longer works; the new one does (API).
    const oldPw = await api('POST', '/api/v1/login', { login: NEW_LOGIN, password: temporaryPassword });
    assert.equal(oldPw.status, 401, `temporary password rejected: ${oldPw.status}`);
    const newPw = await api('POST', '/api/v1/login', { login: NEW_LOGIN, password: NEW_PASSWORD });
    assert.equal(newPw.status, 200, newPw.text);
    assert.equal(newPw.json.user.must_change_password, false);
  });

  test('keyboard-only sign-in (Tab / Enter)', async () => {
    const { context, page } = await newPage({ width: 390, height: 844 });
    try {
      await page.goto(`${base}/login`);
      await page.screenshot({ path: join(OUT, 'login-phone.png'), fullPage: true });
      // The login field has autofocus; from a fresh load no pointer is used at all.
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'login');
      await page.keyboard.type(SPECIALIST);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
      await page.keyboard.type(DEMO_PASSWORD);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/');
      await page.locator('#greeting').waitFor();
      assert.match(await page.locator('#greeting').innerText(), /Đỗ Minh Châu/);

      // The first Tab on the home page reaches the skip link, Enter moves focus to main.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
    } finally {
      await context.close();
    }
  });

  test('keyboard-only: Tab order from the top of the login page', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/login`);
      await page.locator('#login').waitFor();
      // Walk the whole Tab cycle (it wraps through the browser chrome back to the skip
      // link) and check the sign-in controls come in reading order.
      const order = [];
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        order.push(
          await page.evaluate(() => {
            const e = document.activeElement;
            if (!e || e === document.body) return 'body';
            return e.id || e.getAttribute('name') || e.className || e.tagName.toLowerCase();
          }),
        );
      }
      const seq = order.join(' → ');
      const iSkip = order.indexOf('skip-link');
      assert.ok(iSkip >= 0, `skip link reachable: ${seq}`);
      const after = order.slice(iSkip + 1).filter((x) => x !== 'brand');
      assert.deepEqual(after.slice(0, 4), ['login', 'password', 'pw-toggle', 'btn btn-block'], seq);
    } finally {
      await context.close();
    }
  });
  // A user with a single post is not offered their current agency as a switch target.
  test('home page does not offer to switch to the current agency', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Số CCCD', { exact: true }).fill(SPECIALIST);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
      await submitAndWait(page, page.getByRole('button', { name: 'Đăng nhập' }));
      await page.locator('#greeting').waitFor();
      const others = page.locator('section[aria-labelledby="switch-title"]');
      assert.equal(await others.getByRole('button', { name: `Chuyển sang ${AGENCY}` }).count(), 0);
      assert.match(await others.innerText(), /chỉ thuộc một cơ quan/);
    } finally {
      await context.close();
    }
  });
});
