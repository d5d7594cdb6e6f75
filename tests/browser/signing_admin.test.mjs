// Browser test of the signing administration pages against the real binary: an agency
// administrator uploads the seal and a person's signature through the form and sees the
// previews (served under the page's CSP), replaces one after a confirmation; the system
// administrator adds a trusted root on /admin/trust. Screenshots go to tests/output/.
//
// Run: node --test tests/browser/   (QLVB_BIN overrides the binary, default build/qlvb)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, ROOT, DEMO_PASSWORD, ADMIN_SKHCN as ADMIN, SYSADMIN } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage, stopServer } from './browser.mjs';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'pdf');
const PERSON = 'Đỗ Minh Châu';

let pkiDir, srv, base, browser;

async function signedIn(login, viewport = { width: 1280, height: 900 }) {
  const { context, page } = await newPage(browser, { viewport });
  await page.goto(`${base}/login`);
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return { context, page };
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}

// Every preview image has loaded (not blocked by CSP, not a broken link).
async function previewsLoaded(page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('img.sigimage-thumb')].every((i) => i.complete));
  return page.evaluate(() =>
    [...document.querySelectorAll('img.sigimage-thumb')].map((i) => i.naturalWidth));
}

describe('signing administration in a browser', () => {
  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'qlvb-browser-pki-'));
    execFileSync('bash', [join(ROOT, 'scripts', 'test-pki.sh'), pkiDir], { stdio: 'ignore' });
    srv = await new Server().start();
    base = srv.base;
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-signing-server.log');
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  test('an agency administrator uploads the seal and a signature and sees them', async () => {
    const { context, page } = await signedIn(ADMIN);
    try {
      await page.goto(`${base}/admin/signature-images`);
      await page.getByRole('heading', { name: 'Chữ ký, con dấu', level: 1 }).waitFor();
      assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Chữ ký, con dấu');

      await page.getByLabel('Con dấu cơ quan').check();
      await page.getByLabel('Tệp ảnh PNG').setInputFiles(join(FIXTURES, 'seal.png'));
      await submit(page, page.getByRole('button', { name: 'Tải lên' }));
      assert.match(await page.locator('.flash').innerText(), /Đã tải lên ảnh con dấu/);

      await page.getByLabel('Chữ ký cá nhân').check();
      const person = await page.locator('#user_id option', { hasText: PERSON }).getAttribute('value');
      await page.getByLabel('Người ký').selectOption(person);
      await page.getByLabel('Tệp ảnh PNG').setInputFiles(join(FIXTURES, 'signature.png'));
      await submit(page, page.getByRole('button', { name: 'Tải lên' }));
      assert.match(await page.locator('.flash').innerText(), /Đã tải lên ảnh chữ ký/);

      const rows = page.locator('table tbody tr');
      assert.equal(await rows.count(), 2);
      assert.match(await rows.nth(0).innerText(), new RegExp(PERSON));
      assert.match(await rows.nth(1).innerText(), /Con dấu của cơ quan/);
      assert.match(await rows.nth(1).innerText(), /240 × 240 px/);
      assert.deepEqual(await previewsLoaded(page), [300, 240]);
      await page.screenshot({ path: join(OUT, 'signature-images-desktop.png'), fullPage: true });

      // A JPEG-named opaque file is refused next to the field.
      await page.getByLabel('Chữ ký cá nhân').check();
      await page.getByLabel('Tệp ảnh PNG').setInputFiles({
        name: 'chu-ky.png', mimeType: 'image/png', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      });
      await submit(page, page.getByRole('button', { name: 'Tải lên' }));
      assert.match(await page.locator('#file-error').innerText(), /JPEG/);
      assert.equal(await page.locator('#file').getAttribute('aria-invalid'), 'true');
      await page.screenshot({ path: join(OUT, 'signature-images-error-desktop.png'), fullPage: true });

      // Stop using the signature, after the confirmation.
      await page.goto(`${base}/admin/signature-images`);
      page.once('dialog', (d) => d.accept());
      await submit(page, page.locator('table tbody tr').nth(0).getByRole('button', { name: /Ngừng dùng/ }));
      assert.match(await page.locator('.flash').innerText(), /Đã ngừng dùng ảnh/);
      assert.match(await page.locator('table tbody tr').nth(0).innerText(), /Không dùng/);
    } finally {
      await context.close();
    }
    // The same page on a phone: rows become cards, nothing scrolls sideways.
    const phone = await signedIn(ADMIN, { width: 390, height: 844 });
    try {
      await phone.page.goto(`${base}/admin/signature-images`);
      await previewsLoaded(phone.page);
      const overflow = await phone.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
      await phone.page.screenshot({ path: join(OUT, 'signature-images-phone.png'), fullPage: true });
    } finally {
      await phone.context.close();
    }
  });

  test('the system administrator adds a trusted root on /admin/trust', async () => {
    const { context, page } = await signedIn(SYSADMIN);
    try {
      await page.goto(`${base}/admin/trust`);
      await page.getByRole('heading', { name: 'Chứng thư tin cậy', level: 1 }).waitFor();
      await page.getByLabel('Tệp chứng thư').setInputFiles(join(pkiDir, 'root.pem'));
      await submit(page, page.getByRole('button', { name: 'Thêm chứng thư' }));
      assert.match(await page.locator('.flash').innerText(), /Đã thêm 1 chứng thư/);
      await page.getByLabel('Tệp CRL').setInputFiles(join(pkiDir, 'inter.crl.pem'));
      await submit(page, page.getByRole('button', { name: 'Thêm CRL' }));
      assert.match(await page.locator('#crl-file-error').innerText(), /không do CA tin cậy phát hành/);
      await page.getByLabel('Tệp CRL').setInputFiles(join(pkiDir, 'root.crl.pem'));
      await submit(page, page.getByRole('button', { name: 'Thêm CRL' }));
      assert.match(await page.locator('.flash').innerText(), /Đã thêm danh sách thu hồi/);
      const certs = page.locator('table').first();
      assert.match(await certs.innerText(), /QLVB Test Root CA — QLVB Test/); // person or body — organisation, not CN=…,O=…
      assert.match(await certs.innerText(), /Gốc/);
      await page.screenshot({ path: join(OUT, 'trust-desktop.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
