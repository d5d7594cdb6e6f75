// The administration pages of issue 9 in a browser, at 1280 and 390 px: the system
// administrator picks the agency, a concurrent post is read-only, a key whose
// certificate names someone else asks for a confirmation, the audit filter answers a
// bad date, the forced password change shows no menu, the error page. Every page is
// screenshotted into tests/output/ (adminux-*.png) and must not scroll sideways on a
// phone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, DEMO_PASSWORD, ADMIN_SKHCN, SYSADMIN } from '../integration/harness.mjs';
import { serverWithPki } from '../integration/docs_helpers.mjs';
import { OUT, launchBrowser, newPage, stopServer } from './browser.mjs';

const VIEWPORTS = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];
let srv, browser, pki;

async function signIn(page, login, password = DEMO_PASSWORD) {
  await page.goto(srv.url('/login'));
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}

// Screenshot, and the page fits the phone: nothing reaches past 390 px.
async function shoot(page, name, kind) {
  await page.screenshot({ path: join(OUT, `adminux-${name}-${kind}.png`), fullPage: true });
  if (kind === 'phone') {
    const widest = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll('main *')]
        // what is shown: not display:none, not inside a clipped 1 px box (visually hidden)
        .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden, table.stack thead'))
        .map((e) => e.getBoundingClientRect().right)));
    assert.ok(widest <= 391, `${name}: content ${widest} px wide on a 390 px phone`);
  }
}

describe('administration pages in a browser', () => {
  before(async () => {
    ({ srv, pki } = await serverWithPki('qlvb-br-'));
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'adminux-server.log');
    rmSync(pki, { recursive: true, force: true });
  });

  for (const [kind, viewport] of VIEWPORTS) {
    test(`system administrator chooses the agency (${kind})`, async () => {
      const { context, page } = await newPage(browser, { viewport });
      try {
        await signIn(page, SYSADMIN);
        await page.goto(srv.url('/admin/departments'));
        await shoot(page, 'pick-agency', kind);
        await page.getByLabel('Cơ quan đang quản trị').selectOption({ label: 'Sở Khoa học và Công nghệ' });
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Chọn' }).click()]);
        assert.match(await page.textContent('.page-head'), /Các phòng, ban của Sở Khoa học và Công nghệ/);
        await page.locator('#name').fill(`Phòng Thử nghiệm ${kind}`);
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Thêm phòng ban' }).last().click()]);
        assert.match(await page.textContent('.flash'), /Đã tạo phòng ban/);
        assert.match(page.url(), /agency_id=\d+/);
        await shoot(page, 'departments', kind);
        await page.goto(srv.url('/admin/trust'));
        await shoot(page, 'trust', kind);
      } finally {
        await context.close();
      }
    });

    test(`agency administrator: concurrent post, key name check, audit filter, error page (${kind})`, async () => {
      const { context, page } = await newPage(browser, { viewport });
      try {
        await signIn(page, '040090000121'); // administrator of Sở Nội vụ
        const minh = srv.db("SELECT id FROM app_user WHERE login = '040090000111'").trim();
        await page.goto(srv.url(`/admin/users/${minh}`));
        assert.equal(await page.getByLabel('Họ và tên').getAttribute('readonly'), '');
        assert.equal(await page.getByRole('button', { name: 'Cấp lại mật khẩu' }).count(), 0);
        await shoot(page, 'user-concurrent', kind);
        await page.goto(srv.url('/admin/positions'));
        await page.locator('#name').fill('Chuyên viên chính');
        await page.locator('#rank').fill('5000');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Thêm chức vụ' }).last().click()]);
        assert.match(await page.textContent('#rank-error'), /từ 0 đến 999/);
        await shoot(page, 'position-rank', kind);
        await page.goto(srv.url('/admin/audit?from=2026-13-01'));
        assert.match(await page.textContent('#from-error'), /Ngày không hợp lệ/);
        await shoot(page, 'audit-bad-date', kind);
        await page.goto(srv.url('/admin/khong-co'));
        await shoot(page, 'error-404', kind);
      } finally {
        await context.close();
      }
      const k = await newPage(browser, { viewport });
      try {
        await signIn(k.page, ADMIN_SKHCN);
        await k.page.goto(srv.url('/admin/keys'));
        await k.page.getByLabel('Người sử dụng').selectOption({ label: 'Bùi Văn Long (040090000142)' });
        await k.page.setInputFiles('#file', join(pki, 'person.p12'));
        await k.page.locator('#pin').fill('123456');
        await Promise.all([k.page.waitForNavigation(), k.page.getByRole('button', { name: 'Cấp khóa' }).click()]);
        assert.match(await k.page.textContent('#name_confirm-error'), /Nguyễn Văn An.*Bùi Văn Long/);
        await k.page.locator('#name-confirm').scrollIntoViewIfNeeded();
        await shoot(k.page, 'key-name-mismatch', kind);
      } finally {
        await k.context.close();
      }
    });

    test(`forced password change and agency choice show no menu (${kind})`, async () => {
      const admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
      const login = `04009${kind === 'phone' ? '6' : '5'}000888`;
      const created = await admin.post('/api/v1/users', { json: { login, full_name: 'Vi Thị Mới', roles: ['specialist'] } });
      assert.equal(created.status, 201, created.text);
      const { context, page } = await newPage(browser, { viewport });
      try {
        await signIn(page, login, created.json.temporary_password);
        assert.match(page.url(), /\/password$/);
        assert.equal(await page.locator('.mainnav').count(), 0);
        await shoot(page, 'password-forced', kind);
      } finally {
        await context.close();
      }
      const two = await newPage(browser, { viewport });
      try {
        await signIn(two.page, '040090000111');
        assert.match(two.page.url(), /\/choose-agency$/);
        assert.equal(await two.page.locator('.mainnav').count(), 0);
        await shoot(two.page, 'choose-agency', kind);
      } finally {
        await two.context.close();
      }
    });
  }
});
