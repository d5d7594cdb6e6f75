// Outgoing documents through the API (issue 12, standards.md §2, §3, §4, §6, §9): a
// specialist of Sở KH&CN drafts a decision (docx first, then its PDF), submits it to the
// department head and the director (the signer); the head returns it with a comment, the
// drafter uploads a new version, the circuit runs again and the director approves; the
// director signs with a personal key (number, symbol and date stamped after the
// signature), the clerk adds the agency seal and issues it to phường Trường Vinh and the
// provincial office (inside the installation) and to an external agency (outbox).
// Trường Vinh registers, assigns and completes it, the office refuses it: the sender sees
// each status. pdfsig accepts both signatures; concurrent signing gives unique
// consecutive numbers; every bad input is refused with nothing changed; another agency
// gets 404; a cancelled issuance keeps its number; a recall freezes the receiver's copy;
// a kill -9 while signers and the clerk work loses no acknowledged number and leaves no
// half-issued document. Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Client, ADMIN_SKHCN, qlvbStatus } from './harness.mjs';
import { PIN, serverWithPki, apiClient, formData as fd, importKey as importKeyOf, ok, pdfsig as pdfsigIn, docx,
  decisionPdf as decisionWith, fileOf as fileOfIn } from './docs_helpers.mjs';
import { assertDocumented } from './openapi.mjs';

const LEADER = '040090000142';     // Bùi Văn Long, Giám đốc Sở KH&CN: the signer
const CLERK = '040090000143';      // Ngô Thị Huyền, văn thư
const HEAD = '040090000144';       // Trịnh Quốc Bảo, trưởng phòng CNTT
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, chuyên viên: the drafter
const TV_CLERK = '040090000302', TV_LEADER = '040090000303', TV_LEAD = '040090000305';
const VP_CLERK = '040090000112';   // văn thư, Văn phòng UBND tỉnh

let srv, pki, spec, admin, leader, clerk, head, specialist, tvClerk, tvLeader, tvLead, vpClerk, tvAdmin;
let ids = {}, personKey, agencyKey, tvAgency, vpAgency, skhcn;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM document; SELECT COUNT(*) FROM doc_file; SELECT COUNT(*) FROM doc_history; ' +
  'SELECT COUNT(*) FROM doc_participant; SELECT COALESCE(SUM(next_number), 0) FROM doc_counter; ' +
  'SELECT COUNT(*) FROM doc_outbox; SELECT COUNT(*) FROM audit_log');

// The decision of these tests: a subject line, and the "Nơi nhận:" footer the signature
// place finder reads.
const BODY = [[70, 640, 12, 'Ve viec ban hanh quy che su dung chu ky so.'], [70, 300, 11, 'Noi nhan:']];
const decisionPdf = (title = 'QUYET DINH') => decisionWith(title, BODY);
function meta(over = {}) {
  return {
    doc_type: 'quyet_dinh', subject: 'Ban hành Quy chế sử dụng chữ ký số trong Sở',
    summary: 'Quy chế áp dụng cho công chức, viên chức của Sở', urgency: 'khan', authority: '',
    signer_id: ids[LEADER],
    recipients: [{ kind: 'agency', agency_id: tvAgency }, { kind: 'agency', agency_id: vpAgency },
      { kind: 'external', agency_code: '000.00.00.G22', name: 'Bộ Khoa học và Công nghệ' },
      { kind: 'user', user_id: ids[HEAD] }],
    ...over,
  };
}
const draft = (c, m, files = [['main', decisionPdf(), 'quyet-dinh.pdf', 'application/pdf']]) =>
  c.req('POST', '/api/v1/documents/outgoing', { body: fd({ metadata: m }, files) });
const act = (c, id, step, json = {}) => c.post(`/api/v1/documents/${id}/${step}`, { json });
const pdfsig = (buf) => pdfsigIn(pki, buf);
const importKey = (userId, file) => importKeyOf(admin, pki, userId, file);
const fileOf = (c, id, fileId) => fileOfIn(srv, c, id, fileId);
// The general outgoing register of Sở KH&CN (the first test opens it; alone, each opens it).
async function ensureRegister() {
  const regs = (await clerk.get('/api/v1/registers?kind=outgoing')).json.registers;
  if (!regs.some((g) => g.name === 'Sổ văn bản đi'))
    assert.equal((await clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ văn bản đi' } })).status, 201);
}
const login = (l) => apiClient(srv, l);

before(async () => {
  ({ srv, pki } = await serverWithPki());
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [admin, leader, clerk, head, specialist, tvClerk, tvLeader, tvLead, vpClerk, tvAdmin] = await Promise.all(
    [ADMIN_SKHCN, LEADER, CLERK, HEAD, SPECIALIST, TV_CLERK, TV_LEADER, TV_LEAD, VP_CLERK, '040090000301'].map(login));
  for (const [l, c] of [[LEADER, leader], [HEAD, head], [SPECIALIST, specialist], [TV_LEADER, tvLeader], [TV_LEAD, tvLead]])
    ids[l] = (await c.get('/api/v1/me')).json.id;
  tvAgency = one("SELECT id FROM agency WHERE code = '000.00.30.H41'");
  vpAgency = one("SELECT id FROM agency WHERE code = '000.00.01.H41'");
  skhcn = one("SELECT id FROM agency WHERE code = '000.00.04.H41'");
  personKey = await importKey(ids[LEADER], 'person.p12');
  agencyKey = await importKey(null, 'agency.p12');
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('draft → review with a return → approve → sign → number → seal → issue → the receivers act → the sender tracks', async () => {
  // A docx draft first; the PDF version before signing (standards.md §6).
  let r = await draft(specialist, meta(), [['main', docx(), 'du-thao.docx'],
    ['appendix', decisionPdf('PHU LUC'), 'phu-luc.pdf', 'application/pdf']]);
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/documents/outgoing', r);
  let doc = r.json;
  const id = doc.id;
  assert.equal(doc.direction, 'outgoing');
  assert.equal(doc.state, 'draft');
  assert.deepEqual(doc.actions, ['version', 'submit', 'plan']);
  assert.equal(doc.versions.length, 1);
  assert.equal(doc.versions[0].format, 'docx');
  // Nobody but the drafter edits: the head is not on it yet (404), the clerk sees it (403).
  assert.equal((await act(head, id, 'submit')).status, 404);
  assert.equal((await act(clerk, id, 'submit')).status, 403);

  r = await act(specialist, id, 'submit', { reviewers: [ids[HEAD]], note: 'Kính trình' });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/submit', r);
  doc = r.json;
  assert.equal(doc.state, 'reviewing');
  // The head returns it; a reason is required.
  r = await act(head, id, 'return', {});
  assert.equal(r.status, 422);
  assert.match(r.json.errors.note, /lý do trả lại/);
  doc = await ok(head, id, 'return', { note: 'Bổ sung căn cứ pháp lý' });
  assert.equal(doc.state, 'draft');
  const ret = doc.history.find((h) => h.action === 'returned');
  assert.equal(ret.comment, 'Bổ sung căn cứ pháp lý');
  assert.equal(ret.file_version, 1, 'the head acted on version 1');
  // The drafter uploads the PDF as version 2 and submits again.
  r = await specialist.req('POST', `/api/v1/documents/${id}/versions`,
    { body: fd({ note: 'Bản PDF' }, [['file', decisionPdf(), 'quyet-dinh.pdf', 'application/pdf']]) });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/documents/{id}/versions', r);
  assert.deepEqual(r.json.versions.map((v) => [v.version, v.format]), [[1, 'docx'], [2, 'pdf']]);
  doc = await ok(specialist, id, 'submit', { reviewers: [ids[HEAD]] });
  // The signer may not approve before the head.
  assert.equal((await act(leader, id, 'approve')).status, 403);
  doc = await ok(head, id, 'approve', { note: 'Đồng ý' });
  assert.equal(doc.state, 'reviewing');
  assert.equal((await act(head, id, 'approve')).status, 403, 'the head has passed it on');
  // Editing while with the reviewers: not possible now.
  r = await specialist.req('POST', `/api/v1/documents/${id}/versions`,
    { body: fd({}, [['file', decisionPdf(), 'x.pdf', 'application/pdf']]) });
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /Không tải lên phiên bản mới của dự thảo được: văn bản đang trình duyệt/);
  // Issuing before approval: not possible at this step.
  r = await act(clerk, id, 'issue');
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /Không ban hành văn bản được: văn bản đang trình duyệt/);
  r = await act(leader, id, 'approve', { note: 'Duyệt ký' });
  documented('POST', '/api/v1/documents/{id}/approve', r);
  doc = r.json;
  assert.equal(doc.state, 'approved');
  assert.deepEqual(doc.actions, ['sign']);
  assert.equal(doc.history.at(-1).file_version, 2, 'the signer approved version 2');

  // No open outgoing register: refused before anything is signed, nothing changed.
  srv.db(`UPDATE doc_register SET active = 0 WHERE agency_id = ${skhcn} AND kind = 'outgoing'`);
  let before = footprint();
  r = await act(leader, id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /chưa mở sổ văn bản đi/);
  assert.equal(footprint(), before);
  srv.db(`UPDATE doc_register SET active = 1 WHERE agency_id = ${skhcn} AND kind = 'outgoing'`);
  await ensureRegister();
  // Someone not the signer: 403; a wrong PIN: 422; nothing changed.
  assert.equal((await act(head, id, 'sign', { key_id: personKey, pin: PIN })).status, 403);
  r = await act(leader, id, 'sign', { key_id: personKey, pin: PIN, page: 1 });
  assert.equal(r.status, 422, 'a member the step does not take (web/openapi.json: additionalProperties false)');
  assert.match(r.json.errors.body, /“page” không dùng ở đây/);
  r = await act(leader, id, 'sign', { key_id: personKey, pin: '000000' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.pin);
  // The signing core records the failed PIN (its lock-out counter, docs/signatures.md);
  // the document is untouched.
  assert.equal(footprint().split('\n').slice(0, 6).join(), before.split('\n').slice(0, 6).join());
  // The register's next number: the demo numbers documents of its own first (doc_demo_outgoing.c).
  const first = String(one(`SELECT COALESCE(MAX(reg_number), 0) + 1 FROM document WHERE agency_id = ${skhcn} ` +
    "AND direction = 'outgoing' AND reg_number IS NOT NULL")).padStart(2, '0');
  r = await act(leader, id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/sign', r);
  doc = r.json;
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10); // Vietnam date
  assert.equal(doc.state, 'signed');
  assert.equal(doc.number, first);
  assert.equal(doc.symbol, 'QĐ-SKHCN');
  assert.equal(doc.issued_date, today);
  assert.equal(doc.signer_name, 'Bùi Văn Long');
  assert.deepEqual(doc.versions.map((v) => v.stage), ['', '', 'signed', 'stamped']);
  // A second number for the same document: not possible.
  r = await act(leader, id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(r.status, 409);
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE reg_number IS NOT NULL AND id = ${id}`), 1);
  // Issuing before the agency seal: refused.
  r = await act(clerk, id, 'issue');
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /chưa có chữ ký số của cơ quan/);
  // The seal: the clerk with the agency key (the signer may not).
  assert.equal((await act(leader, id, 'seal', { key_id: agencyKey, pin: PIN })).status, 403);
  r = await act(clerk, id, 'seal', { key_id: agencyKey, pin: PIN });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/seal', r);
  doc = r.json;
  const sealed = doc.versions.at(-1);
  assert.equal(sealed.stage, 'sealed');
  const report = pdfsig(await fileOf(clerk, id, sealed.id));
  assert.equal((report.match(/Signature Validation: Signature is Valid/g) || []).length, 2, report);
  const app = doc.files.find((f) => f.role === 'appendix' && f.stage === 'sealed');
  assert.ok(app, 'the appendix carries the agency signature');
  assert.match(pdfsig(await fileOf(clerk, id, app.id)), /Signature is Valid/);

  // Issue: delivered inside the installation in the same transaction, outbox outside.
  r = await act(clerk, id, 'issue');
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/issue', r);
  doc = r.json;
  assert.equal(doc.state, 'issued');
  const st = Object.fromEntries(doc.recipients_status.map((s) => [s.name, s.status]));
  assert.equal(st['Ủy ban nhân dân phường Trường Vinh'], 'arrived');
  assert.equal(st['Văn phòng Ủy ban nhân dân tỉnh'], 'arrived');
  assert.equal(st['Bộ Khoa học và Công nghệ'], 'waiting_to_send');
  const ob = await clerk.get('/api/v1/documents/outbox');
  assert.equal(ob.status, 200, ob.text);
  documented('GET', '/api/v1/documents/outbox', ob);
  const mine = ob.json.outbox.find((o) => o.document_id === id);
  assert.equal(mine.agency_code, '000.00.00.G22');
  assert.equal(mine.status, 'waiting');
  assert.equal(mine.number, first);
  assert.equal((await specialist.get('/api/v1/documents/outbox')).status, 403, 'the clerks keep it');
  assert.equal((await clerk.get('/api/v1/documents/outbox?status=lost')).status, 400);
  assert.deepEqual((await tvClerk.get('/api/v1/documents/outbox')).json.outbox, [], 'another agency sees its own');
  assert.equal(one(`SELECT COUNT(*) FROM doc_outbox WHERE document_id = ${id} AND status = 'waiting' AND urgency = (SELECT urgency FROM document WHERE id = ${id}) AND urgency > 0`), 1);
  // Editing an issued document: refused.
  r = await specialist.req('POST', `/api/v1/documents/${id}/versions`,
    { body: fd({}, [['file', decisionPdf(), 'x.pdf', 'application/pdf']]) });
  assert.ok([403, 409].includes(r.status), r.text);
  // The department head, a recipient inside the agency, reads it.
  assert.equal((await head.get(`/api/v1/documents/${id}`)).status, 200);

  // Trường Vinh registers, presents, assigns; the lead completes. The office refuses.
  const tvCopy = doc.recipients_status.find((s) => s.agency_id === tvAgency).copy_id;
  const vpCopy = doc.recipients_status.find((s) => s.agency_id === vpAgency).copy_id;
  const tvReg = (await tvClerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  await ok(tvClerk, tvCopy, 'register', { register_id: tvReg });
  await ok(tvClerk, tvCopy, 'present', { leader_id: ids[TV_LEADER] });
  let track = (await clerk.get(`/api/v1/documents/${id}`)).json.recipients_status;
  assert.equal(track.find((s) => s.agency_id === tvAgency).status, 'registered');
  await ok(tvLeader, tvCopy, 'assign', { lead: { user_id: ids[TV_LEAD] }, working_days: 5 });
  track = (await clerk.get(`/api/v1/documents/${id}`)).json.recipients_status;
  assert.equal(track.find((s) => s.agency_id === tvAgency).status, 'assigned');
  await ok(tvLead, tvCopy, 'accept');
  track = (await clerk.get(`/api/v1/documents/${id}`)).json.recipients_status;
  assert.equal(track.find((s) => s.agency_id === tvAgency).status, 'in_progress');
  await ok(tvLead, tvCopy, 'complete', { note: 'Đã triển khai' });
  await ok(vpClerk, vpCopy, 'refuse', { reason: 'Không thuộc thẩm quyền của Văn phòng' });
  track = (await leader.get(`/api/v1/documents/${id}`)).json.recipients_status;
  const tv = track.find((s) => s.agency_id === tvAgency), vp = track.find((s) => s.agency_id === vpAgency);
  assert.equal(tv.status, 'completed');
  assert.equal(vp.status, 'refused');
  assert.equal(vp.refused_reason, 'Không thuộc thẩm quyền của Văn phòng');
  // The receiver's copy carries the number, symbol and the sealed file.
  const copy = (await tvClerk.get(`/api/v1/documents/${tvCopy}`)).json;
  assert.equal(copy.number, first);
  assert.equal(copy.symbol, 'QĐ-SKHCN');
  assert.equal(copy.state, 'completed');
  // Tenant isolation: Trường Vinh's administrator does not learn of the source (404).
  assert.equal((await tvAdmin.get(`/api/v1/documents/${id}`)).status, 404);
});

test('bad drafts are refused with Vietnamese field errors and nothing is written', async () => {
  const before = footprint();
  const cases = [
    [meta({ doc_type: 'khong_co' }), 'doc_type', /loại văn bản/],
    [meta({ subject: '' }), 'subject', /trích yếu/i],
    [meta({ authority: 'XYZ' }), 'authority', /TM\., Q\., KT\., TL\., TUQ\./],
    [meta({ urgency: 'gap' }), 'urgency', /Độ khẩn/],
    [meta({ signer_id: 999999 }), 'signer_id', /Không có cán bộ #999999/],
    [meta({ recipients: [] }), 'recipients', /ít nhất một nơi nhận/],
    [meta({ recipients: [{ kind: 'agency', agency_id: 999999 }] }), 'recipients', /Không có cơ quan #999999/],
    [meta({ recipients: [{ kind: 'agency', agency_id: skhcn }] }), 'recipients', /chính cơ quan mình/],
    [meta({ recipients: [{ kind: 'external', agency_code: 'bad code' }] }), 'recipients', /Mã định danh/],
    [meta({ recipients: [{ kind: 'planet' }] }), 'recipients', /kind phải là/],
    [meta({ reply_to_id: 999999 }), 'reply_to_id', /để trả lời/],
  ];
  for (const [m, field, re] of cases) {
    const r = await draft(specialist, m);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.match(r.json.errors[field], re, field);
  }
  let r = await draft(specialist, meta(), [['main', Buffer.from('hello'), 'a.txt', 'text/plain']]);
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.file);
  r = await draft(specialist, meta(), []);
  assert.equal(r.status, 422);
  assert.match(r.json.errors.file, /đúng một tệp dự thảo/);
  assert.equal(footprint(), before);
});

test('a tampered PDF after approval is not signed; another agency gets 404', async () => {
  const r = await draft(specialist, meta({ recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  await ok(specialist, id, 'submit', {});
  await ok(leader, id, 'approve');
  assert.equal((await tvClerk.get(`/api/v1/documents/${id}`)).status, 404);
  assert.equal((await act(tvClerk, id, 'sign', { key_id: personKey, pin: PIN })).status, 404);
  // The approved version's row now names other bytes (the docx's blob of the first test).
  const other = srv.db("SELECT blob_hash FROM doc_file WHERE format = 'docx' LIMIT 1").trim();
  srv.db(`UPDATE doc_file SET blob_hash = '${other}' WHERE document_id = ${id} AND role = 'main'`);
  const before = footprint();
  const s = await act(leader, id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(s.status, 409, s.text);
  assert.match(s.json.detail, /đã thay đổi sau khi người ký duyệt/);
  assert.equal(footprint(), before);
});

test('concurrent signing from several clients gives unique consecutive numbers (công văn: agency-unit symbol)', async () => {
  await ensureRegister();
  srv.db("UPDATE department SET abbr = 'CNTT' WHERE name = 'Phòng Công nghệ thông tin'");
  const N = 6;
  const docs = [];
  for (let i = 0; i < N; i++) {
    const r = await draft(specialist, meta({ doc_type: 'cong_van', subject: `Công văn số ${i}`, recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
    assert.equal(r.status, 201, r.text);
    await ok(specialist, r.json.id, 'submit', {});
    await ok(leader, r.json.id, 'approve');
    docs.push(r.json.id);
  }
  const signers = await Promise.all(docs.map(() => login(LEADER)));
  const res = await Promise.all(docs.map((id, i) => act(signers[i], id, 'sign', { key_id: personKey, pin: PIN })));
  for (const r of res) assert.equal(r.status, 200, r.text);
  const nums = res.map((r) => Number(r.json.number)).sort((a, b) => a - b);
  const first = nums[0];
  assert.deepEqual(nums, Array.from({ length: N }, (_, i) => first + i), 'unique and consecutive');
  for (const r of res) assert.equal(r.json.symbol, 'SKHCN-CNTT');
});

test('a register restricted to a type is its own series (standards.md §2)', async () => {
  let r = await clerk.post('/api/v1/registers', { json: { kind: 'incoming', name: 'Sổ lạ', doc_types: ['quyet_dinh'] } });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.doc_types, /Chỉ sổ văn bản đi/);
  r = await clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ lạ', doc_types: ['khong_co'] } });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.doc_types, /không có trong danh mục/);
  r = await clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ quyết định', doc_types: ['quyet_dinh'] } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.doc_types, 'quyet_dinh');
  const d = await draft(specialist, meta({ recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
  await ok(specialist, d.json.id, 'submit', {});
  await ok(leader, d.json.id, 'approve');
  const s = await act(leader, d.json.id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.register_id, r.json.id);
  assert.equal(s.json.number, '01', 'the restricted register starts its own series');
});

test('a draft in reply to an incoming document: the incoming document shows the reply', async () => {
  // One of the demo's documents that arrived at Sở KH&CN, registered by the clerk.
  const arrived = one(`SELECT MIN(id) FROM document WHERE agency_id = ${skhcn} AND direction = 'incoming' AND state = 'registered'`);
  assert.ok(arrived > 0);
  const r = await draft(clerk, meta({ reply_to_id: arrived, recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.reply_to_id, arrived);
  const inc = (await clerk.get(`/api/v1/documents/${arrived}`)).json;
  assert.deepEqual(inc.replies.map((x) => x.id), [r.json.id]);
  // An outgoing document is not something to reply to.
  const bad = await draft(clerk, meta({ reply_to_id: r.json.id }));
  assert.equal(bad.status, 422);
  assert.match(bad.json.errors.reply_to_id, /văn bản đến/);
});

// Signed (numbered) and ready for the clerk: a draft of the signer alone, approved, signed.
async function signedDoc(over = {}) {
  await ensureRegister();
  const r = await draft(specialist, meta({ recipients: [{ kind: 'agency', agency_id: tvAgency }], ...over }));
  assert.equal(r.status, 201, r.text);
  await ok(specialist, r.json.id, 'submit', {});
  await ok(leader, r.json.id, 'approve');
  const s = await act(leader, r.json.id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(s.status, 200, s.text);
  return s.json;
}

test('a cancelled issuance keeps its number, marked cancelled; the next document gets the next one', async () => {
  const d = await signedDoc({ doc_type: 'to_trinh', subject: 'Tờ trình hủy' });
  const before = footprint();
  let r = await act(clerk, d.id, 'cancel', {});
  assert.equal(r.status, 422);
  assert.match(r.json.errors.note, /lý do/);
  assert.equal(footprint(), before);
  assert.equal((await act(specialist, d.id, 'cancel', { note: 'x' })).status, 403);
  r = await act(clerk, d.id, 'cancel', { note: 'Sai thể thức' });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/cancel', r);
  assert.equal(r.json.state, 'cancelled');
  assert.equal(r.json.number_cancelled, 1);
  assert.equal(r.json.number, d.number, 'the number stays with the cancelled document');
  assert.equal((await act(clerk, d.id, 'issue')).status, 409);
  const next = await signedDoc({ doc_type: 'to_trinh', subject: 'Tờ trình sau' });
  assert.equal(Number(next.number), Number(d.number) + 1, 'never given again');
});

test('recall: each receiver agrees (frozen as recalled, edXML 15) or refuses with a reason (16); the sender sees it per recipient', async () => {
  const d = await signedDoc({ subject: 'Văn bản sẽ thu hồi', recipients: [{ kind: 'agency', agency_id: tvAgency }, { kind: 'agency', agency_id: vpAgency }] });
  assert.equal((await act(clerk, d.id, 'seal', { key_id: agencyKey, pin: PIN })).status, 200);
  let doc = await ok(clerk, d.id, 'issue');
  const copy = doc.recipients_status.find((x) => x.agency_id === tvAgency).copy_id;
  const vpCopy = doc.recipients_status.find((x) => x.agency_id === vpAgency).copy_id;
  const tvReg = (await tvClerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  await ok(tvClerk, copy, 'register', { register_id: tvReg });
  await ok(tvClerk, copy, 'present', { leader_id: ids[TV_LEADER] });
  assert.equal((await act(leader, d.id, 'recall', { note: 'x' })).status, 403, 'the clerks recall');
  const r = await act(clerk, d.id, 'recall', { note: 'Ban hành nhầm' });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/recall', r);
  doc = r.json;
  assert.equal(doc.state, 'recalled');
  assert.deepEqual(doc.recipients_status.map((x) => x.recall), ['requested', 'requested']);
  let c = (await tvClerk.get(`/api/v1/documents/${copy}`)).json;
  assert.equal(c.state, 'recalled');
  assert.equal(c.recall_pending, true, 'waiting for the clerk\'s answer');
  assert.equal(c.history.at(-1).action, 'recall_requested');
  assert.equal(c.history.at(-1).comment, 'Ban hành nhầm');
  assert.deepEqual(c.actions, ['recall_agree', 'recall_refuse']);
  // While waiting no step of the workflow is possible; only the receiving clerks answer.
  assert.equal((await act(tvLeader, copy, 'assign', { lead: { user_id: ids[TV_LEAD] }, working_days: 3 })).status, 409);
  assert.equal((await act(tvLeader, copy, 'recall_agree')).status, 403);
  assert.equal((await act(clerk, copy, 'recall_agree')).status, 404, 'the sender does not hold the copy');
  assert.equal((await act(vpClerk, copy, 'recall_agree')).status, 404, 'another agency');
  const before = footprint();
  let x = await act(tvClerk, copy, 'recall_refuse', {});
  assert.equal(x.status, 422);
  assert.match(x.json.errors.note, /lý do từ chối thu hồi/);
  x = await act(tvClerk, copy, 'recall_refuse', { note: 'y'.repeat(2001) });
  assert.equal(x.status, 422);
  assert.equal(footprint(), before);
  // Trường Vinh refuses: its copy is back where it was (presented to the leader).
  x = await act(tvClerk, copy, 'recall_refuse', { note: 'Đã triển khai thực hiện' });
  assert.equal(x.status, 200, x.text);
  documented('POST', '/api/v1/documents/{id}/recall_refuse', x);
  assert.equal(x.json.state, 'presented');
  assert.equal(x.json.history.at(-1).action, 'recall_refused');
  // The provincial office agrees: frozen as recalled, nothing to do.
  x = await act(vpClerk, vpCopy, 'recall_agree', {});
  assert.equal(x.status, 200, x.text);
  documented('POST', '/api/v1/documents/{id}/recall_agree', x);
  assert.equal(x.json.state, 'recalled');
  assert.equal(x.json.recall_pending, false);
  assert.deepEqual(x.json.actions, [], 'frozen: nothing to do');
  assert.equal((await act(vpClerk, vpCopy, 'recall_refuse', { note: 'z' })).status, 409);
  // The sender sees each answer, with the reason of the refusal.
  doc = (await clerk.get(`/api/v1/documents/${d.id}`)).json;
  const tv = doc.recipients_status.find((y) => y.agency_id === tvAgency);
  const vp = doc.recipients_status.find((y) => y.agency_id === vpAgency);
  assert.deepEqual([tv.recall, tv.recall_reason, tv.status], ['refused', 'Đã triển khai thực hiện', 'registered']);
  assert.deepEqual([vp.recall, vp.status], ['agreed', 'recalled']);
  assert.ok(doc.history.some((h) => h.action === 'recall_refused_by_recipient' && h.comment.includes('Đã triển khai thực hiện')));
  assert.ok(doc.history.some((h) => h.action === 'recall_agreed_by_recipient'));
  assert.equal((await act(clerk, d.id, 'recall', { note: 'lần hai' })).status, 409);
});

test('update (cập nhật) and replace (thay thế): linked to the original, shown on both, receivers\' copies marked (standards.md §5, §6)', async () => {
  const d = await signedDoc({ subject: 'Kế hoạch có lỗi thể thức', doc_type: 'ke_hoach' });
  assert.equal((await act(clerk, d.id, 'seal', { key_id: agencyKey, pin: PIN })).status, 200);
  let doc = await ok(clerk, d.id, 'issue');
  const copy = doc.recipients_status[0].copy_id;
  // Update: a reason and something to correct are required; the drafter may not.
  const before = footprint();
  let r = await act(clerk, d.id, 'update', { subject: 'Kế hoạch đã sửa' });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.note, /lý do cập nhật/);
  r = await act(clerk, d.id, 'update', { note: 'Sửa trích yếu' });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.subject);
  r = await act(clerk, d.id, 'update', { subject: 'x'.repeat(501), note: 'Sửa' });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.subject);
  assert.equal((await act(specialist, d.id, 'update', { subject: 'a', note: 'b' })).status, 403);
  assert.equal((await act(tvClerk, d.id, 'update', { subject: 'a', note: 'b' })).status, 404);
  assert.equal(footprint(), before);
  r = await act(clerk, d.id, 'update', { subject: 'Kế hoạch triển khai chữ ký số (đã sửa)', note: 'Sửa trích yếu' });
  assert.equal(r.status, 200, r.text + srv.log.slice(-1500));
  documented('POST', '/api/v1/documents/{id}/update', r);
  assert.equal(r.json.subject, 'Kế hoạch triển khai chữ ký số (đã sửa)');
  let c = (await tvClerk.get(`/api/v1/documents/${copy}`)).json;
  assert.equal(c.subject, 'Kế hoạch triển khai chữ ký số (đã sửa)');
  assert.equal(c.history.at(-1).action, 'updated_by_sender');
  assert.match(c.history.at(-1).comment, /Sửa trích yếu/);
  // Replace: only an issued document of the agency.
  r = await draft(specialist, meta({ replaces_id: 999999, recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
  assert.equal(r.status, 422);
  assert.match(r.json.errors.replaces_id, /để thay thế/);
  const rep = await signedDoc({ subject: 'Kế hoạch thay thế', doc_type: 'ke_hoach', replaces_id: d.id });
  assert.equal(rep.replaces.id, d.id);
  assert.equal((await act(clerk, rep.id, 'seal', { key_id: agencyKey, pin: PIN })).status, 200);
  doc = await ok(clerk, rep.id, 'issue');
  const newCopy = doc.recipients_status[0].copy_id;
  const orig = (await clerk.get(`/api/v1/documents/${d.id}`)).json;
  assert.deepEqual(orig.replaced_by.map((x) => x.id), [rep.id]);
  assert.equal(orig.history.at(-1).action, 'replaced');
  c = (await tvClerk.get(`/api/v1/documents/${copy}`)).json;
  assert.deepEqual(c.replaced_by.map((x) => x.id), [newCopy], 'the receiver\'s old copy names its new copy');
  assert.equal(c.history.at(-1).action, 'replaced');
  const nc = (await tvClerk.get(`/api/v1/documents/${newCopy}`)).json;
  assert.equal(nc.replaces.id, copy);
});

test('a reply with "hoàn thành khi ban hành" completes the lead\'s step on the incoming document when issued (history on both)', async () => {
  // An incoming document of Sở KH&CN assigned to the specialist (lead).
  const inc = one(`SELECT MIN(id) FROM document WHERE agency_id = ${skhcn} AND direction = 'incoming' AND state = 'registered'`);
  // §5: with the agency key in place a paper original's scan is signed before presenting.
  if ((await clerk.get(`/api/v1/documents/${inc}`)).json.actions.includes('digitise'))
    assert.equal((await act(clerk, inc, 'agency-sign', { key_id: agencyKey, pin: PIN })).status, 200);
  await ok(clerk, inc, 'present', { leader_id: ids[LEADER] });
  await ok(leader, inc, 'assign', { lead: { user_id: ids[SPECIALIST] }, working_days: 5 });
  // Only the lead may choose it; only with reply_to_id.
  let r = await draft(head, meta({ reply_to_id: inc, complete_on_issue: true }));
  assert.ok(r.status === 422 || r.status === 404, r.text);
  r = await draft(specialist, meta({ complete_on_issue: true }));
  assert.equal(r.status, 422);
  assert.match(r.json.errors.complete_on_issue, /văn bản trả lời/);
  r = await draft(specialist, meta({ complete_on_issue: 'yes' }));
  assert.equal(r.status, 422);
  const d = await signedDoc({ reply_to_id: inc, complete_on_issue: true, subject: 'Trả lời văn bản đến' });
  assert.equal(d.complete_on_issue, true);
  assert.equal((await act(clerk, d.id, 'seal', { key_id: agencyKey, pin: PIN })).status, 200);
  const out = await ok(clerk, d.id, 'issue');
  assert.ok(out.history.some((h) => h.action === 'reply_completed'));
  const i = (await clerk.get(`/api/v1/documents/${inc}`)).json;
  assert.equal(i.state, 'completed');
  assert.equal(i.history.at(-1).action, 'completed');
  assert.match(i.history.at(-1).comment, /văn bản trả lời/);
  assert.ok(i.participants.filter((p) => p.role === 'lead').every((p) => p.status === 'done'));
});

test('a legal normative document: its own series, the year in the reference; the signer\'s position recorded (standards.md §2, §3)', async () => {
  let r = await clerk.post('/api/v1/registers', { json: { kind: 'incoming', name: 'Sổ QPPL lạ', normative: true } });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.normative);
  await ensureRegister();
  const d0 = await draft(specialist, meta({ normative: true, recipients: [{ kind: 'agency', agency_id: tvAgency }] }));
  assert.equal(d0.status, 201, d0.text);
  await ok(specialist, d0.json.id, 'submit', {});
  await ok(leader, d0.json.id, 'approve');
  const before = footprint();
  r = await act(leader, d0.json.id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(r.status, 409, 'no normative register: nothing signed');
  assert.match(r.json.detail, /quy phạm pháp luật/);
  assert.equal(footprint().split('\n').slice(0, 6).join(), before.split('\n').slice(0, 6).join());
  r = await clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ quyết định QPPL', doc_types: ['quyet_dinh'], normative: true } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.normative, true);
  const s = await act(leader, d0.json.id, 'sign', { key_id: personKey, pin: PIN });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.register_id, r.json.id);
  assert.equal(s.json.number, '01');
  const year = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
  assert.ok(s.json.history.at(-1).comment.includes(`01/${year}/QĐ-SKHCN`), s.json.history.at(-1).comment);
  const pos = srv.db(`SELECT COALESCE(p.name, '') FROM membership m LEFT JOIN position p ON p.id = m.position_id WHERE m.user_id = ${ids[LEADER]} AND m.agency_id = ${skhcn}`).trim();
  assert.equal(s.json.signer_position, pos);
  assert.ok(pos.length > 0);
});

test('circuit templates (standards.md §6): the administrator defines the places, a new draft gets its plan, the drafter edits it', async () => {
  const cntt = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]} AND agency_id = ${skhcn}`);
  const office = one(`SELECT id FROM department WHERE agency_id = ${skhcn} AND name = 'Văn phòng Sở'`);
  const put = (c, type, steps) => c.post(`/api/v1/circuit-templates/${type}`, { json: { steps } });
  // Bad input: an unknown kind, an unknown unit, a person of another agency, a type
  // that does not exist, too many places — precise field errors, nothing written.
  const before = one('SELECT COUNT(*) FROM doc_circuit_step');
  let r = await put(admin, 'quyet_dinh', [{ kind: 'boss' }]);
  assert.equal(r.status, 422);
  assert.match(r.json.errors.steps, /loại bước/);
  r = await put(admin, 'quyet_dinh', [{ kind: 'office', department_id: 999999 }]);
  assert.equal(r.status, 422);
  assert.match(r.json.errors.steps, /không có đơn vị #999999/);
  r = await put(admin, 'quyet_dinh', [{ kind: 'user', user_id: ids[TV_LEADER] }]);
  assert.equal(r.status, 422);
  assert.match(r.json.errors.steps, /không có cán bộ/);
  r = await put(admin, 'khong_co', []);
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.doc_type);
  r = await put(admin, 'quyet_dinh', Array.from({ length: 11 }, () => ({ kind: 'unit_leader' })));
  assert.equal(r.status, 422);
  assert.equal(one('SELECT COUNT(*) FROM doc_circuit_step'), before);
  // Only the agency's administrators keep them.
  assert.equal((await put(specialist, 'quyet_dinh', [{ kind: 'unit_leader' }])).status, 403);
  // The drafting unit's leader, then the office (no leader in the demo: left out), then
  // the director by name — the signer, who comes last anyway.
  r = await put(admin, 'bao_cao', [{ kind: 'unit_leader' }, { kind: 'office', department_id: office },
    { kind: 'user', user_id: ids[LEADER] }]);
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/circuit-templates/{doc_type}', r);
  assert.deepEqual(r.json.templates[0].steps.map((s) => s.kind), ['unit_leader', 'office', 'user']);
  r = await specialist.get('/api/v1/circuit-templates');
  assert.equal(r.status, 200);
  documented('GET', '/api/v1/circuit-templates', r);
  assert.ok(r.json.templates.some((t) => t.doc_type === 'bao_cao'));
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_circuit_template'`), 1);
  // Another agency's administrator sees none of them.
  assert.equal((await tvAdmin.get('/api/v1/circuit-templates')).json.templates.length, 0);

  // A new report gets its plan from the template: the head (the drafting unit's leader).
  r = await draft(specialist, meta({ doc_type: 'bao_cao', subject: 'Báo cáo theo mẫu quy trình' }));
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.deepEqual(r.json.review_plan.map((p) => p.user_id), [ids[HEAD]]);
  assert.deepEqual(r.json.actions, ['version', 'submit', 'plan']);
  assert.ok(cntt > 0);
  // The drafter edits it: bad lists refused, nothing changed.
  r = await act(specialist, id, 'plan', { reviewers: [ids[SPECIALIST]] });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.reviewers, /không tự duyệt/);
  r = await act(specialist, id, 'plan', { reviewers: [ids[LEADER]] });
  assert.equal(r.status, 422, 'the signer is last, not listed');
  r = await act(specialist, id, 'plan', { reviewers: [ids[TV_LEADER]] });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.reviewers, /Không có cán bộ/);
  assert.equal((await act(head, id, 'plan', { reviewers: [] })).status, 404, 'not on it yet');
  r = await act(specialist, id, 'plan', { reviewers: [] });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/plan', r);
  let doc = r.json;
  assert.deepEqual(doc.review_plan, []);
  doc = await ok(specialist, id, 'plan', { reviewers: [ids[HEAD]] });
  // submit without a list takes the plan: the head first, the signer last.
  doc = await ok(specialist, id, 'submit', {});
  const places = doc.participants.filter((p) => p.role === 'reviewer' || p.role === 'signer');
  assert.deepEqual(places.map((p) => [p.role, p.user_id, p.active]), [['reviewer', ids[HEAD], true], ['signer', ids[LEADER], false]]);
  assert.equal((await act(specialist, id, 'plan', { reviewers: [] })).status, 409, 'with the reviewers now');
});

test('opinions (xin ý kiến): the reviewer asks units with a due date in working days, they answer in parallel, overdue shown, the circuit goes on when the reviewer decides', async () => {
  const cntt = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]} AND agency_id = ${skhcn}`);
  const qlkh = one(`SELECT id FROM department WHERE agency_id = ${skhcn} AND name = 'Phòng Quản lý khoa học'`);
  const r0 = await draft(specialist, meta({ subject: 'Dự thảo xin ý kiến các phòng' }));
  const id = r0.json.id;
  let doc = await ok(specialist, id, 'submit', { reviewers: [] });
  assert.ok(doc.actions === undefined || true);
  doc = (await leader.get(`/api/v1/documents/${id}`)).json;
  assert.ok(doc.actions.includes('ask_opinion'), JSON.stringify(doc.actions));
  // Bad input: nothing written.
  const before = footprint();
  let r = await act(leader, id, 'ask_opinion', { departments: [cntt], working_days: 3 });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.note, /nội dung xin ý kiến/);
  r = await act(leader, id, 'ask_opinion', { departments: [999999], working_days: 3, note: 'Cho ý kiến' });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.departments, /Không có đơn vị #999999/);
  r = await act(leader, id, 'ask_opinion', { departments: [cntt], deadline: '2020-01-01', note: 'Cho ý kiến' });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.deadline, /đã qua/);
  r = await act(leader, id, 'ask_opinion', { departments: [cntt], working_days: 3, note: 'x'.repeat(2001) });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.note);
  r = await act(leader, id, 'ask_opinion', { departments: [], working_days: 3, note: 'x' });
  assert.equal(r.status, 422);
  assert.equal((await act(head, id, 'ask_opinion', { departments: [cntt], working_days: 3, note: 'x' })).status, 404);
  assert.equal((await act(specialist, id, 'ask_opinion', { departments: [cntt], working_days: 3, note: 'x' })).status, 403);
  assert.equal(footprint(), before);
  r = await act(leader, id, 'ask_opinion', { departments: [cntt, qlkh], working_days: 3, note: 'Đề nghị các phòng cho ý kiến' });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/ask_opinion', r);
  doc = r.json;
  assert.equal(doc.state, 'reviewing');
  assert.equal(doc.opinions.length, 2);
  assert.ok(doc.opinions.every((o) => o.state === 'waiting' && o.question === 'Đề nghị các phòng cho ý kiến'));
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  assert.ok(doc.opinions[0].due_date > today, 'three working days ahead (core/calendar)');
  // The head of Phòng CNTT answers for the unit; the specialist may not; the drafter's
  // own actions are unchanged.
  let h = (await head.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(h.actions, ['answer_opinion']);
  assert.equal((await act(head, id, 'answer_opinion', {})).status, 422);
  r = await act(head, id, 'answer_opinion', { note: 'Phòng CNTT thống nhất' });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/answer_opinion', r);
  const mine = r.json.opinions.find((o) => o.department_id === cntt);
  assert.equal(mine.state, 'answered');
  assert.equal(mine.answer, 'Phòng CNTT thống nhất');
  assert.equal((await act(head, id, 'answer_opinion', { note: 'lần hai' })).status, 403, 'answered: no longer theirs');
  // The other unit is late: shown overdue.
  srv.db(`UPDATE doc_participant SET due_date = '2026-01-02' WHERE document_id = ${id} AND department_id = ${qlkh}`);
  doc = (await leader.get(`/api/v1/documents/${id}`)).json;
  assert.equal(doc.opinions.find((o) => o.department_id === qlkh).state, 'overdue');
  assert.ok(doc.history.some((x) => x.action === 'opinion_asked') && doc.history.some((x) => x.action === 'opinion_given'));
  // The signer decides without waiting: approved; the open opinion is closed.
  doc = await ok(leader, id, 'approve', { note: 'Duyệt' });
  assert.equal(doc.state, 'approved');
  assert.equal(doc.opinions.find((o) => o.department_id === qlkh).state, 'closed');
});

test('kill -9 during signing and issuing: acknowledged numbers kept, no gap or twice, nothing half-issued, audit intact', async () => {
  await ensureRegister();
  const N = 24;
  const ready = [];
  for (let i = 0; i < N; i++) {
    const r = await draft(specialist, meta({ doc_type: 'thong_bao', subject: `Thông báo ${i}`, recipients: [{ kind: 'agency', agency_id: tvAgency }, { kind: 'agency', agency_id: vpAgency }] }));
    assert.equal(r.status, 201, r.text);
    await ok(specialist, r.json.id, 'submit', {});
    await ok(leader, r.json.id, 'approve');
    ready.push(r.json.id);
  }
  const signers = await Promise.all([1, 2, 3].map(() => login(LEADER)));
  const acked = [], issued = [];
  let stop = false;
  const loops = signers.map(async (c) => {
    while (!stop && ready.length) {
      const id = ready.shift();
      try {
        const r = await act(c, id, 'sign', { key_id: personKey, pin: PIN });
        if (r.status !== 200) { if (!stop) assert.fail(`sign ${r.status}: ${r.text}`); continue; }
        acked.push({ id, number: r.json.number, register: r.json.register_id });
        const s = await act(clerk, id, 'seal', { key_id: agencyKey, pin: PIN });
        if (s.status !== 200) continue;
        const i = await act(clerk, id, 'issue');
        if (i.status === 200) issued.push(id);
      } catch (e) {
        if (!stop) throw e; // the connection died with the server
      }
    }
  });
  while (acked.length < 8 && ready.length) await new Promise((res) => setTimeout(res, 5));
  stop = true;
  const { sig } = await srv.stop('SIGKILL');
  assert.equal(sig, 'SIGKILL');
  await Promise.all(loops);
  await srv.launch();
  clerk = await login(CLERK);
  leader = await login(LEADER);
  for (const a of acked) {
    const d = (await clerk.get(`/api/v1/documents/${a.id}`)).json;
    assert.equal(d.number, a.number, `acknowledged number of ${a.id} kept`);
    assert.ok(d.versions.some((v) => v.stage === 'stamped'), 'with its stamped PDF');
  }
  for (const id of issued)
    assert.equal((await clerk.get(`/api/v1/documents/${id}`)).json.recipients_status.filter((s) => s.status === 'arrived').length, 2);
  const reg = acked[0].register;
  const year = new Date(Date.now() + 7 * 3600e3).getUTCFullYear();
  const [count, min, max, distinct] = srv.db(
    `SELECT COUNT(*), MIN(reg_number), MAX(reg_number), COUNT(DISTINCT reg_number) FROM document WHERE register_id = ${reg} AND reg_year = ${year}`)
    .trim().split('|').map(Number);
  assert.equal(min, 1);
  assert.equal(max, count, 'no number skipped');
  assert.equal(distinct, count, 'no number given twice');
  assert.equal(one(`SELECT next_number FROM doc_counter WHERE register_id = ${reg} AND year = ${year}`), count + 1);
  // Nothing half-done: a numbered document has its stamped version; an issued one its
  // copies in both agencies (drafted ones: the demo's UBND tỉnh documents were inserted
  // issued, created_by NULL).
  assert.equal(one(`SELECT COUNT(*) FROM document d WHERE d.direction = 'outgoing' AND d.created_by IS NOT NULL AND d.reg_number IS NOT NULL AND NOT EXISTS (SELECT 1 FROM doc_file f WHERE f.document_id = d.id AND f.stage = 'stamped')`), 0);
  assert.equal(one(`SELECT COUNT(*) FROM document d WHERE d.direction = 'outgoing' AND d.created_by IS NOT NULL AND d.state = 'issued' AND (SELECT COUNT(*) FROM document c WHERE c.source_document_id = d.id) <> (SELECT COUNT(*) FROM doc_recipient r WHERE r.document_id = d.id AND r.kind = 'agency')`), 0);
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
});
