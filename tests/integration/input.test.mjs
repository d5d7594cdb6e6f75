// Bad input gets a precise error and changes nothing; no input crashes the server.
// Text is NFC-normalised at the edge (standards.md §11). Acknowledged writes survive
// kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Server, Client, ADMIN_SKHCN, qlvbStatus, rawRequest } from './harness.mjs';

let srv, admin;
before(async () => {
  srv = await new Server(['--max-body', '4096']).start();
  admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('unknown routes are 404 and wrong methods 405 with Allow', async () => {
  const r = await admin.get('/api/v1/khong-co');
  assert.equal(r.status, 404);
  assert.equal(r.json.type, 'urn:qlvb:problem:not_found');
  const m = await admin.req('DELETE', '/api/v1/users');
  assert.equal(m.status, 405);
  assert.equal(m.headers.get('allow'), 'GET, POST');
  const page = await new Client(srv).get('/khong-co-trang-nay');
  assert.equal(page.status, 404);
  assert.match(page.text, /Không tìm thấy trang/);
});

test('malformed JSON, wrong content type, non-object and duplicate keys are 400/415', async () => {
  let r = await admin.post('/api/v1/positions', { body: '{"name": "x",', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /JSON không hợp lệ tại dòng 1/);
  r = await admin.post('/api/v1/positions', { body: 'name=x', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(r.status, 415);
  r = await admin.post('/api/v1/positions', { json: ['x'] });
  assert.equal(r.status, 400);
  r = await admin.post('/api/v1/positions', { body: '{"name":"a","name":"b"}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
});

test('non-UTF-8 bytes are refused in JSON, forms and paths', async () => {
  const before = srv.db('SELECT COUNT(*) FROM position');
  let r = await admin.post('/api/v1/positions', { body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  r = await admin.post('/api/v1/positions', { json: { name: 'a\u0001b' } });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /ký tự không hợp lệ/);
  r = await admin.get('/api/v1/users/%C3%28');
  assert.ok([400, 404].includes(r.status));
  assert.equal(srv.db('SELECT COUNT(*) FROM position'), before);
});

test('oversized bodies get 413 and the server keeps serving', async () => {
  const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(100000) }));
  const r = await rawRequest(srv.port, `POST /api/v1/positions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`, body);
  assert.equal(r.status, 413);
  assert.match(r.body, /vượt quá giới hạn 4096 byte/);
  assert.equal((await admin.get('/api/v1/me')).status, 200);
});

test('over-long fields are refused with the limit named', async () => {
  const r = await admin.post('/api/v1/departments', { json: { name: 'Phòng '.repeat(60) } });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.name, /255 ký tự/);
});

test('decomposed Vietnamese is stored composed (NFC)', async () => {
  const decomposed = 'Phòng Tiếp nhận'.normalize('NFD');
  assert.notEqual(decomposed, 'Phòng Tiếp nhận');
  const r = await admin.post('/api/v1/departments', { json: { name: decomposed } });
  assert.equal(r.status, 201, r.text);
  const list = await admin.get('/api/v1/departments');
  assert.ok(list.json.departments.some((d) => d.name === 'Phòng Tiếp nhận'));
});

test('garbage on the socket does not crash the server', async () => {
  const junk = ['\x00\x01\x02\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'POST /api/v1/login HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    'GET /' + 'a'.repeat(20000) + ' HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /api/v1/me HTTP/1.1\r\nAuthorization: Bearer ' + 'z'.repeat(5000) + '\r\n\r\n'];
  for (const j of junk) {
    await new Promise((res) => {
      const s = net.connect(srv.port, '127.0.0.1', () => s.end(j));
      s.on('data', () => {}); s.on('close', res); s.on('error', res);
      setTimeout(() => { s.destroy(); res(); }, 2000);
    });
  }
  assert.equal((await admin.get('/api/v1/me')).status, 200);
});

test('an acknowledged write survives kill -9 of the server', async () => {
  const r = await admin.post('/api/v1/users', { json: { login: '040095000401', full_name: 'Hoàng Văn Bền', roles: ['specialist'] } });
  assert.equal(r.status, 201);
  const { sig } = await srv.stop('SIGKILL');
  assert.equal(sig, 'SIGKILL');
  await srv.launch();
  admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
  const u = await admin.get('/api/v1/users?q=040095000401');
  assert.equal(u.json.users[0].full_name, 'Hoàng Văn Bền');
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
});

test('SIGTERM finishes cleanly', async () => {
  const s = await new Server().start();
  const { code } = await s.stop('SIGTERM');
  assert.equal(code, 0);
  assert.match(s.log, /msg="stopped"/);
  s.cleanup();
});
