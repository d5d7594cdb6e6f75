// Browser test of "Văn bản đi" (issue 12, standards.md §2, §6, §9) against the real
// binary on the agency's host name: the specialist opens "Soạn văn bản" from the menu,
// sends the form with mistakes (errors next to the fields, values kept), drafts a
// decision for phường Trường Vinh (another agency of the installation) and submits it to
// the department head; the head returns it once with a reason; the specialist uploads a
// new version and submits again; the head approves; the director approves and signs
// with a personal key and PIN (number and symbol given); the clerk seals and issues it;
// the receiving clerk of Trường Vinh sees it arrived, and the sender's page shows the
// receiver's status. Each page offers exactly the actions of the step. The agency
// administrator edits a type's review circuit from the menu ("Quy trình duyệt": keyboard,
// folded rows, reorder then save), and the clerk issues checked documents at once (the
// result names the refused one and why). Screenshots at 1280 and 390 px go to
// tests/output/ (no horizontal overflow at 390 px).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Client, ADMIN_SKHCN } from '../integration/harness.mjs';
import { PIN, serverWithPki, importKey, decisionPdf } from '../integration/docs_helpers.mjs';
import { OUT, launchBrowser, newPage, stopServer, signIn as signInAt, fitsWidth,
  selectByText } from './browser.mjs';

const CLERK = '040090000143', LEADER = '040090000142', HEAD = '040090000144', SPECIALIST = '040090000145';
const TV_CLERK = '040090000302'; // văn thư, UBND phường Trường Vinh
const SUBJECT = 'Ban hành Quy định về bảo đảm an toàn thông tin mạng trong Sở';
let srv, browser, pki, work;

const hostOf = (label) => `http://${label}.localhost:${srv.port}`;

const signIn = (page, login, label = 'qlvb-skhcn') => signInAt(page, hostOf(label), login);

// The action forms the page offers (the <details> of the "Thao tác" panel).
const actions = (page) => page.locator('details.action').evaluateAll((ds) => ds.map((d) => d.id.replace('action-', '')));

async function openAction(page, key) {
  await page.click(`#action-${key} > summary`);
}

// Runs fn in a fresh browser context signed in as login.
async function as(login, fn, label) {
  const { context, page } = await newPage(browser);
  try {
    await signIn(page, login, label);
    return await fn(page);
  } finally {
    await context.close();
  }
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

describe('outgoing documents in a browser', () => {
  before(async () => {
    ({ srv, pki } = await serverWithPki('qlvb-br-'));
    // the director's personal key and the agency key, imported by the administrator
    const admin = new Client(srv);
    assert.equal((await admin.apiLogin(ADMIN_SKHCN)).status, 200);
    const leaderId = Number(srv.db(`SELECT id FROM app_user WHERE login = '${LEADER}'`).trim());
    await importKey(admin, pki, leaderId, 'person.p12');
    await importKey(admin, pki, null, 'agency.p12');
    work = mkdtempSync(join(tmpdir(), 'qlvb-br-files-'));
    writeFileSync(join(work, 'quyet-dinh.pdf'), decisionPdf());
    writeFileSync(join(work, 'quyet-dinh-2.pdf'), decisionPdf('QUYET DINH (SUA)'));
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-outgoing-server.log');
    rmSync(pki, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let docUrl;

  test('the specialist drafts through the form (errors first) and submits it to the head', async () => {
    await as(SPECIALIST, async (page) => {
      await page.click('nav >> text=Soạn văn bản');
      assert.match(page.url(), /\/documents\/outgoing\/new$/);
      // everything missing: errors next to the fields, the subject kept
      await page.fill('#subject', SUBJECT);
      await page.click('button:has-text("Tạo dự thảo")');
      await page.waitForSelector('#error-summary');
      assert.equal(await page.textContent('#doc_type-error'), 'Vui lòng chọn loại văn bản.');
      assert.equal(await page.textContent('#signer_id-error'), 'Vui lòng chọn người ký.');
      assert.match(await page.textContent('#recipients-error'), /ít nhất một nơi nhận/);
      assert.equal(await page.inputValue('#subject'), SUBJECT);
      assert.equal(await page.getAttribute('#doc_type', 'aria-invalid'), 'true');
      await page.selectOption('#doc_type', 'quyet_dinh');
      await page.selectOption('#urgency', 'khan');
      await selectByText(page, '#signer_id', /Bùi Văn Long/);
      await page.check('label:has-text("Ủy ban nhân dân phường Trường Vinh") input');
      await page.fill('#rcpt_external', '000.00.00.G22 | Bộ Khoa học và Công nghệ');
      await page.setInputFiles('#main_file', join(work, 'quyet-dinh.pdf'));
      await Promise.all([page.waitForNavigation(), page.click('button:has-text("Tạo dự thảo")')]);
      assert.match(page.url(), /\/documents\/\d+$/);
      docUrl = page.url().replace(/^https?:\/\/[^/]+/, '');
      assert.match(await page.textContent('.flash, [role=status], .alert-success'), /Đã tạo dự thảo/);
      assert.deepEqual(await actions(page), ['version', 'submit', 'plan']);
      await openAction(page, 'submit');
      // DOC_MAX_REVIEWERS slots: one open, the others folded until the first is chosen
      assert.equal(await page.locator('#action-submit select[name=reviewers]').count(), 10);
      assert.equal(await page.isVisible('#submit-reviewer-2'), false);
      await selectByText(page, '#submit-reviewer-1', /Trịnh Quốc Bảo/);
      assert.equal(await page.isVisible('#submit-reviewer-2'), true);
      assert.equal(await page.isVisible('#submit-reviewer-3'), false);
      await page.fill('#submit-note', 'Kính trình anh xem xét');
      await shot(page, 'outgoing-draft-1280');
      await Promise.all([page.waitForNavigation(), page.click('#action-submit button[type=submit]')]);
      assert.match(await page.textContent('.badge.state-reviewing'), /Đang xem xét/);
      assert.deepEqual(await actions(page), []);
    });
  });

  test('the head returns it once; the specialist uploads a new version and submits again', async () => {
    await as(HEAD, async (page) => {
      await page.goto(`${hostOf('qlvb-skhcn')}/documents/outgoing?tab=to_review`);
      await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${SUBJECT}")`)]);
      assert.deepEqual((await actions(page)).sort(), ['approve', 'ask_opinion', 'return']);
      await openAction(page, 'return');
      await Promise.all([page.waitForNavigation(), page.click('#action-return button[type=submit]')]);
      assert.equal(await page.textContent('#return-note-error'), 'Vui lòng nhập lý do trả lại.');
      await page.fill('#return-note', 'Bổ sung căn cứ Luật An toàn thông tin mạng');
      await Promise.all([page.waitForNavigation(), page.click('#action-return button[type=submit]')]);
      assert.match(await page.textContent('.timeline'), /Trả lại.*Bổ sung căn cứ/s);
    });
    await as(SPECIALIST, async (page) => {
      await page.goto(hostOf('qlvb-skhcn') + docUrl);
      assert.deepEqual(await actions(page), ['version', 'submit', 'plan']);
      await openAction(page, 'version');
      await page.setInputFiles('#version-file', join(work, 'quyet-dinh-2.pdf'));
      await page.fill('#version-note', 'Đã bổ sung căn cứ');
      await Promise.all([page.waitForNavigation(), page.click('#action-version button[type=submit]')]);
      assert.match(await page.textContent('.version-list'), /Phiên bản 2/);
      await openAction(page, 'submit');
      await selectByText(page, '#submit-reviewer-1', /Trịnh Quốc Bảo/);
      await Promise.all([page.waitForNavigation(), page.click('#action-submit button[type=submit]')]);
    });
  });

  test('the head and the director approve; the director signs with the PIN', async () => {
    await as(HEAD, async (page) => {
      await page.goto(hostOf('qlvb-skhcn') + docUrl);
      await openAction(page, 'approve');
      await Promise.all([page.waitForNavigation(), page.click('#action-approve button[type=submit]')]);
    });
    await as(LEADER, async (page) => {
      await page.goto(`${hostOf('qlvb-skhcn')}/documents/outgoing?tab=to_review`);
      await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${SUBJECT}")`)]);
      // the circuit: the head approved, the director's place in force; which version each saw
      assert.match(await page.textContent('.circuit'), /Trịnh Quốc Bảo.*Đã duyệt.*Bùi Văn Long.*Đang xem xét/s);
      assert.match(await page.textContent('.version-list'), /Phiên bản 2.*Trịnh Quốc Bảo: Đã xem xét, chuyển tiếp.*Phiên bản 1.*Trịnh Quốc Bảo: Trả lại/s);
      await openAction(page, 'approve');
      await Promise.all([page.waitForNavigation(), page.click('#action-approve button[type=submit]')]);
      assert.deepEqual(await actions(page), ['sign']);
      await openAction(page, 'sign');
      await page.fill('#sign-pin', '000000');
      await Promise.all([page.waitForNavigation(), page.click('#action-sign button[type=submit]')]);
      assert.ok((await page.textContent('#sign-pin-error')).length > 5, 'a wrong PIN is an error next to the field');
      await page.fill('#sign-pin', PIN);
      await shot(page, 'outgoing-sign-1280');
      await Promise.all([page.waitForNavigation(), page.click('#action-sign button[type=submit]')]);
      assert.match(await page.textContent('h1'), /Quyết định số \d+\/QĐ-SKHCN/);
      assert.match(await page.textContent('.badge.state-signed'), /Đã ký/);
    });
  });

  test('the clerk seals and issues it; the receiving clerk sees it arrived; the sender tracks it', async () => {
    await as(CLERK, async (page) => {
      await page.goto(`${hostOf('qlvb-skhcn')}/documents/outgoing?tab=to_issue`);
      await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${SUBJECT}")`)]);
      assert.deepEqual((await actions(page)).sort(), ['cancel', 'seal']);
      await openAction(page, 'seal');
      await page.fill('#seal-pin', PIN);
      await Promise.all([page.waitForNavigation(), page.click('#action-seal button[type=submit]')]);
      assert.deepEqual((await actions(page)).sort(), ['cancel', 'issue']);
      await openAction(page, 'issue');
      await Promise.all([page.waitForNavigation(), page.click('#action-issue button[type=submit]')]);
      assert.match(await page.textContent('.badge.state-issued'), /Đã phát hành/);
      const rcpt = await page.textContent('section[aria-labelledby=rcpt-title]');
      assert.match(rcpt, /Ủy ban nhân dân phường Trường Vinh[\s\S]*Đã đến, chờ vào sổ/);
      assert.match(rcpt, /Bộ Khoa học và Công nghệ[\s\S]*Chờ gửi/);
      await shot(page, 'outgoing-issued-1280');
    });
    await as(TV_CLERK, async (page) => {
      await page.goto(`${hostOf('qlvb-truongvinh')}/documents?state=arrived`);
      await Promise.all([page.waitForNavigation(), page.click(`a:has-text("${SUBJECT}")`)]);
      assert.match(await page.textContent('.badge.state-arrived'), /Chờ tiếp nhận/);
      assert.match(await page.textContent('h1'), /QĐ-SKHCN/);
      await shot(page, 'outgoing-arrived-1280');
    }, 'qlvb-truongvinh');
  });

  test('the pages at 1280 and 390 px: lists, the draft form and the document fit the screen', async () => {
    for (const [width, height, isMobile] of [[1280, 900, false], [390, 844, true]]) {
      for (const [login, paths] of [[SPECIALIST, ['/', '/documents/outgoing?tab=drafts', '/documents/outgoing/new', docUrl]],
        [LEADER, ['/documents/outgoing?tab=to_sign']], [CLERK, ['/documents/outgoing?tab=issued']]]) {
        const { context, page } = await newPage(browser, { viewport: { width, height }, isMobile, hasTouch: isMobile });
        try {
          await signIn(page, login);
          for (const p of paths) {
            await page.goto(hostOf('qlvb-skhcn') + p);
            assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
            await fitsWidth(page, width);
            const name = p === '/' ? 'home' : p === docUrl ? 'document' : p.replace(/^\/documents\/outgoing\/?/, '').replace(/[^a-z_]+/g, '-').replace(/^-|-$/g, '') || 'list';
            await page.screenshot({ path: join(OUT, `outgoing-${login.slice(-3)}-${name}-${width}.png`), fullPage: true });
          }
        } finally {
          await context.close();
        }
      }
    }
  });
  test('the administrator edits the circuit of a type from the menu (keyboard; the script only unfolds rows) at 1280 and 390 px', async () => {
    for (const [width, height, isMobile, type, name] of [[1280, 900, false, 'to_trinh', 'Tờ trình'], [390, 844, true, 'ke_hoach', 'Kế hoạch']]) {
      const { context, page } = await newPage(browser, { viewport: { width, height }, isMobile, hasTouch: isMobile });
      try {
        await signIn(page, ADMIN_SKHCN);
        if (isMobile) await page.click('.nav-toggle');
        await Promise.all([page.waitForNavigation(), page.click('nav >> text=Quy trình duyệt')]);
        assert.match(page.url(), /\/admin\/circuits$/);
        await fitsWidth(page, width);
        await page.screenshot({ path: join(OUT, `outgoing-circuits-${width}.png`), fullPage: true });
        await Promise.all([page.waitForNavigation(), page.click(`#type-${type} a:has-text("Sửa")`)]);
        assert.equal(await page.textContent('h1'), `Quy trình duyệt: ${name}`);
        // step 2 is folded under "Thêm bước duyệt"; the summary opens it by keyboard
        assert.equal(await page.isVisible('#step-2'), false);
        await page.focus('.more-steps > summary');
        await page.keyboard.press('Enter');
        assert.equal(await page.isVisible('#step-2'), true);
        await page.keyboard.press('Enter');
        assert.equal(await page.isVisible('#step-2'), false);
        // step 1: choosing in the last open row unfolds the next row only (app.js)
        await page.focus('#step-1');
        await selectByText(page, '#step-1', /Kiểm tra thể thức: Văn phòng Sở/);
        assert.equal(await page.isVisible('#step-2'), true);
        assert.equal(await page.isVisible('#step-3'), false);
        await selectByText(page, '#step-2', /Lãnh đạo đơn vị soạn thảo/);
        assert.equal(await page.isVisible('#step-3'), true);
        assert.equal(await page.isVisible('#step-4'), false);
        await Promise.all([page.waitForNavigation(), page.click('button:has-text("Lưu quy trình")')]);
        assert.match(await page.textContent('.flash'), new RegExp(`Đã lưu quy trình duyệt của ${name}: 2 bước trước người ký`));
        // back to the form: "Xuống" on step 1 by keyboard swaps the two, not saved yet
        await Promise.all([page.waitForNavigation(), page.click(`#type-${type} a:has-text("Sửa")`)]);
        assert.match(await page.locator('#step-1 option:checked').textContent(), /Văn phòng Sở/);
        await page.focus('button[value="down:1"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.match(await page.textContent('main [role=status]'), /Đã đổi thứ tự các bước/);
        assert.match(await page.locator('#step-1 option:checked').textContent(), /Lãnh đạo đơn vị soạn thảo/);
        assert.match(await page.locator('#step-2 option:checked').textContent(), /Văn phòng Sở/);
        await fitsWidth(page, width);
        await page.screenshot({ path: join(OUT, `outgoing-circuit-form-${width}.png`), fullPage: true });
        await Promise.all([page.waitForNavigation(), page.click('button:has-text("Lưu quy trình")')]);
        assert.match(page.url(), new RegExp(`/admin/circuits#type-${type}$`));
        assert.match(await page.textContent('.flash'), new RegExp(`Đã lưu quy trình duyệt của ${name}: 2 bước trước người ký`));
        assert.match(await page.textContent(`#type-${type}`), /Lãnh đạo đơn vị soạn thảo[\s\S]*Kiểm tra thể thức: Văn phòng Sở[\s\S]*Người ký/);
      } finally {
        await context.close();
      }
    }
    // the specialist has no such menu entry
    await as(SPECIALIST, async (page) => {
      assert.equal(await page.locator('nav a[href="/admin/circuits"]').count(), 0);
    });
  });

  test('the clerk issues the checked documents at once; the result names what was refused and why (1280, 390 px)', async () => {
    // two documents signed through the forms (by HTTP, as the steps above did in the browser)
    const web = async (login) => {
      const c = new Client(srv);
      assert.equal((await c.webLogin(login)).status, 303);
      c.csrf = c.csrfFrom((await c.get('/')).text);
      return c;
    };
    const [sp, hd, ld, cl] = await Promise.all([SPECIALIST, HEAD, LEADER, CLERK].map(web));
    const id = (l) => srv.db(`SELECT id FROM app_user WHERE login = '${l}'`).trim();
    const tv = srv.db("SELECT id FROM agency WHERE code = '000.00.30.H41'").trim();
    const act = (c, doc, key, form = {}) => c.post(`/documents/${doc}/actions/${key}`, { form: { _csrf: c.csrf, ...form } });
    const ready = async (n) => {
    const made = [];
    for (const [subject, urgency, seal] of [[`Về việc tổ chức hội nghị chuyển đổi số (đợt ${n})`, 'khan', true], [`Về việc cử cán bộ dự tập huấn (đợt ${n})`, '', false]]) {
      const fd = new FormData();
      for (const [k, v] of [['_csrf', sp.csrf], ['doc_type', 'cong_van'], ['subject', subject], ['urgency', urgency], ['authority', ''], ['signer_id', id(LEADER)], ['rcpt_agency', tv]]) fd.append(k, v);
      fd.append('main', new Blob([decisionPdf('CONG VAN')], { type: 'application/pdf' }), 'cong-van.pdf');
      const r = await sp.req('POST', '/documents/outgoing', { body: fd });
      assert.equal(r.status, 303);
      const doc = /\/documents\/(\d+)$/.exec(r.headers.get('location'))[1];
      assert.equal((await act(sp, doc, 'submit', { reviewers: id(HEAD) })).status, 303);
      assert.equal((await act(hd, doc, 'approve')).status, 303);
      assert.equal((await act(ld, doc, 'approve')).status, 303);
      const key = /name="key_id"[^>]*>\s*<option value="(\d+)"/.exec((await ld.get(`/documents/${doc}`)).text)[1];
      assert.equal((await act(ld, doc, 'sign', { key_id: key, pin: PIN })).status, 303);
      if (seal) {
        const akey = /id="seal-key"[^>]*>\s*<option value="(\d+)"/.exec((await cl.get(`/documents/${doc}`)).text)[1];
        assert.equal((await act(cl, doc, 'seal', { key_id: akey, pin: PIN })).status, 303);
      }
      made.push(doc);
    }
    return made;
    };
    for (const [width, height, isMobile] of [[1280, 900, false], [390, 844, true]]) {
      const { context, page } = await newPage(browser, { viewport: { width, height }, isMobile, hasTouch: isMobile });
      try {
        const made = await ready(width === 390 ? 2 : 1);
        await signIn(page, CLERK);
        await page.goto(`${hostOf('qlvb-skhcn')}/documents/outgoing?tab=to_issue`);
        await fitsWidth(page, width);
        if (width === 390) {
          // "check all" (the script's) checks every row; the test then keeps only its two
          await page.check('[data-check-all=ids]');
          assert.equal(await page.locator('input[name=ids]:not(:checked)').count(), 0);
          await page.uncheck('[data-check-all=ids]');
          assert.equal(await page.locator('input[name=ids]:checked').count(), 0);
        }
        for (const doc of made) await page.check(`#pick-${doc}`);
        await page.screenshot({ path: join(OUT, `outgoing-batch-list-${width}.png`), fullPage: true });
        await page.focus('button:has-text("Phát hành các văn bản đã chọn")');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
        assert.equal(await page.textContent('h1'), 'Kết quả phát hành');
        const body = await page.textContent('main');
        assert.match(body, /Đã phát hành 1 văn bản; 1 văn bản chưa phát hành được/);
        assert.match(body, /Về việc cử cán bộ dự tập huấn \(đợt \d\)[\s\S]*Văn bản chưa có chữ ký số của cơ quan/);
        assert.match(body, /Đã phát hành \(1\)[\s\S]*Về việc tổ chức hội nghị chuyển đổi số/);
        await fitsWidth(page, width);
        await page.screenshot({ path: join(OUT, `outgoing-batch-result-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }
  });
});
