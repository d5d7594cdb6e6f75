// Browser test of the update (cập nhật) form on an issued outgoing document (issue 12,
// standards.md §6, §9): the clerk of Sở KH&CN opens the form on a phone (390 px) and on a
// desktop, takes every recipient off (the reason shown next to the field, the values
// kept), then corrects the page count, adds UBND tỉnh and an external agency and takes
// the provincial office off; the tracking shows them. Screenshots in tests/output/, no
// horizontal overflow at 390 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { Server, Client, DEMO_PASSWORD, ROOT, ADMIN_SKHCN, qlvb } from '../integration/harness.mjs';
import { OUT, launchBrowser, newPage, stopServer } from './browser.mjs';

const CLERK = '040090000143', LEADER = '040090000142', SPECIALIST = '040090000145';
const PIN = '123456';
let srv, browser, pki;

// A one-page decision whose page 1 has "Số:" and "ngày … tháng … năm" (ố, à, á, ă through
// the font's Differences), where signing stamps the number and the date.
function decisionPdf(title = 'QUYET DINH') {
  const lines = [[70, 770, 12, 'SO KHOA HOC VA CONG NGHE'], [70, 740, 12, 'S\x80:'],
    [300, 740, 12, 'Nghe An, ng\x81y      th\x82ng      n\x83m 2026'], [200, 680, 14, title],
    [360, 300, 12, 'GIAM DOC'], [360, 200, 12, 'Bui Van Long']];
  const content = lines.map(([x, y, s, t]) => `BT /F1 ${s} Tf ${x} ${y} Td (${t}) Tj ET`).join('\n');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding ' +
    '/WinAnsiEncoding /Differences [128 /ocircumflexacute /agrave /aacute /abreve] >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`];
  let out = '%PDF-1.7\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const hostOf = (label) => `http://${label}.localhost:${srv.port}`;

async function signIn(page, login, label = 'qlvb-skhcn') {
  await page.goto(`${hostOf(label)}/login`);
  await page.fill('#login', login);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
}

// No horizontal scrolling: neither the page nor any element outside a scrolling box
// reaches past the device width (the helper of tests/browser/documents.test.mjs).
async function fitsWidth(page, width = page.viewportSize().width) {
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

const one = (sql) => Number(srv.db(sql).trim());
async function ok(c, id, step, json = {}) {
  const r = await c.post(`/api/v1/documents/${id}/${step}`, { json });
  assert.equal(r.status, 200, `${step}: ${r.text}`);
  return r.json;
}
async function api(login) { const c = new Client(srv); assert.equal((await c.apiLogin(login)).status, 200); return c; }

describe('the update form of an issued document in a browser', () => {
  let keys = {}, ids = {}, clients = {};
  before(async () => {
    pki = mkdtempSync(join(tmpdir(), 'qlvb-br-pki-'));
    execFileSync('bash', [join(ROOT, 'scripts/test-pki.sh'), pki], { stdio: 'ignore' });
    srv = new Server();
    srv.dir = mkdtempSync(join(tmpdir(), 'qlvb-br-'));
    qlvb(['init', '--data', srv.dir, '--demo']);
    mkdirSync(join(srv.dir, 'trust'));
    for (const f of ['root.pem', 'inter.pem', 'inter.crl.pem']) copyFileSync(join(pki, f), join(srv.dir, 'trust', f));
    await srv.start({ dataDir: srv.dir });
    const admin = await api(ADMIN_SKHCN);
    ids.leader = one(`SELECT id FROM app_user WHERE login = '${LEADER}'`);
    for (const [user, file] of [[ids.leader, 'person.p12'], [null, 'agency.p12']]) {
      const fd = new FormData();
      fd.append('pin', PIN);
      if (user) { fd.append('user_id', String(user)); fd.append('name_confirm', '1'); fd.append('name_reason', 'Bộ chứng thư kiểm thử'); }
      fd.append('file', new Blob([readFileSync(join(pki, file))]), file);
      const r = await admin.req('POST', '/api/v1/signing-keys', { body: fd });
      assert.equal(r.status, 201, r.text);
      keys[user ? 'person' : 'agency'] = r.json.id;
    }
    for (const [k, l] of [['clerk', CLERK], ['leader', LEADER], ['specialist', SPECIALIST]]) clients[k] = await api(l);
    const regs = (await clients.clerk.get('/api/v1/registers?kind=outgoing')).json.registers;
    if (!regs.some((g) => g.name === 'Sổ văn bản đi'))
      assert.equal((await clients.clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ văn bản đi' } })).status, 201);
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-outgoing-update-server.log');
    rmSync(pki, { recursive: true, force: true });
  });

  async function issued(subject) {
    const fd = new FormData();
    fd.append('metadata', JSON.stringify({ doc_type: 'quyet_dinh', subject, summary: 'Áp dụng trong Sở', urgency: 'thuong',
      authority: '', signer_id: ids.leader, recipients: [
        { kind: 'agency', agency_id: one("SELECT id FROM agency WHERE code = '000.00.30.H41'") },
        { kind: 'agency', agency_id: one("SELECT id FROM agency WHERE code = '000.00.01.H41'") }] }));
    fd.append('main', new Blob([decisionPdf()], { type: 'application/pdf' }), 'quyet-dinh.pdf');
    const r = await clients.specialist.req('POST', '/api/v1/documents/outgoing', { body: fd });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    await ok(clients.specialist, id, 'submit');
    await ok(clients.leader, id, 'approve');
    await ok(clients.leader, id, 'sign', { key_id: keys.person, pin: PIN });
    await ok(clients.clerk, id, 'seal', { key_id: keys.agency, pin: PIN });
    await ok(clients.clerk, id, 'issue');
    return id;
  }

  for (const [width, height, isMobile] of [[390, 844, true], [1280, 900, false]]) {
    test(`at ${width} px: a refused update keeps the values, a good one shows in the tracking`, async () => {
      const id = await issued(`Quyết định cập nhật trên màn hình ${width}`);
      const { context, page } = await newPage(browser, { viewport: { width, height }, isMobile, hasTouch: isMobile });
      try {
        await signIn(page, CLERK);
        await page.goto(`${hostOf('qlvb-skhcn')}/documents/${id}`);
        await page.click('#action-update > summary');
        const form = page.locator('#action-update');
        await form.getByLabel('Văn phòng Ủy ban nhân dân tỉnh').check();
        await form.getByLabel('Ủy ban nhân dân phường Trường Vinh').check();
        await page.fill('#update-note', 'Sai nơi nhận');
        await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
        assert.match(await page.locator('#action-update').textContent(), /Không bỏ được mọi nơi nhận/);
        assert.equal(await page.inputValue('#update-note'), 'Sai nơi nhận');
        if (isMobile) await fitsWidth(page);
        await page.locator('#action-update').screenshot({ path: join(OUT, `outgoing-update-error-${width}.png`) });
        const again = page.locator('#action-update');
        await again.getByLabel('Ủy ban nhân dân phường Trường Vinh').uncheck();
        await again.getByLabel(/Ủy ban nhân dân tỉnh Nghệ An/).check();
        await page.fill('#update-external', '000.00.00.G22 | Bộ Khoa học và Công nghệ');
        await page.fill('#update-pages', '2');
        await page.locator('#action-update').screenshot({ path: join(OUT, `outgoing-update-form-${width}.png`) });
        await Promise.all([page.waitForNavigation(), again.locator('button[type=submit]').click()]);
        const body = (await page.textContent('body')).replace(/\s+/g, ' ');
        assert.match(body, /Đã cập nhật văn bản/);
        assert.match(body, /Ủy ban nhân dân tỉnh Nghệ An .*Đã đến, chờ vào sổ/);
        assert.match(body, /Bộ Khoa học và Công nghệ .*Chờ gửi/);
        assert.match(body, /Văn phòng Ủy ban nhân dân tỉnh Đã bỏ khỏi nơi nhận \(cập nhật\)/);
        if (isMobile) await fitsWidth(page);
        await page.screenshot({ path: join(OUT, `outgoing-update-done-${width}.png`), fullPage: true });
        await page.locator('section[aria-labelledby="rcpt-title"]').screenshot({ path: join(OUT, `outgoing-update-tracking-${width}.png`) });
        await page.locator('section[aria-labelledby="timeline-title"]').screenshot({ path: join(OUT, `outgoing-update-timeline-${width}.png`) });
      } finally {
        await context.close();
      }
    });
  }
});
