// Notifications through the API and the pages (core/notify.c, doc/doc_notify.c;
// standards.md §5 "the sender is notified the same day" on a refusal, "recipients are
// notified" of a direction; §6 the reviewer and signer of a draft). A refusal by Sở
// KH&CN's clerk notifies UBND tỉnh's clerk in the same transaction (same instant as the
// refusal's history row); presenting reaches the director, assigning reaches the lead
// and, for a unit, its head; opening the document marks them read. Notifications are
// their recipient's alone: another person's id answers exactly like an id that does not
// exist (404) and changes nothing. Keyset paging returns every row once, newest first;
// the unread count is capped at 1000. Runs on SQLite and, with tests/pg-env.mjs, on
// PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, makePdf, revokeDemoKeys, ADMIN_TRUONGVINH } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';          // Ngô Thị Huyền, văn thư, Sở KH&CN
const LEADER = '040090000142';         // Bùi Văn Long, Giám đốc Sở KH&CN
const HEAD = '040090000144';           // Trịnh Quốc Bảo, Trưởng phòng CNTT
const SPECIALIST = '040090000145';     // Đỗ Minh Châu, chuyên viên, Phòng CNTT
const PROVINCE_CLERK = '040090000102'; // Trần Thị Mai, văn thư, UBND tỉnh

let srv, spec, clerk, leader, head, specialist, province, ward;
const ids = {};
let registerId, itDept, serial = 700;
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const vnDay = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

async function list(c, query = '') {
  const r = await c.get(`/api/v1/notifications${query}`);
  assert.equal(r.status, 200, r.text);
  documented('GET', `/api/v1/notifications${query}`, r);
  return r.json;
}
async function count(c) {
  const r = await c.get('/api/v1/notifications/count');
  assert.equal(r.status, 200, r.text);
  documented('GET', '/api/v1/notifications/count', r);
  return r.json.unread;
}
const step = async (c, id, name, json) => {
  const r = await c.post(`/api/v1/documents/${id}/${name}`, { json });
  assert.equal(r.status, 200, `${name}: ${r.text}`);
  return r.json;
};

async function registerDoc(subject) {
  const fd = new FormData();
  fd.append('metadata', JSON.stringify({
    register_id: registerId, issuer_code: '000.00.02.H41', issuer_name: 'Sở Nội vụ',
    number: String(serial++), symbol: 'SNV-CCVC', issued_date: vnDay(-1), doc_type: 'cong_van',
    subject,
  }));
  fd.append('main', new Blob([makePdf([[72, 760, 14, 'CONG VAN']])]), 'cong-van.pdf');
  const r = await clerk.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  srv = await new Server().start();
  await revokeDemoKeys(srv);
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [clerk, leader, head, specialist, province, ward] = await Promise.all(
    [CLERK, LEADER, HEAD, SPECIALIST, PROVINCE_CLERK, ADMIN_TRUONGVINH].map(async (login) => {
      const c = new Client(srv);
      const r = await c.apiLogin(login);
      assert.equal(r.status, 200, login);
      ids[login] = r.json.user.id;
      return c;
    }));
  registerId = (await clerk.get('/api/v1/registers?kind=incoming')).json.registers[0].id;
  itDept = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]}`);
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('§5 a refusal notifies the sending agency\'s clerk in the same transaction', async () => {
  const copy = one("SELECT MIN(d.id) FROM document d JOIN agency a ON a.id = d.agency_id WHERE " +
    "a.code = '000.00.04.H41' AND d.state = 'arrived' AND d.source_document_id IS NOT NULL");
  const source = one(`SELECT source_document_id FROM document WHERE id = ${copy}`);
  // the arrival itself reached Sở KH&CN's clerk (doc_deliver_internal)
  const arrivedNote = (await list(clerk)).items.find((n) => n.document_id === copy);
  assert.equal(arrivedNote.kind, 'arrived');
  assert.match(arrivedNote.text, /Văn bản mới đến từ Ủy ban nhân dân tỉnh Nghệ An/);
  const before = await count(province);
  const reason = 'Văn bản gửi nhầm cơ quan, đề nghị kiểm tra lại nơi nhận';
  const r = await clerk.post(`/api/v1/documents/${copy}/refuse`, { json: { reason } });
  assert.equal(r.status, 200, r.text);
  // at once, without any job: the sender's clerk has it, on the sender's own document
  assert.equal(await count(province), before + 1);
  const page = await list(province, '?unread=true&limit=5');
  const n = page.items[0];
  assert.equal(n.kind, 'refused');
  assert.equal(n.kind_label, 'Bị từ chối tiếp nhận');
  assert.equal(n.document_id, source);
  assert.equal(n.read, false);
  assert.ok(n.text.includes('Sở Khoa học và Công nghệ') && n.text.includes(reason), n.text);
  assert.ok(Buffer.byteLength(n.text) <= 300);
  // the same instant as the refusal recorded on the sender's document
  const at = one(`SELECT MAX(at) FROM doc_history WHERE document_id = ${source} AND action = 'refused_by_recipient'`);
  assert.equal(n.created_at_unix, at);
  // the refusing clerk is not notified of their own act
  assert.equal((await list(clerk)).items.filter((x) => x.kind === 'refused').length, 0);
});

test('presenting reaches the director, assigning reaches the lead and a lead unit\'s head', async () => {
  const id = await registerDoc('Về việc thử thông báo giao xử lý');
  await step(clerk, id, 'present', { leader_id: ids[LEADER], note: 'Kính trình Giám đốc' });
  const presented = (await list(leader, '?unread=1')).items[0];
  assert.deepEqual([presented.kind, presented.document_id], ['presented', id]);
  assert.match(presented.text, /được trình đồng chí cho ý kiến chỉ đạo/);
  assert.equal(presented.actor_name, 'Ngô Thị Huyền');

  const headBefore = await count(head), specBefore = await count(specialist);
  await step(leader, id, 'assign', {
    lead: { user_id: ids[SPECIALIST] }, co_handlers: [{ department_id: itDept }], working_days: 3,
    note: 'Đồng chí Châu chủ trì',
  });
  assert.equal(await count(specialist), specBefore + 1);
  const lead = (await list(specialist, '?unread=1')).items[0];
  assert.deepEqual([lead.kind, lead.document_id], ['assigned', id]);
  assert.match(lead.text, /được giao đồng chí chủ trì xử lý, hạn \d\d\/\d\d\/\d{4}\./);
  // the co-operating unit acts through its head
  assert.equal(await count(head), headBefore + 1);
  const unit = (await list(head, '?unread=1')).items[0];
  assert.match(unit.text, /được giao đơn vị đồng chí phối hợp xử lý/);

  // opening the document reads its notifications (doc_mark_seen)
  assert.equal((await specialist.get(`/api/v1/documents/${id}`)).status, 200);
  assert.equal(await count(specialist), specBefore);
  const read = (await list(specialist)).items.find((n) => n.id === lead.id);
  assert.equal(read.read, true);
  assert.match(read.read_at, /^\d{4}-\d\d-\d\dT/);

  // the lead completes: the director who assigned it is told
  await step(specialist, id, 'accept', {});
  await step(specialist, id, 'complete', { note: 'Đã xử lý xong' });
  const done = (await list(leader, '?unread=1')).items[0];
  assert.deepEqual([done.kind, done.document_id], ['completed', id]);
});

test('another person\'s notification is 404, like one that does not exist, and stays unread', async () => {
  const mine = (await list(province, '?unread=1')).items[0];
  assert.ok(mine, 'the province clerk has an unread notification');
  const missing = one('SELECT COALESCE(MAX(id), 0) + 1000 FROM notification');
  for (const c of [specialist, ward, clerk]) {
    const theirs = await c.post('/api/v1/notifications/read', { json: { ids: [mine.id] } });
    const none = await c.post('/api/v1/notifications/read', { json: { ids: [missing] } });
    assert.equal(theirs.status, 404);
    assert.equal(none.status, 404);
    assert.equal(theirs.json.title, none.json.title);
    assert.equal(theirs.json.detail, none.json.detail);
    // one foreign id among one's own: nothing at all is marked
    const own = (await list(c, '?unread=1')).items.map((n) => n.id).slice(0, 1);
    if (own.length) {
      const mixed = await c.post('/api/v1/notifications/read', { json: { ids: [...own, mine.id] } });
      assert.equal(mixed.status, 404);
      assert.equal(one(`SELECT COUNT(*) FROM notification WHERE id = ${own[0]} AND read_at IS NULL`), 1);
    }
  }
  assert.equal(one(`SELECT COUNT(*) FROM notification WHERE id = ${mine.id} AND read_at IS NULL`), 1);
  // nobody lists another person's rows
  for (const c of [specialist, ward, clerk])
    assert.equal((await list(c, '?limit=100')).items.some((n) => n.id === mine.id), false);
  // the owner marks it
  const r = await province.post('/api/v1/notifications/read', { json: { ids: [mine.id] } });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/notifications/read', r);
  assert.equal(r.json.marked, 1);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'notify_read' AND actor_id = ${ids[PROVINCE_CLERK]}`), 1);
});

test('bad input is a precise error and changes nothing', async () => {
  const unread = await count(clerk);
  for (const [json, field] of [
    [{}, 'ids'], [{ ids: [] }, 'ids'], [{ ids: ['1'] }, 'ids'], [{ ids: [0] }, 'ids'],
    [{ ids: Array.from({ length: 101 }, (_, i) => i + 1) }, 'ids'], [{ all: 'yes' }, 'all'],
    [{ ids: [1], all: true }, 'all'], [{ all: true, upto: -5 }, 'upto'], [{ ids: [1], upto: 5 }, 'upto'],
  ]) {
    const r = await clerk.post('/api/v1/notifications/read', { json });
    assert.equal(r.status, 422, JSON.stringify(json));
    assert.ok(r.json.errors[field], `${JSON.stringify(json)}: ${r.text}`);
  }
  for (const q of ['?limit=0', '?limit=101', '?limit=x', '?before=-1', '?unread=maybe'])
    assert.equal((await clerk.get(`/api/v1/notifications${q}`)).status, 400, q);
  assert.equal(await count(clerk), unread);
});

test('a member the route does not take is 422 errors.body and marks nothing (additionalProperties: false)', async () => {
  const agency = one(`SELECT agency_id FROM membership WHERE user_id = ${ids[CLERK]}`);
  srv.db(`INSERT INTO notification (user_id, agency_id, kind, document_id, body, created_at) ` +
    `VALUES (${ids[CLERK]}, ${agency}, 'due_soon', NULL, 'Nhắc hạn thử thành viên lạ', 1700000000)`);
  const mine = one(`SELECT MAX(id) FROM notification WHERE user_id = ${ids[CLERK]} AND read_at IS NULL`);
  const unread = await count(clerk);
  assert.ok(unread > 0);
  for (const [json, name] of [
    [{ ids: [mine], mark: true }, 'mark'], [{ all: true, upto: 2000000000, unread: false }, 'unread'],
    [{ all: true, constructor: 1 }, 'constructor'], [{ Ids: [mine] }, 'Ids'],
  ]) {
    const r = await clerk.post('/api/v1/notifications/read', { json });
    assert.equal(r.status, 422, `${JSON.stringify(json)}: ${r.text}`);
    assert.match(r.json.errors.body, new RegExp(`“${name}” không dùng ở đây`), r.text);
  }
  assert.equal(await count(clerk), unread);
  assert.equal(one(`SELECT COUNT(*) FROM notification WHERE id = ${mine} AND read_at IS NULL`), 1);
  // the same body without the stray member is taken
  const r = await clerk.post('/api/v1/notifications/read', { json: { ids: [mine] } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.marked, 1);
});

test('keyset paging returns every notification once, newest first; counts and mark all', async () => {
  const agency = one(`SELECT agency_id FROM membership WHERE user_id = ${ids[HEAD]}`);
  srv.db(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1205) ` +
    `INSERT INTO notification (user_id, agency_id, kind, document_id, body, created_at) ` +
    `SELECT ${ids[HEAD]}, ${agency}, 'due_soon', NULL, 'Nhắc hạn thử ' || i, 1700000000 + i FROM k`);
  const total = one(`SELECT COUNT(*) FROM notification WHERE user_id = ${ids[HEAD]}`);
  const unread = one(`SELECT COUNT(*) FROM notification WHERE user_id = ${ids[HEAD]} AND read_at IS NULL`);
  assert.ok(unread > 1000);
  // the bell's count stops at 1000
  const c = await head.get('/api/v1/notifications/count');
  assert.deepEqual(c.json, { unread: 1000, capped: true });

  const seen = [];
  let cursor = '', pages = 0;
  for (;;) {
    const page = await list(head, `?limit=100${cursor}`);
    pages++;
    seen.push(...page.items.map((n) => n.id));
    if (page.next_before === null) break;
    assert.equal(page.items.length, 100);
    assert.equal(page.next_before, page.items[99].id);
    cursor = `&before=${page.next_before}`;
  }
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
  assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
  assert.equal(pages, Math.ceil(total / 100));

  // mark all up to a time: the ones after it stay unread
  const upto = 1700000000 + 1200;
  const r = await head.post('/api/v1/notifications/read', { json: { all: true, upto } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.marked, 1200);
  const left = one(`SELECT COUNT(*) FROM notification WHERE user_id = ${ids[HEAD]} AND read_at IS NULL`);
  assert.equal(left, unread - 1200);
  assert.equal(r.json.unread, left);
  const only = await list(head, '?unread=1&limit=100');
  assert.equal(only.items.length, left);
  assert.ok(only.items.every((n) => !n.read));
});

test('the page: the bell\'s count in the header, the list, opening a document reads it, mark all', async () => {
  const web = new Client(srv);
  assert.equal((await web.webLogin(SPECIALIST)).status, 303);
  const unread = await count(specialist);
  const home = await web.get('/');
  const bell = /<a class="bell[^"]*" href="\/notifications"[^>]*aria-label="([^"]+)"/.exec(home.text);
  assert.ok(bell, 'the bell is in the header');
  assert.equal(bell[1], unread ? `Thông báo: ${unread} chưa đọc` : 'Thông báo');
  const id = await registerDoc('Về việc thử thông báo trên trang');
  await step(clerk, id, 'present', { leader_id: ids[LEADER] });
  await step(leader, id, 'assign', { lead: { user_id: ids[SPECIALIST] }, working_days: 2 });
  let page = await web.get('/notifications?unread=1');
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`href="/documents/${id}"`));
  assert.ok(page.text.includes('Đánh dấu tất cả đã đọc'));
  assert.ok(page.text.includes(`<span class="bell-count" aria-hidden="true">${unread + 1}</span>`));
  // opening the document from the link
  assert.equal((await web.get(`/documents/${id}`)).status, 200);
  assert.equal(await count(specialist), unread);
  // mark all through the form
  page = await web.get('/notifications');
  const csrf = web.csrfFrom(page.text);
  assert.ok(await count(specialist) > 0, 'the demo left the specialist unread ones');
  const upto = /name="upto" value="(\d+)"/.exec(page.text);
  assert.ok(upto, 'the mark-all form is offered');
  const r = await web.post('/notifications/read', { form: { _csrf: csrf, upto: upto[1], filter: '0' } });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/notifications');
  assert.equal(await count(specialist), 0);
  page = await web.get('/notifications');
  assert.ok(!page.text.includes('class="bell-count"'));
  assert.ok(page.text.includes('Đã đánh dấu đã đọc'));
  // without the CSRF token nothing is marked
  assert.equal((await web.post('/notifications/read', { form: { upto: '1' } })).status, 403);
});
