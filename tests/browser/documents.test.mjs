// Browser test of "Văn bản đến" against the real binary, on the agency's own host name
// (qlvb-skhcn.localhost: Chromium resolves *.localhost to the loopback address): the
// clerk opens the registration form from the menu, sends it with mistakes (field errors
// next to the fields, values kept), registers a scanned PDF (flash with the arrival
// number, the PDF shown in the page), sees it in the list with its urgency flagged; a
// second registration of the same document is stopped with the earlier one linked and
// goes through with "Vẫn vào sổ"; the clerk presents it to the director, who assigns it
// to the specialist with a deadline in working days (a missing lead is an error next to
// the field); the specialist accepts it, gives an opinion and completes it; each page
// shows exactly the actions of that step, the state and the timeline; the home page's
// counters link to the boxes; the director's tracking page. Screenshots at 1280 and
// 390 px go to tests/output/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Server, revokeDemoKeys } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage, stopServer, signIn as signInAt, fitsWidth,
  selectByText } from './browser.mjs';

const CLERK = '040090000143'; // văn thư, Sở KH&CN
const LEADER = '040090000142'; // Bùi Văn Long, Giám đốc
const HEAD = '040090000144'; // trưởng Phòng Công nghệ thông tin
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, chuyên viên of that department

let srv, browser, host;
const SUMMIT = { number: '4321', symbol: 'UBND-VX', subject: 'Về việc tổ chức hội nghị tổng kết công tác văn thư, lưu trữ năm 2026' };

// The scan of a paper letter, printed by Chromium from its own metadata (the same words
// the form is given, with their diacritics: pdftotext reads them back), in the layout of
// an official letter (ND30 Phụ lục I, standards.md §2).
const DEFAULT_LETTER = { number: '1234', symbol: 'UBND-KT', issuer: 'Ủy ban nhân dân tỉnh Lạng Sơn',
  subject: 'Về việc triển khai chuyển đổi số năm 2027 trong các cơ quan nhà nước', signer: 'Hoàng Văn Nam' };
const scans = new Map();
async function scan(meta = {}) {
  const m = { ...DEFAULT_LETTER, ...meta };
  const key = JSON.stringify(m);
  if (scans.has(key)) return scans.get(key);
  const esc = (t) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const { context, page } = await newPage(browser);
  try {
    await page.setContent(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>Số ${esc(m.number)}/${esc(m.symbol)}</title><style>
      body { font: 13pt serif; margin: 0; } .head { display: flex; justify-content: space-between; text-align: center; }
      .head div { width: 48%; } u { text-decoration-thickness: 1px; } .sign { margin: 3em 0 0 55%; text-align: center; }
      </style><div class="head"><div><b>${esc(m.issuer.toUpperCase())}</b><br>Số: ${esc(m.number)}/${esc(m.symbol)}<br>
      <small>V/v ${esc(m.subject.replace(/^Về việc /, ''))}</small></div><div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>
      <u>Độc lập - Tự do - Hạnh phúc</u></div></div><p style="margin-top:3em">Kính gửi: Sở Khoa học và Công nghệ.</p>
      <p>${esc(m.subject)}.</p><div class="sign"><b>CHỦ TỊCH</b><br><br><br>${esc(m.signer)}</div>`);
    const pdf = await page.pdf({ format: 'A4', margin: { top: '20mm', bottom: '20mm', left: '30mm', right: '20mm' } });
    scans.set(key, pdf);
    return pdf;
  } finally {
    await context.close();
  }
}

const signIn = (page, login) => signInAt(page, host, login);

const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // Vietnam date

async function fillForm(page, { number = '1234', symbol = 'UBND-KT', subject } = {}) {
  await page.getByLabel('Cơ quan ban hành', { exact: false }).first().fill('Ủy ban nhân dân tỉnh Lạng Sơn');
  await page.fill('#number', number);
  await page.fill('#symbol', symbol);
  await page.fill('#issued_date', today());
  await page.selectOption('#doc_type', 'cong_van');
  await page.fill('#subject', subject || 'Về việc triển khai chuyển đổi số năm 2027 trong các cơ quan nhà nước');
  await page.fill('#signer_name', 'Hoàng Văn Nam');
  await page.selectOption('#urgency', 'hoa_toc');
  await page.fill('#recipients', 'Sở Khoa học và Công nghệ\nSở Tài chính');
}

describe('incoming documents in a browser', () => {
  before(async () => {
    srv = await new Server().start();
    await revokeDemoKeys(srv); // paper scans presented as they are
    host = `http://qlvb-skhcn.localhost:${srv.port}`;
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-documents-server.log');
  });

  test('the clerk registers a scanned PDF through the form', async () => {
    const { context, page } = await newPage(browser);
    try {
      await signIn(page, CLERK);
      await page.click('nav >> text=Vào sổ văn bản đến');
      assert.match(page.url(), /\/documents\/new$/);
      // Everything wrong at once: no issuer, a symbol with a space, a secret document,
      // and a Word file as the scan of a paper original.
      await page.fill('#number', '1234');
      await page.fill('#symbol', 'UBND KT');
      await page.fill('#issued_date', today());
      await page.selectOption('#doc_type', 'cong_van');
      await page.fill('#subject', 'Về việc triển khai chuyển đổi số');
      await page.selectOption('#secrecy', 'mat');
      await page.setInputFiles('#main_file', { name: 'công văn.txt', mimeType: 'text/plain', buffer: Buffer.from('không phải PDF') });
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Vào sổ")')]);
      const body = await page.textContent('main');
      assert.match(body, /Chưa lưu được/);
      assert.match(await page.textContent('#symbol-error'), /Ký hiệu “UBND KT” không đúng quy tắc/);
      assert.match(await page.textContent('#secrecy-error'), /không được tiếp nhận trên hệ thống/);
      assert.ok(await page.locator('#issuer_name-error').count(), 'issuer error shown');
      assert.ok(await page.locator('#main_file-error').count(), 'file error shown');
      assert.equal(await page.inputValue('#number'), '1234', 'values kept');
      assert.equal(await page.inputValue('#subject'), 'Về việc triển khai chuyển đổi số');
      assert.equal(await page.getAttribute('#symbol', 'aria-invalid'), 'true');
      await page.screenshot({ path: join(OUT, 'doc-form-errors.png'), fullPage: true });

      await fillForm(page);
      await page.selectOption('#secrecy', '');
      await page.setInputFiles('#main_file', { name: 'Công văn 1234.pdf', mimeType: 'application/pdf', buffer: await scan() });
      await page.setInputFiles('#appendix', [{ name: 'Phụ lục 1.pdf', mimeType: 'application/pdf', buffer: await scan({ subject: 'Phụ lục: danh sách cơ quan triển khai chuyển đổi số năm 2027' }) }]);
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Vào sổ")')]);
      assert.match(page.url(), /\/documents\/\d+$/);
      assert.match(await page.textContent('.flash'), /Đã vào sổ văn bản đến số \d+/);
      assert.match(await page.textContent('h1'), /Công văn số 1234\/UBND-KT/);
      assert.match(await page.textContent('h1'), /Hỏa tốc/);
      assert.match(await page.textContent('.timeline'), /Tiếp nhận, vào sổ/);
      // The main PDF is framed from its own route, which allows it (same origin only).
      const src = await page.getAttribute('iframe.pdf-frame', 'src');
      const res = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, headers: Object.fromEntries(r.headers) };
      }, src);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.match(res.headers['content-security-policy'], /frame-ancestors 'self'/);
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      assert.match(res.headers['content-disposition'], /^inline/);
      // The scan is the letter's own: pdftotext reads its subject back with diacritics (NFC).
      const bytes = Buffer.from(await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], src));
      writeFileSync(join(OUT, 'doc-scan-1234.pdf'), bytes);
      const text = execFileSync('pdftotext', [join(OUT, 'doc-scan-1234.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      assert.ok(text.includes('Số: 1234/UBND-KT') && text.includes('triển khai chuyển đổi số năm 2027'), text);
      await page.waitForTimeout(2500); // the PDF viewer inside the frame draws the page
      await page.screenshot({ path: join(OUT, 'doc-view.png'), fullPage: true });

      await page.click('nav >> text=Văn bản đến');
      const row = page.locator('tbody tr').first();
      assert.match(await row.textContent(), /1234\/UBND-KT/);
      assert.match(await row.locator('.badge-urgency-fire').textContent(), /Hỏa tốc/);
      await page.screenshot({ path: join(OUT, 'doc-list.png'), fullPage: true });

      // The same document again: stopped, the earlier one linked, then confirmed.
      await page.click('text=Vào sổ văn bản đến >> nth=-1');
      await fillForm(page);
      await page.setInputFiles('#main_file', { name: 'Công văn 1234.pdf', mimeType: 'application/pdf', buffer: await scan() });
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Vào sổ")')]);
      assert.match(await page.textContent('.duplicate'), /Văn bản có thể đã được vào sổ/);
      assert.ok(await page.locator('.duplicate a[href^="/documents/"]').count());
      await page.screenshot({ path: join(OUT, 'doc-form-duplicate.png'), fullPage: true });
      await page.check('#confirm_duplicate');
      await page.setInputFiles('#main_file', { name: 'Công văn 1234.pdf', mimeType: 'application/pdf', buffer: await scan() });
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Vào sổ")')]);
      assert.match(await page.textContent('.flash'), /Đã vào sổ văn bản đến số \d+/);
    } finally {
      await context.close();
    }
  });

  test('present, assign with a deadline, accept, comment, complete', async () => {
    const clerkCtx = await newPage(browser);
    const leaderCtx = await newPage(browser);
    const specCtx = await newPage(browser);
    try {
      const c = clerkCtx.page, l = leaderCtx.page, sp = specCtx.page;
      await signIn(c, CLERK);
      await c.goto(`${host}/documents/new`);
      await fillForm(c, SUMMIT);
      await c.selectOption('#urgency', 'khan');
      await c.setInputFiles('#main_file', { name: 'Công văn 4321.pdf', mimeType: 'application/pdf', buffer: await scan(SUMMIT) });
      await Promise.all([c.waitForNavigation(), c.click('button:has-text("Vào sổ")')]);
      const docUrl = c.url();
      assert.match(docUrl, /\/documents\/\d+$/);
      const path = new URL(docUrl).pathname;
      // The clerk's actions now: present, and the agency's signature on the scan (standards.md §5).
      assert.deepEqual(await c.locator('details.action > summary').allTextContents(), ['Trình lãnh đạo', 'Ký số bản số hóa']);
      await c.click('summary:has-text("Trình lãnh đạo")');
      await selectByText(c, '#present-leader', /Bùi Văn Long/);
      await c.fill('#present-note', 'Kính trình Giám đốc cho ý kiến chỉ đạo.');
      await Promise.all([c.waitForNavigation(), c.click('#action-present button[type=submit]')]);
      assert.match(await c.textContent('.flash'), /Đã trình văn bản/);
      assert.match(await c.textContent('.page-head'), /Chờ lãnh đạo phân công/);
      assert.deepEqual(await c.locator('details.action > summary').allTextContents(), ['Ký số bản số hóa'], 'nothing more for the clerk in the workflow');

      await signIn(l, LEADER);
      await l.goto(`${host}/`);
      assert.ok(Number(await l.locator('a.counter[href="/documents?box=to_process"] .counter-value').textContent()) >= 1);
      await l.screenshot({ path: join(OUT, 'doc-home.png'), fullPage: true });
      await l.click('a.counter[href="/documents?box=to_process"]');
      assert.match(await l.textContent('tbody'), /4321\/UBND-VX/);
      await l.goto(`${host}${path}`);
      assert.deepEqual(await l.locator('details.action > summary').allTextContents(), ['Phân công xử lý', 'Trả lại']);
      await l.click('summary:has-text("Phân công xử lý")');
      // No lead: the error is next to the field and the direction is kept.
      await l.fill('#assign-note', 'Giao đồng chí Châu chủ trì, báo cáo trước hạn.');
      await l.check('#action-assign input[name=deadline_mode][value=days]');
      await l.fill('#assign-days', '3');
      await Promise.all([l.waitForNavigation(), l.click('#action-assign button[type=submit]')]);
      assert.match(await l.textContent('#assign-lead-error'), /Vui lòng chọn đơn vị hoặc người chủ trì/);
      assert.equal(await l.inputValue('#assign-note'), 'Giao đồng chí Châu chủ trì, báo cáo trước hạn.');
      assert.equal(await l.inputValue('#assign-days'), '3');
      await selectByText(l, '#assign-lead', /^Đỗ Minh Châu/);
      await l.locator('#action-assign input[name=for_info]').first().check();
      await Promise.all([l.waitForNavigation(), l.click('#action-assign button[type=submit]')]);
      assert.match(await l.textContent('.flash'), /Đã phân công xử lý/);
      assert.match(await l.textContent('.page-head'), /Đã giao xử lý/);
      assert.match(await l.textContent('.with-list'), /Chủ trì xử lý\s*Đỗ Minh Châu/);
      assert.match(await l.textContent('#with-title + dl'), /Hạn xử lý\s*\d\d\/\d\d\/\d{4}/);
      await l.waitForTimeout(1500);
      await l.screenshot({ path: join(OUT, 'doc-view-assigned.png'), fullPage: true });

      await signIn(sp, SPECIALIST);
      await sp.goto(`${host}${path}`);
      const acts = await sp.locator('details.action > summary').allTextContents();
      assert.ok(acts.includes('Nhận xử lý') && acts.includes('Hoàn thành xử lý'), acts.join());
      await sp.click('summary:has-text("Nhận xử lý")');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-accept button[type=submit]')]);
      assert.match(await sp.textContent('.page-head'), /Đang xử lý/);
      await sp.click('summary:has-text("Cho ý kiến")');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-comment button[type=submit]')]);
      assert.match(await sp.textContent('#comment-note-error'), /Vui lòng nhập ý kiến/);
      await sp.fill('#comment-note', 'Đã làm việc với Văn phòng, dự kiến tổ chức ngày 20/12.');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-comment button[type=submit]')]);
      assert.match(await sp.textContent('.flash'), /Đã gửi ý kiến/);
      await sp.click('summary:has-text("Hoàn thành xử lý")');
      await sp.fill('#complete-note', 'Đã tổ chức hội nghị, báo cáo Giám đốc.');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-complete button[type=submit]')]);
      assert.match(await sp.textContent('.flash'), /Đã hoàn thành xử lý/);
      assert.match(await sp.textContent('.page-head'), /Đã hoàn thành/);
      assert.equal(await sp.locator('details.action').count(), 0);
      const timeline = await sp.locator('.timeline li strong').allTextContents();
      assert.deepEqual(timeline, ['Tiếp nhận, vào sổ', 'Trình lãnh đạo', 'Phân công xử lý', 'Bắt đầu xử lý', 'Cho ý kiến', 'Hoàn thành xử lý']);
      assert.match(await sp.textContent('.timeline'), /Đã tổ chức hội nghị, báo cáo Giám đốc/);
      await sp.waitForTimeout(1500);
      await sp.screenshot({ path: join(OUT, 'doc-view-completed.png'), fullPage: true });

      await l.goto(`${host}/documents/tracking`);
      assert.match(await l.textContent('h1'), /Theo dõi xử lý văn bản/);
      assert.match(await l.textContent('main'), /Đỗ Minh Châu/);
      await l.screenshot({ path: join(OUT, 'doc-tracking.png'), fullPage: true });
      // The specialist has no tracking page.
      assert.equal((await sp.goto(`${host}/documents/tracking`)).status(), 403);
    } finally {
      await clerkCtx.context.close();
      await leaderCtx.context.close();
      await specCtx.context.close();
    }
  });

  test('the leader assigns a department, its head reassigns inside it, the specialist completes', async () => {
    const clerkCtx = await newPage(browser);
    const leaderCtx = await newPage(browser);
    const headCtx = await newPage(browser);
    const specCtx = await newPage(browser);
    try {
      const c = clerkCtx.page, l = leaderCtx.page, h = headCtx.page, sp = specCtx.page;
      const letter = { number: '5678', symbol: 'UBND-KT', subject: 'Về việc nâng cấp hạ tầng mạng nội bộ của các sở, ngành năm 2027' };
      await signIn(c, CLERK);
      await c.goto(`${host}/documents/new`);
      await fillForm(c, letter);
      await c.selectOption('#urgency', 'thuong');
      await c.setInputFiles('#main_file', { name: 'Công văn 5678.pdf', mimeType: 'application/pdf', buffer: await scan(letter) });
      await Promise.all([c.waitForNavigation(), c.click('button:has-text("Vào sổ")')]);
      const path = new URL(c.url()).pathname;
      assert.match(path, /^\/documents\/\d+$/);
      await c.click('summary:has-text("Trình lãnh đạo")');
      await selectByText(c, '#present-leader', /Bùi Văn Long/);
      await Promise.all([c.waitForNavigation(), c.click('#action-present button[type=submit]')]);

      // The director gives the department the lead (standards.md §5: one lead, a unit or a person).
      await signIn(l, LEADER);
      await l.goto(`${host}${path}`);
      await l.click('summary:has-text("Phân công xử lý")');
      await selectByText(l, '#assign-lead', /^Đơn vị: Phòng Công nghệ thông tin/);
      await l.fill('#assign-note', 'Giao Phòng Công nghệ thông tin chủ trì.');
      await l.check('#action-assign input[name=deadline_mode][value=days]');
      await l.fill('#assign-days', '5');
      await Promise.all([l.waitForNavigation(), l.click('#action-assign button[type=submit]')]);
      assert.match(await l.textContent('.flash'), /Đã phân công xử lý/);
      assert.match(await l.textContent('.with-list'), /Chủ trì xử lý\s*Phòng Công nghệ thông tin/);

      // The head of the department passes it to one of its people.
      await signIn(h, HEAD);
      await h.goto(`${host}${path}`);
      const acts = await h.locator('details.action > summary').allTextContents();
      assert.ok(acts.includes('Giao cán bộ trong đơn vị xử lý'), acts.join());
      await h.click('summary:has-text("Giao cán bộ trong đơn vị xử lý")');
      const people = await h.locator('#reassign-lead option').allTextContents();
      assert.ok(!people.some((o) => /^Đơn vị:/.test(o)), `only people of the unit: ${people.join()}`);
      await selectByText(h, '#reassign-lead', /^Đỗ Minh Châu/);
      await h.fill('#reassign-note', 'Đồng chí Châu chủ trì, báo cáo trước hạn.');
      await h.screenshot({ path: join(OUT, 'doc-view-reassign.png'), fullPage: true });
      await Promise.all([h.waitForNavigation(), h.click('#action-reassign button[type=submit]')]);
      assert.match(await h.textContent('.flash'), /Đã giao xử lý trong đơn vị/);
      assert.match(await h.textContent('.timeline'), /Giao xử lý trong đơn vị/);

      await signIn(sp, SPECIALIST);
      await sp.goto(`${host}/documents?box=to_process`);
      assert.match(await sp.textContent('tbody'), /5678\/UBND-KT/);
      await sp.goto(`${host}${path}`);
      await sp.click('summary:has-text("Nhận xử lý")');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-accept button[type=submit]')]);
      await sp.click('summary:has-text("Hoàn thành xử lý")');
      await sp.fill('#complete-note', 'Đã nâng cấp, báo cáo Trưởng phòng.');
      await Promise.all([sp.waitForNavigation(), sp.click('#action-complete button[type=submit]')]);
      assert.match(await sp.textContent('.page-head'), /Đã hoàn thành/);
      assert.deepEqual(await sp.locator('.timeline li strong').allTextContents(),
        ['Tiếp nhận, vào sổ', 'Trình lãnh đạo', 'Phân công xử lý', 'Giao xử lý trong đơn vị', 'Bắt đầu xử lý', 'Hoàn thành xử lý']);
      await sp.screenshot({ path: join(OUT, 'doc-view-reassigned-completed.png'), fullPage: true });
    } finally {
      for (const x of [clerkCtx, leaderCtx, headCtx, specCtx]) await x.context.close();
    }
  });

  test('no document screen is wider than a 1280 px desktop or a 390 px phone', async () => {
    for (const [width, height, isMobile] of [[1280, 900, false], [390, 844, true]]) {
      const { context, page } = await newPage(browser, { viewport: { width, height }, isMobile, hasTouch: isMobile });
      try {
        await signIn(page, CLERK);
        const pages = ['/', '/documents', '/documents?box=all', '/documents/new'];
        await page.goto(`${host}/documents`);
        pages.push(await page.locator('tbody tr a').first().getAttribute('href'));
        for (const p of pages) {
          await page.goto(`${host}${p}`);
          await fitsWidth(page, width);
        }
        await page.context().clearCookies();
        await signIn(page, LEADER);
        for (const p of ['/', '/documents', '/documents/tracking']) {
          await page.goto(`${host}${p}`);
          await fitsWidth(page, width);
        }
        await page.goto(`${host}/documents?box=to_process`);
        await page.locator('tbody tr a').first().click();
        for (const s of await page.locator('details.action').all()) await s.evaluate((d) => { d.open = true; });
        await fitsWidth(page, width);
        await page.goto(`${host}/documents`);
        await page.screenshot({ path: join(OUT, `doc-list-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }
  });

  test('the pages fit a 390 px phone', async () => {
    const { context, page } = await newPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await signIn(page, CLERK);
      await fitsWidth(page);
      assert.ok(await page.locator('a.counter[href="/documents?state=arrived"]').count(), 'clerk: to register');
      await page.screenshot({ path: join(OUT, 'doc-home-phone.png'), fullPage: true });
      await page.goto(`${host}/documents`);
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'doc-list-phone.png'), fullPage: true });
      const href = await page.locator('tbody tr a').first().getAttribute('href');
      await page.goto(`${host}/documents/new`);
      await page.fill('#symbol', 'UBND KT');
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Vào sổ")')]);
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'doc-form-errors-phone.png'), fullPage: true });
      await page.goto(`${host}${href}`);
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'doc-view-phone.png'), fullPage: true });
      // The director's page of a document to assign, with its action forms open.
      await page.context().clearCookies();
      await signIn(page, LEADER);
      await page.goto(`${host}/documents?box=to_process`);
      await page.locator('tbody tr a').first().click();
      for (const s of await page.locator('details.action').all()) await s.evaluate((d) => { d.open = true; });
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'doc-view-actions-phone.png'), fullPage: true });
      await page.goto(`${host}/documents/tracking`);
      await fitsWidth(page);
      await page.screenshot({ path: join(OUT, 'doc-tracking-phone.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
