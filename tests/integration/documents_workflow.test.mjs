// The incoming workflow through the API (issue 11 "Direct, assign, process";
// standards.md §5): the clerk of Sở KH&CN registers and presents a letter to the
// director; the director assigns the IT department as lead with the specialist
// co-handling and a deadline of 3 working days (§4: on the working calendar); the head
// of the department passes it to the specialist, who accepts, gives an opinion,
// attaches a working PDF and completes it. Returns and withdrawals put the document
// back a step. Whoever is not on the document gets 403 (visible) or 404 (another
// agency, or ids guessed); every bad input is a precise field error and nothing
// changes (§5 "the system stores recipients, directions, status and deadlines for every
// step": a refused step stores nothing). Runs on SQLite and, in the PostgreSQL pass,
// on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, makePdf, revokeDemoKeys, ADMIN_SKHCN, ADMIN_TRUONGVINH, PG } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';      // Ngô Thị Huyền, văn thư
const LEADER = '040090000142';     // Bùi Văn Long, Giám đốc
const HEAD = '040090000144';       // Trịnh Quốc Bảo, Trưởng phòng Công nghệ thông tin
const SPECIALIST = '040090000145'; // Đỗ Minh Châu, chuyên viên, Phòng Công nghệ thông tin

let srv, spec, clerk, leader, head, specialist, admin, outsider, anon;
let ids = {}, itDept, registerId, tvUser, tvDept;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
// Everything a step writes, so that a refused step can be shown to have written nothing.
const footprint = (id) => srv.db(
  `SELECT state || '|' || COALESCE(deadline, '-') FROM document WHERE id = ${id}; ` +
  `SELECT COUNT(*) FROM doc_history WHERE document_id = ${id}; ` +
  `SELECT COUNT(*) || '|' || COALESCE(SUM(active), 0) FROM doc_participant WHERE document_id = ${id}; ` +
  `SELECT COUNT(*) FROM doc_participant WHERE document_id = ${id} AND status IN ('pending', 'in_progress'); ` +
  `SELECT COUNT(*) FROM doc_file WHERE document_id = ${id}; ` +
  `SELECT COUNT(*) FROM audit_log WHERE object_type = 'document' AND object_id = '${id}'`);
const vnToday = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const vnDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
let serial = 500;

async function registerDoc(subject = 'Về việc triển khai nền tảng số dùng chung') {
  const fd = new FormData();
  fd.append('metadata', JSON.stringify({
    register_id: registerId, issuer_code: '000.00.02.H41', issuer_name: 'Sở Nội vụ',
    number: String(serial++), symbol: 'SNV-CCVC', issued_date: vnDay(-1), doc_type: 'cong_van',
    subject, urgency: 'khan',
  }));
  fd.append('main', new Blob([makePdf([[72, 760, 14, 'CONG VAN']])]), 'cong-van.pdf');
  const r = await clerk.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

const act = (c, id, step, json = {}) => c.post(`/api/v1/documents/${id}/${step}`, { json });
async function ok(c, id, step, json, status = 200) {
  const r = await act(c, id, step, json);
  assert.equal(r.status, status, `${step}: ${r.text}`);
  documented('POST', `/api/v1/documents/${id}/${step}`, r);
  return r.json;
}
async function presented(id) { return ok(clerk, id, 'present', { leader_id: ids[LEADER], note: 'Kính trình Giám đốc' }); }
async function assigned(id, body = {}) {
  await presented(id);
  return ok(leader, id, 'assign', { lead: { department_id: itDept }, co_handlers: [{ user_id: ids[SPECIALIST] }], working_days: 3, note: 'Giao phòng CNTT chủ trì', ...body });
}

// The working day n working days after today, from the calendar the server uses.
async function workingDaysFromToday(n) {
  const off = new Set();
  const y = Number(vnToday().slice(0, 4));
  for (const year of [y, y + 1]) {
    const cal = await clerk.get(`/api/v1/calendar/${year}`);
    assert.equal(cal.status, 200);
    for (const h of cal.json.holidays) off.add(h.date);
  }
  let d = new Date(vnToday() + 'T00:00:00Z');
  while (n > 0) {
    d = new Date(d.getTime() + 86400e3);
    const iso = d.toISOString().slice(0, 10);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && !off.has(iso)) n--;
  }
  return d.toISOString().slice(0, 10);
}

before(async () => {
  srv = await new Server().start();
  await revokeDemoKeys(srv);
  anon = new Client(srv);
  spec = (await anon.get('/api/v1/openapi.json')).json;
  [clerk, leader, head, specialist, admin, outsider] = await Promise.all(
    [CLERK, LEADER, HEAD, SPECIALIST, ADMIN_SKHCN, ADMIN_TRUONGVINH].map(async (login) => {
      const c = new Client(srv);
      const r = await c.apiLogin(login);
      assert.equal(r.status, 200, login);
      ids[login] = r.json.user.id;
      return c;
    }));
  registerId = (await clerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  itDept = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]}`);
  tvUser = ids[ADMIN_TRUONGVINH];
  tvDept = one("SELECT MIN(d.id) FROM department d JOIN agency a ON a.id = d.agency_id WHERE a.code = '000.00.30.H41'");
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('the whole path: register, present, assign, reassign in the unit, accept, comment, attach, complete', async () => {
  const id = await registerDoc();
  let doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  // A paper original: the clerk may also sign its scan for the agency (standards.md §5).
  assert.deepEqual(doc.actions, ['present', 'digitise']);
  assert.equal(doc.deadline, null);
  assert.equal(doc.deadline_state, null);
  assert.deepEqual(doc.participants, []);

  // The clerk's form: the leaders of the agency.
  const cand = await clerk.get(`/api/v1/documents/${id}/candidates`);
  assert.equal(cand.status, 200);
  documented('GET', `/api/v1/documents/${id}/candidates`, cand);
  assert.ok(cand.json.leaders.some((p) => p.id === ids[LEADER]));
  assert.ok(!cand.json.leaders.some((p) => p.id === ids[SPECIALIST]), 'a specialist is no leader');

  doc = await presented(id);
  assert.equal(doc.state, 'presented');
  assert.deepEqual(doc.participants.map((p) => [p.role, p.user_id, p.status, p.active]), [['leader', ids[LEADER], 'pending', true]]);
  assert.deepEqual(doc.actions, ['digitise'], 'the clerk has nothing more to do in the workflow');
  doc = (await leader.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(doc.actions, ['assign', 'return']);
  const lc = (await leader.get(`/api/v1/documents/${id}/candidates`)).json;
  assert.ok(lc.departments.some((d) => d.id === itDept));
  assert.ok(lc.people.some((p) => p.id === ids[SPECIALIST] && p.department_id === itDept));

  // A specialist is not the leader: 403 (they are not on it yet: 404).
  assert.equal((await act(specialist, id, 'assign', { lead: { department_id: itDept }, working_days: 3 })).status, 404);

  doc = await ok(leader, id, 'assign', {
    lead: { department_id: itDept }, co_handlers: [{ user_id: ids[SPECIALIST] }], working_days: 3,
    note: 'Giao Phòng CNTT chủ trì, đồng chí Châu phối hợp; báo cáo trước hạn.',
  });
  assert.equal(doc.state, 'assigned');
  assert.equal(doc.deadline, await workingDaysFromToday(3), '§4: 3 working days on the calendar');
  assert.ok(['ok', 'due_soon'].includes(doc.deadline_state));
  const lead = doc.participants.find((p) => p.role === 'lead');
  assert.equal(lead.kind, 'unit');
  assert.equal(lead.department_id, itDept);
  assert.equal(lead.name, 'Phòng Công nghệ thông tin');
  assert.equal(lead.due_date, doc.deadline);
  assert.equal(lead.assigned_by, 'Bùi Văn Long');
  assert.equal(doc.participants.find((p) => p.role === 'leader').status, 'done');
  const hist = doc.history.at(-1);
  assert.deepEqual([hist.action, hist.to_department_name, hist.edxml_status, hist.actor_name], ['assigned', 'Phòng Công nghệ thông tin', '04', 'Bùi Văn Long']);
  assert.deepEqual(doc.actions, ['change', 'withdraw']);

  // The specialist (co-handler) may comment, attach and forward, not assign or complete.
  let sd = (await specialist.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(sd.actions, ['comment', 'attach', 'forward']);
  assert.equal((await act(specialist, id, 'assign', { lead: { user_id: ids[SPECIALIST] }, working_days: 1 })).status, 403);
  assert.equal((await act(specialist, id, 'complete', { note: 'Xong' })).status, 403);
  // The clerk cannot complete someone else's work.
  const before = footprint(id);
  const cc = await act(clerk, id, 'complete', { note: 'Xong' });
  assert.equal(cc.status, 403);
  documented('POST', `/api/v1/documents/${id}/complete`, cc);
  assert.equal(footprint(id), before);

  // The head of the lead unit passes it to the specialist, within the leader's deadline.
  let hd = (await head.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(hd.actions, ['reassign', 'accept', 'comment', 'attach', 'forward', 'return', 'complete']);
  // The re-assignment's choices are the unit's members, without the head who passes it.
  const hc = await head.get(`/api/v1/documents/${id}/candidates`);
  documented('GET', `/api/v1/documents/${id}/candidates`, hc);
  assert.ok(hc.json.unit_people.some((p) => p.id === ids[SPECIALIST]), 'the specialist of the unit');
  assert.ok(hc.json.unit_people.every((p) => p.department_id === itDept), 'only the unit');
  assert.ok(!hc.json.unit_people.some((p) => p.id === ids[HEAD]), 'not the head himself');
  const later = await act(head, id, 'reassign', { lead: { user_id: ids[SPECIALIST] }, deadline: vnDay(60) });
  assert.equal(later.status, 422, 'a unit may shorten the deadline, never extend it');
  assert.match(later.json.errors.deadline, /không được kéo dài/);
  assert.equal(footprint(id), before);
  const outside = await act(head, id, 'reassign', { lead: { user_id: ids[LEADER] } });
  assert.equal(outside.status, 422);
  assert.match(outside.json.errors.lead, /không thuộc đơn vị/);
  doc = await ok(head, id, 'reassign', { lead: { user_id: ids[SPECIALIST] }, note: 'Đồng chí Châu xử lý' });
  const unitRow = doc.participants.find((p) => p.role === 'lead' && p.kind === 'unit');
  const personLead = doc.participants.find((p) => p.role === 'lead' && p.kind === 'person');
  assert.equal(unitRow.status, 'forwarded');
  assert.equal(personLead.user_id, ids[SPECIALIST]);
  assert.equal(personLead.parent_id, unitRow.id);
  assert.equal(personLead.due_date, doc.deadline, 'the leader\'s deadline is kept');
  assert.deepEqual((await head.get(`/api/v1/documents/${id}`)).json.actions, [], 'passed on: nothing left for the head');

  sd = (await specialist.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(sd.actions, ['accept', 'comment', 'attach', 'forward', 'return', 'complete']);
  doc = await ok(specialist, id, 'accept');
  assert.equal(doc.state, 'in_progress');
  assert.equal(doc.history.at(-1).action, 'started');
  assert.equal(doc.history.at(-1).edxml_status, '05');
  assert.equal((await act(specialist, id, 'accept')).status, 409, 'accepted once');

  doc = await ok(specialist, id, 'comment', { note: 'Đã rà soát, đề xuất triển khai theo hai giai đoạn.' });
  assert.equal(doc.history.at(-1).action, 'commented');
  const fd = new FormData();
  fd.append('file', new Blob([makePdf([[72, 760, 14, 'BAO CAO KET QUA']])]), 'bao-cao-ket-qua.pdf');
  fd.append('note', 'Dự thảo báo cáo');
  const up = await specialist.req('POST', `/api/v1/documents/${id}/files`, { body: fd });
  assert.equal(up.status, 201, up.text);
  documented('POST', `/api/v1/documents/${id}/files`, up);
  const wf = up.json.files.find((f) => f.role === 'working');
  assert.equal(wf.file_name, 'bao-cao-ket-qua.pdf');
  assert.equal(wf.created_by, 'Đỗ Minh Châu');
  assert.equal(up.headers.get('location'), `/api/v1/documents/${id}/files/${wf.id}`);
  const dl = await leader.get(up.headers.get('location'));
  assert.equal(dl.status, 200);
  assert.match(dl.text, /^%PDF/);

  doc = await ok(specialist, id, 'complete', { note: 'Đã báo cáo kết quả triển khai.' });
  assert.equal(doc.state, 'completed');
  assert.ok(doc.completed_at);
  assert.equal(doc.deadline_state, null, 'completed: no longer due');
  assert.ok(doc.participants.every((p) => !p.active));
  assert.deepEqual(doc.actions, []);
  assert.deepEqual(doc.history.map((h) => [h.action, h.edxml_status]), [
    ['received', '01'], ['presented', null], ['assigned', '04'], ['reassigned', null],
    ['started', '05'], ['commented', null], ['attached', null], ['completed', '06']]);
  const c2 = await act(specialist, id, 'complete', { note: 'Lần nữa' });
  assert.equal(c2.status, 409);
  assert.match(c2.json.detail, /đã hoàn thành/);
  // One audit row per step, with its Vietnamese label.
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE object_type = 'document' AND object_id = '${id}' AND action IN ('doc_present', 'doc_assign', 'doc_reassign', 'doc_accept', 'doc_comment', 'doc_attach', 'doc_complete')`), 7);
});

test('returns and withdrawals put the document back a step', async () => {
  const id = await registerDoc('Về việc góp ý dự thảo quy chế');
  await presented(id);
  // The leader returns it to the clerks: a reason is required.
  let before = footprint(id);
  const noReason = await act(leader, id, 'return', { note: '  ' });
  assert.equal(noReason.status, 422);
  assert.match(noReason.json.errors.note, /lý do trả lại/);
  assert.equal(footprint(id), before);
  let doc = await ok(leader, id, 'return', { note: 'Không thuộc thẩm quyền của Sở' });
  assert.equal(doc.state, 'registered');
  assert.equal(doc.history.at(-1).to_user_id, ids[CLERK]);
  assert.equal(doc.participants[0].status, 'returned');
  assert.deepEqual((await clerk.get(`/api/v1/documents/${id}`)).json.actions, ['present', 'digitise']);

  // Assigned, then withdrawn by the leader: presented again, the rows withdrawn.
  doc = await assigned(id);
  assert.deepEqual((await head.get(`/api/v1/documents/${id}`)).json.actions.includes('reassign'), true);
  doc = await ok(leader, id, 'withdraw', { note: 'Điều chỉnh phân công' });
  assert.equal(doc.state, 'presented');
  assert.equal(doc.deadline, null);
  assert.ok(doc.participants.filter((p) => p.role !== 'leader' && p.status === 'withdrawn').length >= 2);
  assert.equal(doc.participants.filter((p) => p.role === 'leader' && p.active).length, 1);
  assert.equal((await act(head, id, 'reassign', { lead: { user_id: ids[SPECIALIST] } })).status, 409);
  assert.deepEqual((await leader.get(`/api/v1/documents/${id}`)).json.actions, ['assign', 'return']);

  // Assigning again while assigned needs change: true (withdraw + assign in one step).
  await ok(leader, id, 'assign', { lead: { user_id: ids[SPECIALIST] }, deadline: vnDay(10) });
  before = footprint(id);
  const again = await act(leader, id, 'assign', { lead: { user_id: ids[HEAD] }, deadline: vnDay(5) });
  assert.equal(again.status, 409);
  assert.match(again.json.detail, /change = true/);
  assert.equal(footprint(id), before);
  doc = await ok(leader, id, 'assign', { lead: { user_id: ids[HEAD] }, deadline: vnDay(5), change: true });
  assert.equal(doc.state, 'assigned');
  assert.equal(doc.deadline, vnDay(5));
  assert.deepEqual(doc.participants.filter((p) => p.active).map((p) => [p.role, p.user_id]), [['lead', ids[HEAD]]]);
  assert.deepEqual(doc.history.slice(-2).map((h) => h.action), ['withdrawn', 'assigned']);
  assert.equal((await specialist.get(`/api/v1/documents/${id}`)).json.actions.length, 0, 'no longer lead');

  // The lead returns it to the leader: presented again, the leader's row active.
  doc = await ok(head, id, 'return', { note: 'Đề nghị giao Văn phòng Sở chủ trì' });
  assert.equal(doc.state, 'presented');
  assert.equal(doc.history.at(-1).to_user_id, ids[LEADER]);
  assert.equal(doc.participants.find((p) => p.user_id === ids[HEAD] && p.role === 'lead').status, 'returned');
  assert.deepEqual((await leader.get(`/api/v1/documents/${id}`)).json.actions, ['assign', 'return']);
});

// standards.md §5: the unit that was given the document passes it on inside; what its
// member returns goes back to the unit (its leaders re-assign), not to the director.
test('a return by the person a unit passed it on to goes back to the unit', async () => {
  const id = await registerDoc('Về việc rà soát hạ tầng mạng nội bộ');
  await presented(id);
  await ok(leader, id, 'assign', { lead: { department_id: itDept }, working_days: 5, note: 'Giao phòng CNTT' });
  const deadline = (await leader.get(`/api/v1/documents/${id}`)).json.deadline;
  await ok(head, id, 'reassign', { lead: { user_id: ids[SPECIALIST] }, note: 'Đồng chí Châu xử lý' });
  await ok(specialist, id, 'accept', {});
  const before = footprint(id);
  const noReason = await act(specialist, id, 'return', {});
  assert.equal(noReason.status, 422);
  assert.equal(footprint(id), before);
  let doc = await ok(specialist, id, 'return', { note: 'Việc này thuộc tổ hạ tầng,\nđề nghị phân công lại.' });
  assert.equal(doc.state, 'assigned');
  assert.equal(doc.deadline, deadline, "the leader's deadline stays");
  const last = doc.history.at(-1);
  assert.deepEqual([last.action, last.to_department_id, last.to_user_id ?? null], ['returned', itDept, null]);
  assert.equal(last.comment, 'Việc này thuộc tổ hạ tầng,\nđề nghị phân công lại.', 'the line break is kept');
  const unit = doc.participants.find((p) => p.role === 'lead' && p.department_id === itDept && !p.user_id);
  assert.deepEqual([unit.status, unit.active], ['pending', true]);
  const person = doc.participants.find((p) => p.role === 'lead' && p.user_id === ids[SPECIALIST]);
  assert.deepEqual([person.status, person.active], ['returned', false]);
  // The leader's direction is untouched; the unit head has it to re-assign again.
  assert.equal(doc.participants.find((p) => p.role === 'leader').status, 'done');
  assert.deepEqual((await specialist.get(`/api/v1/documents/${id}`)).json.actions, []);
  assert.ok((await head.get(`/api/v1/documents/${id}`)).json.actions.includes('reassign'));
  const box = (await head.get('/api/v1/documents?box=to_process')).json.documents.map((d) => d.id);
  assert.ok(box.includes(id), "in the unit head's to-process box");
  doc = await ok(head, id, 'reassign', { lead: { user_id: ids[SPECIALIST] }, note: 'Giao lại đồng chí Châu' });
  assert.equal(doc.state, 'assigned');
});

// A unit informed as a whole (nhận để biết): the first member who opens it has the unit
// see it, once; the audit row says who.
test('a unit informed as a whole is seen when one of its members opens it', async () => {
  const id = await registerDoc('Về việc thông báo lịch tiếp công dân');
  await presented(id);
  let doc = await ok(leader, id, 'assign', { lead: { user_id: ids[CLERK] }, for_info: [{ department_id: itDept }], deadline: vnDay(7) });
  const row = () => doc.participants.find((p) => p.role === 'for_info' && p.department_id === itDept);
  assert.equal(row().seen_at, null);
  const unseen = (c) => c.get('/api/v1/documents/counts').then((r) => r.json);
  const c0 = await unseen(specialist);
  const seen0 = one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen'");
  doc = (await specialist.get(`/api/v1/documents/${id}`)).json;
  assert.ok(row().seen_at, 'seen when a member opens it');
  assert.equal(row().status, 'done');
  assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen'"), seen0 + 1);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen' AND object_id = '${id}' AND actor_id = ${ids[SPECIALIST]}`), 1);
  await head.get(`/api/v1/documents/${id}`);
  assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen'"), seen0 + 1, 'once for the unit');
  const c1 = await unseen(specialist);
  assert.equal(c1.for_info, c0.for_info - 1, 'the unit\'s unseen document counted no more');
});

test('co-handlers, forwarding, for-information readers', async () => {
  const id = await registerDoc('Về việc phối hợp tổ chức hội thảo');
  await presented(id);
  const adminId = ids[ADMIN_SKHCN];
  let doc = await ok(leader, id, 'assign', { lead: { user_id: ids[HEAD] }, co_handlers: [{ user_id: ids[SPECIALIST] }], for_info: [{ user_id: adminId }], deadline: vnDay(7) });
  // The for-information reader sees it, cannot comment; opening it marks it seen.
  let ad = await admin.get(`/api/v1/documents/${id}`);
  assert.equal(ad.status, 200);
  documented('GET', `/api/v1/documents/${id}`, ad);
  assert.deepEqual(ad.json.actions, []);
  const info = ad.json.participants.find((p) => p.role === 'for_info');
  assert.ok(info.seen_at, 'seen when opened');
  assert.equal(info.status, 'done');
  const audits = one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen'");
  await admin.get(`/api/v1/documents/${id}`);
  assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_seen'"), audits, 'seen once');
  assert.equal((await act(admin, id, 'comment', { note: 'Ý kiến' })).status, 403);

  // The co-handler's opinion is on the lead's timeline; their part done.
  doc = await ok(specialist, id, 'comment', { note: 'Phần kỹ thuật đã chuẩn bị xong', part_done: true });
  assert.equal(doc.participants.find((p) => p.user_id === ids[SPECIALIST]).status, 'done');
  assert.equal(doc.state, 'assigned', 'a co-handler does not start the lead\'s work');
  const hd = (await head.get(`/api/v1/documents/${id}`)).json;
  assert.equal(hd.history.at(-1).action, 'part_done');
  assert.equal(hd.history.at(-1).actor_name, 'Đỗ Minh Châu');
  assert.equal((await act(specialist, id, 'comment', { note: 'Thêm' })).status, 403, 'their part is done');
  // The lead forwards to the clerk as co-handler: the lead's first step also starts it.
  const lead = (await act(head, id, 'comment', { note: 'x', part_done: true }));
  assert.equal(lead.status, 422, 'part_done is a co-handler\'s');
  doc = await ok(head, id, 'forward', { user_id: ids[CLERK], note: 'Đề nghị văn thư chuẩn bị giấy mời' });
  assert.equal(doc.state, 'in_progress');
  const fwd = doc.participants.find((p) => p.user_id === ids[CLERK]);
  const leadRow = doc.participants.find((p) => p.user_id === ids[HEAD] && p.role === 'lead');
  assert.deepEqual([fwd.role, fwd.parent_id, fwd.due_date], ['co_handler', leadRow.id, vnDay(7)]);
  assert.deepEqual(doc.history.slice(-2).map((h) => h.action), ['started', 'forwarded']);
  let before = footprint(id);
  for (const [body, field] of [
    [{ user_id: ids[CLERK] }, 'user_id'],          // already on it
    [{ user_id: tvUser }, 'user_id'],              // another agency: as unknown
    [{ user_id: 99999999 }, 'user_id'],
    [{ user_id: ids[SPECIALIST], role: 'owner' }, 'role'],
    [{}, 'user_id'],
  ]) {
    const r = await act(head, id, 'forward', body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.json.errors[field], `${JSON.stringify(body)}: ${r.text}`);
    assert.doesNotMatch(r.text, /Trường Vinh/);
  }
  assert.equal(footprint(id), before);
  // The lead completes; a co-handler cannot.
  assert.equal((await act(clerk, id, 'complete', { note: 'Xong' })).status, 403);
  const noResult = await act(head, id, 'complete', {});
  assert.equal(noResult.status, 422);
  assert.ok(noResult.json.errors.note);
  assert.equal(footprint(id), before);
  doc = await ok(head, id, 'complete', { note: 'Đã tổ chức hội thảo' });
  assert.equal(doc.state, 'completed');
});

test('every bad input of an assignment is a field error and changes nothing', async () => {
  const id = await registerDoc('Về việc kiểm tra an toàn thông tin');
  await presented(id);
  const before = footprint(id);
  const long = 'ý'.repeat(2001);
  const cases = [
    [{ working_days: 3 }, 'lead', /chủ trì/],
    [{ lead: [{ department_id: itDept }, { user_id: ids[SPECIALIST] }], working_days: 3 }, 'lead', /một đơn vị hoặc một cá nhân/],
    [{ lead: { user_id: ids[SPECIALIST] }, co_handlers: [{ user_id: ids[SPECIALIST] }], working_days: 3 }, 'co_handlers', /hai lần/],
    [{ lead: { department_id: itDept }, for_info: [{ department_id: itDept }], working_days: 3 }, 'for_info', /hai lần/],
    [{ lead: { user_id: 99999999 }, working_days: 3 }, 'lead', /Không có cán bộ #99999999/],
    [{ lead: { user_id: tvUser }, working_days: 3 }, 'lead', new RegExp(`Không có cán bộ #${tvUser} trong cơ quan`)],
    [{ lead: { department_id: tvDept }, working_days: 3 }, 'lead', new RegExp(`Không có đơn vị #${tvDept} trong cơ quan`)],
    [{ lead: { department_id: itDept }, deadline: vnDay(-1) }, 'deadline', /đã qua/],
    [{ lead: { department_id: itDept }, deadline: '2026-02-30' }, 'deadline', /không phải ngày hợp lệ/],
    [{ lead: { department_id: itDept }, deadline: vnDay(5), working_days: 3 }, 'deadline', /không nhập cả hai/],
    [{ lead: { department_id: itDept }, working_days: 0 }, 'working_days', /từ 1 đến 250/],
    [{ lead: { department_id: itDept }, working_days: '3' }, 'working_days', /số nguyên/],
    [{ lead: { department_id: itDept } }, 'deadline', /Vui lòng nhập hạn xử lý/],
    [{ lead: { department_id: itDept }, working_days: 3, note: long }, 'note', /2\.000/],
    [{ lead: { department_id: itDept, user_id: ids[HEAD] }, working_days: 3 }, 'lead', /user_id/],
    [{ lead: { department_id: itDept }, working_days: 3, owner: 1 }, 'body', /owner/],
    [{ lead: { department_id: itDept }, co_handlers: Array.from({ length: 31 }, (_, i) => ({ user_id: 1000 + i })), working_days: 3 }, 'co_handlers', /Tối đa 30/],
  ];
  for (const [body, field, re] of cases) {
    const r = await act(leader, id, 'assign', body);
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 120)}: ${r.text}`);
    documented('POST', `/api/v1/documents/${id}/assign`, r);
    assert.match(r.json.errors[field] || '', re, `${field}: ${r.text}`);
    assert.doesNotMatch(r.text, /Trường Vinh/, 'nothing of another agency is told');
  }
  const bad = await leader.post(`/api/v1/documents/${id}/assign`, { body: '{"lead":', headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(footprint(id), before, 'nothing written by any refused assignment');
  // Present: only a leader of the agency, only a registered document.
  const id2 = await registerDoc('Về việc báo cáo định kỳ');
  const b2 = footprint(id2);
  for (const [body, re] of [[{ leader_id: ids[SPECIALIST] }, /không phải lãnh đạo/], [{ leader_id: tvUser }, /Không có cán bộ/], [{}, /leader_id/], [{ leader_id: 'x' }, /số định danh/]]) {
    const r = await act(clerk, id2, 'present', body);
    assert.equal(r.status, 422, r.text);
    assert.match(r.json.errors.leader_id, re);
  }
  assert.equal(footprint(id2), b2);
  assert.equal((await act(clerk, id, 'present', { leader_id: ids[LEADER] })).status, 409, 'presented already');
  // Steps not possible now: 409 with the reason, nothing written.
  const r409 = await act(specialist, id2, 'accept');
  assert.equal(r409.status, 404, 'not on it: not known');
  assert.equal((await act(leader, id, 'accept')).status, 403, 'the leader is not the lead');
  const wd = await act(leader, id, 'withdraw');
  assert.equal(wd.status, 409, 'the leader\'s, but nothing is assigned yet');
  documented('POST', `/api/v1/documents/${id}/withdraw`, wd);
  assert.match(wd.json.detail, /Không thu hồi phân công được: văn bản đang trình lãnh đạo/);
  assert.equal(footprint(id), before);
});

test('access: other agencies and guessed ids are 404 on every step, no session is 401', async () => {
  const id = await registerDoc('Về việc bảo mật hệ thống');
  await assigned(id);
  const steps = ['present', 'assign', 'reassign', 'withdraw', 'accept', 'comment', 'forward', 'return', 'complete'];
  const before = footprint(id);
  for (const target of [id, 99999999]) {
    for (const s of steps) {
      const r = await act(outsider, target, s, { note: 'x' });
      assert.equal(r.status, 404, `${s} ${target}: ${r.text}`);
      assert.equal((await act(anon, target, s, { note: 'x' })).status, 401);
    }
    const fd = new FormData();
    fd.append('file', new Blob([makePdf([[72, 760, 14, 'X']])]), 'x.pdf');
    assert.equal((await outsider.req('POST', `/api/v1/documents/${target}/files`, { body: fd })).status, 404);
    assert.equal((await outsider.get(`/api/v1/documents/${target}/candidates`)).status, 404);
    // A malformed body from an outsider is still 404: nothing about the document.
    assert.equal((await act(outsider, target, 'assign', { lead: 7 })).status, 404);
  }
  // The agency's administrator (no role on the document) does not know it either.
  assert.equal((await act(admin, id, 'comment', { note: 'x' })).status, 404);
  assert.equal(footprint(id), before);
  // Working files: the format check of the registration.
  const fd = new FormData();
  fd.append('file', new Blob([Buffer.from('MZ\x90\x00binary')]), 'report.pdf');
  const r = await specialist.req('POST', `/api/v1/documents/${id}/files`, { body: fd });
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.errors.file, /exe|chương trình/);
  const noFile = new FormData();
  noFile.append('note', 'Quên chọn tệp');
  const none = await specialist.req('POST', `/api/v1/documents/${id}/files`, { body: noFile });
  assert.equal(none.status, 422, none.text);
  assert.match(none.json.errors.file, /Vui lòng chọn tệp/);
  assert.equal(footprint(id), before);
});

test('migration 0010 keeps every file with its id and admits working files', async () => {
  // A database as migration 0009 left it: doc_file.role without 'working' (and without the
  // columns later migrations add, such as 0015's stage: the rows are what 0010 sees).
  const s2 = new Server();
  await s2.start();
  await s2.stop();
  const files = () => s2.db('SELECT id, document_id, role, seq, blob_hash FROM doc_file ORDER BY id');
  if (PG) {
    s2.db(`DELETE FROM doc_file WHERE role = 'working'; ALTER TABLE doc_file DROP CONSTRAINT doc_file_role_check;
      ALTER TABLE doc_file ADD CONSTRAINT doc_file_role_check CHECK (role IN ('main', 'appendix'));
      DELETE FROM schema_version WHERE version = 10`);
  } else {
    s2.db(`DELETE FROM doc_file WHERE role = 'working';
      CREATE TABLE doc_file_old (id INTEGER PRIMARY KEY, document_id BIGINT NOT NULL REFERENCES document(id),
        role TEXT NOT NULL CHECK (role IN ('main', 'appendix')), seq INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1, file_name TEXT NOT NULL, content_type TEXT NOT NULL,
        format TEXT NOT NULL, size BIGINT NOT NULL, blob_hash TEXT NOT NULL REFERENCES blob(hash),
        created_by BIGINT REFERENCES app_user(id), created_at BIGINT NOT NULL);
      INSERT INTO doc_file_old SELECT id, document_id, role, seq, version, file_name, content_type,
        format, size, blob_hash, created_by, created_at FROM doc_file; DROP TABLE doc_file;
      ALTER TABLE doc_file_old RENAME TO doc_file; DELETE FROM schema_version WHERE version = 10`);
  }
  const working = "INSERT INTO doc_file (document_id, role, seq, file_name, content_type, format, size, blob_hash, created_at) " +
    "SELECT document_id, 'working', 1, 'x.pdf', content_type, format, size, blob_hash, 0 FROM doc_file WHERE role = 'main' AND id = (SELECT MIN(id) FROM doc_file)";
  assert.throws(() => s2.db(working), /CHECK|check/, 'before 0010 the role is refused');
  const before = files();
  assert.ok(before.trim().split('\n').length >= 10);
  try {
    await s2.launch();
    assert.equal(s2.db('SELECT COUNT(*) FROM schema_version WHERE version = 10').trim(), '1');
    assert.equal(files(), before, 'every row, with its id');
    assert.equal(s2.db("SELECT COUNT(*) FROM blob_ref_column WHERE table_name = 'doc_file' AND column_name = 'blob_hash'").trim(), '1');
    s2.db(working);
    assert.equal(s2.db("SELECT COUNT(*) FROM doc_file WHERE role = 'working'").trim(), '1');
  } finally {
    await s2.stop();
    s2.cleanup();
  }
});
