// Browser test of drafts for public comment (issue 12, Khánh Hòa Điều 9): the drafter
// publishes a draft from the panel on the document page; a visitor with no account opens
// the public index and the draft's page on a phone (390 px) and on a desktop (1280 px),
// sends the comment form once with a mistake (the message next to the field, the text
// kept) and then correctly (thanks); the drafter sees the comment on the document page
// and closes the consultation early; the visitor's page then says it is closed and has
// no form. The drafter then uploads a revised version and publishes round 2 from the
// panel, which lists both rounds with their comment counts; a visitor on round 1's page
// is pointed to round 2, whose page links back to round 1. No application menu on the
// public pages; nothing wider than the screen. Screenshots at 1280 and 390 px go to
// tests/output/public-*.png.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Server, Client } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage, stopServer, signIn as signInAt, fitsWidth } from './browser.mjs';

const LEADER = '040090000142', HEAD = '040090000144', SPECIALIST = '040090000145';
let srv, browser, host, docId;

const signIn = (page, login) => signInAt(page, host, login);

const inDays = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe('drafts for public comment in a browser', () => {
  before(async () => {
    srv = await new Server().start();
    host = `http://qlvb-skhcn.localhost:${srv.port}`;
    browser = await launchBrowser();
    // The draft: a decision printed by Chromium (Vietnamese text), through the API.
    const { context, page } = await newPage(browser);
    await page.setContent(`<!doctype html><html lang="vi"><meta charset="utf-8"><style>body{font:13pt serif;margin:0}
      h1{text-align:center;font-size:14pt}</style><p><b>SỞ KHOA HỌC VÀ CÔNG NGHỆ</b></p><h1>QUYẾT ĐỊNH<br>Ban hành Quy chế
      sử dụng chữ ký số (DỰ THẢO)</h1><p>Điều 1. Phạm vi điều chỉnh.</p><p>Điều 2. Đối tượng áp dụng.</p>`);
    const pdf = await page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '30mm', right: '20mm' } });
    await context.close();
    const c = new Client(srv);
    await c.apiLogin(SPECIALIST);
    const leader = new Client(srv);
    await leader.apiLogin(LEADER);
    const lid = (await leader.get('/api/v1/me')).json.id;
    const head = new Client(srv);
    await head.apiLogin(HEAD);
    const f = new FormData();
    f.append('metadata', JSON.stringify({ doc_type: 'quyet_dinh', subject: 'Dự thảo Quyết định ban hành Quy chế sử dụng chữ ký số trong các cơ quan thuộc Sở',
      summary: 'Quy chế quy định việc quản lý, cấp phát và sử dụng chữ ký số của công chức, viên chức.\nÁp dụng từ ngày 01/01/2027.',
      urgency: 'thuong', signer_id: lid, recipients: [{ kind: 'user', user_id: (await head.get('/api/v1/me')).json.id }] }));
    f.append('main', new Blob([pdf], { type: 'application/pdf' }), 'du-thao-quy-che.pdf');
    const r = await c.req('POST', '/api/v1/documents/outgoing', { body: f });
    assert.equal(r.status, 201, r.text);
    docId = r.json.id;
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-public-server.log');
  });

  let slug;
  test('the drafter publishes the draft from the document page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, SPECIALIST);
      await page.goto(`${host}/documents/${docId}`);
      const panel = page.locator('#public-comment');
      await panel.getByLabel('Hạn góp ý', { exact: false }).fill(inDays(14));
      await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: 'Công bố lấy ý kiến' }).click()]);
      await page.locator('.flash').filter({ hasText: 'Đã công bố dự thảo' }).waitFor();
      await panel.getByText('Đang lấy ý kiến').waitFor();
      const href = await panel.locator('a[href^="/public/consultations/"]').getAttribute('href');
      slug = href.split('/').pop();
      assert.match(slug, /^[0-9a-f]{32}$/);
      await panel.screenshot({ path: join(OUT, 'public-drafter-panel-1280.png') });
    } finally {
      await context.close();
    }
  });

  for (const [name, opts] of [['1280', {}], ['390', phone]]) {
    test(`a visitor reads and comments without an account (${name} px)`, async () => {
      const { context, page } = await newPage(browser, opts);
      try {
        await page.goto(`${host}/public/consultations`);
        await page.getByRole('heading', { name: 'Dự thảo văn bản lấy ý kiến' }).waitFor();
        assert.equal(await page.locator('#mainnav').count(), 0, 'no application menu');
        await fitsWidth(page);
        await page.screenshot({ path: join(OUT, `public-index-${name}.png`), fullPage: true });
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /Quy chế sử dụng chữ ký số/ }).click()]);
        await page.getByText('Đang lấy ý kiến').first().waitFor();
        assert.equal(await page.locator('#mainnav').count(), 0);
        await fitsWidth(page);
        await page.screenshot({ path: join(OUT, `public-page-${name}.png`), fullPage: true });
        // A mistake first: no name; the message is next to the field, the text kept.
        await page.fill('#body', `Đề nghị bổ sung vào Điều 2 đối tượng là người lao động hợp đồng (${name}).`);
        await page.fill('#email', 'khong-phai-email');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Gửi góp ý' }).click()]);
        await page.locator('#name-error').filter({ hasText: 'Vui lòng nhập họ và tên' }).waitFor();
        await page.locator('#email-error').filter({ hasText: 'không hợp lệ' }).waitFor();
        assert.match(await page.inputValue('#body'), /người lao động hợp đồng/);
        await fitsWidth(page);
        await page.locator('#gop-y').screenshot({ path: join(OUT, `public-form-errors-${name}.png`) });
        await page.fill('#name', 'Trần Văn Hùng');
        await page.fill('#organisation', 'Hội Tin học tỉnh Khánh Hòa');
        await page.fill('#email', 'hung@example.vn');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Gửi góp ý' }).click()]);
        await page.locator('.flash').filter({ hasText: 'Cảm ơn bạn đã góp ý' }).waitFor();
        await fitsWidth(page);
        await page.screenshot({ path: join(OUT, `public-thanks-${name}.png`) });
      } finally {
        await context.close();
      }
    });
  }

  test('the drafter sees the comments and closes early; the page stays readable, closed (390 px)', async () => {
    const { context, page } = await newPage(browser, phone);
    try {
      await signIn(page, SPECIALIST);
      await page.goto(`${host}/documents/${docId}#public-comment`);
      const panel = page.locator('#public-comment');
      await panel.getByText('người lao động hợp đồng (390)').waitFor();
      await panel.getByText('Hội Tin học tỉnh Khánh Hòa').first().waitFor();
      await fitsWidth(page);
      await panel.screenshot({ path: join(OUT, 'public-drafter-comments-390.png') });
      await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: 'Kết thúc lấy ý kiến ngay' }).click()]);
      await page.locator('.flash').filter({ hasText: 'Đã kết thúc lấy ý kiến' }).waitFor();
      await panel.getByText('Đã kết thúc').first().waitFor();
    } finally {
      await context.close();
    }
    const v = await newPage(browser, phone);
    try {
      await v.page.goto(`${host}/public/consultations/${slug}`);
      await v.page.getByText('Đã kết thúc lấy ý kiến').first().waitFor();
      assert.equal(await v.page.locator('#body').count(), 0, 'no form once closed');
      await fitsWidth(v.page);
      await v.page.screenshot({ path: join(OUT, 'public-closed-390.png'), fullPage: true });
    } finally {
      await v.context.close();
    }
  });

  let slug2;
  test('the drafter revises the draft and publishes round 2; the panel lists the rounds (1280 and 390 px)', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, SPECIALIST);
      await page.goto(`${host}/documents/${docId}`);
      const panel = page.locator('#public-comment');
      await panel.getByText('tải lên phiên bản PDF mới của dự thảo').waitFor();
      assert.equal(await panel.getByRole('button', { name: /Công bố/ }).count(), 0, 'no new round of the same version');
      // The revision as version 2, through the page's "new version" form.
      const pdf = await context.newPage().then(async (p) => {
        await p.setContent(`<!doctype html><html lang="vi"><meta charset="utf-8"><h1>QUYẾT ĐỊNH (DỰ THẢO LẦN 2)</h1>
          <p>Điều 2. Đối tượng áp dụng, kể cả người lao động hợp đồng.</p>`);
        const b = await p.pdf({ format: 'A4' });
        await p.close();
        return b;
      });
      await page.click('#action-version > summary');
      await page.setInputFiles('#version-file', { name: 'du-thao-lan-2.pdf', mimeType: 'application/pdf', buffer: pdf });
      await page.fill('#version-note', 'Sửa theo góp ý vòng 1');
      await Promise.all([page.waitForNavigation(), page.click('#action-version button[type=submit]')]);
      await panel.getByLabel('Hạn góp ý', { exact: false }).fill(inDays(10));
      await Promise.all([page.waitForNavigation(), panel.getByRole('button', { name: 'Công bố vòng lấy ý kiến 2' }).click()]);
      await page.locator('.flash').filter({ hasText: 'Đã công bố dự thảo' }).waitFor();
      const rounds = panel.locator('li.consult-round');
      assert.equal(await rounds.count(), 2);
      assert.match(await rounds.nth(0).innerText(), /Vòng 2 · phiên bản 2 .*Đang lấy ý kiến · 0 góp ý/s);
      assert.match(await rounds.nth(1).innerText(), /Vòng 1 · phiên bản 1 .*Đã kết thúc · 2 góp ý.*kết thúc sớm/s);
      // Round 1's comments are folded; opened, they are there.
      await rounds.nth(1).locator('summary').click();
      await rounds.nth(1).getByText('người lao động hợp đồng (390)').waitFor();
      slug2 = (await panel.locator('dl a[href^="/public/consultations/"]').getAttribute('href')).split('/').pop();
      assert.notEqual(slug2, slug);
      await panel.screenshot({ path: join(OUT, 'public-drafter-rounds-1280.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await fitsWidth(page);
      await panel.screenshot({ path: join(OUT, 'public-drafter-rounds-390.png') });
    } finally {
      await context.close();
    }
  });

  test('a visitor on round 1 is sent to round 2; the rounds are linked (390 px)', async () => {
    const { context, page } = await newPage(browser, phone);
    try {
      await page.goto(`${host}/public/consultations/${slug}`);
      const notice = page.locator('#newer-round');
      await notice.getByText('đang lấy ý kiến vòng 2').waitFor();
      assert.equal(await page.locator('#body').count(), 0, 'round 1 takes no comment');
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'public-round1-390.png'), fullPage: true });
      await Promise.all([page.waitForNavigation(), notice.getByRole('link', { name: 'Đọc dự thảo mới và gửi góp ý' }).click()]);
      assert.ok(page.url().endsWith(`/public/consultations/${slug2}`), page.url());
      await page.locator('#body').waitFor();
      const list = page.locator('#cac-vong');
      await list.getByText('(trang này)').waitFor();
      assert.equal(await list.getByRole('link', { name: 'Vòng 1' }).getAttribute('href'), `/public/consultations/${slug}`);
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'public-round2-390.png'), fullPage: true });
      await page.goto(`${host}/public/consultations`);
      await page.getByText('Lấy ý kiến vòng 2').waitFor();
    } finally {
      await context.close();
    }
  });
});
