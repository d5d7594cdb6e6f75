// Browser test of the update (cập nhật) form on an issued outgoing document (issue 12,
// standards.md §6, §9): the clerk of Sở KH&CN opens the form on a phone (390 px) and on a
// desktop, takes every recipient off (the reason shown next to the field, the values
// kept), then corrects the page count, adds UBND tỉnh and an external agency and takes
// the provincial office off; the tracking shows them. Screenshots in tests/output/, no
// horizontal overflow at 390 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { ADMIN_SKHCN } from '../integration/harness.mjs';
import { PIN, serverWithPki, apiClient, importKey, ok, formData, decisionPdf } from '../integration/docs_helpers.mjs';
import { OUT, launchBrowser, newPage, stopServer, signIn as signInAt, fitsWidth } from './browser.mjs';

const CLERK = '040090000143', LEADER = '040090000142', SPECIALIST = '040090000145';
let srv, browser, pki;

const hostOf = (label) => `http://${label}.localhost:${srv.port}`;
const signIn = (page, login, label = 'qlvb-skhcn') => signInAt(page, hostOf(label), login);

const one = (sql) => Number(srv.db(sql).trim());

describe('the update form of an issued document in a browser', () => {
  let keys = {}, ids = {}, clients = {};
  before(async () => {
    ({ srv, pki } = await serverWithPki('qlvb-br-'));
    const admin = await apiClient(srv, ADMIN_SKHCN);
    ids.leader = one(`SELECT id FROM app_user WHERE login = '${LEADER}'`);
    keys.person = await importKey(admin, pki, ids.leader, 'person.p12');
    keys.agency = await importKey(admin, pki, null, 'agency.p12');
    for (const [k, l] of [['clerk', CLERK], ['leader', LEADER], ['specialist', SPECIALIST]]) clients[k] = await apiClient(srv, l);
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
    const metadata = { doc_type: 'quyet_dinh', subject, summary: 'Áp dụng trong Sở', urgency: 'thuong',
      authority: '', signer_id: ids.leader, recipients: [
        { kind: 'agency', agency_id: one("SELECT id FROM agency WHERE code = '000.00.30.H41'") },
        { kind: 'agency', agency_id: one("SELECT id FROM agency WHERE code = '000.00.01.H41'") }] };
    const r = await clients.specialist.req('POST', '/api/v1/documents/outgoing',
      { body: formData({ metadata }, [['main', decisionPdf(), 'quyet-dinh.pdf', 'application/pdf']]) });
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
