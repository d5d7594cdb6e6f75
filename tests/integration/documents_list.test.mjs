// Views (issue 11): the per-user boxes, filters, folded search, the home page's counts and
// the leaders' tracking through GET /api/v1/documents, /documents/counts and
// /documents/tracking. Documents are registered through the API, their participants
// (doc_participant, migration 0009) written with SQL as the workflow would. Every
// expectation is a fixed list of the documents made here, so the SQLite run and the
// PostgreSQL run (tests/pg-env.mjs) are held to the same results; another agency's
// documents never appear. Search folds case and Vietnamese diacritics (standards.md §11,
// TCVN 6909: NFD input equals NFC); urgent documents come first (standards.md §3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, makePdf, ENGINE } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';
const LEADER = '040090000142';
const HEAD = '040090000144';
const SPECIALIST = '040090000145';
const CLERK_TRUONGVINH = '040090000302';

let srv, spec, clerk, leader, head, specialist, outsider;
const ids = {};        // name -> document id
const users = {};      // login -> {id, dept}
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql, server = srv) => server.db(sql).trim();
const vnDate = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
const ago = (hours) => new Date(Date.now() - hours * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

// The documents of Sở KH&CN, received at distinct times, two at the same second (ties on
// the sort key); one subject decomposed (NFD), found with precomposed input and without
// accents. A time outside working hours counts from the next working period (§4), so
// the hours below may fall together (a weekend) or after today (a Saturday): the tests
// read each document's day back, and hoatoc, three weeks earlier, is on an earlier day
// than the others whenever the tests run.
// Computed once: the second servers below get the same times, so the same days.
let docsOnce = null;
const DOCS = () => (docsOnce ??= [
  ['quyetdinh', { number: '12', symbol: 'QĐ-UBND', doc_type: 'quyet_dinh', subject: 'Quyết định phê duyệt kế hoạch chuyển đổi số tỉnh Đắk Lắk', received_at: ago(50) }],
  ['hoatoc', { number: '7', subject: 'Công văn hỏa tốc về phòng chống bão', urgency: 'hoa_toc', received_at: ago(21 * 24) }],
  ['nfd', { number: '8', subject: 'Về việc tổ chức hội nghị định kỳ'.normalize('NFD'), received_at: ago(40) }],
  ['khan1', { number: '9', subject: 'Báo cáo tình hình thực hiện nhiệm vụ', urgency: 'khan', received_at: ago(30) }],
  ['khan2', { number: '10', subject: 'Báo cáo kết quả kiểm tra', urgency: 'khan', received_at: ago(30) }],
  ['cu', { number: '11', subject: 'Giấy mời dự hội nghị tổng kết', issuer_code: '000.00.05.H41', issuer_name: 'Sở Tài chính', received_at: ago(20) }],
  ['moi', { number: '13', subject: 'Thông báo lịch tiếp công dân', received_at: ago(10) }],
]);

async function register(c, name, over, into = ids) {
  const regs = await c.get('/api/v1/registers?kind=incoming');
  const meta = {
    register_id: regs.json.registers[0].id, issuer_code: '000.00.02.H41', issuer_name: 'Sở Nội vụ',
    number: '1', symbol: 'SNV-VP', issued_date: vnDate(-40), doc_type: 'cong_van',
    subject: 'Về việc báo cáo', urgency: 'thuong', ...over,
  };
  const fd = new FormData();
  fd.append('metadata', JSON.stringify(meta));
  fd.append('main', new Blob([makePdf([[72, 760, 14, name]])], { type: 'application/pdf' }), `${name}.pdf`);
  const r = await c.req('POST', '/api/v1/documents/incoming', { body: fd });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  into[name] = r.json.id;
}

// A doc_participant row as the workflow writes it (on `server`, documents named in `map`).
function part(doc, { user = null, dept = null, role, status = 'pending', active = 1, seen = null, done = null }, server = srv, map = ids) {
  const now = Math.floor(Date.now() / 1000);
  server.db(`INSERT INTO doc_participant (document_id, history_step, role, user_id, department_id, status, active, seen_at, created_at, done_at)
    VALUES (${map[doc]}, 1, '${role}', ${user ?? 'NULL'}, ${dept ?? 'NULL'}, '${status}', ${active}, ${seen ?? 'NULL'}, ${now - 120}, ${done ?? (status === 'done' ? now - 60 : 'NULL')})`);
}

// The rows and states the tests below start from, on `server` with the documents of `map`.
function seedRows(server, map) {
  const p = (doc, o) => part(doc, o, server, map);
  const S = users[SPECIALIST], H = users[HEAD], L = users[LEADER];
  p('quyetdinh', { user: L.id, role: 'leader', status: 'done', active: 0 });
  p('quyetdinh', { user: S.id, dept: S.dept, role: 'lead' });                  // to process
  p('hoatoc', { dept: H.dept, role: 'lead' });                                 // the unit: its leader
  p('nfd', { user: S.id, dept: S.dept, role: 'for_info' });                    // for information, unseen
  p('khan1', { user: S.id, dept: S.dept, role: 'lead', status: 'in_progress' });
  p('khan2', { user: S.id, dept: S.dept, role: 'co_handler', status: 'done', active: 0 });
  p('cu', { user: L.id, role: 'leader' });                                     // presented to the leader
  p('moi', { user: S.id, dept: S.dept, role: 'for_info', seen: 1 });           // seen
  server.db(`UPDATE document SET state = 'in_progress' WHERE id IN (${map.quyetdinh}, ${map.hoatoc}, ${map.khan1})`);
  server.db(`UPDATE document SET state = 'presented' WHERE id IN (${map.cu}, ${map.khan2})`);
  server.db(`UPDATE document SET deadline = '${vnDate(-1)}' WHERE id = ${map.khan1}`);     // overdue
  server.db(`UPDATE document SET deadline = '${vnDate(1)}' WHERE id = ${map.quyetdinh}`);  // due soon
  server.db(`UPDATE document SET deadline = '${vnDate(-3)}' WHERE id = ${map.hoatoc}`);    // overdue (unit)
}

const names = (json) => json.documents.map((d) => Object.keys(ids).find((k) => ids[k] === d.id) ?? `other:${d.id}`);
const mine = (json) => names(json).filter((n) => !n.startsWith('other:'));

async function list(c, query) {
  const r = await c.get(`/api/v1/documents?${query}`);
  assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.json)}`);
  documented('GET', '/api/v1/documents', r);
  return r.json;
}

// The demo's own workflow (documents presented, assigned, in progress) and its
// deliveries waiting as `arrived` would stand in every box: taken back to plain
// registered documents first, since the boxes below are made of hand-made rows; and
// their search words go (indexed or still pending), since their subjects share words with the ones below.
// The server's start-up jobs come first: doc.search_backfill writes the words of every
// document without any, so, run after the reset (a slow machine), it would put the
// demo's words back; the index job would too. (They may hold the SQLite write lock for
// a moment: retried.)
async function resetDemo(server) {
  for (let i = 0; ; i++) {
    const due = Number(one(`SELECT COUNT(*) FROM job WHERE kind IN ('doc.search_backfill', 'doc.search_index') AND ` +
      `(state = 'running' OR (state = 'pending' AND run_at <= ${Math.floor(Date.now() / 1000)}))`, server));
    if (!due) break;
    if (i === 300) throw new Error('the start-up search jobs did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let i = 0; ; i++) {
    try {
      server.db("DELETE FROM doc_participant; UPDATE document SET state = 'registered', deadline = NULL, completed_at = NULL WHERE direction = 'incoming' AND state <> 'arrived'; " +
        "UPDATE document SET state = 'refused' WHERE state = 'arrived'; DELETE FROM doc_search_token; DELETE FROM doc_search_pending");
      return;
    } catch (e) {
      if (i === 50 || !/locked|busy/.test(String(e.message))) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

before(async () => {
  srv = await new Server().start();
  await resetDemo(srv);
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [clerk, leader, head, specialist, outsider] = await Promise.all(
    [CLERK, LEADER, HEAD, SPECIALIST, CLERK_TRUONGVINH].map(async (login) => {
      const c = new Client(srv);
      assert.equal((await c.apiLogin(login)).status, 200, login);
      return c;
    }));
  for (const login of [LEADER, HEAD, SPECIALIST]) {
    const [id, dept] = one(`SELECT u.id, COALESCE(m.department_id, 0) FROM app_user u JOIN membership m ON m.user_id = u.id WHERE u.login = '${login}'`).split('|').map(Number);
    users[login] = { id, dept };
  }
  for (const [name, over] of DOCS()) await register(clerk, name, over);
  // Another agency, same words: never listed for Sở KH&CN.
  await register(outsider, 'ngoai', { number: '12', symbol: 'QĐ-UBND', subject: 'Quyết định phê duyệt kế hoạch tỉnh Đắk Lắk', urgency: 'hoa_toc', received_at: ago(5) });

  seedRows(srv, ids);
});
after(async () => { await srv.stop(); srv.cleanup(); });

test(`boxes per role (${ENGINE})`, async () => {
  // The specialist: only what they are on; urgent first, then newest received.
  assert.deepEqual(mine(await list(specialist, 'box=all')), ['khan2', 'khan1', 'moi', 'nfd', 'quyetdinh']);
  assert.deepEqual(names(await list(specialist, 'box=to_process')), ['quyetdinh']);
  assert.deepEqual(names(await list(specialist, 'box=in_progress')), ['khan1']);
  assert.deepEqual(names(await list(specialist, 'box=done')), ['khan2']);
  assert.deepEqual(names(await list(specialist, 'box=for_info')), ['moi', 'nfd']);
  assert.deepEqual(names(await list(specialist, 'box=overdue')), ['khan1']);
  assert.deepEqual(names(await list(specialist, 'box=due_soon')), ['quyetdinh']);
  // The department head acts for the unit's row.
  assert.deepEqual(names(await list(head, 'box=to_process')), ['hoatoc']);
  assert.deepEqual(names(await list(head, 'box=overdue')), ['hoatoc']);
  assert.ok(!names(await list(head, 'box=all')).includes('quyetdinh'));
  // The agency leader: what was presented to them; overdue over the whole agency.
  assert.deepEqual(names(await list(leader, 'box=to_process')), ['cu']);
  assert.deepEqual(names(await list(leader, 'box=overdue')), ['hoatoc', 'khan1']);
  assert.deepEqual(names(await list(leader, 'box=done')), ['quyetdinh']);
  // The clerk: every document; to process = registered and not yet presented.
  const all = await list(clerk, 'box=all&limit=100');
  assert.deepEqual(mine(all).slice(0, 3), ['hoatoc', 'khan2', 'khan1']);
  assert.ok(all.documents.every((d) => d.agency_id === undefined || d.agency_id === all.documents[0].agency_id));
  assert.deepEqual(mine(await list(clerk, 'box=to_process&limit=100')).filter((n) => ['nfd', 'moi', 'cu', 'khan2'].includes(n)), ['moi', 'nfd']);
  const flagged = (await list(clerk, 'box=all&limit=100')).documents.find((d) => d.id === ids.hoatoc);
  assert.equal(flagged.urgent, true);
  assert.equal(flagged.overdue, true);
});

test(`search folds case, diacritics and NFD; prefix on the last word (${ENGINE})`, async () => {
  const q = async (c, text) => names(await list(c, `q=${encodeURIComponent(text)}&limit=100`));
  assert.deepEqual(await q(clerk, 'dinh'), ['nfd', 'quyetdinh']);               // định, Quyết định
  assert.deepEqual(await q(clerk, 'Dak Lak'), ['quyetdinh']);                  // Đắk Lắk
  assert.deepEqual(await q(clerk, 'ĐẮK LẮK'), ['quyetdinh']);
  assert.deepEqual(await q(clerk, '12/QĐ'), ['quyetdinh']);                    // number 12, symbol QĐ-UBND
  assert.deepEqual(await q(clerk, 'hội nghị'.normalize('NFD')), ['cu', 'nfd']);
  assert.deepEqual(await q(clerk, 'hoi ngh'), ['cu', 'nfd']);                  // prefix of the last word
  assert.deepEqual(await q(clerk, 'bao cao'), ['khan2', 'khan1']);
  assert.deepEqual(await q(clerk, 'khong co tu nay'), []);
  assert.deepEqual(await q(specialist, 'dinh'), ['nfd', 'quyetdinh']);
  assert.deepEqual(await q(head, 'dinh'), []);                                 // not on them
  // The other agency's clerk finds only their own.
  assert.deepEqual(await q(outsider, 'Dak Lak'), ['ngoai']);
  // Filters together with the search.
  assert.deepEqual(names(await list(clerk, 'q=bao%20cao&urgency=khan&box=all')), ['khan2', 'khan1']);
  assert.deepEqual(names(await list(clerk, 'q=hoi&issuer=t%C3%A0i%20ch%C3%ADnh')), ['cu']);
  assert.deepEqual(names(await list(clerk, 'q=hoi&issuer=000.00.05.H41')), ['cu']);
  assert.deepEqual(names(await list(clerk, 'q=quyet&doc_type=quyet_dinh')), ['quyetdinh']);
  // khan1/khan2 arrived 30 hours ago, moi 10 hours ago, hoatoc ("bão") three weeks ago;
  // received_at is when each counts as received by the working calendar (§4: outside
  // working hours, the next working period, which may be after today), so the days come
  // from the documents themselves.
  const day = async (name) => (await clerk.get(`/api/v1/documents/${ids[name]}`)).json.received_at.slice(0, 10);
  const [hoatocDay, khanDay, moiDay] = [await day('hoatoc'), await day('khan1'), await day('moi')];
  assert.ok(hoatocDay < khanDay && khanDay <= moiDay, `${hoatocDay} before ${khanDay}, ${moiDay}`);
  assert.deepEqual(names(await list(clerk, `q=bao&received_from=${khanDay}&received_to=${moiDay}`)), ['khan2', 'khan1', 'moi']); // báo, Báo cáo
  assert.deepEqual(names(await list(clerk, `q=bao&received_to=${hoatocDay}`)), ['hoatoc']);
  assert.deepEqual(names(await list(clerk, 'q=dinh&state=in_progress')), ['quyetdinh']);
  assert.deepEqual(names(await list(leader, `handler=${users[SPECIALIST].id}`)), ['khan1', 'quyetdinh']);
});

test(`keyset paging: every document once, ties broken by id, a cursor per sort (${ENGINE})`, async () => {
  for (const sort of ['urgency', 'received', 'deadline']) {
    const whole = mine(await list(clerk, `sort=${sort}&limit=100`));
    const paged = [];
    let cursor = null;
    for (let i = 0; i < 50; i++) {
      const page = await list(clerk, `sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...names(page));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    assert.deepEqual(paged.filter((n) => !n.startsWith('other:')), whole, sort);
    assert.equal(new Set(paged).size, paged.length, sort);
  }
  const byDeadline = mine(await list(clerk, 'sort=deadline&limit=100'));
  assert.deepEqual(byDeadline.slice(0, 3), ['hoatoc', 'khan1', 'quyetdinh']);
  // khan1 and khan2: same urgency, same second; the higher id first.
  const w = mine(await list(clerk, 'limit=100'));
  assert.ok(w.indexOf('khan2') < w.indexOf('khan1'));
});

test(`bad parameters are 400 naming the parameter, nothing listed (${ENGINE})`, async () => {
  const bad = [['box', 'box=inbox'], ['sort', 'sort=name'], ['q', 'q=a'], ['q', 'q=%21%21'],
    ['q', `q=${'a '.repeat(9)}`], ['q', `q=${'x'.repeat(201)}`], ['cursor', 'cursor=abc'],
    ['cursor', 'sort=received&cursor=u.0.1.1'], ['doc_type', 'doc_type=thu_tinh'], ['state', 'state=lost'],
    ['received_from', 'received_from=2026-02-30'], ['received_to', 'received_to=yesterday'],
    ['handler', 'handler=-1'], ['handler', 'handler=x'], ['urgency', 'urgency=gap'], ['limit', 'limit=101']];
  for (const [field, query] of bad) {
    const r = await clerk.get(`/api/v1/documents?${query}`);
    assert.equal(r.status, 400, query);
    assert.ok(r.json.errors[field], `${query}: ${JSON.stringify(r.json)}`);
    documented('GET', '/api/v1/documents', r);
  }
});

test(`counts for the home page (${ENGINE})`, async () => {
  const c = async (client) => {
    const r = await client.get('/api/v1/documents/counts');
    assert.equal(r.status, 200);
    documented('GET', '/api/v1/documents/counts', r);
    return r.json;
  };
  assert.deepEqual(await c(specialist), { to_process: 1, in_progress: 1, done: 1, for_info: 1, overdue: 1, due_soon: 1 });
  assert.deepEqual(await c(head), { to_process: 1, in_progress: 0, done: 0, for_info: 0, overdue: 1, due_soon: 0 });
  const l = await c(leader);
  assert.deepEqual([l.to_process, l.overdue, l.due_soon, l.done], [1, 2, 1, 1]);
  const k = await c(clerk);
  const registered = Number(one(`SELECT COUNT(*) FROM document WHERE agency_id = (SELECT agency_id FROM document WHERE id = ${ids.cu}) AND state = 'registered'`));
  assert.equal(k.to_present, registered);
  assert.equal(k.to_register, 0);
  assert.equal(k.to_process, registered);
  assert.equal((await new Client(srv).get('/api/v1/documents/counts')).status, 401);
});

test(`tracking: agency leaders only, per department and person (${ENGINE})`, async () => {
  for (const c of [specialist, head, clerk, outsider]) {
    const r = await c.get('/api/v1/documents/tracking');
    assert.equal(r.status, 403);
    documented('GET', '/api/v1/documents/tracking', r);
  }
  const r = await leader.get(`/api/v1/documents/tracking?from=${vnDate(-7)}&to=${vnDate(0)}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  documented('GET', '/api/v1/documents/tracking', r);
  const S = users[SPECIALIST], H = users[HEAD];
  const person = r.json.people.find((p) => p.user_id === S.id);
  assert.deepEqual([person.in_progress, person.overdue, person.due_soon], [2, 1, 1]);
  const unit = r.json.departments.find((d) => d.department_id === H.dept);
  assert.ok(unit.in_progress >= 1 && unit.overdue >= 1);
  assert.equal(r.json.people.length + 0 >= 1, true);
  const bad = await leader.get('/api/v1/documents/tracking?from=2026-13-01');
  assert.equal(bad.status, 400);
  assert.ok(bad.json.errors.from);
  const long = await leader.get('/api/v1/documents/tracking?from=2024-01-01&to=2026-01-01');
  assert.equal(long.status, 400);
  assert.ok(long.json.errors.to);
});

// The same searches when every word counts as common (QLVB_DOC_SEARCH_CAP=0): the plans
// that walk the rarest word's postings or the list's order (docs/architecture.md) give
// the pages the rare-word plan gives, page by page.
test(`search plans agree: every word common (${ENGINE})`, async () => {
  const other = await new Server([], { QLVB_DOC_SEARCH_CAP: '0' }).start();
  try {
    await resetDemo(other);
    const c2 = new Client(other);
    assert.equal((await c2.apiLogin(CLERK)).status, 200);
    const ids2 = {};
    for (const [name, over] of DOCS()) await register(c2, name, over, ids2);
    const pages = async (c, map, query) => {
      const out = [];
      let cursor = null;
      for (let i = 0; i < 30; i++) {
        const r = await c.get(`/api/v1/documents?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, query);
        out.push(...r.json.documents.map((d) => Object.keys(map).find((k) => map[k] === d.id) ?? 'other'));
        cursor = r.json.next_cursor;
        if (!cursor) break;
      }
      return out;
    };
    for (const text of ['dinh', 'Dak Lak', '12/QĐ', 'hội nghị', 'bao cao', 'bao', 'hoi ngh'])
      for (const sort of ['urgency', 'received', 'deadline']) {
        const query = `q=${encodeURIComponent(text)}&sort=${sort}`;
        const want = await pages(clerk, ids, query);
        assert.ok(want.length > 0, query);
        assert.deepEqual(await pages(c2, ids2, query), want, query);
      }
  } finally {
    await other.stop();
    other.cleanup();
  }
});

// The box all of a member on many rows (QLVB_DOC_LIST_MANY=0: every member counts as on
// many) walks the list's order testing each entry against the set of their documents
// (docs/architecture.md, Documents: lists): the documents of every kind of row — their
// own in each role and status, their unit's for information, one they registered, one
// completed — and only those, in order, page by page; the other boxes as with few rows.
test(`box all and done of a member on many rows (${ENGINE})`, async () => {
  const other = await new Server([], { QLVB_DOC_LIST_MANY: '0' }).start();
  try {
    await resetDemo(other);
    const [k2, s2] = [new Client(other), new Client(other)];
    assert.equal((await k2.apiLogin(CLERK)).status, 200);
    assert.equal((await s2.apiLogin(SPECIALIST)).status, 200);
    const ids2 = {};
    for (const [name, over] of DOCS()) await register(k2, name, over, ids2);
    seedRows(other, ids2);
    const S = users[SPECIALIST];
    part('hoatoc', { dept: S.dept, role: 'for_info' }, other, ids2);           // the unit's, for information
    other.db(`UPDATE document SET created_by = ${S.id} WHERE id = ${ids2.cu}`);     // registered by them
    other.db(`UPDATE document SET state = 'completed' WHERE id = ${ids2.moi}`);     // done: a completed document
    const named = (json) => json.documents.map((d) => Object.keys(ids2).find((k) => ids2[k] === d.id) ?? `other:${d.id}`);
    const pages = async (query) => {
      const out = [];
      let cursor = null;
      for (let i = 0; i < 30; i++) {
        const r = await s2.get(`/api/v1/documents?${query}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(r.status, 200, query);
        out.push(...named(r.json));
        cursor = r.json.next_cursor;
        if (!cursor) break;
      }
      return out;
    };
    const box = async (b) => named((await s2.get(`/api/v1/documents?box=${b}&limit=100`)).json);
    const all = ['hoatoc', 'khan2', 'khan1', 'moi', 'cu', 'nfd', 'quyetdinh'];
    assert.deepEqual(await box('all'), all);
    assert.deepEqual(await pages('box=all'), all);
    assert.deepEqual(await box('done'), ['khan2', 'moi']);
    assert.deepEqual(await pages('box=done'), ['khan2', 'moi']);
    assert.deepEqual(await box('for_info'), ['hoatoc', 'moi', 'nfd']);
    assert.deepEqual(await box('to_process'), ['quyetdinh']);
    assert.deepEqual(await box('in_progress'), ['khan1']);
    // outgoing: the demo's drafts they wrote (created_by), none of the incoming above
    const drafted = other.db(`SELECT id FROM document WHERE direction = 'outgoing' AND agency_id = (SELECT agency_id FROM document WHERE id = ${ids2.cu}) AND created_by = ${S.id} ORDER BY urgency DESC, id DESC`)
      .trim().split('\n').filter(Boolean).map(Number);
    assert.deepEqual((await s2.get('/api/v1/documents?box=all&direction=outgoing&limit=100')).json.documents.map((d) => d.id), drafted);
  } finally {
    await other.stop();
    other.cleanup();
  }
});

// Tracking counts each lead row of the agency once: open ones (in progress, overdue, due
// soon), done in the period on time or late (after the end of the deadline's Vietnam
// day), a unit's rows in its department's line beside its people's; a withdrawn row, one
// done before the period, other roles and another agency's rows are not counted.
test(`tracking: every lead state, exact counts (${ENGINE})`, async () => {
  const S = users[SPECIALIST], H = users[HEAD];
  const now = Math.floor(Date.now() / 1000);
  const last = one('SELECT COALESCE(MAX(id), 0) FROM doc_participant');
  try {
    part('quyetdinh', { user: S.id, dept: S.dept, role: 'lead', status: 'done', active: 0 });  // on time (deadline tomorrow)
    part('khan1', { user: S.id, dept: S.dept, role: 'lead', status: 'done', active: 0 });      // late (deadline yesterday)
    part('hoatoc', { dept: H.dept, role: 'lead', status: 'done', active: 0 });                 // the unit's, late
    part('moi', { user: S.id, dept: S.dept, role: 'lead', status: 'withdrawn', active: 0 });
    part('cu', { user: S.id, dept: S.dept, role: 'lead', status: 'done', active: 0, done: now - 400 * 86400 });
    part('nfd', { user: S.id, dept: S.dept, role: 'co_handler', status: 'done', active: 0 });
    srv.db(`INSERT INTO doc_participant (document_id, history_step, role, user_id, department_id, status, active, created_at)
      VALUES (${ids.ngoai}, 1, 'lead', ${S.id}, ${S.dept}, 'in_progress', 1, ${now})`);
    const r = await leader.get(`/api/v1/documents/tracking?from=${vnDate(-30)}&to=${vnDate(0)}`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
    documented('GET', '/api/v1/documents/tracking', r);
    const [fullName, deptName] = one(`SELECT u.full_name, d.name FROM app_user u, department d WHERE u.id = ${S.id} AND d.id = ${S.dept}`).split('|');
    assert.equal(S.dept, H.dept);
    assert.deepEqual(r.json.people, [{
      user_id: S.id, full_name: fullName, department_id: S.dept, department_name: deptName,
      in_progress: 2, overdue: 1, due_soon: 1, completed_on_time: 1, completed_late: 1,
    }]);
    assert.deepEqual(r.json.departments, [{
      department_id: S.dept, department_name: deptName,
      in_progress: 3, overdue: 2, due_soon: 1, completed_on_time: 1, completed_late: 2,
    }]);
  } finally {
    srv.db(`DELETE FROM doc_participant WHERE id > ${last}`);
  }
});
