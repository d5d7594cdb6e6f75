// Administration pages as a new user finds them (issue 9): what each administrator may
// do is what the pages offer, the system administrator picks the agency they work on,
// keys go to the person their certificate names, and bad input gets a Vietnamese
// field message with nothing changed (standards.md §12 validation, §11 text).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, ROOT, ADMIN_SKHCN, ADMIN_TRUONGVINH, SYSADMIN, revokeDemoKeys } from './harness.mjs';
import { serverWithPki, webClient as webClientOf } from './docs_helpers.mjs';

const LEADER = '040090000142'; // Bùi Văn Long
const PIN = '123456';
let srv, pki, admin, web, leaderId;

async function postForm(client, path, fields, files = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  for (const [k, [data, name, type]] of Object.entries(files)) fd.append(k, new Blob([data], { type }), name);
  const headers = client.token ? { Authorization: `Bearer ${client.token}` }
    : { Cookie: client.cookieHeader(), 'X-CSRF-Token': client.csrf || '' };
  const res = await fetch(srv.url(path), { method: 'POST', body: fd, redirect: 'manual', headers });
  client.keep(res);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* html */ }
  return { status: res.status, headers: res.headers, text, json };
}

// A signed-in web client with the CSRF token of its pages.
const webClient = (login) => webClientOf(srv, login);

const keyCount = () => Number(srv.db('SELECT COUNT(*) FROM signing_key').trim());

before(async () => {
  ({ srv, pki } = await serverWithPki());
  await revokeDemoKeys(srv); // the keys here are the test PKI's
  admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
  const l = new Client(srv); await l.apiLogin(LEADER);
  leaderId = (await l.get('/api/v1/me')).json.id;
  web = await webClient(ADMIN_SKHCN);
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('the server starts without a warning; its log is structured lines only', async () => {
  const start = srv.log.slice(0, srv.log.indexOf('msg="listening"'));
  assert.ok(start.length > 0, srv.log);
  assert.doesNotMatch(start, /level=(warn|error)/);
  for (const line of srv.log.split('\n').filter(Boolean)) assert.match(line, /^ts=\S+ level=/, line); // no raw MHD text
});

test('a person key whose certificate names someone else needs a confirmation with a reason', async () => {
  const p12 = readFileSync(join(pki, 'person.p12')); // CN=Nguyễn Văn An
  const file = { file: [p12, 'person.p12', 'application/x-pkcs12'] };
  const n = keyCount();
  // API: refused with a field error naming both people, nothing stored.
  let r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN, user_id: leaderId }, file);
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.errors.name_confirm, /Nguyễn Văn An.*Bùi Văn Long/);
  assert.equal(keyCount(), n);
  // Confirmed without a reason: still refused.
  r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN, user_id: leaderId, name_confirm: '1', name_reason: ' ' }, file);
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.name_reason);
  assert.equal(keyCount(), n);
  // The web page shows the message, the confirmation box and the reason field.
  r = await postForm(web, '/admin/keys', { _csrf: web.csrf, pin: PIN, user_id: leaderId }, file);
  assert.equal(r.status, 422);
  assert.match(r.text, /Nguyễn Văn An/);
  assert.match(r.text, /name="name_confirm"/);
  assert.match(r.text, /id="name_reason"/);
  assert.equal(keyCount(), n);
  // Confirmed with a reason: issued, and the reason is in the audit row.
  r = await postForm(web, '/admin/keys', { _csrf: web.csrf, pin: PIN, user_id: leaderId, name_confirm: '1',
    name_reason: 'Chứng thư cấp nhầm tên, đã đề nghị cấp lại' }, file);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(keyCount(), n + 1);
  const audit = srv.db("SELECT summary FROM audit_log WHERE action = 'signing_key_import' ORDER BY id DESC LIMIT 1");
  assert.match(audit, /Bùi Văn Long/);
  assert.match(audit, /đã đề nghị cấp lại/);
  // The agency's own key is not a person's: no name check.
  r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN }, { file: [readFileSync(join(pki, 'agency.p12')), 'agency.p12', 'application/x-pkcs12'] });
  assert.equal(r.status, 201, r.text);
});

test('the system administrator picks the agency on every agency page, and works on it', async () => {
  const sys = await webClient(SYSADMIN);
  const skhcnId = Number(srv.db("SELECT id FROM agency WHERE code = '000.00.04.H41'").trim());
  for (const path of ['/admin/departments', '/admin/positions', '/admin/users', '/admin/users/new', '/admin/keys', '/admin/signature-images']) {
    const r = await sys.get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.text, /<select id="agency-pick" name="agency_id"/, path);
    assert.match(r.text, /Sở Khoa học và Công nghệ/, path);
    assert.doesNotMatch(r.text, / của \.</, path);
  }
  const page = await sys.get(`/admin/departments?agency_id=${skhcnId}`);
  assert.match(page.text, /Các phòng, ban của Sở Khoa học và Công nghệ/);
  assert.match(page.text, new RegExp(`<option value="${skhcnId}" selected>`));
  assert.match(page.text, new RegExp(`action="/admin/departments\\?agency_id=${skhcnId}"`));
  // Adding a department there works and comes back to the same agency.
  const csrf = sys.csrfFrom(page.text);
  const add = await sys.post(`/admin/departments?agency_id=${skhcnId}`, { form: { _csrf: csrf, name: 'Phòng Quản lý chuyên ngành', abbr: 'QLCN' } });
  assert.equal(add.status, 303, add.text.slice(0, 300));
  assert.equal(add.headers.get('location'), `/admin/departments?agency_id=${skhcnId}`);
  assert.equal(srv.db("SELECT agency_id FROM department WHERE name = 'Phòng Quản lý chuyên ngành'").trim(), String(skhcnId));
  // The users page keeps the agency in its search form and links.
  const users = await sys.get(`/admin/users?agency_id=${skhcnId}`);
  assert.match(users.text, new RegExp(`<input type="hidden" name="agency_id" value="${skhcnId}">`));
  assert.match(users.text, new RegExp(`href="/admin/users/\\d+\\?agency_id=${skhcnId}"`));
  // An agency administrator sees no picker.
  const own = await web.get('/admin/departments');
  assert.doesNotMatch(own.text, /agency-pick/);
  assert.match(own.text, /Các phòng, ban của Sở Khoa học và Công nghệ/);
});

test('a concurrent post: the page offers only what this administrator may do and reports only what was saved', async () => {
  const noivu = await webClient('040090000121'); // administrator of Sở Nội vụ
  const minh = srv.db("SELECT id, full_name FROM app_user WHERE login = '040090000111'").trim().split('|');
  const page = await noivu.get(`/admin/users/${minh[0]}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="full_name" name="full_name" value="Lê Quang Minh" readonly/);
  assert.doesNotMatch(page.text, /reset-password|\/lock"/); // the home agency's to do
  assert.match(page.text, /id="account-owner"/);
  const csrf = noivu.csrfFrom(page.text);
  const save = await noivu.post(`/admin/users/${minh[0]}`, { form: { _csrf: csrf, full_name: 'Tên Bị Đổi', roles: 'agency_leader' } });
  assert.equal(save.status, 303);
  const after = await noivu.get(save.headers.get('location'));
  assert.doesNotMatch(after.text, /Đã lưu người dùng\./);
  assert.match(after.text, /Đã lưu phòng ban, chức vụ và vai trò/);
  assert.equal(srv.db(`SELECT full_name FROM app_user WHERE id = ${minh[0]}`).trim(), 'Lê Quang Minh');
  // The reset the page no longer offers is still refused.
  const reset = await noivu.post(`/admin/users/${minh[0]}/reset-password`, { form: { _csrf: csrf } });
  assert.equal(reset.status, 403);
});

test('a position rank must be 0–999, as the hint says (web and API), nothing stored', async () => {
  const page = await web.get('/admin/positions');
  const n = srv.db('SELECT COUNT(*) FROM position').trim();
  const r = await web.post('/admin/positions', { form: { _csrf: web.csrfFrom(page.text), name: 'Chuyên viên chính', rank: '5000' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="rank-error">Thứ bậc phải là số nguyên từ 0 đến 999\./);
  const api = await admin.post('/api/v1/positions', { json: { name: 'Chuyên viên chính', rank: 5000 } });
  assert.equal(api.status, 422);
  assert.match(api.json.errors.rank, /0 đến 999/);
  assert.equal(srv.db('SELECT COUNT(*) FROM position').trim(), n);
});

test('"Bắt buộc đổi mật khẩu" stays checked after a validation error', async () => {
  const page = await web.get('/admin/users/new');
  assert.match(page.text, /name="must_change" value="1" checked/);
  const r = await web.post('/admin/users', { form: { _csrf: web.csrfFrom(page.text), login: '12', full_name: 'Lò Văn Kiểm', roles: 'specialist', must_change: '1' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="login-error"/);
  assert.match(r.text, /name="must_change" value="1" checked/);
  const off = await web.post('/admin/users', { form: { _csrf: web.csrfFrom(page.text), login: '12', full_name: 'Lò Văn Kiểm', roles: 'specialist' } });
  assert.doesNotMatch(off.text, /name="must_change" value="1" checked/);
});

test('the audit pager numbers its pages and keeps the filter; objects are named', async () => {
  // Enough rows for a second and a third page (50 a page).
  for (let i = 0; i < 110; i++) assert.equal((await new Client(srv).apiLogin(ADMIN_SKHCN)).status, 200);
  const first = await web.get('/admin/audit?action=login');
  assert.equal(first.status, 200);
  assert.match(first.text, /<span>Trang 1<\/span>/);
  const next = /href="([^"]+)" rel="next"/.exec(first.text)[1].replaceAll('&amp;', '&');
  assert.match(next, /page=2/);
  assert.match(next, /action=login&/);
  const second = await web.get(next);
  assert.match(second.text, /<span>Trang 2<\/span>/);
  const back = /href="([^"]+)" rel="prev"/.exec(second.text)[1].replaceAll('&amp;', '&');
  assert.match(back, /action=login&/);
  const third = await web.get(/href="([^"]+)" rel="next"/.exec(second.text)[1].replaceAll('&amp;', '&'));
  assert.match(third.text, /<span>Trang 3<\/span>/);
  assert.match(third.text, /« Về trang đầu/);
  // An object is shown by its name, not "user #13".
  const keys = await web.get('/admin/audit?action=signing_key_import');
  assert.match(keys.text, /Khóa ký số: Nguyễn Văn An/);
  assert.doesNotMatch(keys.text, /signing_key #/);
});

test('the forced password change and the agency choice show no menu; error pages print the code once', async () => {
  const created = await admin.post('/api/v1/users', { json: { login: '040095000777', full_name: 'Vi Thị Mới', roles: ['specialist'] } });
  assert.equal(created.status, 201, created.text);
  const fresh = new Client(srv);
  await fresh.webLogin('040095000777', created.json.temporary_password);
  const pw = await fresh.get('/password');
  assert.equal(pw.status, 200);
  assert.match(pw.text, /Bạn phải đổi mật khẩu/);
  assert.doesNotMatch(pw.text, /class="mainnav"/);
  assert.match(pw.text, /Đăng xuất/);
  const two = new Client(srv);
  await two.webLogin('040090000111'); // two posts: chooses first
  const choose = await two.get('/choose-agency');
  assert.equal(choose.status, 200);
  assert.match(choose.text, /Chọn cơ quan làm việc/);
  assert.doesNotMatch(choose.text, /class="mainnav"/);
  // After the choice the menu is back.
  assert.match((await web.get('/')).text, /class="mainnav"/);
  for (const [path, code] of [['/admin/khong-co', '404'], ['/admin/agencies', '403']]) {
    const r = await web.get(path);
    assert.equal(r.status, Number(code));
    const main = r.text.slice(r.text.indexOf('<main'), r.text.indexOf('</main>'));
    assert.equal(main.split(code).length - 1, 1, `${path}: the code once, got ${main}`);
  }
});

test('signing on the web: a wrong PIN says how many tries are left; success shows the result and the file can be downloaded again', async () => {
  const { makePdf } = await import('./harness.mjs');
  const leader = await webClient(LEADER);
  const keyId = srv.db(`SELECT id FROM signing_key WHERE user_id = ${leaderId} AND revoked_at = 0`).trim();
  const pdf = makePdf([[360, 300, 12, 'GIAM DOC'], [360, 200, 12, 'Bui Van Long']]);
  const up = await postForm(leader, '/signatures/sign', { _csrf: leader.csrf }, { file: [pdf, 'Tờ trình.pdf', 'application/pdf'] });
  assert.equal(up.status, 303, up.text.slice(0, 200));
  const draft = up.headers.get('location');
  const wrong = await leader.post(draft, { form: { _csrf: leader.csrf, key_id: keyId, pin: '000000', placement: 'auto' } });
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /Mã PIN không đúng\. Còn 4 lần thử trước khi khóa ký số bị tạm khóa 15 phút\./);
  const ok = await leader.post(draft, { form: { _csrf: leader.csrf, key_id: keyId, pin: PIN, placement: 'auto' } });
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  const done = ok.headers.get('location');
  assert.match(done, /^\/signatures\/sign\/[0-9a-f]{32}$/);
  const page = await leader.get(done);
  assert.equal(page.status, 200);
  assert.match(page.text, /Ký số thành công/);
  assert.doesNotMatch(page.text, /Mã PIN không đúng/);
  assert.match(page.text, /href="\/signatures\/verify"/); // the next step
  for (let i = 0; i < 2; i++) { // a second click downloads again
    const f = await fetch(srv.url(`${done}/download`), { headers: { Cookie: leader.cookieHeader() } });
    assert.equal(f.status, 200);
    assert.equal(f.headers.get('content-type'), 'application/pdf');
    assert.match(f.headers.get('content-disposition'), /attachment/);
    assert.match(f.headers.get('content-disposition'), /%C4%91%C3%A3%20k%C3%BD|đã ký/);
    const body = Buffer.from(await f.arrayBuffer());
    assert.ok(body.includes('/ByteRange'), 'a signed PDF');
  }
  // Submitting the signed result again does not sign twice.
  const again = await leader.post(done, { form: { _csrf: leader.csrf, key_id: keyId, pin: PIN, placement: 'auto' } });
  assert.equal(again.status, 303);
  assert.equal(again.headers.get('location'), done);
  // Someone else cannot fetch it.
  const other = await fetch(srv.url(`${done}/download`), { headers: { Cookie: web.cookieHeader() } });
  assert.equal(other.status, 404);
});

// `make run` (scripts/run-demo.sh) until it prints where to open, then stopped.
async function runDemo(dataDir, port) {
  const { spawn } = await import('node:child_process');
  const p = spawn('bash', [join(ROOT, 'scripts/run-demo.sh'), process.env.QLVB_BIN || join(ROOT, 'build/qlvb')],
    { env: { ...process.env, QLVB_DATA: dataDir, QLVB_LISTEN: `127.0.0.1:${port}`, QLVB_DB: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('run-demo.sh printed: ' + out)), 60000);
    p.stdout.on('data', (d) => { out += d; if (/Mở http:\/\//.test(out)) { clearTimeout(t); resolve(); } });
  });
  p.kill('SIGTERM');
  await new Promise((r) => p.on('exit', r));
  return out;
}

test('make run prints every demo login with agency names, on the first run and after', async () => {
  const { freePort } = await import('./harness.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-it-run-'));
  try {
    const data = join(dir, 'data');
    const logins = (out) => out.split('\n').filter((l) => /^ {2}0400[89]\d{7} /.test(l));
    const port = await freePort();
    const first = await runDemo(data, port);
    assert.match(first, new RegExp(`Mở http://127\\.0\\.0\\.1:${port} `)); // the real listen address
    assert.equal(logins(first).length, 18, first); // the system administrator and 17 people
    assert.doesNotMatch(first, /qlvb-(skhcn|truongvinh|ubndtinh|vpubnd|snv)\b/); // agency names, not host labels
    assert.match(first, /040090000141 Nguyễn Thị Hoa +Quản trị +Sở Khoa học và Công nghệ/);
    const second = await runDemo(data, await freePort());
    assert.match(second, /Dùng dữ liệu có sẵn/);
    assert.deepEqual(logins(second), logins(first));
    // A data directory made without the saved table: read from its own database.
    rmSync(join(data, 'demo-logins.txt'));
    const third = await runDemo(data, await freePort());
    assert.ok(logins(third).length >= 18, third); // plus a line per further post
    assert.match(third, /040090000305 Thái Thị Phương +Chuyên viên +Ủy ban nhân dân phường Trường Vinh/);
    assert.doesNotMatch(third, /qlvb-(skhcn|truongvinh|ubndtinh|vpubnd|snv)\b/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a department can be stopped and used again; the page says which happened', async () => {
  const page = await web.get('/admin/departments');
  const id = /action="\/admin\/departments\/(\d+)\/toggle"/.exec(page.text)[1];
  assert.match(page.text, /name="active" value="0"/);
  const csrf = web.csrfFrom(page.text);
  let r = await web.post(`/admin/departments/${id}/toggle`, { form: { _csrf: csrf, active: '0' } });
  assert.equal(r.status, 303);
  assert.equal(srv.db(`SELECT active FROM department WHERE id = ${id}`).trim(), '0');
  assert.match((await web.get('/admin/departments')).text, /Đã ngừng dùng phòng ban\./);
  r = await web.post(`/admin/departments/${id}/toggle`, { form: { _csrf: csrf, active: '1' } });
  assert.equal(r.status, 303);
  assert.equal(srv.db(`SELECT active FROM department WHERE id = ${id}`).trim(), '1'); // was never re-enabled
  assert.match((await web.get('/admin/departments')).text, /Đã dùng lại phòng ban\./);
  r = await web.post(`/admin/departments/${id}/toggle`, { form: { _csrf: csrf } });
  assert.equal(r.status, 400);
  assert.equal(srv.db(`SELECT active FROM department WHERE id = ${id}`).trim(), '1');
});

test('certificates are named as person or body and organisation, not CN=…,O=…', async () => {
  const sys = await webClient(SYSADMIN);
  const r = await sys.get('/admin/trust');
  assert.equal(r.status, 200);
  assert.match(r.text, /<span title="CN=QLVB Test Issuing CA,O=QLVB Test,C=VN">QLVB Test Issuing CA — QLVB Test<\/span>/);
  const visible = r.text.replace(/title="[^"]*"/g, '').replace(/data-confirm="[^"]*"/g, '');
  assert.doesNotMatch(visible, /CN=/);
});
