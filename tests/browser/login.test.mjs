// Browser test of the sign-in path against the real binary: a user created through the
// API signs in with the temporary password, is forced to /password, gets a field error
// for a weak password, sets a good one and reaches the home page. Also keyboard-only
// sign-in and lang="vi". Screenshots go to tests/output/.
//
// Run: node --test tests/browser/   (QLVB_BIN overrides the binary, default build/qlvb)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Server, Client, DEMO_PASSWORD, ADMIN_SKHCN as ADMIN } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage as openPage, stopServer } from './browser.mjs';

const AGENCY = 'Sở Khoa học và Công nghệ';
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, same agency, single post
const NEW_LOGIN = '040095' + String(100000 + Math.floor(Math.random() * 899999)).slice(0, 6);
const NEW_NAME = 'Trương Thị Kiểm Thử';
const NEW_PASSWORD = 'Hoa-sen.2026!';

let srv;
let base;
let browser;
let temporaryPassword;

const newPage = (viewport = { width: 1280, height: 900 }, storageState) =>
  openPage(browser, { viewport, storageState });

// Submits the form containing `locator` by clicking it and waits for the resulting page.
async function submitAndWait(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

describe('sign-in in a browser', () => {
  before(async () => {
    srv = await new Server().start();
    base = srv.base;
    const admin = new Client(srv);
    const login = await admin.apiLogin(ADMIN);
    assert.equal(login.status, 200, `admin login: ${login.text}`);
    const created = await admin.post('/api/v1/users',
      { json: { login: NEW_LOGIN, full_name: NEW_NAME, roles: ['specialist'] } });
    assert.ok(created.status === 200 || created.status === 201, `create user: ${created.status} ${created.text}`);
    temporaryPassword = created.json.temporary_password;
    assert.ok(temporaryPassword, 'API returns a temporary password');
    assert.equal(created.json.must_change, true);
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-server.log');
  });

  test('login page is Vietnamese and labelled', async () => {
    const { context, page } = await newPage();
    try {
      const resp = await page.goto(`${base}/login`);
      assert.equal(resp.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
      await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
      // Every visible input has a label the accessibility tree can find.
      await page.getByLabel('Số định danh cá nhân', { exact: true }).waitFor();
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
      await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(NEW_LOGIN);
      await page.getByLabel('Mật khẩu', { exact: true }).fill('not-the-password');
      await submitAndWait(page, page.getByRole('button', { name: 'Đăng nhập' }));
      assert.equal(new URL(page.url()).pathname, '/login');
      await page.locator('#login-error').waitFor();
      assert.equal(await page.getByLabel('Số định danh cá nhân', { exact: true }).inputValue(), NEW_LOGIN);
      assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), '');
    } finally {
      await context.close();
    }
  });

  test('temporary password forces a change, then the home page', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${base}/login`);
      await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(NEW_LOGIN);
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
    const oldPw = await new Client(srv).apiLogin(NEW_LOGIN, temporaryPassword);
    assert.equal(oldPw.status, 401, `temporary password rejected: ${oldPw.status}`);
    const newPw = await new Client(srv).apiLogin(NEW_LOGIN, NEW_PASSWORD);
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
      await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(SPECIALIST);
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
