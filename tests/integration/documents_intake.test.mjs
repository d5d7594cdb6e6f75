// Receiving documents through the API (issue 11 "Receive and register", standards.md §4,
// §5, §9): the demo delivers documents of UBND tỉnh Nghệ An to Sở KH&CN and phường
// Trường Vinh inside the installation (doc_deliver_internal); the clerk of Sở KH&CN
// registers one (next arrival number), refuses another with a reason that the sender's
// clerk sees on its own document at once, gets a 409 naming the earlier document for a
// duplicate; acting on a document that is not arrived is a 409 that changes nothing;
// phường Trường Vinh's administrator gets 404 on Sở KH&CN's arrived document; the
// register book downloads as PDF and XLSX with its Vietnamese headers and subjects, and
// bad ranges are 400. Runs on SQLite and, with tests/pg-env.mjs, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, makePdf, ADMIN_TRUONGVINH } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';          // Ngô Thị Huyền, văn thư, Sở KH&CN
const LEADER = '040090000142';         // Bùi Văn Long, Giám đốc Sở KH&CN
const SPECIALIST = '040090000145';     // Đỗ Minh Châu, chuyên viên, Sở KH&CN
const PROVINCE_CLERK = '040090000102'; // Trần Thị Mai, văn thư, UBND tỉnh

let srv, spec, clerk, leader, specialist, province, ward, registerId, arrived, tmp;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM document; SELECT COUNT(*) FROM doc_history; SELECT COUNT(*) FROM doc_file; ' +
  "SELECT COALESCE(SUM(next_number), 0) FROM doc_counter; SELECT COUNT(*) FROM audit_log; " +
  "SELECT COUNT(*) FROM document WHERE state = 'arrived'");
const daysFromToday = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// A binary download (the harness's Client reads text).
async function download(c, path) {
  const res = await fetch(srv.url(path), { headers: { Authorization: `Bearer ${c.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  srv = await new Server().start();
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [clerk, leader, specialist, province, ward] = await Promise.all(
    [CLERK, LEADER, SPECIALIST, PROVINCE_CLERK, ADMIN_TRUONGVINH].map(async (login) => {
      const c = new Client(srv);
      const r = await c.apiLogin(login);
      assert.equal(r.status, 200, login);
      return c;
    }));
  registerId = (await clerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  // The demo's deliveries to Sở KH&CN, in the order they were sent (doc_demo.c).
  arrived = srv.db("SELECT d.id FROM document d JOIN agency a ON a.id = d.agency_id WHERE a.code = " +
    "'000.00.04.H41' AND d.state = 'arrived' AND d.source_document_id IS NOT NULL ORDER BY d.id")
    .trim().split(/\s+/).map(Number);
  assert.equal(arrived.length, 3);
  tmp = mkdtempSync(join(tmpdir(), 'qlvb-book-'));
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(tmp, { recursive: true, force: true }); });

test('a delivered document waits as arrived with the sender, both instants and the same files', async () => {
  const res = await clerk.get(`/api/v1/documents/${arrived[0]}`);
  assert.equal(res.status, 200, res.text);
  documented('GET', `/api/v1/documents/${arrived[0]}`, res);
  const doc = res.json;
  assert.equal(doc.state, 'arrived');
  assert.equal(doc.medium, 'electronic');
  assert.equal(doc.arrival_number, null);
  assert.equal(doc.issuer_code, '000.00.00.H41');
  assert.equal(doc.issuer_name, 'Ủy ban nhân dân tỉnh Nghệ An');
  assert.ok(doc.source_document_id > 0);
  // §4: received_at is arrived_at, or the start of the next working period after it
  assert.match(doc.arrived_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  assert.ok(Date.parse(doc.received_at) >= Date.parse(doc.arrived_at));
  assert.deepEqual(doc.history.map((h) => [h.step, h.action, h.to_state]), [[1, 'received', 'arrived']]);
  assert.equal(doc.files.length, 1);
  const file = await download(clerk, `/api/v1/documents/${doc.id}/files/${doc.files[0].id}`);
  assert.equal(file.status, 200);
  assert.equal(file.bytes.subarray(0, 5).toString(), '%PDF-');
  // the same blob as the sender's file
  assert.equal(one(`SELECT COUNT(*) FROM doc_file f JOIN doc_file g ON g.blob_hash = f.blob_hash ` +
    `WHERE f.document_id = ${doc.id} AND g.document_id = ${doc.source_document_id}`), 1);
  // the sender sees the delivery on its document
  const src = await province.get(`/api/v1/documents/${doc.source_document_id}`);
  assert.equal(src.status, 200, src.text);
  assert.ok(src.json.history.some((h) => h.action === 'delivered' && /Sở Khoa học và Công nghệ/.test(h.comment)));
});

test('another agency gets 404 on the arrived document; the leader sees it but may not register (403)', async () => {
  const before = footprint();
  const id = arrived[1];
  assert.equal((await ward.get(`/api/v1/documents/${id}`)).status, 404);
  assert.equal((await ward.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } })).status, 404);
  assert.equal((await ward.post(`/api/v1/documents/${id}/refuse`, { json: { reason: 'Không rõ' } })).status, 404);
  assert.equal((await specialist.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } })).status, 404);
  assert.equal((await leader.get(`/api/v1/documents/${id}`)).status, 200);
  assert.equal((await leader.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } })).status, 403);
  assert.equal((await leader.post(`/api/v1/documents/${id}/refuse`, { json: { reason: 'Không rõ' } })).status, 403);
  assert.equal((await clerk.post('/api/v1/documents/999999/register', { json: { register_id: registerId } })).status, 404);
  assert.equal(footprint(), before);
});

test('the clerk registers an arrived document with the next arrival number; a second time is 409', async () => {
  const id = arrived[0];
  const next = (await clerk.get('/api/v1/registers')).json.registers.find((r) => r.id === registerId).next_number;
  let before = footprint();
  const bad = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId, page_count: 'hai', extra: 1 } });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.errors.page_count && bad.json.errors.body);
  const wardReg = (await ward.get('/api/v1/registers')).json.registers[0].id;
  const foreign = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: wardReg } });
  assert.equal(foreign.status, 422);
  assert.match(foreign.json.errors.register_id, /không có trong cơ quan/);
  assert.equal(footprint(), before);

  const res = await clerk.post(`/api/v1/documents/${id}/register`,
    { json: { register_id: registerId, page_count: 2, notes: 'Bản điện tử, chữ ký số hợp lệ' } });
  assert.equal(res.status, 200, res.text);
  documented('POST', `/api/v1/documents/${id}/register`, res);
  assert.equal(res.json.state, 'registered');
  assert.equal(res.json.arrival_number, next);
  assert.equal(res.json.register_id, registerId);
  assert.equal(res.json.page_count, 2);
  assert.equal(res.json.history.at(-1).action, 'registered');
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_register_arrived' AND object_id = '${id}'`), 1);
  const src = await province.get(`/api/v1/documents/${res.json.source_document_id}`);
  assert.ok(src.json.history.some((h) => h.action === 'accepted' && h.comment.includes(`số đến ${next}/`)));

  before = footprint();
  const again = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } });
  assert.equal(again.status, 409);
  documented('POST', `/api/v1/documents/${id}/register`, again);
  assert.match(again.json.errors.state, /đã vào sổ/);
  const refuse = await clerk.post(`/api/v1/documents/${id}/refuse`, { json: { reason: 'Gửi nhầm' } });
  assert.equal(refuse.status, 409);
  assert.equal(footprint(), before);
});

test('the clerk refuses with a reason; the sender sees the refusal on its document the same day', async () => {
  const id = arrived[1];
  const before = footprint();
  const empty = await clerk.post(`/api/v1/documents/${id}/refuse`, { json: { reason: '  ' } });
  assert.equal(empty.status, 422);
  assert.ok(empty.json.errors.reason);
  assert.equal((await clerk.post(`/api/v1/documents/${id}/refuse`, { json: {} })).status, 422);
  assert.equal(footprint(), before);

  const reason = 'Văn bản gửi nhầm cơ quan: nội dung thuộc thẩm quyền của Sở Tài chính';
  const res = await clerk.post(`/api/v1/documents/${id}/refuse`, { json: { reason } });
  assert.equal(res.status, 200, res.text);
  documented('POST', `/api/v1/documents/${id}/refuse`, res);
  assert.equal(res.json.state, 'refused');
  assert.equal(res.json.history.at(-1).action, 'refused');
  assert.equal(res.json.history.at(-1).comment, reason);
  // §5 "notify the sender the same day": the province's clerk reads it on its document
  const src = await province.get(`/api/v1/documents/${res.json.source_document_id}`);
  assert.equal(src.status, 200);
  const last = src.json.history.at(-1);
  assert.equal(last.action, 'refused_by_recipient');
  assert.ok(last.comment.includes(reason));
  assert.match(last.comment, /Sở Khoa học và Công nghệ từ chối/);
  assert.equal(src.json.history.at(-1).at.slice(0, 10), res.json.history.at(-1).at.slice(0, 10));

  const after = footprint();
  const again = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } });
  assert.equal(again.status, 409);
  assert.match(again.json.errors.state, /từ chối/);
  assert.equal(footprint(), after);
});

test('a duplicate is 409 with the earlier document (ND30 Phụ lục VI), registered once confirmed', async () => {
  const id = arrived[2];
  const doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  // the paper copy of the same letter, registered first
  const fd = new FormData();
  fd.append('metadata', JSON.stringify({
    register_id: registerId, issuer_code: '000.00.00.H41', issuer_name: 'Ủy ban nhân dân tỉnh Nghệ An',
    number: doc.number, symbol: doc.symbol, issued_date: doc.issued_date, doc_type: doc.doc_type,
    subject: 'Bản giấy: hướng dẫn số hóa hồ sơ lưu trữ năm 2026',
  }));
  fd.append('main', new Blob([makePdf([[72, 760, 14, 'BAN GIAY']])], { type: 'application/pdf' }), 'bản giấy.pdf');
  const paper = await clerk.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(paper.status, 201, paper.text);
  const before = footprint();
  const dup = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId } });
  assert.equal(dup.status, 409, dup.text);
  documented('POST', `/api/v1/documents/${id}/register`, dup);
  assert.equal(dup.json.type, 'urn:qlvb:problem:duplicate');
  const e = dup.json.duplicate_of;
  assert.equal(e.id, paper.json.id);
  assert.equal(e.arrival_number, paper.json.arrival_number);
  assert.equal(e.register_name, 'Sổ văn bản đến');
  assert.equal(e.received_at, paper.json.received_at);
  assert.equal(e.subject, 'Bản giấy: hướng dẫn số hóa hồ sơ lưu trữ năm 2026');
  assert.equal(e.number_symbol, doc.number_symbol);
  assert.match(dup.json.errors.confirm_duplicate, new RegExp(`số đến ${paper.json.arrival_number}/`));
  assert.equal(footprint(), before);
  const ok = await clerk.post(`/api/v1/documents/${id}/register`, { json: { register_id: registerId, confirm_duplicate: true } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.arrival_number, paper.json.arrival_number + 1);
});

test('concurrent actions on one arrived document: exactly one wins, the others are 409', async () => {
  // phường Trường Vinh got the province's first letter too (doc_demo.c)
  const id = one("SELECT d.id FROM document d JOIN agency a ON a.id = d.agency_id WHERE a.code = " +
    "'000.00.30.H41' AND d.state = 'arrived' ORDER BY d.id LIMIT 1");
  const clerks = await Promise.all([0, 1, 2].map(async () => {
    const c = new Client(srv); assert.equal((await c.apiLogin('040090000302')).status, 200); return c;
  }));
  const wardReg = (await clerks[0].get('/api/v1/registers')).json.registers[0];
  const audits = one('SELECT COUNT(*) FROM audit_log');
  const results = await Promise.all([
    clerks[0].post(`/api/v1/documents/${id}/register`, { json: { register_id: wardReg.id } }),
    clerks[1].post(`/api/v1/documents/${id}/refuse`, { json: { reason: 'Không thuộc thẩm quyền của phường' } }),
    clerks[2].post(`/api/v1/documents/${id}/register`, { json: { register_id: wardReg.id } }),
  ]);
  const statuses = results.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 409, 409], results.map((r) => r.text).join('\n'));
  const won = results.find((r) => r.status === 200).json;
  assert.equal(one(`SELECT COUNT(*) FROM doc_history WHERE document_id = ${id}`), 2);
  assert.equal(one('SELECT COUNT(*) FROM audit_log'), audits + 1);
  const after = (await clerks[0].get('/api/v1/registers')).json.registers[0].next_number;
  // a number was used only by a registration that committed (none given to the losers)
  assert.equal(after, wardReg.next_number + (won.state === 'registered' ? 1 : 0));
});

test('the register book as PDF and XLSX with the Vietnamese headers and subjects; bad ranges are 400', async () => {
  const from = daysFromToday(-300), to = daysFromToday(30);
  const q = `/api/v1/registers/${registerId}/book?from=${from}&to=${to}`;
  const registered = srv.db(`SELECT subject FROM document WHERE register_id = ${registerId} ORDER BY reg_number`)
    .trim().split('\n');
  assert.ok(registered.length >= 3);
  const headers = ['SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', 'Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng',
    'Tên loại và trích yếu nội dung', 'Đơn vị hoặc người nhận', 'Ngày chuyển', 'Ký nhận', 'Ghi chú',
    'Sở Khoa học và Công nghệ'];
  const subject = 'Về việc đẩy mạnh ứng dụng chữ ký số và gửi, nhận văn bản điện tử trên trục liên thông';
  assert.ok(registered.includes(subject));

  const pdf = await download(clerk, q);
  assert.equal(pdf.status, 200, pdf.bytes.toString().slice(0, 300));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.match(pdf.headers.get('content-disposition'), /^attachment;/);
  assert.match(pdf.headers.get('content-disposition'), new RegExp(
    `filename\\*=UTF-8''${encodeURIComponent('Sổ văn bản đến').replace(/[()]/g, '\\$&')}`));
  writeFileSync(join(tmp, 'book.pdf'), pdf.bytes);
  // content-stream order keeps a wrapped cell's lines together
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(tmp, 'book.pdf'), '-'], { encoding: 'utf8' });
  const flat = text.replace(/\s+/g, ' ');
  for (const h of headers) assert.ok(flat.includes(h.normalize('NFC')), `PDF has ${h}`);
  assert.ok(flat.includes(`Công văn: ${subject}`.normalize('NFC')), 'PDF has the subject with its diacritics');
  assert.match(flat, /Trang 1\/\d+/);
  assert.match(flat, new RegExp(`Từ ngày ${from.slice(8)}/${from.slice(5, 7)}/${from.slice(0, 4)}`));
  const info = execFileSync('pdfinfo', [join(tmp, 'book.pdf')], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+842 x 595 pts/); // A4 landscape

  const xlsx = await download(leader, `${q}&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(xlsx.headers.get('content-disposition'), /\.xlsx/);
  writeFileSync(join(tmp, 'book.xlsx'), xlsx.bytes);
  const strings = execFileSync('unzip', ['-p', join(tmp, 'book.xlsx'), 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  for (const h of headers) assert.ok(strings.includes(h.normalize('NFC')), `XLSX has ${h}`);
  assert.ok(strings.includes(`Công văn: ${subject}`.normalize('NFC')));

  // bad ranges and formats: 400 naming the parameter
  for (const [params, field] of [
    [`from=${to}&to=${from}`, 'to'],
    [`from=${daysFromToday(-400)}&to=${daysFromToday(0)}`, 'to'],
    ['from=2026-02-30&to=2026-03-01', 'from'],
    [`to=${to}`, 'from'],
    [`from=${from}&to=${to}&format=docx`, 'format'],
  ]) {
    const r = await clerk.get(`/api/v1/registers/${registerId}/book?${params}`);
    assert.equal(r.status, 400, params);
    assert.ok(r.json.errors[field], `${params}: ${r.text}`);
  }
  assert.equal((await specialist.get(q)).status, 403);
  assert.equal((await ward.get(q)).status, 404);
  assert.equal((await clerk.get(`/api/v1/registers/999999/book?from=${from}&to=${to}`)).status, 404);
});
