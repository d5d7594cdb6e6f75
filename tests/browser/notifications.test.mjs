// Notifications in a browser at 1280 and 390 px (issue 11, 12; standards.md §5): the
// bell in the header shows the unread count and is reached with the keyboard; the
// "Thông báo" page lists the notifications with links to their documents; opening one
// marks it read (the count goes down); "Đánh dấu tất cả đã đọc" empties the bell. The
// pages are screenshotted into tests/output/ (notifications-*.png) and must not scroll
// sideways on a phone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, DEMO_PASSWORD } from '../integration/harness.mjs';
import { join } from 'node:path';
import { OUT, launchBrowser, newPage, stopServer } from './browser.mjs';

const VIEWPORTS = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];
const HEAD = '040090000144'; // Trịnh Quốc Bảo, Trưởng phòng CNTT: the demo leaves him some
let srv, browser;

async function signIn(page, login) {
  await page.goto(srv.url('/login'));
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

async function fitsPhone(page, name) {
  const widest = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
    ...[...document.querySelectorAll('body *')]
      .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden'))
      .map((e) => e.getBoundingClientRect().right)));
  assert.ok(widest <= 391, `${name}: content ${widest} px wide on a 390 px phone`);
}

describe('notifications in a browser', () => {
  before(async () => {
    srv = await new Server().start();
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'notifications-server.log');
  });

  for (const [kind, viewport] of VIEWPORTS) {
    test(`the bell and the page (${kind})`, async () => {
      // each viewport starts from the demo's unread ones
      srv.db(`UPDATE notification SET read_at = NULL WHERE user_id = (SELECT id FROM app_user WHERE login = '${HEAD}')`);
      const unread = Number(srv.db(`SELECT COUNT(*) FROM notification WHERE read_at IS NULL AND user_id = (SELECT id FROM app_user WHERE login = '${HEAD}')`).trim());
      assert.ok(unread >= 2, 'the demo leaves the head of IT unread notifications');
      const { context, page } = await newPage(browser, { viewport });
      try {
        await signIn(page, HEAD);
        const bell = page.getByRole('link', { name: `Thông báo: ${unread} chưa đọc` });
        await bell.waitFor();
        assert.equal((await page.locator('.bell-count').textContent()).trim(), String(unread));
        // keyboard: the bell is among the first stops after the skip link and the brand
        let focused = '';
        for (let i = 0; i < 4 && !focused.startsWith('Thông báo'); i++) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate(() => document.activeElement.getAttribute('aria-label') || '');
        }
        assert.ok(focused.startsWith('Thông báo'), `tab reaches the bell (${focused})`);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.ok(page.url().endsWith('/notifications'));
        await page.getByRole('heading', { name: 'Thông báo', level: 1 }).waitFor();
        const items = page.locator('.notify-item');
        assert.equal(await items.count(), unread);
        assert.equal(await page.locator('.notify-unread').count(), unread);
        await page.screenshot({ path: join(OUT, `notifications-page-${kind}.png`), fullPage: true });
        if (kind === 'phone') await fitsPhone(page, 'notifications');
        // open the first one's document: it is read, the bell goes down by what it had
        const first = page.locator('.notify-item a.notify-text').first();
        const href = await first.getAttribute('href');
        const doc = Number(href.split('/').pop());
        const forDoc = Number(srv.db(`SELECT COUNT(*) FROM notification WHERE read_at IS NULL AND document_id = ${doc} AND user_id = (SELECT id FROM app_user WHERE login = '${HEAD}')`).trim());
        await Promise.all([page.waitForNavigation(), first.click()]);
        assert.ok(page.url().endsWith(href));
        const left = unread - forDoc;
        if (left > 0) await page.getByRole('link', { name: `Thông báo: ${left} chưa đọc` }).waitFor();
        await page.goto(srv.url('/notifications?unread=1'));
        assert.equal(await page.locator('.notify-item').count(), left);
        if (left > 0) {
          await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }).click()]);
          await page.getByText('Không có thông báo chưa đọc.').waitFor();
        }
        await page.getByRole('link', { name: 'Thông báo', exact: true }).waitFor();
        assert.equal(await page.locator('.bell-count').count(), 0);
        // the header with the bell, scrolled to the top
        srv.db(`UPDATE notification SET read_at = NULL WHERE user_id = (SELECT id FROM app_user WHERE login = '${HEAD}')`);
        await page.goto(srv.url('/'));
        await page.screenshot({ path: join(OUT, `notifications-bell-${kind}.png`) });
        if (kind === 'phone') await fitsPhone(page, 'home');
      } finally {
        await context.close();
      }
    });
  }
});
