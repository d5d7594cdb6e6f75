// The web pages of incoming documents (web/pages_doc.c) given bad input: a form posted
// without its CSRF token is refused and registers nothing; another agency's document
// and files are the 404 page exactly like an id that exists nowhere (architecture:
// Authorization); a Word file as the scan of a paper letter, a secret document
// (standards.md §3) and a malformed symbol (§2) are Vietnamese field errors next to the
// fields with the typed values kept and nothing registered; people who are not clerks
// get no form and cannot post one; bad list filters are a 400 page, a stale paging
// link starts the list over; hostile text is escaped; the workflow's forms are exactly
// the steps allowed, refuse a missing token, an outsider (404) and a step out of turn,
// and keep the typed values next to the errors with nothing written; the register book
// downloads. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, makePdf, revokeDemoKeys } from './harness.mjs';

const CLERK = '040090000143';      // văn thư, Sở KH&CN
const SPECIALIST = '040090000145'; // chuyên viên, Sở KH&CN
const CLERK_TRUONGVINH = '040090000302';

let srv, clerk, specialist, outsider, registerId, docId, fileId, demoMax;
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM document; SELECT COUNT(*) FROM doc_file; SELECT COUNT(*) FROM doc_history; ' +
  'SELECT COALESCE(SUM(next_number), 0) FROM doc_counter; SELECT COUNT(*) FROM blob');
const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const pdf = () => makePdf([[72, 760, 14, 'CONG VAN SO 88']]);

function fields(over = {}) {
  return {
    register_id: String(registerId), medium: 'paper', issuer_name: 'Sở Tài chính', number: '88',
    symbol: 'STC-NS', issued_date: today(), doc_type: 'cong_van',
    subject: 'Về việc rà soát dự toán ngân sách năm 2027', urgency: 'khan', secrecy: '', ...over,
  };
}

// POST /documents as the form does (multipart), with the page's CSRF token unless told.
async function post(c, form, files = [{ field: 'main', name: 'cong-van-88.pdf', bytes: pdf() }], csrf = true) {
  const fd = new FormData();
  if (csrf) fd.append('_csrf', c.csrf);
  for (const [k, v] of Object.entries(form)) fd.append(k, v);
  for (const f of files) fd.append(f.field, new Blob([f.bytes], { type: f.type || 'application/octet-stream' }), f.name);
  return c.req('POST', '/documents', { body: fd });
}

async function webClient(login) {
  const c = new Client(srv);
  const r = await c.webLogin(login);
  assert.equal(r.status, 303, `login ${login}`);
  const home = await c.get('/');
  c.csrf = c.csrfFrom(home.text);
  return c;
}

before(async () => {
  srv = await new Server().start();
  await revokeDemoKeys(srv);
  demoMax = Number(srv.db('SELECT MAX(id) FROM document').trim()); // the demo's documents
  clerk = await webClient(CLERK);
  specialist = await webClient(SPECIALIST);
  outsider = await webClient(CLERK_TRUONGVINH);
  const form = await clerk.get('/documents/new');
  assert.equal(form.status, 200);
  registerId = Number(/<select id="register_id"[^]*?<option value="(\d+)"/.exec(form.text)[1]);
  const ok = await post(clerk, fields());
  assert.equal(ok.status, 303, ok.text);
  docId = Number(/^\/documents\/(\d+)$/.exec(ok.headers.get('location'))[1]);
  const page = await clerk.get(`/documents/${docId}`);
  assert.match(page.text, /Đã vào sổ văn bản đến số \d+/);
  fileId = Number(new RegExp(`/documents/${docId}/files/(\\d+)`).exec(page.text)[1]);
});

after(async () => { await srv.stop(); srv.cleanup(); });

test('a form without its CSRF token is refused and registers nothing', async () => {
  const before = footprint();
  const r = await post(clerk, fields({ number: '89' }), undefined, false);
  assert.equal(r.status, 403);
  assert.match(r.text, /Mã chống giả mạo \(CSRF\) thiếu hoặc sai/);
  const wrong = await post({ ...clerk, req: clerk.req.bind(clerk), csrf: 'f'.repeat(64) }, fields({ number: '89' }));
  assert.equal(wrong.status, 403);
  assert.equal(footprint(), before);
});

test("another agency's document and file are the 404 page, like an id that exists nowhere", async () => {
  for (const path of [`/documents/${docId}`, `/documents/${docId}/files/${fileId}`, '/documents/999999',
    `/documents/999999/files/${fileId}`, `/documents/${docId}/files/999999`]) {
    const r = await outsider.get(path);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(r.text, /<html lang="vi">/);
    assert.match(r.text, /Không tìm thấy (văn bản|tệp)/);
    assert.doesNotMatch(r.text, /Sở Tài chính|ngân sách/, 'nothing of the document leaks');
  }
  // The specialist is in the agency but not on the document: 404 as well.
  assert.equal((await specialist.get(`/documents/${docId}`)).status, 404);
  assert.equal((await specialist.get(`/documents/${docId}/files/${fileId}`)).status, 404);
  // The clerk's own file: inline PDF that only this site may frame; other pages may not be framed.
  const f = await clerk.get(`/documents/${docId}/files/${fileId}`);
  assert.equal(f.status, 200);
  assert.equal(f.headers.get('content-type'), 'application/pdf');
  assert.match(f.headers.get('content-disposition'), /^inline/);
  assert.equal(f.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.match(f.headers.get('content-security-policy'), /frame-ancestors 'self'/);
  const d = await clerk.get(`/documents/${docId}/files/${fileId}?download=1`);
  assert.match(d.headers.get('content-disposition'), /^attachment/);
  assert.equal(d.headers.get('x-frame-options'), 'DENY');
  const page = await clerk.get(`/documents/${docId}`);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

test('a bad file, a secret document and a bad symbol are Vietnamese field errors; nothing registered', async () => {
  const before = footprint();
  const r = await post(clerk, fields({ number: '90', symbol: 'STC NS', secrecy: 'mat', subject: 'Trích yếu <b>giữ lại</b>' }),
    [{ field: 'main', name: 'công văn.txt', bytes: Buffer.from('chỉ là văn bản thuần') }]);
  assert.equal(r.status, 422);
  assert.match(r.text, /id="main_file-error">[^<]*(PDF|văn bản thuần)/);
  assert.match(r.text, /id="secrecy-error">[^<]*không được tiếp nhận trên hệ thống/);
  assert.match(r.text, /id="symbol-error">[^<]*Ký hiệu “STC NS” không đúng quy tắc/);
  assert.match(r.text, /value="90"/, 'the typed number is kept');
  assert.match(r.text, /Trích yếu &lt;b&gt;giữ lại&lt;\/b&gt;<\/textarea>/, 'kept and escaped');
  assert.match(r.text, /vui lòng chọn lại tệp/);
  // A form error found by the page (page count) still shows the core's errors on the rest.
  const r2 = await post(clerk, fields({ number: '91', page_count: 'nhiều', doc_type: '' }));
  assert.equal(r2.status, 422);
  assert.match(r2.text, /id="page_count-error">Số trang phải là số/);
  assert.match(r2.text, /id="doc_type-error">Vui lòng chọn loại văn bản/);
  // No file at all.
  const r3 = await post(clerk, fields({ number: '92' }), [{ field: 'main', name: '', bytes: Buffer.alloc(0) }]);
  assert.equal(r3.status, 422);
  assert.match(r3.text, /id="main_file-error">Thiếu tệp chính/);
  assert.equal(footprint(), before);
});

test('the same document again needs "Vẫn vào sổ"', async () => {
  const before = footprint();
  const r = await post(clerk, fields());
  assert.equal(r.status, 409);
  assert.match(r.text, /Văn bản có thể đã được vào sổ/);
  assert.match(r.text, new RegExp(`href="/documents/${docId}"`));
  assert.match(r.text, /name="confirm_duplicate"/);
  assert.equal(footprint(), before);
  const ok = await post(clerk, fields({ confirm_duplicate: '1' }));
  assert.equal(ok.status, 303);
});

test('people who are not clerks get no form and cannot post one', async () => {
  const form = await specialist.get('/documents/new');
  assert.equal(form.status, 403);
  assert.match(form.text, /Chỉ văn thư của cơ quan/);
  const home = await specialist.get('/');
  assert.doesNotMatch(home.text, /href="\/documents\/new"/, 'no menu entry');
  assert.match(home.text, /href="\/documents"/, 'the list is in the menu');
  const before = footprint();
  const r = await post(specialist, fields({ number: '93' }));
  assert.equal(r.status, 403);
  assert.equal(footprint(), before);
});

test('list filters: bad values are a 400 page, a stale paging link starts over, text is escaped', async () => {
  await post(clerk, fields({ number: '94', subject: '<script>alert(1)</script> trích yếu' }));
  const list = await clerk.get('/documents');
  assert.equal(list.status, 200);
  assert.match(list.text, /&lt;script&gt;alert\(1\)&lt;\/script&gt; trích yếu/);
  assert.doesNotMatch(list.text, /<script>alert/);
  assert.match(list.text, /class="badge badge-urgency-urgent">Khẩn</);
  const bad = await clerk.get('/documents?year=abc&urgency=rat_khan');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Năm phải là số từ 1900 đến 2100/);
  assert.match(bad.text, /Độ khẩn không có trong danh mục/);
  const stale = await clerk.get('/documents?cursor=xyz');
  assert.equal(stale.status, 200);
  assert.match(stale.text, /cong|Sở Tài chính/);
  const filtered = await clerk.get('/documents?urgency=hoa_toc');
  assert.equal(filtered.status, 200);
  assert.doesNotMatch(filtered.text, /STC-NS/);
  // Paging: one row per page is not offered, but the link carries the filter on.
  for (let i = 0; i < 21; i++) await post(clerk, fields({ number: String(100 + i) }));
  const p1 = await clerk.get('/documents?urgency=khan');
  const next = /href="(\/documents\?urgency=khan&amp;cursor=[^"]+)" rel="next"/.exec(p1.text);
  assert.ok(next, 'Trang sau link with the filter');
  const p2 = await clerk.get(next[1].replace(/&amp;/g, '&'));
  assert.equal(p2.status, 200);
  assert.match(p2.text, /Về trang đầu/);
});

// The workflow's forms (POST /documents/{id}/actions/{key}).
test('workflow forms: only the allowed steps, CSRF, 404 for outsiders, field errors kept, nothing written on a refusal', async () => {
  const reg = await post(clerk, fields({ number: '300', symbol: 'STC-VP' }));
  const id = Number(/^\/documents\/(\d+)$/.exec(reg.headers.get('location'))[1]);
  const steps = () => Number(srv.db(`SELECT COUNT(*) FROM doc_history WHERE document_id = ${id}`).trim());
  const forms = async (c) => [...(await c.get(`/documents/${id}`)).text.matchAll(/action="\/documents\/\d+\/actions\/([a-z]+)"/g)].map((m) => m[1]);
  // A registered paper original: present, and the agency's signature on its scan (§5).
  assert.deepEqual(await forms(clerk), ['present', 'digitise']);
  const leaderId = srv.db("SELECT id FROM app_user WHERE login = '040090000142'").trim();
  const before = steps();
  // Without the token; by an outsider; a step that is not the clerk's; an unknown step.
  const noCsrf = await clerk.post(`/documents/${id}/actions/present`, { form: { leader_id: leaderId } });
  assert.equal(noCsrf.status, 403);
  const out = await outsider.post(`/documents/${id}/actions/present`, { form: { _csrf: outsider.csrf, leader_id: leaderId } });
  assert.equal(out.status, 404);
  assert.match(out.text, /Không tìm thấy văn bản/);
  const notMine = await clerk.post(`/documents/${id}/actions/complete`, { form: { _csrf: clerk.csrf, note: 'xong' } });
  assert.ok([403, 409].includes(notMine.status), `complete by the clerk: ${notMine.status}`);
  assert.equal((await clerk.post(`/documents/${id}/actions/approve`, { form: { _csrf: clerk.csrf } })).status, 404);
  // No leader chosen: the error is next to the field, the note kept.
  const bad = await clerk.post(`/documents/${id}/actions/present`, { form: { _csrf: clerk.csrf, note: 'Kính trình <Giám đốc>' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="present-leader-error">Vui lòng chọn lãnh đạo để trình/);
  assert.match(bad.text, /<details class="action" open id="action-present">/);
  assert.match(bad.text, /Kính trình &lt;Giám đốc&gt;<\/textarea>/);
  assert.equal(steps(), before, 'nothing written');
  const ok = await clerk.post(`/documents/${id}/actions/present`, { form: { _csrf: clerk.csrf, leader_id: leaderId, note: 'Kính trình' } });
  assert.equal(ok.status, 303);
  assert.equal(steps(), before + 1);
  // The director: assign with a deadline in working days; a bad count and a bad target.
  const director = await webClient('040090000142');
  assert.deepEqual(await forms(director), ['assign', 'return']);
  const r1 = await director.post(`/documents/${id}/actions/assign`, { form: { _csrf: director.csrf, lead: 'x:1', deadline_mode: 'days', working_days: '999' } });
  assert.equal(r1.status, 422);
  assert.match(r1.text, /id="assign-lead-error">Lựa chọn không hợp lệ/);
  assert.match(r1.text, /Số ngày làm việc phải từ 1 đến 250/);
  const r2 = await director.post(`/documents/${id}/actions/return`, { form: { _csrf: director.csrf, note: '  ' } });
  assert.equal(r2.status, 422);
  assert.match(r2.text, /id="return-note-error">Vui lòng nhập lý do trả lại/);
  assert.equal(steps(), before + 1, 'nothing written');
  const spec = srv.db("SELECT id FROM app_user WHERE login = '040090000145'").trim();
  const r3 = await director.post(`/documents/${id}/actions/assign`, { form: { _csrf: director.csrf, lead: `u:${spec}`, deadline_mode: 'days', working_days: '2', note: 'Giao xử lý' } });
  assert.equal(r3.status, 303);
  const page = await director.get(`/documents/${id}`);
  assert.match(page.text, /Đã phân công xử lý/);
  assert.match(page.text, /Đã giao xử lý/);
  // Assigning again is not offered, and posting it anyway is refused with the reason.
  assert.ok(!(await forms(director)).includes('assign'));
  const again = await director.post(`/documents/${id}/actions/assign`, { form: { _csrf: director.csrf, lead: `u:${spec}` } });
  assert.equal(again.status, 409);
  assert.match(again.text, /role="alert"/);
  assert.equal(steps(), before + 2);
  // The specialist sees it now, with their steps.
  const f = await forms(specialist);
  assert.ok(f.includes('accept') && f.includes('complete') && !f.includes('assign'), f.join());
  // A working file through the attach form (multipart): a bad type is a Vietnamese error
  // next to the field, a PDF is listed as "Tệp xử lý".
  const attach = async (name, bytes) => {
    const fd = new FormData();
    fd.append('_csrf', specialist.csrf);
    fd.append('note', 'Dự thảo báo cáo');
    fd.append('file', new Blob([bytes]), name);
    return specialist.req('POST', `/documents/${id}/actions/attach`, { body: fd });
  };
  const badFile = await attach('chuong-trinh.exe', Buffer.from('MZ\x90\x00 not allowed', 'latin1'));
  assert.equal(badFile.status, 422);
  assert.match(badFile.text, /id="attach-file-error">[^<]+/);
  assert.match(badFile.text, /<details class="action" open id="action-attach">/);
  assert.equal(steps(), before + 2, 'nothing written');
  const good = await attach('Dự thảo báo cáo.pdf', pdf());
  assert.equal(good.status, 303);
  const withFile = await specialist.get(`/documents/${id}`);
  assert.match(withFile.text, /Đã đính kèm tệp xử lý/);
  assert.match(withFile.text, /<span class="file-role">Tệp xử lý<\/span>\s*<a href="[^"]+" class="wrap-anywhere">Dự thảo báo cáo\.pdf<\/a>/);
});

test('the register book downloads as PDF and Excel; a bad range comes back to the list with the reason', async () => {
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const pdfRes = await clerk.get(`/documents/book?register_id=${registerId}&from=${today.slice(0, 4)}-01-01&to=${today}&format=pdf`);
  assert.equal(pdfRes.status, 200);
  assert.equal(pdfRes.headers.get('content-type'), 'application/pdf');
  assert.match(pdfRes.headers.get('content-disposition'), /^attachment/);
  const x = await clerk.get(`/documents/book?register_id=${registerId}&from=${today}&to=${today}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const bad = await clerk.get(`/documents/book?register_id=${registerId}&from=${today}&to=2020-01-01&format=pdf`);
  assert.equal(bad.status, 303);
  const back = await clerk.get('/documents');
  assert.match(back.text, /Chưa in được sổ/);
  assert.equal((await specialist.get(`/documents/book?register_id=${registerId}&from=${today}&to=${today}`)).status, 403);
  assert.equal((await outsider.get(`/documents/book?register_id=${registerId}&from=${today}&to=${today}`)).status, 404);
  // The list page offers the form to the clerk, not to the specialist.
  assert.match(back.text, /In sổ đăng ký văn bản đến/);
  assert.doesNotMatch((await specialist.get('/documents')).text, /In sổ đăng ký văn bản đến/);
});

test('a document arrived through the installation: the clerk registers or refuses it on its page', async () => {
  const arrived = srv.db(`SELECT id FROM document WHERE state = 'arrived' AND agency_id = (SELECT agency_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.login = '${CLERK}') ORDER BY id`).trim().split('\n').map(Number);
  assert.ok(arrived.length >= 2, 'the demo delivers documents to Sở KH&CN');
  const [a, b] = arrived;
  const page = await clerk.get(`/documents/${a}`);
  assert.match(page.text, /Chờ tiếp nhận/);
  assert.deepEqual([...page.text.matchAll(/action="\/documents\/\d+\/actions\/([a-z]+)"/g)].map((m) => m[1]), ['register', 'refuse']);
  // The specialist is not on it: 404; the refusal needs its reason and writes nothing without.
  assert.equal((await specialist.post(`/documents/${a}/actions/refuse`, { form: { _csrf: specialist.csrf, note: 'Sai nơi nhận' } })).status, 404);
  const before = footprint();
  const noReason = await clerk.post(`/documents/${a}/actions/refuse`, { form: { _csrf: clerk.csrf, note: '' } });
  assert.equal(noReason.status, 422);
  assert.match(noReason.text, /id="refuse-note-error">Vui lòng nhập lý do từ chối/);
  assert.equal(footprint(), before);
  const reg = await clerk.post(`/documents/${a}/actions/register`, { form: { _csrf: clerk.csrf, register_id: String(registerId) } });
  assert.equal(reg.status, 303);
  const after = await clerk.get(`/documents/${a}`);
  assert.match(after.text, /Đã vào sổ văn bản đến số \d+/);
  assert.match(after.text, /Đã vào sổ/);
  const ref = await clerk.post(`/documents/${b}/actions/refuse`, { form: { _csrf: clerk.csrf, note: 'Văn bản gửi nhầm cơ quan.' } });
  assert.equal(ref.status, 303);
  const refused = await clerk.get(`/documents/${b}`);
  assert.match(refused.text, /Đã từ chối tiếp nhận văn bản/);
  assert.match(refused.text, /Văn bản gửi nhầm cơ quan\./);
  assert.doesNotMatch(refused.text, /actions\/register/);
});

test('a for-information reader opening the document page has seen it: the home counter drops (standards.md §5)', async () => {
  // Registered, presented and assigned through the API, the specialist only for information.
  const api = async (login) => { const c = new Client(srv); await c.apiLogin(login); return c; };
  const [clerkApi, leaderApi] = [await api(CLERK), await api('040090000142')];
  const uid = (login) => Number(srv.db(`SELECT id FROM app_user WHERE login = '${login}'`).trim());
  const fd = new FormData();
  fd.append('metadata', JSON.stringify({ ...fields({ number: '91', subject: 'Về việc phổ biến kết quả hội nghị' }),
    register_id: registerId, page_count: 1 }));
  fd.append('main', new Blob([pdf()]), 'cong-van-91.pdf');
  const reg = await clerkApi.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(reg.status, 201, reg.text);
  const id = reg.json.id;
  assert.equal((await clerkApi.post(`/api/v1/documents/${id}/present`, { json: { leader_id: uid('040090000142') } })).status, 200);
  const assign = await leaderApi.post(`/api/v1/documents/${id}/assign`, { json: {
    lead: { user_id: uid('040090000144') }, for_info: [{ user_id: uid(SPECIALIST) }], working_days: 3 } });
  assert.equal(assign.status, 200, assign.text);
  const counter = async () => Number(/href="\/documents\?box=for_info"[^]*?<span class="counter-value">(\d+)<\/span>/
    .exec((await specialist.get('/')).text)[1]);
  const before = await counter();
  assert.ok(before >= 1, 'the specialist has it to read');
  const page = await specialist.get(`/documents/${id}`);
  assert.equal(page.status, 200);
  assert.equal(await counter(), before - 1, 'opened: no longer unread');
  assert.ok(srv.db(`SELECT seen_at FROM doc_participant WHERE document_id = ${id} AND role = 'for_info'`).trim(), 'seen_at set');
  await specialist.get(`/documents/${id}`);
  assert.equal(await counter(), before - 1, 'a second opening changes nothing');
});

// The text of a PDF as pdftotext reads it (poppler, independent of MuPDF which wrote it).
function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-demo-pdf-'));
  try {
    writeFileSync(join(dir, 'a.pdf'), bytes);
    return execFileSync('pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every incoming demo document\'s scan shows its own metadata in Vietnamese (standards.md §2, §11 NFC)', async () => {
  const rows = srv.db(`SELECT d.id, d.number, d.symbol, d.issuer_name, d.subject, COALESCE(d.signer_name, ''), d.doc_type FROM document d
    WHERE d.agency_id = (SELECT agency_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.login = '${CLERK}')
    AND d.direction = 'incoming' AND d.id <= ${demoMax} ORDER BY d.id`)
    .trim().split('\n').map((l) => l.split('|'));
  assert.ok(rows.length >= 8, `demo documents of Sở KH&CN: ${rows.length}`);
  const squeeze = (t) => t.normalize('NFC').replace(/\s+/g, ' ');
  for (const [id, number, symbol, issuer, subject, signer, type] of rows) {
    const page = await clerk.get(`/documents/${id}`);
    assert.equal(page.status, 200);
    const href = /<iframe class="pdf-frame" src="([^"]+)"/.exec(page.text)[1].replace(/&amp;/g, '&');
    const res = await fetch(srv.url(href), { headers: { Cookie: clerk.cookieHeader() } });
    assert.equal(res.status, 200);
    const raw = pdfText(Buffer.from(await res.arrayBuffer()));
    assert.equal(raw, raw.normalize('NFC'), 'the text extracts in NFC');
    const text = squeeze(raw);
    assert.ok(text.includes(`Số: ${number}/${symbol}`), `${number}/${symbol}: its own number, in: ${text}`);
    assert.ok(text.includes(issuer.toUpperCase()), `${number}/${symbol}: the issuer “${issuer}” upper case`);
    // Công văn carry the subject as "V/v …" (ND30 Phụ lục I); the others under their type's
    // name ("QUYẾT ĐỊNH" over "Ban hành …"), so past its first three words.
    const words = type === 'cong_van' ? `V/v ${subject.replace(/^Về việc /, '')}` : subject.split(' ').slice(3).join(' ');
    assert.ok(text.includes(words), `${number}/${symbol}: the subject “${words}” in: ${text}`);
    if (signer) assert.ok(text.includes(signer), `${number}/${symbol}: the signer ${signer}`);
    assert.doesNotMatch(text, /UY BAN|So: \d/, 'no folded text');
  }
});
