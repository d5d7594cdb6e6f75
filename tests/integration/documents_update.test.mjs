// Cập nhật (update) of an issued outgoing document (issue 12, standards.md §4, §6, §9, §10
// BussinessDocType 2): Sở KH&CN issues a decision to two agencies of the installation
// (phường Trường Vinh, the provincial office), then corrects its metadata (subject,
// summary, due date, page count — never the number, symbol or date on the signed PDF)
// and its recipients: adds UBND tỉnh (its copy arrives at once, with the §4 receipt
// time) and an external agency (a durable outbox row waiting to send), takes the office
// off (its copy frozen like an agreed recall). The remaining copy gets the corrections,
// a history row with the reason, and its clerk and leader are notified; the sender's
// tracking shows who was added and removed; one transaction with its audit rows (the
// chain verifies). Inside the agency a unit added for information is told and a person
// taken off is no longer informed. The update form on the page (errors next to the
// fields, values kept). Every bad input is refused precisely with nothing changed. A draft
// returned and submitted again notifies its reviewer once per submission and leaves
// one unread request (the earlier one is read). Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Client, ADMIN_SKHCN, qlvbStatus } from './harness.mjs';
import { PIN, serverWithPki, apiClient, formData as fd, importKey as importKeyOf, ok,
  decisionPdf as decisionWith } from './docs_helpers.mjs';
import { assertDocumented } from './openapi.mjs';

const LEADER = '040090000142';     // Bùi Văn Long, Giám đốc Sở KH&CN: the signer
const CLERK = '040090000143';      // Ngô Thị Huyền, văn thư
const HEAD = '040090000144';       // Trịnh Quốc Bảo, trưởng phòng CNTT
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, chuyên viên: the drafter
const TV_CLERK = '040090000302', TV_LEADER = '040090000303';
const VP_CLERK = '040090000112';   // văn thư, Văn phòng UBND tỉnh
const PROV_CLERK = '040090000102'; // Trần Thị Mai, văn thư, UBND tỉnh

let srv, pki, spec, admin, leader, clerk, head, specialist, tvClerk, tvLeader, vpClerk, provClerk;
let ids = {}, personKey, agencyKey, tvAgency, vpAgency, provAgency;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM document; SELECT COUNT(*) FROM doc_history; SELECT COUNT(*) FROM doc_recipient; ' +
  'SELECT COUNT(*) FROM doc_participant; SELECT COUNT(*) FROM doc_outbox; SELECT COUNT(*) FROM notification; ' +
  "SELECT COUNT(*) FROM audit_log; SELECT COUNT(*) FROM doc_outbox WHERE status = 'waiting'; " +
  'SELECT MAX(updated_at) FROM document');
const vnDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// The decision of these tests: a subject line and the "Nơi nhận:" footer.
const BODY = [[70, 640, 12, 'Ve viec ban hanh quy che su dung chu ky so.'], [70, 300, 11, 'Noi nhan:']];
const decisionPdf = (title = 'QUYET DINH') => decisionWith(title, BODY);
const act = (c, id, step, json = {}) => c.post(`/api/v1/documents/${id}/${step}`, { json });
const importKey = (userId, file) => importKeyOf(admin, pki, userId, file);
const login = (l) => apiClient(srv, l);
async function draft(over = {}) {
  const r = await specialist.req('POST', '/api/v1/documents/outgoing', {
    body: fd({ metadata: {
      doc_type: 'quyet_dinh', subject: 'Ban hành Quy chế sử dụng chữ ký số', summary: 'Áp dụng trong Sở',
      urgency: 'thuong', authority: '', signer_id: ids[LEADER],
      recipients: [{ kind: 'agency', agency_id: tvAgency }, { kind: 'agency', agency_id: vpAgency }], ...over,
    } }, [['main', decisionPdf(), 'quyet-dinh.pdf', 'application/pdf']]),
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
// Drafted, approved, signed (number and date), sealed; issued unless told otherwise.
async function issued(over = {}, issue = true) {
  const id = await draft(over);
  await ok(specialist, id, 'submit', {});
  await ok(leader, id, 'approve');
  await ok(leader, id, 'sign', { key_id: personKey, pin: PIN });
  await ok(clerk, id, 'seal', { key_id: agencyKey, pin: PIN });
  return issue ? ok(clerk, id, 'issue') : (await clerk.get(`/api/v1/documents/${id}`)).json;
}
const notes = async (c, doc) => (await c.get('/api/v1/notifications?limit=100')).json.items
  .filter((n) => n.document_id === doc);

before(async () => {
  ({ srv, pki } = await serverWithPki());
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [admin, leader, clerk, head, specialist, tvClerk, tvLeader, vpClerk, provClerk] = await Promise.all(
    [ADMIN_SKHCN, LEADER, CLERK, HEAD, SPECIALIST, TV_CLERK, TV_LEADER, VP_CLERK, PROV_CLERK].map(login));
  for (const [l, c] of [[LEADER, leader], [HEAD, head], [SPECIALIST, specialist], [TV_LEADER, tvLeader]])
    ids[l] = (await c.get('/api/v1/me')).json.id;
  tvAgency = one("SELECT id FROM agency WHERE code = '000.00.30.H41'");
  vpAgency = one("SELECT id FROM agency WHERE code = '000.00.01.H41'");
  provAgency = one("SELECT id FROM agency WHERE code = '000.00.00.H41'");
  personKey = await importKey(ids[LEADER], 'person.p12');
  agencyKey = await importKey(null, 'agency.p12');
  const regs = (await clerk.get('/api/v1/registers?kind=outgoing')).json.registers;
  if (!regs.some((g) => g.name === 'Sổ văn bản đi'))
    assert.equal((await clerk.post('/api/v1/registers', { json: { kind: 'outgoing', name: 'Sổ văn bản đi' } })).status, 201);
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('update: corrected metadata, one agency and one external recipient added, one removed — both sides, one transaction', async () => {
  let doc = await issued();
  const id = doc.id;
  const tvCopy = doc.recipients_status.find((s) => s.agency_id === tvAgency).copy_id;
  const vpCopy = doc.recipients_status.find((s) => s.agency_id === vpAgency).copy_id;
  const vpSeq = doc.recipients_list.find((x) => x.agency_id === vpAgency).seq;
  // Trường Vinh registers its copy and presents it to its chairman: he handles it now.
  const tvReg = (await tvClerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  await ok(tvClerk, tvCopy, 'register', { register_id: tvReg });
  await ok(tvClerk, tvCopy, 'present', { leader_id: ids[TV_LEADER] });
  const [number, symbol, date] = [doc.number, doc.symbol, doc.issued_date];
  const auditBefore = one('SELECT COUNT(*) FROM audit_log');
  const due = vnDay(10);

  const r = await act(clerk, id, 'update', {
    subject: 'Ban hành Quy chế sử dụng chữ ký số trong Sở (đã sửa)', summary: 'Áp dụng cho công chức, viên chức',
    due_date: due, page_count: 3,
    recipients_add: [{ kind: 'agency', agency_id: provAgency },
      { kind: 'external', agency_code: '000.00.00.G22', name: 'Bộ Khoa học và Công nghệ' }],
    recipients_remove: [vpSeq], note: 'Sai trích yếu và nơi nhận',
  });
  assert.equal(r.status, 200, r.text + srv.log.slice(-2000));
  documented('POST', '/api/v1/documents/{id}/update', r);
  doc = r.json;
  // One transaction: the sender's row, one per copy touched, the delivery rows; the chain verifies.
  const rows = srv.db(`SELECT action, agency_id FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log) - ${one('SELECT COUNT(*) FROM audit_log') - auditBefore} ORDER BY id`)
    .trim().split('\n').map((l) => l.split('|')[0]);
  assert.deepEqual(rows.sort(), ['doc_arrive', 'doc_deliver', 'doc_update', 'doc_update', 'doc_update'].sort());
  // The sender's side: corrected, never the number, symbol or date (on the signed PDF).
  assert.equal(doc.subject, 'Ban hành Quy chế sử dụng chữ ký số trong Sở (đã sửa)');
  assert.equal(doc.notes, 'Áp dụng cho công chức, viên chức');
  assert.equal(doc.due_date, due);
  assert.equal(doc.page_count, 3);
  assert.deepEqual([doc.number, doc.symbol, doc.issued_date, doc.state], [number, symbol, date, 'issued']);
  const h = doc.history.find((x) => x.action === 'updated');
  assert.match(h.comment, /trích yếu: “Ban hành Quy chế sử dụng chữ ký số” → “Ban hành Quy chế sử dụng chữ ký số trong Sở \(đã sửa\)”/);
  assert.match(h.comment, /tóm tắt: “Áp dụng trong Sở” → “Áp dụng cho công chức, viên chức”/);
  assert.match(h.comment, new RegExp(`hạn xử lý: \\(không có\\) → ${due.slice(8)}/${due.slice(5, 7)}/${due.slice(0, 4)}`));
  assert.match(h.comment, /số trang: \(không có\) → 3/);
  assert.match(h.comment, /thêm nơi nhận: Ủy ban nhân dân tỉnh Nghệ An, Bộ Khoa học và Công nghệ/);
  assert.match(h.comment, /bỏ nơi nhận: Văn phòng Ủy ban nhân dân tỉnh/);
  assert.match(h.comment, /lý do: Sai trích yếu và nơi nhận$/);
  assert.deepEqual(doc.recipients, ['Ủy ban nhân dân phường Trường Vinh', 'Ủy ban nhân dân tỉnh Nghệ An', 'Bộ Khoa học và Công nghệ']);
  // Tracking: added ones arrived / waiting to send, the removed one marked.
  const st = Object.fromEntries(doc.recipients_status.map((s) => [s.name, s.status]));
  assert.deepEqual(st, {
    'Ủy ban nhân dân phường Trường Vinh': 'registered',
    'Văn phòng Ủy ban nhân dân tỉnh': 'removed',
    'Ủy ban nhân dân tỉnh Nghệ An': 'arrived',
    'Bộ Khoa học và Công nghệ': 'waiting_to_send',
  });
  assert.deepEqual(doc.recipients_list.map((x) => [x.seq, x.kind, x.removed]),
    [[1, 'agency', false], [2, 'agency', true], [3, 'agency', false], [4, 'external', false]]);

  // The new copy at UBND tỉnh: arrived now, with the corrected metadata and its receipt time.
  const provCopy = doc.recipients_status.find((s) => s.agency_id === provAgency).copy_id;
  const pc = (await provClerk.get(`/api/v1/documents/${provCopy}`)).json;
  assert.equal(pc.state, 'arrived');
  assert.equal(pc.subject, doc.subject);
  assert.equal(pc.number, number);
  assert.equal(pc.due_date, due);
  assert.ok(pc.received_at, 'the §4 receipt time');
  assert.equal(pc.source_document_id, id);
  assert.ok((await notes(provClerk, provCopy)).some((n) => n.kind === 'arrived'));
  // The external one: a durable outbox row waiting to send.
  assert.equal(one(`SELECT COUNT(*) FROM doc_outbox o JOIN doc_recipient rc ON rc.id = o.recipient_id WHERE o.document_id = ${id} AND o.status = 'waiting' AND o.agency_code = '000.00.00.G22' AND rc.seq = 4`), 1);
  // The removed copy: frozen like an agreed recall, its history says why, its clerk told.
  const vc = (await vpClerk.get(`/api/v1/documents/${vpCopy}`)).json;
  assert.equal(vc.state, 'recalled');
  assert.equal(vc.recall_pending, false);
  assert.deepEqual(vc.actions, []);
  assert.equal(vc.history.at(-1).action, 'removed_by_update');
  assert.match(vc.history.at(-1).comment, /Sai trích yếu và nơi nhận/);
  assert.equal(vc.subject, 'Ban hành Quy chế sử dụng chữ ký số', 'a removed copy keeps what it received');
  assert.ok((await notes(vpClerk, vpCopy)).some((n) => n.kind === 'recalled' && /bỏ khỏi nơi nhận/.test(n.text)));
  assert.equal((await act(vpClerk, vpCopy, 'register', { register_id: 1 })).status, 409);
  const vpWeb = new Client(srv);
  assert.equal((await vpWeb.webLogin(VP_CLERK)).status, 303);
  const vpPage = await vpWeb.get(`/documents/${vpCopy}`);
  assert.equal(vpPage.status, 200);
  assert.match(vpPage.text, /Cơ quan gửi bỏ khỏi nơi nhận \(cập nhật\)/);
  // The remaining copy: corrected, a history row with the reason; its clerk and leader told.
  const tc = (await tvClerk.get(`/api/v1/documents/${tvCopy}`)).json;
  assert.equal(tc.subject, doc.subject);
  assert.equal(tc.due_date, due);
  assert.equal(tc.page_count, 3);
  assert.equal(tc.state, 'presented', 'its own work goes on');
  assert.equal(tc.notes, '', 'the sender\'s summary stays the sender\'s');
  assert.equal(tc.history.at(-1).action, 'updated_by_sender');
  assert.match(tc.history.at(-1).comment, /lý do: Sai trích yếu và nơi nhận/);
  for (const c of [tvClerk, tvLeader]) {
    const n = (await notes(c, tvCopy)).filter((x) => x.kind === 'updated');
    assert.equal(n.length, 1, 'told once');
    assert.equal(n[0].kind_label, 'Được cập nhật');
    assert.match(n[0].text, /đã được cơ quan gửi cập nhật/);
  }
  // Search finds the corrected subject on both sides.
  const found = (await tvClerk.get(`/api/v1/documents?q=${encodeURIComponent('trong So (da sua)')}`)).json;
  assert.ok((found.items || found.documents).some((x) => x.id === tvCopy), 'search index of the copy');
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
  // The outbox lists the added external recipient, urgent first as ever.
  const ob = (await clerk.get('/api/v1/documents/outbox')).json.outbox.filter((o) => o.document_id === id);
  assert.deepEqual(ob.map((o) => [o.agency_code, o.status]), [['000.00.00.G22', 'waiting']]);

  // A second update takes the external one off before it is sent: its row cancelled.
  doc = await ok(clerk, id, 'update', { recipients_remove: [4], note: 'Bộ không cần nhận' });
  assert.equal(one(`SELECT COUNT(*) FROM doc_outbox WHERE document_id = ${id} AND status = 'failed' AND last_error = 'removed'`), 1);
  assert.equal(doc.recipients_status.find((s) => s.agency_code === '000.00.00.G22').status, 'removed');
  assert.deepEqual((await clerk.get('/api/v1/documents/outbox')).json.outbox.filter((o) => o.document_id === id), []);
  assert.match(doc.history.filter((x) => x.action === 'updated').at(-1).comment, /^Cập nhật bỏ nơi nhận: Bộ Khoa học và Công nghệ; lý do: Bộ không cần nhận$/);
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
});

test('update: every bad input is refused precisely and nothing changes', async () => {
  const doc = await issued({ subject: 'Quyết định kiểm tra đầu vào' });
  const id = doc.id;
  const seqs = doc.recipients_list.map((x) => x.seq);
  const before = footprint();
  const cases = [
    [{ subject: 'x' }, 'note', /lý do cập nhật/],
    [{ note: 'Sửa' }, 'subject', /Vui lòng nhập nội dung cần cập nhật/],
    [{ subject: 'Quyết định kiểm tra đầu vào', note: 'Sửa' }, 'subject', /Không có gì thay đổi/],
    [{ subject: 'x'.repeat(501), note: 'Sửa' }, 'subject', /500/],
    [{ recipients_add: [{ kind: 'agency', agency_id: 999999 }], note: 'Sửa' }, 'recipients_add', /Không có cơ quan #999999/],
    [{ recipients_add: [{ kind: 'agency', agency_id: tvAgency }], note: 'Sửa' }, 'recipients_add', /đã có trong nơi nhận/],
    [{ recipients_add: [{ kind: 'external', agency_code: 'bad code' }], note: 'Sửa' }, 'recipients_add', /Mã định danh/],
    [{ recipients_add: [{ kind: 'planet' }], note: 'Sửa' }, 'recipients_add', /kind phải là/],
    [{ recipients_add: 'all', note: 'Sửa' }, 'recipients_add', /mảng/],
    [{ recipients_remove: [99], note: 'Sửa' }, 'recipients_remove', /không có nơi nhận số 99/],
    [{ recipients_remove: [seqs[0], seqs[0]], note: 'Sửa' }, 'recipients_remove', /hai lần/],
    [{ recipients_remove: [0], note: 'Sửa' }, 'recipients_remove', /số nguyên dương/],
    [{ recipients_remove: seqs, note: 'Sửa' }, 'recipients_remove', /mọi nơi nhận/],
    [{ due_date: '2026-02-30', note: 'Sửa' }, 'due_date', /không phải ngày hợp lệ/],
    [{ due_date: vnDay(-3), note: 'Sửa' }, 'due_date', /đã qua/],
    [{ page_count: 0, note: 'Sửa' }, 'page_count', /từ 1 đến 100000/],
    [{ page_count: 'ba', note: 'Sửa' }, 'page_count', /số nguyên/],
    [{ number: '99', note: 'Sửa' }, 'body', /“number” không dùng/],
  ];
  for (const [json, field, re] of cases) {
    const r = await act(clerk, id, 'update', json);
    assert.equal(r.status, 422, `${JSON.stringify(json).slice(0, 80)}: ${r.text}`);
    assert.match(r.json.errors[field] || '', re, `${field}: ${r.text}`);
  }
  // Who may: the clerks of the issuing agency (403 for the drafter, 404 for another agency).
  assert.equal((await act(specialist, id, 'update', { subject: 'a', note: 'b' })).status, 403);
  assert.equal((await act(tvClerk, id, 'update', { subject: 'a', note: 'b' })).status, 404);
  assert.equal(footprint(), before, 'nothing changed');
  // Removing every recipient in force while adding one is a change of recipients: allowed.
  // A recalled or a cancelled document: 409, with the reason.
  await ok(clerk, id, 'recall', { note: 'Ban hành nhầm' });
  let r = await act(clerk, id, 'update', { subject: 'Sửa', note: 'Sửa' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /Không cập nhật văn bản được: văn bản đã bị thu hồi/);
  const signed = await issued({ subject: 'Quyết định sẽ hủy' }, false);
  await ok(clerk, signed.id, 'cancel', { note: 'Sai thể thức' });
  const b2 = footprint();
  r = await act(clerk, signed.id, 'update', { subject: 'Sửa', note: 'Sửa' });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail, /Không cập nhật văn bản được: văn bản đã hủy/);
  assert.equal(footprint(), b2);
});

test('a draft returned and submitted again: its reviewer is told once per submission, one request unread', async () => {
  const id = await draft({ subject: 'Dự thảo trình lại' });
  await ok(specialist, id, 'submit', { reviewers: [ids[HEAD]] });
  let mine = (await notes(head, id)).filter((n) => n.kind === 'review');
  assert.equal(mine.length, 1);
  await ok(head, id, 'return', { note: 'Bổ sung căn cứ' });
  await ok(specialist, id, 'submit', { reviewers: [ids[HEAD]] });
  mine = (await notes(head, id)).filter((n) => n.kind === 'review');
  assert.equal(mine.filter((n) => !n.read).length, 1, 'one unread request to review: ' + JSON.stringify(mine));
  assert.equal(one(`SELECT COUNT(*) FROM notification WHERE document_id = ${id} AND user_id = ${ids[HEAD]} AND kind = 'review' AND read_at IS NULL`), 1);
  // The signer (the director) is told once when it reaches him.
  await ok(head, id, 'approve');
  assert.equal((await notes(leader, id)).filter((n) => n.kind === 'sign').length, 1);
});

test('the update form on the issued document page: prefilled, errors next to the fields, values kept, then updated', async () => {
  const doc = await issued({ subject: 'Quyết định cập nhật trên trang' });
  const id = doc.id;
  const c = new Client(srv);
  assert.equal((await c.webLogin(CLERK)).status, 303);
  let page = await c.get(`/documents/${id}`);
  assert.equal(page.status, 200);
  const csrf = c.csrfFrom(page.text);
  const form = /<details class="action"[^>]*id="action-update">[\s\S]*?<\/details>/.exec(page.text)[0];
  assert.match(form, /name="subject"[^>]*>Quyết định cập nhật trên trang<\/textarea>/);
  assert.match(form, /name="summary"[^>]*>Áp dụng trong Sở<\/textarea>/);
  assert.match(form, /type="date" id="update-due" name="due_date" value=""/);
  // remove: the recipients in force by seq; add: the installation's agencies not yet recipients
  assert.match(form, /name="rcpt_remove" value="1"> <span>Ủy ban nhân dân phường Trường Vinh<\/span>/);
  assert.match(form, /name="rcpt_remove" value="2"> <span>Văn phòng Ủy ban nhân dân tỉnh<\/span>/);
  assert.match(form, new RegExp(`name="rcpt_agency" value="${provAgency}"> <span>Ủy ban nhân dân tỉnh Nghệ An`));
  assert.doesNotMatch(form, new RegExp(`name="rcpt_agency" value="${tvAgency}"`));
  const post = (pairs) => c.post(`/documents/${id}/actions/update`, { form: [['_csrf', csrf], ...pairs] });
  // Taking every recipient off: the core's reason next to the field, the values kept, nothing written.
  const before = footprint();
  let r = await post([['subject', 'Quyết định cập nhật trên trang'], ['summary', 'Áp dụng trong Sở'], ['due_date', ''],
    ['page_count', ''], ['rcpt_remove', '1'], ['rcpt_remove', '2'], ['rcpt_external', ''], ['note', 'Sai nơi nhận']]);
  assert.equal(r.status, 422, r.text.slice(0, 300));
  assert.match(r.text, /Không bỏ được mọi nơi nhận/);
  assert.match(r.text, /name="rcpt_remove" value="1" checked>/);
  assert.match(r.text, />Sai nơi nhận<\/textarea>/);
  assert.equal(footprint(), before);
  // No reason: the page's own words.
  r = await post([['subject', 'Khác'], ['note', '']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /Vui lòng nhập lý do cập nhật/);
  // Add UBND tỉnh and an external agency, take the office off, correct the page count.
  r = await post([['subject', 'Quyết định cập nhật trên trang'], ['summary', 'Áp dụng trong Sở'], ['due_date', ''],
    ['page_count', '2'], ['rcpt_remove', '2'], ['rcpt_agency', String(provAgency)],
    ['rcpt_external', '000.00.00.G22 | Bộ Khoa học và Công nghệ'], ['note', 'Sai nơi nhận']]);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const d = (await clerk.get(`/api/v1/documents/${id}`)).json;
  assert.equal(d.page_count, 2);
  assert.equal(d.subject, 'Quyết định cập nhật trên trang', 'unchanged fields are no change');
  assert.deepEqual(d.recipients_status.map((s) => [s.name, s.status]), [
    ['Ủy ban nhân dân phường Trường Vinh', 'arrived'], ['Văn phòng Ủy ban nhân dân tỉnh', 'removed'],
    ['Ủy ban nhân dân tỉnh Nghệ An', 'arrived'], ['Bộ Khoa học và Công nghệ', 'waiting_to_send']]);
  assert.match(d.history.find((h) => h.action === 'updated').comment,
    /^Cập nhật số trang: \(không có\) → 2; thêm nơi nhận: Ủy ban nhân dân tỉnh Nghệ An, Bộ Khoa học và Công nghệ; bỏ nơi nhận: Văn phòng Ủy ban nhân dân tỉnh; lý do: Sai nơi nhận$/);
  page = await c.get(`/documents/${id}`);
  assert.match(page.text, /Đã cập nhật văn bản/);
  const again = /<details class="action"[^>]*id="action-update">[\s\S]*?<\/details>/.exec(page.text)[0];
  assert.doesNotMatch(again, /name="rcpt_remove" value="2"/, 'a removed recipient is not offered again');
  assert.doesNotMatch(again, new RegExp(`name="rcpt_agency" value="${provAgency}"`));
});

test('update inside the agency: a unit added for information is told, a person taken off is no longer informed', async () => {
  const dept = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]}`);
  const doc = await issued({ subject: 'Quyết định nơi nhận trong Sở',
    recipients: [{ kind: 'agency', agency_id: tvAgency }, { kind: 'user', user_id: ids[HEAD] }] });
  const id = doc.id;
  assert.equal(one(`SELECT COUNT(*) FROM doc_participant WHERE document_id = ${id} AND role = 'for_info' AND user_id = ${ids[HEAD]} AND active = 1`), 1);
  const seq = doc.recipients_list.find((x) => x.kind === 'user').seq;
  const d = await ok(clerk, id, 'update', { recipients_add: [{ kind: 'department', department_id: dept }],
    recipients_remove: [seq], note: 'Gửi cả phòng để biết' });
  assert.deepEqual(d.recipients_list.map((x) => [x.kind, x.removed]), [['agency', false], ['user', true], ['department', false]]);
  assert.equal(one(`SELECT COUNT(*) FROM doc_participant WHERE document_id = ${id} AND role = 'for_info' AND user_id = ${ids[HEAD]} AND active = 1`), 0);
  assert.equal(one(`SELECT COUNT(*) FROM doc_participant WHERE document_id = ${id} AND role = 'for_info' AND user_id IS NULL AND department_id = ${dept} AND active = 1 AND status = 'pending'`), 1);
  // every member of the unit is told, for information (the specialist works there)
  assert.ok((await notes(specialist, id)).some((n) => n.kind === 'for_info'));
  // taking the person off twice: precise, nothing changed
  const before = footprint();
  const r = await act(clerk, id, 'update', { recipients_remove: [seq], note: 'lần hai' });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.recipients_remove, /đã được bỏ khỏi nơi nhận ở lần cập nhật trước/);
  assert.equal(footprint(), before);
});
