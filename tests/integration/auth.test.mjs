// Sign-in, forced password change, lockout, session expiry and revocation, CSRF
// (standards.md §12: personal accounts, change at first login, access log).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, ADMIN_SKHCN, DEMO_PASSWORD, rawRequest } from './harness.mjs';

let srv;
before(async () => { srv = await new Server(['--session-idle', '2']).start(); });
after(async () => { await srv.stop(); srv.cleanup(); });

async function newUser(login, extra = {}) {
  const admin = new Client(srv);
  await admin.apiLogin(ADMIN_SKHCN);
  const r = await admin.post('/api/v1/users', { json: { login, full_name: 'Trần Văn Thử', roles: ['specialist'], ...extra } });
  assert.equal(r.status, 201, r.text);
  return r.json.temporary_password;
}

test('API login returns a token; wrong password is refused with a Vietnamese message', async () => {
  const c = new Client(srv);
  const bad = await c.apiLogin(ADMIN_SKHCN, 'sai-mat-khau');
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.match(bad.json.detail, /Số định danh cá nhân hoặc mật khẩu không đúng/);
  const ok = await c.apiLogin(ADMIN_SKHCN);
  assert.equal(ok.status, 200);
  assert.match(ok.json.token, /^[0-9a-f]{64}$/);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.full_name, 'Nguyễn Thị Hoa');
  assert.deepEqual(me.json.roles, ['admin']);
  assert.equal(me.json.agency.code, '000.00.04.H41');
  assert.equal(me.json.agency.id, me.json.agency_id);
});

test('a malformed login is refused precisely and no session is made', async () => {
  const c = new Client(srv);
  const r = await c.apiLogin('12345');
  assert.equal(r.status, 401);
  assert.match(r.json.detail, /12 chữ số/);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('new account must change its password before anything else (API)', async () => {
  const temp = await newUser('040095000011');
  const c = new Client(srv);
  const r = await c.apiLogin('040095000011', temp);
  assert.equal(r.status, 200);
  assert.equal(r.json.user.must_change_password, true);
  const blocked = await c.get('/api/v1/users');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.json.type, 'urn:qlvb:problem:password_change_required');
  // Policy: too short, and containing the login.
  const weak = await c.post('/api/v1/me/password', { json: { current_password: temp, new_password: 'abc' } });
  assert.equal(weak.status, 422);
  assert.match(weak.json.errors.new_password, /ít nhất 10 ký tự/);
  const withLogin = await c.post('/api/v1/me/password', { json: { current_password: temp, new_password: 'Xx040095000011!' } });
  assert.match(withLogin.json.errors.new_password, /tên đăng nhập/);
  const wrongCurrent = await c.post('/api/v1/me/password', { json: { current_password: 'nope', new_password: 'Mật-khẩu-Mới-2026' } });
  assert.match(wrongCurrent.json.errors.current_password, /không đúng/);
  const ok = await c.post('/api/v1/me/password', { json: { current_password: temp, new_password: 'Mật-khẩu-Mới-2026' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.must_change_password, false);
  assert.equal((await c.get('/api/v1/users')).status, 403, 'a specialist is not an administrator');
  assert.equal((await c.get('/api/v1/me/sessions')).status, 200);
  // The old password no longer works; the new one does.
  assert.equal((await new Client(srv).apiLogin('040095000011', temp)).status, 401);
  assert.equal((await new Client(srv).apiLogin('040095000011', 'Mật-khẩu-Mới-2026')).status, 200);
});

test('web: forced change redirects every page to /password until done', async () => {
  const temp = await newUser('040095000012');
  const c = new Client(srv);
  const login = await c.webLogin('040095000012', temp);
  assert.equal(login.status, 303);
  assert.equal(login.headers.get('location'), '/password');
  const home = await c.get('/');
  assert.equal(home.status, 303);
  assert.equal(home.headers.get('location'), '/password');
  const page = await c.get('/password');
  assert.match(page.text, /Bạn phải đổi mật khẩu/);
  const csrf = c.csrfFrom(page.text);
  const done = await c.post('/password', { form: { _csrf: csrf, current_password: temp, new_password: 'Hà-Nội-mùa-thu-2026', confirm_password: 'Hà-Nội-mùa-thu-2026' } });
  assert.equal(done.status, 303);
  const after2 = await c.get('/');
  assert.equal(after2.status, 200);
  assert.match(after2.text, /Trần Văn Thử/);
});

test('repeated failures lock the account with the time it lifts, even for the right password', async () => {
  await newUser('040095000013', { password: 'Đúng-Mật-Khẩu-1' });
  const c = new Client(srv);
  let r;
  for (let i = 1; i <= 4; i++) {
    r = await c.apiLogin('040095000013', 'sai' + i);
    assert.equal(r.status, 401);
    assert.match(r.json.detail, new RegExp(`Còn ${5 - i} lần thử`));
  }
  r = await c.apiLogin('040095000013', 'sai5');
  assert.equal(r.status, 423);
  assert.match(r.json.detail, /tạm khóa đến \d\d:\d\d ngày \d\d\/\d\d\/\d{4}/);
  r = await c.apiLogin('040095000013', 'Đúng-Mật-Khẩu-1');
  assert.equal(r.status, 423, 'the right password does not bypass the lockout');
  // The administrator's unlock clears the lockout.
  const admin = new Client(srv);
  await admin.apiLogin(ADMIN_SKHCN);
  const u = await admin.get('/api/v1/users?q=040095000013');
  const id = u.json.users[0].id;
  assert.equal(u.json.users[0].locked_out, true);
  assert.equal((await admin.post(`/api/v1/users/${id}/unlock`)).status, 204);
  assert.equal((await c.apiLogin('040095000013', 'Đúng-Mật-Khẩu-1')).status, 200);
});

test('sessions expire when idle', async () => {
  const c = new Client(srv);
  await c.apiLogin(ADMIN_SKHCN);
  assert.equal((await c.get('/api/v1/me')).status, 200);
  await new Promise((r) => setTimeout(r, 3200));
  const r = await c.get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.match(r.json.detail, /hết hạn/);
});

test('a user lists and revokes their own sessions; a revoked token stops working', async () => {
  const a = new Client(srv), b = new Client(srv);
  await a.apiLogin(ADMIN_SKHCN);
  await b.apiLogin(ADMIN_SKHCN);
  const list = await a.get('/api/v1/me/sessions');
  const mine = list.json.sessions.find((s) => s.current);
  const other = list.json.sessions.find((s) => !s.current);
  assert.ok(mine && other);
  assert.equal((await a.req('DELETE', `/api/v1/me/sessions/${other.id}`)).status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  assert.equal((await a.get('/api/v1/me')).status, 200);
  // Someone else's session id is not found, not revoked.
  const x = new Client(srv);
  await x.apiLogin('040090000142');
  assert.equal((await x.req('DELETE', `/api/v1/me/sessions/${mine.id}`)).status, 404);
  assert.equal((await a.get('/api/v1/me')).status, 200);
  // Logout ends the session.
  assert.equal((await a.post('/api/v1/logout')).status, 204);
  assert.equal((await a.get('/api/v1/me')).status, 401);
});

test('CSRF: cookie-session forms and API calls without the token are refused and change nothing', async () => {
  const c = new Client(srv);
  const r = await c.webLogin(ADMIN_SKHCN);
  assert.equal(r.status, 303);
  assert.ok(c.cookies.has('qlvb_session'));
  const before = srv.db("SELECT COUNT(*) FROM position");
  const noToken = await c.post('/admin/positions', { form: { name: 'Chức vụ giả mạo', rank: '5' } });
  assert.equal(noToken.status, 403);
  assert.match(noToken.text, /CSRF/);
  const wrong = await c.post('/admin/positions', { form: { _csrf: 'f'.repeat(64), name: 'Chức vụ giả mạo', rank: '5' } });
  assert.equal(wrong.status, 403);
  const api = await c.post('/api/v1/positions', { json: { name: 'Chức vụ giả mạo' } });
  assert.equal(api.status, 403, 'cookie-authenticated API needs X-CSRF-Token');
  assert.equal(srv.db("SELECT COUNT(*) FROM position"), before);
  // With the token it works.
  const page = await c.get('/admin/positions');
  const ok = await c.post('/admin/positions', { form: { _csrf: c.csrfFrom(page.text), name: 'Phó Chánh Văn phòng', rank: '25' } });
  assert.equal(ok.status, 303);
  assert.equal(Number(srv.db("SELECT COUNT(*) FROM position")), Number(before) + 1);
  // Login form itself needs its double-submit token.
  const d = new Client(srv);
  const forged = await d.post('/login', { form: { login: ADMIN_SKHCN, password: DEMO_PASSWORD } });
  assert.equal(forged.status, 403);
  assert.ok(!d.cookies.has('qlvb_session'));
});

test('session cookies are HttpOnly and SameSite', async () => {
  const c = new Client(srv);
  const page = await c.get('/login');
  const csrf = c.csrfFrom(page.text);
  const res = await fetch(srv.url('/login'), { method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: c.cookieHeader() },
    body: new URLSearchParams({ _csrf: csrf, login: ADMIN_SKHCN, password: DEMO_PASSWORD }) });
  const cookie = res.headers.getSetCookie().find((s) => s.startsWith('qlvb_session='));
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
});

test('a user with two posts chooses the agency after login', async () => {
  const c = new Client(srv);
  const r = await c.webLogin('040090000111');
  assert.equal(r.headers.get('location'), '/choose-agency');
  const page = await c.get('/choose-agency');
  assert.match(page.text, /Văn phòng Ủy ban nhân dân tỉnh/);
  assert.match(page.text, /Sở Nội vụ/);
  const api = new Client(srv);
  const l = await api.apiLogin('040090000111');
  assert.equal(l.json.user.membership_id, null);
  assert.equal((await api.get('/api/v1/users')).status, 409);
  const snv = l.json.user.memberships.find((m) => m.agency_abbr === 'SNV');
  const chosen = await api.post('/api/v1/me/agency', { json: { membership_id: snv.id } });
  assert.equal(chosen.status, 200);
  assert.equal(chosen.json.agency.name, 'Sở Nội vụ');
  // A membership of someone else cannot be chosen.
  const foreign = await api.post('/api/v1/me/agency', { json: { membership_id: 1 } });
  assert.equal(foreign.status, 404);
});

test('host name selects the agency (qlvb-<abbr>.<domain>)', async () => {
  const body = JSON.stringify({ login: '040090000111', password: DEMO_PASSWORD });
  const req = (host) => rawRequest(srv.port, `POST /api/v1/login HTTP/1.1\r\nHost: ${host}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`, Buffer.from(body));
  const ok = await req('qlvb-snv.nghean.gov.vn');
  assert.equal(ok.status, 200, ok.body);
  assert.equal(JSON.parse(ok.body).user.agency.abbr, 'SNV');
  const denied = await req('qlvb-stc.nghean.gov.vn');
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(denied.body).detail, /không có tài khoản làm việc tại cơ quan này/);
});
