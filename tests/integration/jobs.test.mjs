// The job queue through the real server (issue #8): `qlvb serve` runs the periodic
// sweeps on its worker threads — an expired signing draft and its stored file go, ended
// sessions go — and system administrators (only they) see the queue, dead jobs with
// their last error, and retry them, on /admin/jobs and /api/v1/jobs. Drafts live in the
// blob store, survive kill -9 once acknowledged, and drafts from before migration 0003
// stay readable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Server, Client, SYSADMIN, ADMIN_SKHCN, makePdf, qlvb, PG, ROOT } from './harness.mjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const LEADER = '040090000142';
const SPECIALIST = '040090000145';
let srv, sys;

const PDF = makePdf([[70, 770, 12, 'CONG VAN'], [360, 200, 12, 'Bui Van Long']]);

// Seconds instead of hours: drafts live 1 s, sweeps run every second, files without a
// row are kept 1 s.
before(async () => {
  srv = await new Server([], {
    QLVB_SIGN_DRAFT_TTL: '1', QLVB_SWEEP_INTERVAL: '1', QLVB_JOB_TICK: '1', QLVB_BLOB_GRACE: '1',
  }).start();
  sys = new Client(srv);
  assert.equal((await sys.apiLogin(SYSADMIN)).status, 200);
});

after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
  assert.match(srv.log, /job workers stopped/); // joined before the database closed
  srv.cleanup();
});

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${srv.log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function blobPath(hash) {
  return join(srv.dir, 'blobs', hash.slice(0, 2), hash);
}

async function uploadDraft(client) {
  const page = await client.get('/signatures/sign');
  assert.equal(page.status, 200);
  const csrf = client.csrfFrom(page.text);
  const fd = new FormData();
  fd.append('_csrf', csrf);
  fd.append('file', new Blob([PDF], { type: 'application/pdf' }), 'Công văn.pdf');
  const res = await fetch(client.s.url('/signatures/sign'), {
    method: 'POST', body: fd, redirect: 'manual', headers: { Cookie: client.cookieHeader() },
  });
  assert.equal(res.status, 303);
  return res.headers.get('location');
}

test('an expired signing draft and its stored file are swept through the queue', async () => {
  const web = new Client(srv);
  await web.webLogin(LEADER);
  const loc = await uploadDraft(web);
  const id = loc.split('/').pop();
  const hash = srv.db(`SELECT pdf_hash FROM sign_draft WHERE public_id = '${id}'`).trim();
  assert.match(hash, /^[0-9a-f]{64}$/);
  // the upload lives in the blob store under its SHA-256, not in the database
  assert.deepEqual(readFileSync(blobPath(hash)), Buffer.from(PDF));
  assert.equal(srv.db(`SELECT CASE WHEN pdf IS NULL THEN 1 ELSE 0 END FROM sign_draft WHERE public_id = '${id}'`).trim(), '1');

  await until('the draft row to be swept', () =>
    srv.db(`SELECT COUNT(*) FROM sign_draft WHERE public_id = '${id}'`).trim() === '0');
  await until('the file to be swept', () => !existsSync(blobPath(hash)));
  assert.equal(srv.db(`SELECT COUNT(*) FROM blob WHERE hash = '${hash}'`).trim(), '0');
  assert.equal((await web.get(loc)).status, 404);

  const done = await until('the sweeps to be listed', async () => {
    const r = await sys.get('/api/v1/jobs?state=done&limit=500');
    assert.equal(r.status, 200);
    const jobs = r.json.jobs;
    const d = jobs.find((j) => j.kind === 'sign_draft.sweep' && /Đã xóa 1 bản nháp/.test(j.result));
    const b = jobs.find((j) => j.kind === 'blob.sweep' && /Đã xóa 1 tệp/.test(j.result));
    return d && b && { d, b };
  });
  assert.match(done.d.finished_at, /\+07:00$/);
  assert.equal(done.d.state, 'done');
});

test('ended and expired sessions are swept through the queue', async () => {
  const a = new Client(srv);
  assert.equal((await a.apiLogin(SPECIALIST)).status, 200);
  const b = new Client(srv);
  assert.equal((await b.apiLogin(LEADER)).status, 200);
  const count = () => Number(srv.db('SELECT COUNT(*) FROM session').trim());
  const before = count();
  assert.equal((await a.post('/api/v1/logout')).status, 204);
  // b's session runs past its absolute expiry
  srv.db(`UPDATE session SET expires_at = 1 WHERE id = (SELECT MAX(id) FROM session)`);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  await until('ended sessions to be deleted', () => count() <= before - 2);
  assert.equal((await sys.get('/api/v1/me')).status, 200); // a live session stays
  // The sweep's delete commits before its job is marked done (a second transaction):
  // wait for the done row too, not only for the sessions to go.
  await until('the sweep job to be done', async () => {
    const r = await sys.get('/api/v1/jobs?state=done&limit=500');
    return r.json.jobs.some((j) => j.kind === 'session.sweep' && /Đã xóa [1-9]\d* phiên/.test(j.result));
  });
});

test('system administrators see dead jobs with their last error and retry them', async () => {
  // A job of a kind this node has no handler for (say, written by a newer node): it
  // fails on its only attempt and stays dead with the reason.
  srv.db(`INSERT INTO job (kind, payload, run_at, max_attempts, created_at)
          VALUES ('exchange.send', '{}', 0, 1, ${Math.floor(Date.now() / 1000)})`);
  const dead = await until('the job to die', async () => {
    const r = await sys.get('/api/v1/jobs?state=dead');
    assert.equal(r.status, 200);
    return r.json.jobs.find((j) => j.kind === 'exchange.send');
  });
  assert.equal(dead.attempts, 1);
  assert.match(dead.last_error, /Không có bộ xử lý cho loại việc 'exchange\.send'/);
  assert.match(dead.finished_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  const overview = await sys.get('/api/v1/jobs');
  assert.ok(overview.json.counts.dead >= 1);
  assert.ok(overview.json.counts.done >= 1);
  assert.equal((await sys.get('/api/v1/jobs?state=nonsense')).status, 400);

  // the page, in Vietnamese, with Vietnam time, a menu entry and a retry button
  const web = new Client(srv);
  await web.webLogin(SYSADMIN);
  const page = await web.get('/admin/jobs');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Việc nền<\/h1>/);
  assert.match(page.text, /Không có bộ xử lý cho loại việc &#39;exchange.send&#39;/);
  assert.match(page.text, /Kết thúc \d\d:\d\d ngày \d\d\/\d\d\/\d{4}/);
  assert.match(page.text, /href="\/admin\/jobs" aria-current="page">Việc nền<\/a>/);
  const csrf = web.csrfFrom(page.text);
  const retried = await web.post(`/admin/jobs/${dead.id}/retry`, { form: { _csrf: csrf } });
  assert.equal(retried.status, 303);
  assert.match(srv.db("SELECT summary FROM audit_log WHERE action = 'job_retry'"), new RegExp(`#${dead.id}`));
  const after = await web.get(retried.headers.get('location'));
  assert.match(after.text, /Đã đưa việc trở lại hàng đợi/);
  // it ran again (and failed again: still no handler)
  await until('the retried job to die again', async () =>
    srv.db(`SELECT state || attempts || CASE WHEN finished_at > 0 THEN 1 ELSE 0 END FROM job WHERE id = ${dead.id}`).trim() === 'dead11');
  assert.equal((await sys.post(`/api/v1/jobs/${dead.id}/retry`)).status, 204);
  assert.equal((await sys.post('/api/v1/jobs/999999/retry')).status, 404);
});

test('the queue is not shown to anyone else', async () => {
  const admin = new Client(srv); // an agency administrator, not a system administrator
  assert.equal((await admin.apiLogin(ADMIN_SKHCN)).status, 200);
  assert.equal((await admin.get('/api/v1/jobs')).status, 403);
  assert.equal((await admin.post('/api/v1/jobs/1/retry')).status, 403);
  const web = new Client(srv);
  await web.webLogin(ADMIN_SKHCN);
  const home = await web.get('/');
  assert.equal(home.status, 200);
  assert.doesNotMatch(home.text, /href="\/admin\/jobs"/);
  assert.equal((await web.get('/admin/jobs')).status, 403);
  const anon = new Client(srv);
  assert.equal((await anon.get('/api/v1/jobs')).status, 401);
  const sysHome = new Client(srv);
  await sysHome.webLogin(SYSADMIN);
  assert.match((await sysHome.get('/')).text, /href="\/admin\/jobs"/);
});

test('an acknowledged draft survives kill -9 of the server', async () => {
  const s2 = await new Server().start();
  try {
    const web = new Client(s2);
    await web.webLogin(LEADER);
    const loc = await uploadDraft(web);
    await s2.stop('SIGKILL');
    await s2.launch();
    const page = await fetch(s2.url(loc), { headers: { Cookie: web.cookieHeader() } });
    assert.equal(page.status, 200);
    const png = await fetch(s2.url(loc + '/pages/1'), { headers: { Cookie: web.cookieHeader() } });
    assert.equal(png.headers.get('content-type'), 'image/png');
  } finally {
    await s2.stop();
    s2.cleanup();
  }
});

// Installations of schema version 2 exist only on SQLite (PostgreSQL support came later).
test('migration 0003 keeps drafts stored in the database before it, readable', { skip: PG ? 'SQLite-only upgrade path' : false }, async () => {
  // A data directory as schema version 2 left it (0003 and later undone): the draft's PDF
  // in sign_draft.pdf.
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-it-'));
  qlvb(['init', '--data', dir, '--demo']);
  const s3 = new Server();
  s3.dir = dir;
  const hex = Buffer.from(PDF).toString('hex');
  const id = 'a'.repeat(32);
  // Undo every later migration generically: keep only the tables and indexes that
  // migrations 0001 and 0002 create (read from their files), drop everything else, so a
  // new migration never needs an edit here.
  const v2 = new Set();
  for (const f of readdirSync(join(ROOT, 'db', 'migrations')).filter((n) => /^000[12]_.*\.sql$/.test(n) && !n.includes('.postgres.'))) {
    for (const m of readFileSync(join(ROOT, 'db', 'migrations', f), 'utf8').matchAll(/CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)/gi)) v2.add(m[1]);
  }
  const later = s3.db("SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'")
    .split('\n').map((l) => l.trim().split(' ')).filter(([, n]) => n && !v2.has(n) && n !== 'schema_version');
  assert.ok(later.some(([, n]) => n === 'blob'), 'later migrations found');
  const drops = [...later.filter(([t]) => t === 'index'), ...later.filter(([t]) => t === 'table')]
    .map(([t, n]) => `DROP ${t.toUpperCase()} IF EXISTS ${n};`).join(' ');
  s3.db(`${drops} DROP TABLE sign_draft;
    DELETE FROM schema_version WHERE version >= 3;
    CREATE TABLE sign_draft (id INTEGER PRIMARY KEY, public_id TEXT NOT NULL UNIQUE,
      user_id BIGINT NOT NULL REFERENCES app_user(id), agency_id BIGINT REFERENCES agency(id),
      kind TEXT NOT NULL CHECK (kind IN ('upload', 'prepared')), file_name TEXT NOT NULL,
      pdf BLOB NOT NULL, meta TEXT NOT NULL DEFAULT '{}', created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL);
    INSERT INTO sign_draft (public_id, user_id, agency_id, kind, file_name, pdf, created_at, expires_at)
      SELECT '${id}', u.id, m.agency_id, 'upload', 'cu.pdf', X'${hex}', 0, 4102444800
      FROM app_user u JOIN membership m ON m.user_id = u.id WHERE u.login = '${LEADER}';`);
  await s3.launch();
  try {
    assert.equal(s3.db('SELECT COUNT(*) FROM schema_version WHERE version = 3').trim(), '1');
    assert.equal(s3.db(`SELECT pdf_hash IS NULL, length(pdf) FROM sign_draft WHERE public_id = '${id}'`).trim(),
      `1|${PDF.length}`);
    const web = new Client(s3);
    await web.webLogin(LEADER);
    const page = await web.get(`/signatures/sign/${id}`);
    assert.equal(page.status, 200);
    // and a new upload goes to the blob store
    const loc = await uploadDraft(web);
    const hash = s3.db(`SELECT pdf_hash FROM sign_draft WHERE public_id = '${loc.split('/').pop()}'`).trim();
    assert.ok(existsSync(join(dir, 'blobs', hash.slice(0, 2), hash)));
  } finally {
    await s3.stop();
    s3.cleanup();
  }
});
