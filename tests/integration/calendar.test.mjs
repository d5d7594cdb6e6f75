// The working calendar through the real binary (issue 11 "Arrival time", standards.md
// §4): `qlvb calendar holidays|add` from the shell, with and without the installation's
// overrides; the /admin/calendar page and /api/v1/calendar for system administrators
// (CSRF, Vietnamese field errors, audit rows), read-only for other users, 403 for their
// writes and for the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import { Server, Client, SYSADMIN, ADMIN_SKHCN, BIN, qlvb, qlvbStatus } from './harness.mjs';

let srv, sys;

before(async () => {
  srv = await new Server().start();
  sys = new Client(srv);
  assert.equal((await sys.apiLogin(SYSADMIN)).status, 200);
});

after(async () => {
  const { code } = await srv.stop();
  assert.equal(code, 0);
  srv.cleanup();
});

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('qlvb calendar holidays lists the days off of a year with their names', () => {
  const r = run(['calendar', 'holidays', '2025']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(0, 10)), [
    '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01',
    '2025-02-03', '2025-04-07', '2025-04-30', '2025-05-01', '2025-09-01', '2025-09-02']);
  assert.match(r.stdout, /2025-01-29 {2}T4 {2}Tết Nguyên Đán \(mùng 1\)/);
  assert.match(r.stdout, /2025-04-07 {2}T2 {2}Giỗ Tổ Hùng Vương \(10\/3 âm lịch\)/);
  assert.match(r.stdout, /2025-02-03 {2}T2 {2}Nghỉ bù Tết Nguyên Đán \(mùng 4\)/);

  const j = run(['calendar', 'holidays', '2007', '--json']);
  assert.equal(j.code, 0);
  const data = JSON.parse(j.stdout);
  assert.equal(data.year, 2007);
  // Tết 2007 in Vietnam is 17 February (in China the 18th): the Vietnamese calendar
  const tet = data.holidays.find((h) => h.name === 'Tết Nguyên Đán (mùng 1)');
  assert.equal(tet.date, '2007-02-17');
  assert.equal(tet.kind, 'tet');
  assert.ok(data.holidays.some((h) => h.date === '2007-04-26' && h.kind === 'hung_kings'));
  assert.deepEqual(data.working_days, []);
});

test('qlvb calendar add counts working days across Tết', () => {
  assert.equal(qlvb(['calendar', 'add', '2025-01-24', '3']).trim(), '2025-02-05');
  assert.equal(qlvb(['calendar', 'add', '2025-02-05', '-3']).trim(), '2025-01-24');
  assert.equal(qlvb(['calendar', 'add', '2024-02-08', '1']).trim(), '2024-02-16');
});

test('usage errors exit 2 with a message on stderr', () => {
  for (const args of [
    ['calendar'], ['calendar', 'holidays'], ['calendar', 'holidays', '1899'],
    ['calendar', 'holidays', 'abc'], ['calendar', 'add', '2025-02-30', '1'],
    ['calendar', 'add', '2025-02-03'], ['calendar', 'add', '2025-02-03', 'x'],
    ['calendar', 'nope'], ['calendar', 'holidays', '2025', '--bogus'],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, `qlvb ${args.join(' ')}`);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.length > 0);
  }
  const h = run(['calendar', 'add', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /qlvb calendar holidays NĂM/);
});

test('a system administrator keeps the overrides on /admin/calendar; the CLI reads them', async () => {
  const web = new Client(srv);
  await web.webLogin(SYSADMIN);
  const home = await web.get('/');
  assert.match(home.text, /href="\/admin\/calendar"/);
  const page = await web.get('/admin/calendar?year=2024');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Lịch làm việc năm 2024<\/h1>/);
  assert.match(page.text, /Giỗ Tổ Hùng Vương \(10\/3 âm lịch\)/);
  assert.match(page.text, /<time datetime="2024-02-10">2024-02-10<\/time>/);
  assert.match(page.text, /aria-current="page">Lịch làm việc<\/a>/);
  const csrf = web.csrfFrom(page.text);

  // without the CSRF token nothing is written
  const noCsrf = await web.post('/admin/calendar/overrides',
    { form: { date: '2024-02-08', kind: 'day_off', note: 'x', year: '2024' } });
  assert.equal(noCsrf.status, 403);

  // field errors in Vietnamese, nothing written
  const bad = await web.post('/admin/calendar/overrides',
    { form: { _csrf: csrf, date: '2024-02-30', kind: 'holiday', note: '', year: '2024' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Ngày không hợp lệ/);
  assert.match(bad.text, /Chọn loại: ngày nghỉ hoán đổi hoặc ngày làm bù/);
  assert.match(bad.text, /aria-invalid="true" aria-describedby="note-error"/);
  const weekend = await web.post('/admin/calendar/overrides',
    { form: { _csrf: csrf, date: '2024-02-10', kind: 'day_off', note: 'Thứ Bảy', year: '2024' } });
  assert.equal(weekend.status, 422);
  assert.match(weekend.text, /Ngày này đã là ngày nghỉ/);
  assert.equal(srv.db('SELECT COUNT(*) FROM calendar_override').trim(), '0');

  // Tết 2024 as announced: off from Thursday 8/2, Thursday 15/2 worked
  const add = await web.post('/admin/calendar/overrides',
    { form: { _csrf: csrf, date: '2024-02-08', kind: 'day_off', note: 'Thông báo nghỉ Tết Giáp Thìn', year: '2024' } });
  assert.equal(add.status, 303);
  assert.equal(add.headers.get('location'), '/admin/calendar?year=2024');
  const add2 = await web.post('/admin/calendar/overrides',
    { form: { _csrf: csrf, date: '2024-02-15', kind: 'working_day', note: 'Làm việc bình thường', year: '2024' } });
  assert.equal(add2.status, 303);
  assert.match((await web.get(add2.headers.get('location'))).text, /Đã thêm ngày làm bù/);
  const dup = await web.post('/admin/calendar/overrides',
    { form: { _csrf: csrf, date: '2024-02-15', kind: 'day_off', note: 'lần hai', year: '2024' } });
  assert.equal(dup.status, 422); // the day is now a working day by override: already has one
  const after = await web.get('/admin/calendar?year=2024');
  assert.match(after.text, /Thông báo nghỉ Tết Giáp Thìn/);
  assert.match(after.text, /Ngày nghỉ hoán đổi/);
  assert.match(srv.db("SELECT summary FROM audit_log WHERE action = 'calendar_override_add' ORDER BY id"),
    /Ngày nghỉ hoán đổi 2024-02-08: Thông báo nghỉ Tết Giáp Thìn/);

  // the shell sees the installation's calendar with --data
  const r = qlvb(['calendar', 'holidays', '2024', '--data', srv.dir]);
  assert.match(r, /2024-02-08 {2}T5 {2}Ngày nghỉ hoán đổi/);
  assert.doesNotMatch(r, /2024-02-15 {2}T5 {2}Nghỉ bù/);
  assert.match(r, /2024-02-15 {2}T5 {2}Ngày làm bù/);
  assert.equal(qlvb(['calendar', 'add', '2024-02-07', '1', '--data', srv.dir]).trim(), '2024-02-15');
  assert.equal(qlvb(['calendar', 'add', '2024-02-07', '1']).trim(), '2024-02-08');

  // removing through the page
  const id = srv.db("SELECT id FROM calendar_override WHERE day = '2024-02-15'").trim();
  const rm = await web.post(`/admin/calendar/overrides/${id}/remove`, { form: { _csrf: csrf, year: '2024' } });
  assert.equal(rm.status, 303);
  assert.equal(srv.db('SELECT COUNT(*) FROM calendar_override').trim(), '1');
  assert.match(srv.db("SELECT summary FROM audit_log WHERE action = 'calendar_override_remove'"),
    /Xóa ngày làm bù 2024-02-15/);
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
});

test('the API: any signed-in user reads, system administrators write', async () => {
  const y = await sys.get('/api/v1/calendar/2030');
  assert.equal(y.status, 200);
  assert.equal(y.json.tet, '2030-02-02'); // a day before China's 3 February
  assert.equal(y.json.leap_month, 0);
  assert.ok(y.json.holidays.some((h) => h.kind === 'hung_kings' && h.date === '2030-04-12'));
  assert.equal((await sys.get('/api/v1/calendar/2101')).status, 404);
  assert.equal((await sys.get('/api/v1/calendar/abc')).status, 404);
  assert.equal((await sys.get('/api/v1/calendar/2025')).json.leap_month, 6);

  const created = await sys.post('/api/v1/calendar/overrides',
    { json: { date: '2026-01-03', kind: 'working_day', note: '  Làm bù   thứ Bảy ' } });
  assert.equal(created.status, 201);
  assert.equal(created.json.date, '2026-01-03');
  assert.equal(created.json.kind, 'working_day');
  assert.equal(created.json.note, 'Làm bù thứ Bảy');
  const bad = await sys.post('/api/v1/calendar/overrides', { json: { date: '2026-1-3', kind: 'day_off' } });
  assert.equal(bad.status, 422);
  assert.ok(bad.json.errors.date && bad.json.errors.note);
  const dup = await sys.post('/api/v1/calendar/overrides',
    { json: { date: '2026-01-03', kind: 'working_day', note: 'x' } });
  assert.ok(dup.status === 409 || dup.status === 422);

  const admin = new Client(srv); // an agency administrator, not a system administrator
  assert.equal((await admin.apiLogin(ADMIN_SKHCN)).status, 200);
  const read = await admin.get('/api/v1/calendar/2026');
  assert.equal(read.status, 200);
  assert.ok(read.json.overrides.some((o) => o.date === '2026-01-03'));
  assert.equal((await admin.post('/api/v1/calendar/overrides',
    { json: { date: '2026-01-05', kind: 'day_off', note: 'x' } })).status, 403);
  assert.equal((await admin.req('DELETE', `/api/v1/calendar/overrides/${created.json.id}`)).status, 403);
  const web = new Client(srv);
  await web.webLogin(ADMIN_SKHCN);
  assert.doesNotMatch((await web.get('/')).text, /href="\/admin\/calendar"/);
  assert.equal((await web.get('/admin/calendar')).status, 403);
  assert.equal((await new Client(srv).get('/api/v1/calendar/2026')).status, 401);

  assert.equal((await sys.req('DELETE', `/api/v1/calendar/overrides/${created.json.id}`)).status, 204);
  assert.equal((await sys.req('DELETE', `/api/v1/calendar/overrides/${created.json.id}`)).status, 404);
  assert.equal(srv.db("SELECT COUNT(*) FROM calendar_override WHERE day = '2026-01-03'").trim(), '0');
});
