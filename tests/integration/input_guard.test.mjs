// Bad input gets the real reason (issue 9, items 10, 11, 13): bad query parameters are
// a 400 naming the parameter, names refuse control and bidi characters, deep JSON and
// a form with %00 are refused for what they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, ADMIN_SKHCN } from './harness.mjs';

let srv, admin;
before(async () => {
  srv = await new Server().start();
  admin = new Client(srv);
  await admin.apiLogin(ADMIN_SKHCN);
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('bad query parameters are a 400 that names the parameter', async () => {
  let r = await admin.get('/api/v1/audit?actor=' + 'a'.repeat(2000));
  assert.equal(r.status, 400);
  assert.match(r.json.errors.actor, /quá dài/);
  r = await admin.get('/api/v1/users?q=%FF%FE');
  assert.equal(r.status, 400);
  assert.match(r.json.errors.q, /không hợp lệ/);
  r = await admin.get('/api/v1/users?page=99999999999999999999');
  assert.equal(r.status, 400);
  assert.match(r.json.errors.page, /số nguyên dương/);
  r = await admin.get('/api/v1/users?q=%00x');
  assert.equal(r.status, 400);
  // Good ones still work.
  r = await admin.get('/api/v1/users?page=1&q=' + encodeURIComponent('Nguyễn'));
  assert.equal(r.status, 200);
  // Pages refuse hostile text too (a bad number there shows the default view).
  const w = new Client(srv); await w.webLogin(ADMIN_SKHCN);
  r = await w.get('/admin/users?q=' + 'x'.repeat(2000));
  assert.equal(r.status, 400);
  assert.match(r.text, /Tham số q/);
});

test('names refuse C1 controls and bidi overrides with a field error', async () => {
  for (const [name, why] of [['Nguyễn\u0085Văn An', /điều khiển/], ['Trần \u202eAn', /đổi chiều văn bản/],
    ['\u2066Lê Văn\u2069', /đổi chiều văn bản/], ['Phạm\u009bVăn', /điều khiển/]]) {
    const r = await admin.post('/api/v1/users', { json: { login: '040095000701', full_name: name, roles: ['clerk'] } });
    assert.equal(r.status, 422, name);
    assert.match(r.json.errors.full_name, why);
  }
  assert.equal(srv.db("SELECT COUNT(*) FROM app_user WHERE login = '040095000701'").trim(), '0');
});

test('JSON nested over 32 levels is refused for its depth, not its encoding', async () => {
  const deep = '{"a":' + '['.repeat(40) + ']'.repeat(40) + '}';
  const r = await admin.req('POST', '/api/v1/me/password', { body: deep, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.detail, /lồng nhau quá sâu/);
  assert.doesNotMatch(r.json.detail, /UTF-8/);
});

test('a form with %00 is refused for the NUL, not as a CSRF failure', async () => {
  const w = new Client(srv); await w.webLogin(ADMIN_SKHCN);
  const r = await w.req('POST', '/password', { body: 'current_password=a%00b&new_password=x',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /NUL/);
  assert.doesNotMatch(r.text, /CSRF/);
});
