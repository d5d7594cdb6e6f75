// Registers and issuance (issue 11 "Receive and register", issue 12 "Issue", "Signing
// speed"; standards.md §2, §3, §9): Sở KH&CN's outgoing register book as PDF and XLSX for a
// date range — issued documents with signer, recipients, the drafting unit and the
// transfer date, and a cancelled number kept on its line marked "đã hủy" —; the "Sổ văn
// bản" page for clerks, administrators and leaders (a specialist 403, another agency's
// register 404); a signed, numbered and sealed one-page document under 60 KB with both
// signatures valid; a batch issued urgent first, each document answered on its own, the
// outbox urgent first then oldest. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, ADMIN_SKHCN } from './harness.mjs';
import { PIN, serverWithPki, apiClient, webClient as webOf, formData as fd, importKey as importKeyOf, ok,
  pdfsig as pdfsigIn, decisionPdf as decisionWith } from './docs_helpers.mjs';
import { assertDocumented } from './openapi.mjs';

const LEADER = '040090000142', CLERK = '040090000143', SPECIALIST = '040090000145';
const TV_CLERK = '040090000302';
let srv, pki, spec, admin, leader, clerk, specialist, tvClerk, tvAgency, vpAgency, skhcn;
let leaderId, personKey, agencyKey, outReg;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // Vietnam date
const year = today.slice(0, 4);

// The decision of these tests: a subject line under the title.
const decisionPdf = (title) => decisionWith(title, [[70, 640, 12, 'Ve viec ban hanh quy che.']]);
const login = (l) => apiClient(srv, l);
const webClient = (l) => webOf(srv, l);
const importKey = (userId, file) => importKeyOf(admin, pki, userId, file);
async function bytes(c, path) {
  const res = await fetch(srv.url(path), { headers: { Authorization: `Bearer ${c.token}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'),
    body: Buffer.from(await res.arrayBuffer()) };
}
function pdftext(buf) {
  const f = join(pki, `t-${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
}
const pdfsig = (buf) => pdfsigIn(pki, buf);
// The shared strings of an XLSX (every cell text), through python's zipfile.
function xlsxText(buf) {
  const f = join(pki, `x-${Date.now()}-${Math.random()}.xlsx`);
  writeFileSync(f, buf);
  return execFileSync('python3', ['-c',
    'import sys,zipfile;print(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())', f], { encoding: 'utf8' });
}
// A document of the specialist taken to signed and sealed: draft → submit (the signer
// only) → approve → sign (number) → seal.
async function sealed(title, urgency, recipients) {
  const r = await specialist.req('POST', '/api/v1/documents/outgoing', {
    body: fd({ metadata: { doc_type: 'quyet_dinh', subject: `Quyết định ${title}`, urgency, signer_id: leaderId, recipients } },
      [['main', decisionPdf(title), 'qd.pdf', 'application/pdf']]) });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  await ok(specialist, id, 'submit', { reviewers: [] });
  await ok(leader, id, 'approve', { note: 'Duyệt' });
  await ok(leader, id, 'sign', { key_id: personKey, pin: PIN });
  return ok(clerk, id, 'seal', { key_id: agencyKey, pin: PIN });
}

before(async () => {
  ({ srv, pki } = await serverWithPki());
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [admin, leader, clerk, specialist, tvClerk] = await Promise.all([ADMIN_SKHCN, LEADER, CLERK, SPECIALIST, TV_CLERK].map(login));
  leaderId = (await leader.get('/api/v1/me')).json.id;
  tvAgency = one("SELECT id FROM agency WHERE code = '000.00.30.H41'");
  vpAgency = one("SELECT id FROM agency WHERE code = '000.00.01.H41'");
  skhcn = one("SELECT id FROM agency WHERE code = '000.00.04.H41'");
  personKey = await importKey(leaderId, 'person.p12');
  agencyKey = await importKey(null, 'agency.p12');
  outReg = (await clerk.get('/api/v1/registers?kind=outgoing')).json.registers.find((g) => g.name === 'Sổ văn bản đi').id;
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('a signed, numbered and sealed one-page document is under 60 KB; pdfsig: both valid; the number reads back', async () => {
  const doc = await sealed('KICH THUOC', 'thuong', [{ kind: 'agency', agency_id: tvAgency }]);
  const v = doc.versions.at(-1);
  assert.equal(v.stage, 'sealed');
  const pdf = await bytes(clerk, `/api/v1/documents/${doc.id}/files/${v.id}`);
  assert.equal(pdf.status, 200);
  console.log(`# sealed one-page document: ${pdf.body.length} bytes`);
  assert.ok(pdf.body.length < 60 * 1024, `${pdf.body.length} bytes`);
  const report = pdfsig(pdf.body);
  assert.equal((report.match(/Signature Validation: Signature is Valid/g) || []).length, 2, report);
  // §2: the number and symbol stamped on page 1 are text (the subset font has ToUnicode).
  const text = pdftext(pdf.body);
  assert.match(text, new RegExp(`${doc.number}\\s*/?\\s*QĐ-SKHCN`), text.slice(0, 600));
  await ok(clerk, doc.id, 'issue');
});

test('the outgoing register book: PDF and XLSX, issued and cancelled numbers (standards.md §9, §2)', async () => {
  const issued = await sealed('SO SACH', 'khan', [{ kind: 'agency', agency_id: tvAgency }, { kind: 'agency', agency_id: vpAgency },
    { kind: 'external', agency_code: '000.00.00.G22', name: 'Bộ Khoa học và Công nghệ' }]);
  await ok(clerk, issued.id, 'issue');
  const cancelled = await sealed('HUY SO', 'thuong', [{ kind: 'agency', agency_id: tvAgency }]);
  await ok(clerk, cancelled.id, 'cancel', { note: 'Sai thể thức trình bày' });
  const after = await sealed('SAU HUY', 'thuong', [{ kind: 'agency', agency_id: tvAgency }]);
  assert.equal(Number(after.number), Number(cancelled.number) + 1, 'a cancelled number is not given again');

  let r = await bytes(clerk, `/api/v1/registers/${outReg}/book?from=${year}-01-01&to=${today}&format=pdf`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.match(decodeURIComponent(r.disposition), /Sổ văn bản đi 01-01-\d{4} đến/);
  const text = pdftext(r.body);
  // (cells wrap on word boundaries: what is checked here fits on one line of its cell)
  for (const s of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'Sở Khoa học và Công nghệ', 'Người ký', 'Nơi nhận văn bản', 'Ghi chú',
    `${issued.number}/QĐ-SKHCN`, `${cancelled.number}/QĐ-SKHCN`, '(đã hủy)', 'Đã hủy số:', 'Bùi Văn Long',
    'Quyết định: Quyết định SO SACH', 'Trang 1/'])
    assert.ok(text.includes(s), `PDF lacks “${s}”:\n${text.slice(0, 3000)}`);
  const line = (ref) => text.split('\n').find((l) => l.includes(ref)) || '';
  assert.doesNotMatch(line(`${issued.number}/QĐ-SKHCN`), /Đã hủy/);
  assert.match(line(`${cancelled.number}/QĐ-SKHCN`), /Đã hủy số:/, 'the cancelled line carries the mark');
  r = await bytes(leader, `/api/v1/registers/${outReg}/book?from=${year}-01-01&to=${today}&format=xlsx`);
  assert.equal(r.status, 200, 'the leaders read the book');
  const x = xlsxText(r.body);
  for (const s of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'Đơn vị, người nhận bản lưu', 'Số lượng bản', `${cancelled.number}/QĐ-SKHCN (đã hủy)`,
    'Ủy ban nhân dân phường Trường Vinh; Văn phòng Ủy ban nhân dân tỉnh; Bộ Khoa học và Công nghệ'])
    assert.ok(x.includes(s), `XLSX lacks “${s}”`);
  // The range is of the numbers' dates: a range before them has no lines.
  r = await bytes(clerk, `/api/v1/registers/${outReg}/book?from=2020-01-01&to=2020-12-31&format=xlsx`);
  assert.equal(r.status, 200);
  assert.ok(!xlsxText(r.body).includes('QĐ-SKHCN'));
  // Bad input: 400 naming the parameter; another agency's register 404; a specialist 403.
  const bad = await clerk.get(`/api/v1/registers/${outReg}/book?from=${today}&to=2020-01-01`);
  assert.equal(bad.status, 400);
  assert.ok(bad.json.errors.to);
  documented('GET', '/api/v1/registers/{id}/book', bad);
  assert.equal((await clerk.get(`/api/v1/registers/${outReg}/book?from=${today}&to=${today}&format=doc`)).status, 400);
  assert.equal((await tvClerk.get(`/api/v1/registers/${outReg}/book?from=${today}&to=${today}`)).status, 404);
  assert.equal((await specialist.get(`/api/v1/registers/${outReg}/book?from=${today}&to=${today}`)).status, 403);
  // The registers list counts the numbers given this year, the cancelled one included.
  const list = await clerk.get('/api/v1/registers?kind=outgoing');
  documented('GET', '/api/v1/registers', list);
  const reg = list.json.registers.find((g) => g.id === outReg);
  assert.equal(reg.entries, one(`SELECT COUNT(*) FROM document WHERE register_id = ${outReg} AND reg_number IS NOT NULL`));
  assert.equal(reg.next_number, reg.entries + 1, 'numbers are consecutive: none skipped');
  assert.equal(String(reg.entries_year), year);
});

test('the "Sổ văn bản" page: clerks open registers and print books, leaders print, a specialist 403', async () => {
  const wclerk = await webClient(CLERK);
  let page = await wclerk.get('/registers');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Sổ văn bản<\/h1>/);
  assert.match(page.text, /href="\/registers" aria-current="page">Sổ văn bản</, 'the menu entry');
  assert.match(page.text, new RegExp(`action="/registers/${outReg}/book"`));
  assert.match(page.text, /Mở sổ mới/);
  // Opening a register through the form: an outgoing series for two types.
  const before = one('SELECT COUNT(*) FROM doc_register');
  let r = await wclerk.post('/registers', { form: new URLSearchParams([['_csrf', wclerk.csrf], ['kind', 'outgoing'],
    ['name', 'Sổ chỉ thị, thông báo'], ['year_mode', 'yearly'], ['doc_types', 'chi_thi'], ['doc_types', 'thong_bao']]) });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const id = one("SELECT id FROM doc_register WHERE name = 'Sổ chỉ thị, thông báo'");
  assert.equal(r.headers.get('location'), `/registers#reg-${id}`);
  assert.equal(srv.db(`SELECT doc_types FROM doc_register WHERE id = ${id}`).trim(), 'chi_thi,thong_bao');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_register_create' AND object_id = '${id}'`), 1);
  page = await wclerk.get('/registers');
  assert.match(page.text, /Đã mở sổ văn bản/);
  assert.match(page.text, /Chỉ thị, Thông báo/);
  // The same name again, a bad year, a missing name: 422 with the values kept, nothing written.
  r = await wclerk.post('/registers', { form: { _csrf: wclerk.csrf, kind: 'outgoing', name: 'Sổ chỉ thị, thông báo', year_mode: 'yearly' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /Cơ quan đã có sổ cùng loại mang tên/);
  r = await wclerk.post('/registers', { form: { _csrf: wclerk.csrf, kind: 'incoming', name: 'Sổ 20x6', year_mode: 'fixed', year: '20x6' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /Năm mở sổ “20x6” không hợp lệ/);
  assert.match(r.text, /value="Sổ 20x6"/);
  r = await wclerk.post('/registers', { form: { _csrf: wclerk.csrf, kind: 'incoming', name: '  ' } });
  assert.equal(r.status, 422);
  r = await wclerk.post('/registers', { form: { _csrf: 'f'.repeat(64), kind: 'incoming', name: 'Không CSRF' } });
  assert.equal(r.status, 403);
  assert.equal(one('SELECT COUNT(*) FROM doc_register'), before + 1);
  // The book from the page: a download, or back with the reason.
  r = await wclerk.get(`/registers/${outReg}/book?from=${year}-01-01&to=${today}&format=xlsx`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  r = await wclerk.get(`/registers/${outReg}/book?from=${today}&to=2020-01-01&format=pdf`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/registers#reg-${outReg}`);
  assert.match((await wclerk.get('/registers')).text, /Chưa in được sổ: Đến ngày/);
  const tvReg = one(`SELECT MIN(id) FROM doc_register WHERE agency_id = ${tvAgency}`);
  assert.equal((await wclerk.get(`/registers/${tvReg}/book?from=${today}&to=${today}`)).status, 404, 'another agency: 404');
  // The leader: the list and the books, no form.
  const wleader = await webClient(LEADER);
  page = await wleader.get('/registers');
  assert.equal(page.status, 200);
  assert.match(page.text, /Tải sổ \(PDF\)/);
  assert.doesNotMatch(page.text, /action="\/registers" /);
  r = await wleader.post('/registers', { form: { _csrf: wleader.csrf, kind: 'incoming', name: 'Sổ của lãnh đạo' } });
  assert.equal(r.status, 403);
  // The administrator: the list and the form, no books (they are the clerks' and leaders').
  const wadmin = await webClient(ADMIN_SKHCN);
  page = await wadmin.get('/registers');
  assert.equal(page.status, 200);
  assert.match(page.text, /Mở sổ mới/);
  assert.doesNotMatch(page.text, /Tải sổ \(PDF\)/);
  // A specialist: no menu entry, 403.
  const wspec = await webClient(SPECIALIST);
  assert.doesNotMatch((await wspec.get('/')).text, /href="\/registers"/);
  assert.equal((await wspec.get('/registers')).status, 403);
});

test('a batch is issued urgent first, each document on its own; the outbox is urgent first then oldest', async () => {
  const ext = (n) => [{ kind: 'agency', agency_id: tvAgency }, { kind: 'external', agency_code: `000.00.00.G${n}`, name: `Bộ thử ${n}` }];
  const normal = await sealed('THUONG', 'thuong', ext(31));
  const fire = await sealed('HOA TOC', 'hoa_toc', ext(32));
  const urgent = await sealed('KHAN', 'khan', ext(33));
  const normal2 = await sealed('THUONG 2', 'thuong', ext(34));
  // A draft of the agency (not signed) and another agency's document: answered, not issued.
  const dr = await specialist.req('POST', '/api/v1/documents/outgoing', { body: fd({ metadata: {
    doc_type: 'quyet_dinh', subject: 'Dự thảo chưa ký', urgency: 'thuong_khan', signer_id: leaderId, recipients: ext(35) } },
  [['main', decisionPdf('DU THAO'), 'd.pdf', 'application/pdf']]) });
  assert.equal(dr.status, 201, dr.text);
  const draft = dr.json.id;
  const foreign = one(`SELECT MIN(id) FROM document WHERE agency_id = ${tvAgency}`);
  // Bad lists and the wrong people: nothing issued.
  const footprint = () => srv.db("SELECT COUNT(*) FROM document WHERE state = 'issued'; SELECT COUNT(*) FROM doc_outbox");
  const was = footprint();
  for (const body of [{}, { ids: [] }, { ids: 'x' }, { ids: [normal.id, normal.id] }, { ids: [0] }, { ids: ['1'] },
    { ids: Array.from({ length: 101 }, (_, i) => i + 1) }]) {
    const r = await clerk.post('/api/v1/documents/issue', { json: body });
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.ok(r.json.errors.ids, r.text);
  }
  assert.equal((await specialist.post('/api/v1/documents/issue', { json: { ids: [normal.id] } })).status, 403);
  assert.equal(footprint(), was);

  const r = await clerk.post('/api/v1/documents/issue', { json: { ids: [normal.id, foreign, fire.id, draft, normal2.id, urgent.id] } });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/issue', r);
  const res = r.json.results;
  assert.deepEqual(res.map((x) => x.id), [fire.id, draft, urgent.id, normal.id, normal2.id, foreign],
    'hỏa tốc, thượng khẩn, khẩn, thường (§3), then the earlier sealed; an unknown one last');
  const by = Object.fromEntries(res.map((x) => [x.id, x]));
  assert.equal(by[draft].status, 409);
  assert.match(by[draft].detail, /Không ban hành văn bản được/);
  assert.equal(by[foreign].status, 404, 'another agency\'s document is not known');
  for (const d of [fire, urgent, normal, normal2]) {
    assert.equal(by[d.id].status, 200);
    assert.equal(by[d.id].state, 'issued');
  }
  assert.equal(r.json.issued, 4);
  assert.equal(r.json.failed, 2);
  assert.equal(srv.db(`SELECT state FROM document WHERE id = ${draft}`).trim(), 'draft');
  // Delivered in that order: the copies and the outbox rows were written urgent first.
  const outboxIds = (doc) => one(`SELECT id FROM doc_outbox WHERE document_id = ${doc.id}`);
  assert.ok(outboxIds(fire) < outboxIds(urgent) && outboxIds(urgent) < outboxIds(normal) && outboxIds(normal) < outboxIds(normal2));
  const ob = await clerk.get('/api/v1/documents/outbox');
  documented('GET', '/api/v1/documents/outbox', ob);
  const order = ob.json.outbox.map((o) => o.document_id).filter((d) => [fire.id, urgent.id, normal.id, normal2.id].includes(d));
  assert.deepEqual(order, [fire.id, urgent.id, normal.id, normal2.id]);
  const urg = ob.json.outbox.map((o) => o.urgency);
  assert.deepEqual(urg, [...urg].sort((a, b) => b - a), 'the outbox drains urgent first');
  // Issuing again: each answered 409, nothing doubled.
  const again = await clerk.post('/api/v1/documents/issue', { json: { ids: [fire.id] } });
  assert.equal(again.json.results[0].status, 409);
  assert.equal(one(`SELECT COUNT(*) FROM doc_outbox WHERE document_id = ${fire.id}`), 1);
});
