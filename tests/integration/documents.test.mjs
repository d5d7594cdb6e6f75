// Incoming documents through the API (issue 11, first increment): a clerk of Sở KH&CN
// registers a scanned letter with its appendix; the clerk and the agency's leader read
// it, a specialist who is not on it and a department leader get 404, another agency's
// clerk guessing ids gets 404 exactly as for an id that exists nowhere; every bad
// input is a precise Vietnamese field error and changes nothing; many clients
// registering at once get unique, consecutive arrival numbers; a duplicate is reported
// with the earlier document and registered once the clerk confirms. Runs on SQLite and,
// in the PostgreSQL pass of make test, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, makePdf, ADMIN_SKHCN } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';       // Ngô Thị Huyền, văn thư, Sở KH&CN
const LEADER = '040090000142';      // Bùi Văn Long, Giám đốc (lãnh đạo cơ quan)
const HEAD = '040090000144';        // Trịnh Quốc Bảo, trưởng phòng (lãnh đạo phòng)
const SPECIALIST = '040090000145';  // Đỗ Minh Châu, chuyên viên
const CLERK_TRUONGVINH = '040090000302';
const MAX_FILE_KIB = 64;

let srv, spec, clerk, leader, head, specialist, admin, outsider, registerId, otherRegister;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
// Everything a registration writes, so a refused one can be shown to have written nothing.
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM document; SELECT COUNT(*) FROM doc_file; SELECT COUNT(*) FROM doc_history; ' +
  'SELECT COALESCE(SUM(next_number), 0) FROM doc_counter; SELECT COUNT(*) FROM audit_log; SELECT COUNT(*) FROM blob');

// The number the register gives next in a year: a document is numbered in the year of its
// receipt, and one registered on 31 December evening is received in the next working
// period, in the new year (standards.md §4), where numbering starts again.
const nextIn = (year) => one(`SELECT COALESCE(MAX(reg_number), 0) + 1 FROM document WHERE register_id = ${registerId} AND reg_year = ${year}`);
const nextByYear = () => { const y = Number(today().slice(0, 4)); return { [y]: nextIn(y), [y + 1]: nextIn(y + 1) }; };

const pdf = (text = 'CONG VAN SO 215') => makePdf([[72, 760, 14, text]]);
const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // Vietnam date
const daysFromToday = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

function metadata(over = {}) {
  return {
    register_id: registerId,
    issuer_code: '000.00.02.H41',
    issuer_name: 'Sở Nội vụ',
    number: '215',
    symbol: 'SNV-CCVC',
    issued_date: daysFromToday(-2),
    doc_type: 'cong_van',
    subject: 'Về việc cử công chức tham gia lớp bồi dưỡng kỹ năng chuyển đổi số',
    signer_name: 'Lê Quang Minh',
    signer_position: 'Phó Giám đốc',
    page_count: 2,
    urgency: 'khan',
    due_date: daysFromToday(10),
    recipients: ['Giám đốc Sở', 'Phòng Công nghệ thông tin'],
    ...over,
  };
}

// POST /documents/incoming with files [{field, name, bytes, type}].
function register(c, meta, files = [{ field: 'main', name: 'cong-van-215.pdf', bytes: pdf() }]) {
  const fd = new FormData();
  if (meta !== undefined) fd.append('metadata', typeof meta === 'string' ? meta : JSON.stringify(meta));
  for (const f of files) fd.append(f.field, new Blob([f.bytes], { type: f.type || 'application/octet-stream' }), f.name);
  return c.req('POST', '/api/v1/documents/incoming', { body: fd });
}

before(async () => {
  srv = await new Server([], { QLVB_DOC_MAX_FILE_KIB: String(MAX_FILE_KIB) }).start();
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [clerk, leader, head, specialist, admin, outsider] = await Promise.all(
    [CLERK, LEADER, HEAD, SPECIALIST, ADMIN_SKHCN, CLERK_TRUONGVINH].map(async (login) => {
      const c = new Client(srv);
      const r = await c.apiLogin(login);
      assert.equal(r.status, 200, login);
      return c;
    }));
  const regs = await clerk.get('/api/v1/registers');
  assert.equal(regs.status, 200);
  registerId = regs.json.registers[0].id;
  otherRegister = (await outsider.get('/api/v1/registers')).json.registers[0].id;
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('registers: members list them, clerks and administrators open them, others may not', async () => {
  const list = await specialist.get('/api/v1/registers?kind=incoming');
  assert.equal(list.status, 200);
  documented('GET', '/api/v1/registers', list);
  assert.deepEqual(list.json.registers.map((r) => r.name), ['Sổ văn bản đến']);
  const denied = await specialist.post('/api/v1/registers', { json: { name: 'Sổ riêng' } });
  assert.equal(denied.status, 403);
  const made = await clerk.post('/api/v1/registers', { json: { kind: 'incoming', name: 'Sổ văn bản đến từ Trung ương' } });
  assert.equal(made.status, 201, made.text);
  documented('POST', '/api/v1/registers', made);
  assert.equal(made.json.next_number, 1);
  const twin = await admin.post('/api/v1/registers', { json: { kind: 'incoming', name: 'Sổ văn bản đến từ Trung ương' } });
  assert.equal(twin.status, 409);
  assert.match(twin.json.errors.name, /đã có sổ cùng loại/);
  const fixed = await admin.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ văn bản đi 2026', year_mode: 'fixed' } });
  assert.equal(fixed.status, 422);
  assert.match(fixed.json.errors.year, /năm mở sổ/);
});

test('a clerk registers a scanned letter; the clerk and the agency leader read it, others get 404', async () => {
  const next = (await clerk.get('/api/v1/registers')).json.registers.find((r) => r.id === registerId).next_number;
  const before = nextByYear();
  const appendix = Buffer.from('STT;Họ và tên;Chức vụ\n1;Đỗ Minh Châu;Chuyên viên\n');
  const res = await register(clerk, metadata(), [
    { field: 'main', name: 'Công văn 215.pdf', bytes: pdf() },
    { field: 'appendix', name: 'Danh sách cử đi học.csv', bytes: appendix },
  ]);
  assert.equal(res.status, 201, res.text);
  documented('POST', '/api/v1/documents/incoming', res);
  const doc = res.json;
  assert.equal(res.headers.get('location'), `/api/v1/documents/${doc.id}`);
  // numbered in the year of its receipt (Vietnam time)
  assert.match(doc.received_at, /\+07:00$/);
  assert.equal(doc.year, Number(doc.received_at.slice(0, 4)));
  assert.equal(doc.arrival_number, before[doc.year]);
  // the register's "next number" was the one given, in that year (on 31 December evening
  // the new year's: the registers list reads the year of a receipt made now)
  assert.equal(doc.arrival_number, next);
  assert.equal(doc.number_symbol, '215/SNV-CCVC');
  assert.equal(doc.state, 'registered');
  assert.equal(doc.urgency_label, 'Khẩn');
  assert.deepEqual(doc.recipients, ['Giám đốc Sở', 'Phòng Công nghệ thông tin']);
  assert.deepEqual(doc.files.map((f) => [f.role, f.file_name, f.format]),
    [['main', 'Công văn 215.pdf', 'pdf'], ['appendix', 'Danh sách cử đi học.csv', 'csv']]);
  assert.equal(doc.history.length, 1);
  assert.equal(doc.history[0].action, 'received');
  assert.match(doc.history[0].comment, new RegExp(`số đến ${doc.arrival_number}/${doc.year}$`));
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_register_incoming' AND object_id = '${doc.id}'`), 1);

  for (const c of [clerk, leader]) {
    const got = await c.get(`/api/v1/documents/${doc.id}`);
    assert.equal(got.status, 200);
    documented('GET', `/api/v1/documents/${doc.id}`, got);
    assert.equal(got.json.subject, doc.subject);
    const file = await c.get(`/api/v1/documents/${doc.id}/files/${doc.files[0].id}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    documented('GET', `/api/v1/documents/${doc.id}/files/${doc.files[0].id}`, file);
    assert.equal(file.text, pdf().toString('latin1'));
    assert.match(file.headers.get('content-disposition'), /filename\*=UTF-8''C%C3%B4ng/);
  }
  // Not on it: a specialist and a department leader of the agency do not learn it exists.
  const nowhere = await clerk.get('/api/v1/documents/99999999');
  assert.equal(nowhere.status, 404);
  for (const c of [specialist, head]) {
    const r = await c.get(`/api/v1/documents/${doc.id}`);
    assert.equal(r.status, 404);
    assert.equal(r.json.title, nowhere.json.title);
    assert.equal((await c.get(`/api/v1/documents/${doc.id}/files/${doc.files[0].id}`)).status, 404);
  }
  // Another agency's clerk guessing ids of Sở KH&CN's documents: 404, like an id that
  // exists nowhere.
  const ours = srv.db(`SELECT id FROM document WHERE agency_id = ${doc.agency_id} ORDER BY id`).trim().split('\n').map(Number);
  assert.ok(ours.length >= 5);
  for (const id of [...ours, 99999999]) {
    const r = await outsider.get(`/api/v1/documents/${id}`);
    assert.equal(r.status, 404, `document ${id}`);
    assert.equal(r.json.detail, nowhere.json.detail);
    assert.equal((await outsider.get(`/api/v1/documents/${id}/files/${doc.files[0].id}`)).status, 404);
  }
  // A file id of another document is not this document's file.
  const demoDoc = one(`SELECT MIN(id) FROM document WHERE agency_id = ${doc.agency_id}`);
  assert.equal((await clerk.get(`/api/v1/documents/${demoDoc}/files/${doc.files[0].id}`)).status, 404);
});

test('every bad input is a precise field error and changes nothing', async () => {
  const longSubject = 'ệ'.repeat(501);
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200, 0x41)]);
  const cases = [
    ['unknown register', metadata({ register_id: 987654 }), undefined, 'register_id', /không có trong cơ quan/],
    ['another agency\'s register', metadata({ register_id: otherRegister }), undefined, 'register_id', /không có trong cơ quan/],
    ['subject over 500 characters', metadata({ subject: longSubject }), undefined, 'subject', /500 ký tự/],
    ['empty subject', metadata({ subject: '  ' }), undefined, 'subject', /trích yếu/],
    ['a secret document', metadata({ secrecy: 'Mật' }), undefined, 'secrecy', /Luật Bảo vệ bí mật nhà nước/], // standards.md §3
    ['a top-secret document', metadata({ secrecy: 'Tuyệt mật' }), undefined, 'secrecy', /Tuyệt mật/],
    ['number with the symbol in it', metadata({ number: '215/SNV' }), undefined, 'number', /chỉ gồm chữ số/],
    ['symbol with a space', metadata({ symbol: 'SNV CCVC' }), undefined, 'symbol', /không đúng quy tắc: các nhóm chữ viết liền/], // standards.md §2
    ['symbol with a slash', metadata({ symbol: 'SNV/CCVC' }), undefined, 'symbol', /không có dấu cách hay “\/”/],
    ['issued in the future', metadata({ issued_date: daysFromToday(3) }), undefined, 'issued_date', /tương lai/],
    ['not a date', metadata({ issued_date: '2026-02-30' }), undefined, 'issued_date', /không phải ngày hợp lệ/],
    ['deadline in the past', metadata({ due_date: daysFromToday(-1) }), undefined, 'due_date', /đã qua/],
    ['unknown type', metadata({ doc_type: 'don_thu' }), undefined, 'doc_type', /danh mục/],
    ['unknown urgency', metadata({ urgency: 'gap' }), undefined, 'urgency', /Thượng khẩn, Hỏa tốc/],
    ['bad agency code', metadata({ issuer_code: '000.02.H41' }), undefined, 'issuer_code', /ví dụ 000\.00\.00\.H41/],
    ['a typo in the metadata', { ...metadata(), subjet: 'x' }, undefined, 'metadata', /subjet/],
    ['metadata that is not JSON', '{"register_id": ', undefined, 'metadata', /JSON/],
    ['no metadata', undefined, undefined, 'metadata', /Thiếu trường metadata/],
    ['no main file', metadata(), [], 'main', /bản quét PDF/],
    ['an executable named .pdf', metadata(), [{ field: 'main', name: 'cong-van.pdf', bytes: exe }], 'main', /tệp chương trình \(exe\)/],
    ['a picture as the scan', metadata(), [{ field: 'main', name: 'scan.png', bytes: Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1') }], 'main', /phải là tệp PDF/],
    ['a disallowed appendix', metadata(), [{ field: 'main', name: 'a.pdf', bytes: pdf() }, { field: 'appendix', name: 'tool.exe', bytes: exe }], 'appendix', /không được phép/],
    ['an oversized file', metadata(), [{ field: 'main', name: 'big.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc((MAX_FILE_KIB + 1) * 1024, 0x20)]) }], 'main', /quá giới hạn/],
    ['a long Vietnamese name of a refused type', metadata(), [{ field: 'main', name: 'Công văn '.repeat(18) + 'x.exe', bytes: exe }], 'main', /^Tệp “Công văn .*…” có định dạng không được phép/],
    ['two main files', metadata(), [{ field: 'main', name: 'a.pdf', bytes: pdf() }, { field: 'main', name: 'b.pdf', bytes: pdf('B') }], 'main', /một tệp chính/],
  ];
  const before = footprint();
  for (const [what, meta, files, field, message] of cases) {
    const r = await register(clerk, meta, files);
    assert.equal(r.status, 422, `${what}: ${r.text}`);
    documented('POST', '/api/v1/documents/incoming', r);
    assert.ok(r.json.errors && r.json.errors[field], `${what}: error on ${field}: ${r.text}`);
    assert.match(r.json.errors[field], message, what);
  }
  // Not multipart, or not a clerk: refused before anything is read.
  const asJson = await clerk.post('/api/v1/documents/incoming', { json: metadata() });
  assert.equal(asJson.status, 415);
  const notClerk = await register(specialist, metadata());
  assert.equal(notClerk.status, 403);
  assert.equal(footprint(), before, 'nothing written by any refused registration');
});

test('the metadata may come as a JSON file part (curl -F metadata=@meta.json)', async () => {
  const fd = new FormData();
  fd.append('metadata', new Blob([JSON.stringify(metadata({ number: '451', subject: 'Về việc rà soát thủ tục hành chính' }))],
    { type: 'application/json' }), 'meta.json');
  fd.append('main', new Blob([pdf('CONG VAN 451')]), 'cv-451.pdf');
  const r = await clerk.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.number_symbol, '451/SNV-CCVC');
  assert.deepEqual(r.json.files.map((f) => f.file_name), ['cv-451.pdf']);
});

test('many clients registering at once get unique, consecutive numbers', async () => {
  const clients = await Promise.all(Array.from({ length: 8 }, async () => {
    const c = new Client(srv); await c.apiLogin(CLERK); return c;
  }));
  const before = nextByYear();
  const N = 40;
  const results = await Promise.all(Array.from({ length: N }, (_, i) =>
    register(clients[i % clients.length], metadata({ number: String(3000 + i), subject: `Công văn số ${3000 + i} về việc báo cáo số liệu` }),
      [{ field: 'main', name: `cv-${i}.pdf`, bytes: pdf(`CONG VAN ${i}`) }])));
  for (const r of results) assert.equal(r.status, 201, r.text);
  const year = results[0].json.year;
  for (const r of results) assert.equal(r.json.year, year);
  const start = before[year];
  const numbers = results.map((r) => r.json.arrival_number).sort((a, b) => a - b);
  assert.deepEqual(numbers, Array.from({ length: N }, (_, i) => start + i));
  // no number given twice in a year (each year's numbering starts at 1)
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE register_id = ${registerId}`),
    one(`SELECT COUNT(*) FROM (SELECT DISTINCT reg_year, reg_number FROM document WHERE register_id = ${registerId}) x`));
  assert.equal(one(`SELECT MAX(reg_number) FROM document WHERE register_id = ${registerId} AND reg_year = ${year}`), start + N - 1);
  // each acknowledged registration has its file
  assert.equal(one(`SELECT COUNT(*) FROM document d WHERE d.register_id = ${registerId} AND NOT EXISTS ` +
    `(SELECT 1 FROM doc_file f WHERE f.document_id = d.id AND f.role = 'main')`), 0);
  assert.equal(srv.db('SELECT 1').trim(), '1');
  // qlvb audit verify would fail on a broken chain; the rows are there, one per document
  // (the demo's deliveries inside the installation have their own: documents_intake.test.mjs)
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_register_incoming'`),
    one(`SELECT COUNT(*) FROM document WHERE direction = 'incoming' AND source_document_id IS NULL`));
});

test('a duplicate is reported with the earlier document, then registered when confirmed', async () => {
  const meta = metadata({ number: '777', symbol: 'QĐ-UBND', doc_type: 'quyet_dinh', issuer_code: '000.00.00.H41', issuer_name: 'Ủy ban nhân dân tỉnh Nghệ An' });
  const first = await register(clerk, meta);
  assert.equal(first.status, 201, first.text);
  const before = footprint();
  const again = await register(clerk, meta);
  assert.equal(again.status, 409);
  documented('POST', '/api/v1/documents/incoming', again);
  assert.equal(again.json.duplicate_of.id, first.json.id);
  assert.match(again.json.errors.confirm_duplicate, /777\/QĐ-UBND/);
  assert.match(again.json.errors.confirm_duplicate, new RegExp(`số đến ${first.json.arrival_number}/`));
  assert.equal(footprint(), before);
  // The outsider's identical letter is theirs: no warning, and nothing of ours is shown.
  const theirs = await outsider.get('/api/v1/registers');
  const inNghiLoc = await register(outsider, { ...meta, register_id: theirs.json.registers[0].id });
  assert.equal(inNghiLoc.status, 201, inNghiLoc.text);
  const confirmed = await register(clerk, { ...meta, confirm_duplicate: true });
  assert.equal(confirmed.status, 201, confirmed.text);
  assert.equal(confirmed.json.arrival_number, first.json.arrival_number + 1);
});

test('lists: newest received first (sort=received; the default puts urgent first, documents_list.test.mjs), keyset paged, filtered; each sees what the policy allows', async () => {
  const all = [];
  let cursor = null;
  for (let page = 0; page < 50; page++) {
    const q = `/api/v1/documents?direction=incoming&sort=received&limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await clerk.get(q);
    assert.equal(r.status, 200, r.text);
    documented('GET', q, r);
    all.push(...r.json.documents);
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  const agency = one(`SELECT agency_id FROM membership m JOIN app_user u ON u.id = m.user_id WHERE u.login = '${CLERK}'`);
  assert.equal(all.length, one(`SELECT COUNT(*) FROM document WHERE agency_id = ${agency} AND direction = 'incoming'`));
  assert.equal(new Set(all.map((d) => d.id)).size, all.length, 'no document twice');
  for (let i = 1; i < all.length; i++)
    assert.ok(all[i - 1].received_at > all[i].received_at ||
      (all[i - 1].received_at === all[i].received_at && all[i - 1].id > all[i].id), 'newest first');
  const urgent = await clerk.get('/api/v1/documents?urgency=khan&limit=100');
  assert.ok(urgent.json.documents.length > 0);
  assert.ok(urgent.json.documents.every((d) => d.urgency === 'khan'));
  const byRegister = await leader.get(`/api/v1/documents?register_id=${registerId}&year=${today().slice(0, 4)}&limit=100`);
  assert.equal(byRegister.status, 200);
  assert.ok(byRegister.json.documents.every((d) => d.register_id === registerId));
  // A specialist sees only what they are on (the demo's workflow put them on some,
  // none registered here; the list's default direction is incoming, and the demo's
  // outgoing drafts are theirs too); the other agency sees only its own.
  const onIt = new Set(srv.db(`SELECT DISTINCT p.document_id FROM doc_participant p JOIN app_user u ON u.id = p.user_id JOIN document d ON d.id = p.document_id WHERE u.login = '${SPECIALIST}' AND d.direction = 'incoming'`).trim().split('\n').filter(Boolean).map(Number));
  const seen = (await specialist.get('/api/v1/documents?limit=100')).json.documents.map((d) => d.id);
  assert.deepEqual(new Set(seen), onIt);
  const theirs = (await outsider.get('/api/v1/documents?limit=100')).json.documents;
  assert.ok(theirs.length > 0 && theirs.every((d) => !all.some((m) => m.id === d.id)));
  for (const bad of ['limit=0', 'limit=101', 'urgency=gap', 'cursor=abc', 'year=1800', 'direction=sideways']) {
    const r = await clerk.get(`/api/v1/documents?${bad}`);
    assert.equal(r.status, 400, bad); // bad query parameters are 400 (docs/api.md)
    assert.ok(Object.keys(r.json.errors).length === 1, bad);
  }
});

test('the demo gives every agency an incoming register and the clerks letters to work on', async () => {
  assert.equal(one('SELECT COUNT(*) FROM agency'), one(`SELECT COUNT(DISTINCT agency_id) FROM doc_register WHERE kind = 'incoming'`));
  const demo = await (async () => { const c = new Client(srv); await c.apiLogin(CLERK); return c; })();
  const r = await demo.get('/api/v1/documents?limit=100');
  const seeded = new Set(srv.db('SELECT id FROM document WHERE created_by IS NULL').trim().split('\n').map(Number));
  const fromDemo = r.json.documents.filter((d) => seeded.has(d.id));
  assert.ok(fromDemo.length >= 4, 'the demo letters of Sở KH&CN are listed');
  const one1 = await demo.get(`/api/v1/documents/${fromDemo[0].id}`);
  assert.equal(one1.json.files[0].content_type, 'application/pdf');
  const file = await demo.get(`/api/v1/documents/${fromDemo[0].id}/files/${one1.json.files[0].id}`);
  assert.equal(file.status, 200);
  assert.match(file.text, /^%PDF-1\.\d/);
});
