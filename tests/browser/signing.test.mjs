// Browser test of "Ký số tài liệu" and "Kiểm tra chữ ký số" against the real binary: a
// leader with a key uploads a PDF, sees the pages with the signature box at the
// signature block, moves it by clicking and with the arrow keys, enters the PIN and
// downloads the signed PDF (pdfsig: valid); then checks it on the verification page.
// Screenshots (desktop and phone) go to tests/output/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_SKHCN, DEMO_PASSWORD, makePdf, revokeDemoKeys } from '../integration/harness.mjs';
import { serverWithPki, apiClient, importKey } from '../integration/docs_helpers.mjs';
import { OUT, WAIT, launchBrowser, stopServer } from './browser.mjs';

const LEADER = '040090000142'; // Bùi Văn Long, Giám đốc

let srv, pki, browser;

// One A4 page with a signature block in ASCII Helvetica (the finder matches names
// without diacritics).
const makeDecision = () => makePdf([[70, 780, 12, 'SO THONG TIN VA TRUYEN THONG'],
  [200, 680, 14, 'QUYET DINH'], [70, 640, 12, 'Ve viec thu nghiem ky so.'], [70, 300, 11, 'Noi nhan:'],
  [360, 300, 12, 'GIAM DOC'], [360, 200, 12, 'Bui Van Long']]);

describe('signing in a browser', () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    ({ srv, pki } = await serverWithPki('qlvb-br-', { trust: ['root.pem', 'inter.pem'] }));
    await revokeDemoKeys(srv); // the key here is the test PKI's
    // The administrator issues the leader's key through the API (the test certificate
    // names Nguyễn Văn An: confirmed with a reason).
    const admin = await apiClient(srv, ADMIN_SKHCN);
    const users = (await admin.get('/api/v1/users?q=Bui Van Long')).json;
    await importKey(admin, pki, users.users[0].id, 'person.p12');
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close().catch(() => {});
    await stopServer(srv, 'browser-sign-server.log');
    rmSync(pki, { recursive: true, force: true });
  });

  test('upload, place, sign with the PIN, download, verify', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(srv.url('/login'));
    await page.fill('#login', LEADER);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.press('#password', 'Enter')]);
    await page.click('text=Ký số tài liệu');
    await page.setInputFiles('#file', { name: 'Quyết định thử.pdf', mimeType: 'application/pdf', buffer: makeDecision() });
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Tiếp tục")')]);
    assert.match(page.url(), /\/signatures\/sign\/[0-9a-f]{32}$/);
    await page.waitForSelector('.sign-box');
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    assert.match(await page.textContent('body'), /Đã tìm thấy họ tên của bạn/);
    // The box is drawn between "GIAM DOC" and the name, on the right half.
    const box = await page.locator('.sign-box').boundingBox();
    const img = await page.locator('.sheet img').first().boundingBox();
    assert.ok(box.x > img.x + img.width / 2, 'box on the right half');
    const yTop = (842 - 300) / 842 * img.height + img.y, yName = (842 - 200) / 842 * img.height + img.y;
    assert.ok(box.y >= yTop - 2 && box.y + box.height <= yName + 2, 'box between title and name');
    await page.screenshot({ path: join(OUT, 'sign-place.png'), fullPage: true });

    // Click elsewhere: manual placement; arrow keys move by 5 pt.
    await page.locator('.sheet img').first().click({ position: { x: img.width * 0.3, y: img.height * 0.3 } });
    assert.equal(await page.isChecked('input[name="placement"][value="manual"]'), true);
    const x0 = Number(await page.inputValue('input[name="x0"]'));
    await page.keyboard.press('ArrowRight');
    assert.equal(Number(await page.inputValue('input[name="x0"]')), Math.round((x0 + 5) * 10) / 10);
    // Back to the found place, enter the PIN, sign and download.
    await page.check('input[name="placement"][value="auto"]');
    // A wrong PIN first: the error says how many tries are left, as the sign-in does.
    await page.fill('#pin', '000000');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Ký số")')]);
    assert.match(await page.textContent('#pin-error'), /Còn 4 lần thử/);
    await page.check('input[name="placement"][value="auto"]');
    await page.fill('#pin', '123456');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Ký số")')]);
    // The result page: success, no stale PIN error, the download and the next steps.
    assert.match(await page.textContent('body'), /Ký số thành công/);
    assert.equal(await page.locator('#pin-error').count(), 0);
    await page.screenshot({ path: join(OUT, 'sign-done-desktop.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải tệp đã ký')]);
    assert.equal(download.suggestedFilename(), 'Quyết định thử (đã ký).pdf');
    // A second click downloads again (it was a 404).
    const [again] = await Promise.all([page.waitForEvent('download'), page.click('text=Tải tệp đã ký')]);
    assert.equal(again.suggestedFilename(), 'Quyết định thử (đã ký).pdf');
    const file = join(pki, 'signed.pdf');
    await download.saveAs(file);
    assert.match(execFileSync('pdfsig', [file], { encoding: 'utf8' }), /Signature is Valid/);

    // The verification page reads it back.
    await page.goto(srv.url('/signatures/verify'));
    await page.setInputFiles('#file', file);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Kiểm tra")')]);
    const text = await page.textContent('.report');
    assert.match(text, /Chữ ký số hợp lệ/);
    assert.match(text, /Nguyễn Văn An/);
    assert.match(text, /Nội dung đã ký còn toàn vẹn/);
    await page.screenshot({ path: join(OUT, 'verify-report.png'), fullPage: true });
    await context.close();

    // A phone: the same pages stay usable.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', isMobile: true });
    const p2 = await phone.newPage();
    await p2.goto(srv.url('/login'));
    await p2.fill('#login', LEADER);
    await p2.fill('#password', DEMO_PASSWORD);
    await Promise.all([p2.waitForNavigation(), p2.press('#password', 'Enter')]);
    await p2.goto(srv.url('/signatures/verify'));
    await p2.setInputFiles('#file', file);
    await Promise.all([p2.waitForNavigation(), p2.click('button:has-text("Kiểm tra")')]);
    await p2.screenshot({ path: join(OUT, 'verify-report-phone.png'), fullPage: true });
    // On a mobile viewport the layout viewport grows with the content, so compare with
    // the device's 390 px, not window.innerWidth (which hid a 91 px overflow).
    const widest = await p2.evaluate(() => Math.max(document.documentElement.scrollWidth,
      ...[...document.querySelectorAll('.report *')].map((e) => e.getBoundingClientRect().right)));
    assert.ok(widest <= 391, `no horizontal scrolling on a phone (content ${widest} px wide)`);
    // Sent without a file: the page's Vietnamese field error, not the browser's tooltip.
    await p2.goto(srv.url('/signatures/verify'));
    await Promise.all([p2.waitForNavigation(), p2.click('button:has-text("Kiểm tra")')]);
    assert.match(await p2.textContent('#file-error'), /Chọn tệp PDF hoặc gói tin edXML/);
    await p2.setInputFiles('#file', { name: 'trong.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(0) });
    await Promise.all([p2.waitForNavigation(), p2.click('button:has-text("Kiểm tra")')]);
    assert.match(await p2.textContent('#file-error'), /Chọn tệp PDF hoặc gói tin edXML/); // an empty file
    await p2.screenshot({ path: join(OUT, 'verify-empty-phone.png'), fullPage: true });
    // The signature box on the phone preview sits between the title and the printed name.
    await p2.goto(srv.url('/signatures/sign'));
    await p2.setInputFiles('#file', { name: 'Quyết định thử.pdf', mimeType: 'application/pdf', buffer: makeDecision() });
    await Promise.all([p2.waitForNavigation(), p2.click('button:has-text("Tiếp tục")')]);
    await p2.waitForSelector('.sign-box');
    await p2.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
    const pbox = await p2.locator('.sign-box').boundingBox();
    const pimg = await p2.locator('.sheet img').first().boundingBox();
    const pTop = (842 - 300) / 842 * pimg.height + pimg.y, pName = (842 - 200 - 9) / 842 * pimg.height + pimg.y;
    assert.ok(pbox.y >= pTop - 1 && pbox.y + pbox.height <= pName + 1,
      `box ${pbox.y}..${pbox.y + pbox.height} between the title (${pTop}) and the name's top (${pName})`);
    await p2.locator('.sign-box').scrollIntoViewIfNeeded();
    await p2.screenshot({ path: join(OUT, 'sign-place-phone.png') });
    writeFileSync(join(OUT, 'signed-by-browser.pdf'), readFileSync(file));
    await phone.close();
  });
});
