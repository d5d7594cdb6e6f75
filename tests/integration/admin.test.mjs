// Administration and tenant isolation (architecture principle 3; standards.md §12):
// an administrator of agency A can do nothing to agency B.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, ADMIN_SKHCN, ADMIN_TRUONGVINH, SYSADMIN } from './harness.mjs';

let srv, skhcn, truongvinh, sys, truongvinhUserId, truongvinhAgencyId;
before(async () => {
  srv = await new Server().start();
  skhcn = new Client(srv); await skhcn.apiLogin(ADMIN_SKHCN);
  truongvinh = new Client(srv); await truongvinh.apiLogin(ADMIN_TRUONGVINH);
  sys = new Client(srv); await sys.apiLogin(SYSADMIN);
  const u = await truongvinh.get('/api/v1/users?q=Thái Thị Phương');
  truongvinhUserId = u.json.users[0].id;
  truongvinhAgencyId = (await truongvinh.get('/api/v1/me')).json.agency_id;
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('an administrator sees only the users of their agency', async () => {
  const r = await skhcn.get('/api/v1/users');
  assert.equal(r.status, 200);
  assert.ok(r.json.users.length >= 5);
  assert.ok(r.json.users.every((u) => u.home_agency_id === r.json.users[0].home_agency_id));
  assert.ok(!r.json.users.some((u) => u.full_name === 'Thái Thị Phương'));
  // Accent-insensitive search (standards.md §11).
  const s = await skhcn.get('/api/v1/users?q=' + encodeURIComponent('ngo thi huyen'));
  assert.deepEqual(s.json.users.map((u) => u.full_name), ['Ngô Thị Huyền']);
});

test('cross-agency reads and writes of users are refused and change nothing', async () => {
  const before = srv.db(`SELECT full_name, password_hash, disabled FROM app_user WHERE id = ${truongvinhUserId}`);
  assert.equal((await skhcn.get(`/api/v1/users/${truongvinhUserId}`)).status, 404);
  assert.equal((await skhcn.req('PATCH', `/api/v1/users/${truongvinhUserId}`, { json: { full_name: 'Bị sửa', roles: ['admin'] } })).status, 404);
  // Another agency's account does not exist for this administrator: 404, not 403.
  assert.equal((await skhcn.post(`/api/v1/users/${truongvinhUserId}/reset-password`)).status, 404);
  assert.equal((await skhcn.post(`/api/v1/users/${truongvinhUserId}/lock`)).status, 404);
  // Passing another agency's id is ignored for non-system administrators.
  const list = await skhcn.get(`/api/v1/users?agency_id=${truongvinhAgencyId}`);
  assert.ok(!list.json.users.some((u) => u.id === truongvinhUserId));
  assert.equal((await skhcn.get(`/api/v1/users/${truongvinhUserId}?agency_id=${truongvinhAgencyId}`)).status, 404);
  assert.equal(srv.db(`SELECT full_name, password_hash, disabled FROM app_user WHERE id = ${truongvinhUserId}`), before);
});

test('cross-agency catalogue changes are refused', async () => {
  const depts = await truongvinh.get('/api/v1/departments');
  const d = depts.json.departments[0];
  const r = await skhcn.req('PATCH', `/api/v1/departments/${d.id}`, { json: { name: 'Đổi tên trái phép' } });
  assert.equal(r.status, 404);
  const pos = await truongvinh.get('/api/v1/positions');
  const p = await skhcn.req('PATCH', `/api/v1/positions/${pos.json.positions[0].id}`, { json: { name: 'X' } });
  assert.equal(p.status, 404);
  // A user cannot be placed in another agency's department.
  const c = await skhcn.post('/api/v1/users', { json: { login: '040095000101', full_name: 'Lê Văn Khách', roles: ['specialist'], department_id: d.id } });
  assert.equal(c.status, 422);
  assert.match(c.json.errors.department_id, /không thuộc cơ quan này/);
  assert.equal(srv.db(`SELECT name FROM department WHERE id = ${d.id}`).trim(), d.name);
});

test('agency administrators cannot manage agencies; the system administrator can', async () => {
  const bad = await skhcn.post('/api/v1/agencies', { json: { code: '000.00.09.H41', name: 'Sở Xây dựng', abbr: 'SXD' } });
  assert.equal(bad.status, 403);
  const invalid = await sys.post('/api/v1/agencies', { json: { code: '00.00.09.H41', name: '', abbr: 'S X D' } });
  assert.equal(invalid.status, 422);
  assert.match(invalid.json.errors.code, /AAA\.BB\.CC\.XNN/);
  assert.ok(invalid.json.errors.name);
  assert.ok(invalid.json.errors.abbr);
  const ok = await sys.post('/api/v1/agencies', { json: { code: '000.00.09.H41', name: 'Sở Xây dựng', abbr: 'SXD', parent_id: 1 } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.host_label, 'qlvb-sxd');
  const dup = await sys.post('/api/v1/agencies', { json: { code: '000.00.09.H41', name: 'Trùng', abbr: 'TRUNG' } });
  assert.equal(dup.status, 409);
  assert.match(dup.json.errors.code, /đã được dùng/);
  // A cycle in the tree is refused.
  const cyc = await sys.req('PATCH', '/api/v1/agencies/1', { json: { parent_id: ok.json.id } });
  assert.equal(cyc.status, 422);
  // Every signed-in user can read the directory of agencies.
  const dir = await truongvinh.get('/api/v1/agencies');
  assert.ok(dir.json.agencies.some((a) => a.code === '000.00.09.H41'));
});

test('system administrator manages users of any agency with ?agency_id', async () => {
  const r = await sys.get(`/api/v1/users?agency_id=${truongvinhAgencyId}`);
  assert.equal(r.status, 200);
  assert.ok(r.json.users.some((u) => u.id === truongvinhUserId));
});

test('validation: citizen ID, e-mail, phone, roles; over-long names', async () => {
  const r = await skhcn.post('/api/v1/users', { json: { login: '12345678901', full_name: 'A'.repeat(101), email: 'not-an-email', phone: '12', roles: [] } });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.login, /12 chữ số/);
  assert.match(r.json.errors.full_name, /100 ký tự/);
  assert.ok(r.json.errors.email);
  assert.ok(r.json.errors.phone);
  assert.match(r.json.errors.roles, /ít nhất một vai trò/);
  const bad = await skhcn.post('/api/v1/users', { json: { login: '999000000001', full_name: 'X', roles: ['specialist'] } });
  assert.equal(bad.status, 422, 'province code 999 does not exist');
});

test('an administrator cannot lock themselves or drop their own admin role', async () => {
  const me = await skhcn.get('/api/v1/me');
  assert.equal((await skhcn.post(`/api/v1/users/${me.json.id}/lock`)).status, 409);
  const r = await skhcn.req('PATCH', `/api/v1/users/${me.json.id}`, { json: { roles: ['specialist'] } });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.roles, /chính mình/);
});

test('locking an account ends its sessions; reset forces a change', async () => {
  const target = new Client(srv);
  await target.apiLogin('040090000145');
  const list = await skhcn.get('/api/v1/users?q=040090000145');
  const id = list.json.users[0].id;
  assert.equal((await skhcn.post(`/api/v1/users/${id}/lock`)).status, 204);
  assert.equal((await target.get('/api/v1/me')).status, 401);
  const relog = await new Client(srv).apiLogin('040090000145');
  // A disabled account answers like a wrong password, so the answer does not tell
  // that the ID exists (issue 9, item 5).
  assert.equal(relog.status, 401);
  assert.match(relog.json.detail, /Số định danh cá nhân hoặc mật khẩu không đúng/);
  assert.equal((await skhcn.post(`/api/v1/users/${id}/unlock`)).status, 204);
  const reset = await skhcn.post(`/api/v1/users/${id}/reset-password`);
  assert.equal(reset.status, 200);
  const c = new Client(srv);
  const l = await c.apiLogin('040090000145', reset.json.temporary_password);
  assert.equal(l.json.user.must_change_password, true);
});

test('web administration pages render for the agency administrator', async () => {
  const c = new Client(srv);
  await c.webLogin(ADMIN_SKHCN);
  for (const p of ['/admin/users', '/admin/departments', '/admin/positions', '/admin/audit', '/sessions', '/']) {
    const r = await c.get(p);
    assert.equal(r.status, 200, p);
    assert.match(r.text, /<html lang="vi">/);
  }
  assert.equal((await c.get('/admin/agencies')).status, 403);
  const form = await c.get('/admin/users/new');
  const created = await c.post('/admin/users', { form: new URLSearchParams([
    ['_csrf', c.csrfFrom(form.text)], ['login', '040095000201'], ['full_name', 'Phạm Văn Web'],
    ['roles', 'clerk'], ['roles', 'specialist']]).toString(), headers: {} });
  assert.equal(created.status, 201, created.text.slice(0, 300));
  assert.match(created.text, /Mật khẩu tạm thời/);
  const row = await skhcn.get('/api/v1/users?q=040095000201');
  assert.deepEqual(row.json.users[0].roles, ['clerk', 'specialist']);
  // Invalid form comes back with the field marked, nothing created.
  const bad = await c.post('/admin/users', { form: { _csrf: c.csrfFrom(form.text), login: '1', full_name: '', roles: 'clerk' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /aria-invalid="true"/);
});
