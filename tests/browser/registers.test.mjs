// The "Sổ văn bản" page in a browser at 1280 and 390 px (standards.md §9): the clerk of
// Sở KH&CN sees the agency's registers with their entries, opens an outgoing register for
// a separate series through the form (keyboard: labels, radio buttons, checkboxes), and
// downloads a register's book; the page must not scroll sideways on a phone. Screenshots
// in tests/output/registers-*.png.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Server, DEMO_PASSWORD } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage, stopServer } from './browser.mjs';

const VIEWPORTS = [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]];
let srv, browser;

async function signIn(page, login) {
  await page.goto(srv.url('/login'));
  await page.getByLabel('Số định danh cá nhân', { exact: true }).fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
}
async function shoot(page, name, kind) {
  await page.screenshot({ path: join(OUT, `registers-${name}-${kind}.png`), fullPage: true });
  if (kind === 'phone') {
    const widest = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll('main *')]
        .filter((e) => e.offsetParent !== null && !e.closest('.visually-hidden, table.stack thead'))
        .map((e) => e.getBoundingClientRect().right)));
    assert.ok(widest <= 391, `${name}: content ${widest} px wide on a 390 px phone`);
  }
}

describe('Sổ văn bản in a browser', () => {
  before(async () => { srv = await new Server().start(); browser = await launchBrowser(); });
  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'registers-server.log');
  });

  for (const [kind, viewport] of VIEWPORTS) {
    test(`the clerk opens a register and downloads a book (${kind})`, async () => {
      const { context, page } = await newPage(browser, { viewport, acceptDownloads: true });
      try {
        await signIn(page, '040090000143');
        if (kind === 'phone') await page.getByRole('button', { name: 'Danh mục chức năng' }).click();
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Sổ văn bản', exact: true }).click()]);
        assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sổ văn bản');
        await page.getByRole('heading', { name: 'Sổ văn bản đi', exact: true }).waitFor();
        await shoot(page, 'list', kind);
        // Open a register of one year for decisions (a separate series, §2).
        const name = `Sổ quyết định ${kind}`;
        await page.getByLabel('Loại sổ').selectOption('outgoing');
        await page.getByLabel('Tên sổ').fill(name);
        await page.getByLabel('Sổ của một năm', { exact: true }).check();
        await page.getByLabel('Năm (sổ của một năm)').fill('1800');
        await page.getByLabel('Quyết định', { exact: true }).check();
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Mở sổ' }).click()]);
        await page.locator('.field-error').first().waitFor();
        assert.match(await page.locator('#year-error').textContent(), /không hợp lệ/);
        assert.equal(await page.getByLabel('Tên sổ').inputValue(), name, 'the values are kept');
        assert.ok(await page.getByLabel('Quyết định', { exact: true }).isChecked());
        await shoot(page, 'errors', kind);
        await page.getByLabel('Năm (sổ của một năm)').fill(new Date().toISOString().slice(0, 4));
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Mở sổ' }).click()]);
        await page.getByText('Đã mở sổ văn bản.').waitFor();
        const card = page.locator('section.panel', { has: page.getByRole('heading', { name }) });
        assert.match(await card.textContent(), /Sổ của năm \d{4}/);
        assert.match(await card.textContent(), /Quyết định/);
        await shoot(page, 'opened', kind);
        // The outgoing book of the general register, as PDF.
        const out = page.locator('section.panel', { has: page.getByRole('heading', { name: 'Sổ văn bản đi', exact: true }) });
        const [dl] = await Promise.all([page.waitForEvent('download'), out.getByRole('button', { name: /Tải sổ \(PDF\)/ }).click()]);
        assert.match(dl.suggestedFilename(), /^Sổ văn bản đi .*\.pdf$/);
      } finally {
        await context.close();
      }
    });
  }
});
