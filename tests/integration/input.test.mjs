// Bad input gets a precise error and changes nothing; no input crashes the server.
// Text is NFC-normalised at the edge (standards.md §11). Acknowledged writes survive
// kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { Server, Client, ADMIN_SKHCN, SYSADMIN, DEMO_PASSWORD, qlvbStatus, rawRequest } from './harness.mjs';

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

test('a JSON body member a route does not take is errors.body and writes nothing', async () => {
  const sys = new Client(srv); await sys.apiLogin(SYSADMIN);
  const clerk = new Client(srv); await clerk.apiLogin('040090000143');
  const one = (sql) => Number(srv.db(sql).trim());
  const me = one(`SELECT id FROM app_user WHERE login = '${ADMIN_SKHCN}'`);
  const agency = one(`SELECT agency_id FROM membership WHERE user_id = ${me}`);
  const membership = one(`SELECT id FROM membership WHERE user_id = ${me}`);
  const dept = one(`SELECT MIN(id) FROM department WHERE agency_id = ${agency}`);
  const pos = one(`SELECT MIN(id) FROM position WHERE agency_id = ${agency}`);
  const user = one(`SELECT MAX(user_id) FROM membership WHERE agency_id = ${agency}`);
  const doc = one(`SELECT MIN(id) FROM document WHERE agency_id = ${agency}`);
  // Each body is one the route takes (the same without `extra` would be written), plus
  // one member it does not: the member check comes first, whoever asks.
  const cases = [
    [admin, 'POST', '/api/v1/login', { login: ADMIN_SKHCN, password: DEMO_PASSWORD, remember: true }, 400, 'remember'],
    [admin, 'POST', '/api/v1/me/password', { current_password: DEMO_PASSWORD, new_password: 'Khac@2026qlvb-x', confirm_password: 'Khac@2026qlvb-x', pin: 1 }, 422, 'pin'],
    [admin, 'POST', '/api/v1/me/agency', { membership_id: membership, agency_id: agency }, 400, 'agency_id'],
    [sys, 'POST', '/api/v1/agencies', { code: '000.00.99.H41', name: 'Cơ quan thử thành viên lạ', parent: 1 }, 422, 'parent'],
    [sys, 'PATCH', `/api/v1/agencies/${agency}`, { name: 'Tên mới', Active: false }, 422, 'Active'],
    [admin, 'POST', '/api/v1/departments', { name: 'Phòng thành viên lạ', parentId: dept }, 422, 'parentId'],
    [admin, 'PATCH', `/api/v1/departments/${dept}`, { name: 'Phòng đổi tên', id: dept }, 422, 'id'],
    [admin, 'POST', '/api/v1/positions', { name: 'Chức vụ thành viên lạ', rank: 7, level: 1 }, 422, 'level'],
    [admin, 'PATCH', `/api/v1/positions/${pos}`, { rank: 3, created_at: 0 }, 422, 'created_at'],
    [admin, 'POST', '/api/v1/users', { login: '040090009991', full_name: 'Người Thử', roles: ['specialist'], role: 'admin' }, 422, 'role'],
    [admin, 'PATCH', `/api/v1/users/${user}`, { full_name: 'Tên đổi', disabled: true }, 422, 'disabled'],
    [admin, 'POST', '/api/v1/signatures/prepared/khong-co/finish', { signature: 'AAAA', key_id: 1 }, 422, 'key_id'],
    [admin, 'POST', '/api/v1/signing-keys/1/revoke', { reason: 'Mất thiết bị', force: true }, 422, 'force'],
    [sys, 'POST', '/api/v1/calendar/overrides', { date: '2031-02-10', kind: 'day_off', note: 'Thử', year: 2031 }, 422, 'year'],
    [admin, 'POST', '/api/v1/registers', { kind: 'incoming', name: 'Sổ thành viên lạ', agency_id: agency }, 422, 'agency_id'],
    [clerk, 'POST', '/api/v1/documents/issue', { ids: [1], dry_run: true }, 422, 'dry_run'],
    [admin, 'POST', '/api/v1/circuit-templates/cong_van', { steps: [], replace: true }, 422, 'replace'],
    [clerk, 'POST', `/api/v1/documents/${doc}/comment`, { note: 'Ý kiến', part_done: false, pages: 2 }, 422, 'pages'],
  ];
  const tables = ['audit_log', 'session', 'login_attempt', 'agency', 'department', 'position', 'app_user',
    'membership', 'calendar_override', 'doc_register', 'doc_circuit_step', 'doc_history'];
  const footprint = () => tables.map((t) => one(`SELECT COUNT(*) FROM ${t}`));
  const before = footprint();
  for (const [c, method, path, json, status, name] of cases) {
    const r = await c.req(method, path, { json });
    assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    assert.match(r.json.errors.body, new RegExp(`“${name}” không dùng ở đây`), `${method} ${path}: ${r.text}`);
  }
  assert.deepEqual(footprint(), before);
  assert.equal((await admin.get('/api/v1/me')).status, 200, 'the password is unchanged, the session alive');
  assert.equal((await new Client(srv).apiLogin(ADMIN_SKHCN)).status, 200);
});

// The metadata of the two upload routes (a JSON object in a form field) is checked by
// the same helper: a member it does not take is errors.metadata, in the same words.
test('a metadata member an upload route does not take is errors.metadata and writes nothing', async () => {
  const clerk = new Client(srv); await clerk.apiLogin('040090000143');
  const one = (sql) => Number(srv.db(sql).trim());
  const form = (metadata) => {
    const f = new FormData();
    f.append('metadata', JSON.stringify(metadata));
    return f;
  };
  const before = [one('SELECT COUNT(*) FROM document'), one('SELECT COUNT(*) FROM audit_log')];
  for (const [path, metadata, name] of [
    ['/api/v1/documents/incoming', { medium: 'paper', subject: 'Thử thành viên lạ', doc_type: 'CV', Subject: 'x' }, 'Subject'],
    ['/api/v1/documents/outgoing', { doc_type: 'CV', subject: 'Dự thảo thử', urgency: 'normal', signerId: 1 }, 'signerId'],
  ]) {
    const r = await clerk.req('POST', path, { body: form(metadata) });
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    assert.match(r.json.errors.metadata, new RegExp(`“${name}” không dùng ở đây`), `${path}: ${r.text}`);
  }
  assert.deepEqual([one('SELECT COUNT(*) FROM document'), one('SELECT COUNT(*) FROM audit_log')], before);
});

// The upload routes' forms likewise (web/openapi.json: every multipart schema is
// additionalProperties: false): a field or a file part a route does not take is
// errors.body, checked first, in the same words; nothing is written.
test('a form field or file part an upload route does not take is errors.body and writes nothing', async () => {
  const spec = JSON.parse(readFileSync(new URL('../../web/openapi.json', import.meta.url)));
  const one = (sql) => Number(srv.db(sql).trim());
  const doc = one("SELECT MIN(id) FROM document WHERE direction = 'outgoing' AND state = 'draft'");
  const tables = ['document', 'doc_file', 'doc_history', 'blob', 'audit_log', 'signing_key', 'trust_cert',
    'trust_crl', 'signature_image'];
  const footprint = () => tables.map((t) => one(`SELECT COUNT(*) FROM ${t}`));
  const before = footprint();
  let routes = 0;
  for (const [path, ops] of Object.entries(spec.paths)) {
    const op = ops.post;
    const schema = op?.requestBody?.content?.['multipart/form-data']?.schema;
    if (!schema) continue;
    assert.equal(schema.additionalProperties, false, `${path}: multipart schema not closed`);
    routes++;
    const url = '/api/v1' + path.replace('{id}', String(doc));
    // a field the route does not take, next to one it does
    const f = new FormData();
    const known = Object.keys(schema.properties)[0];
    f.append(known, new Blob([Buffer.from('%PDF-1.4\n')]), 'tep.pdf');
    f.append('ghi_chu_la', 'x');
    let r = await admin.req('POST', url, { body: f });
    assert.equal(r.status, 422, `${url}: ${r.text}`);
    assert.match(r.json.errors.body, /“ghi_chu_la” không dùng ở đây/, `${url}: ${r.text}`);
    // a file part under a name it does not take
    const g = new FormData();
    g.append('tep_la', new Blob([Buffer.from('%PDF-1.4\n')]), 'phu-luc.pdf');
    r = await admin.req('POST', url, { body: g });
    assert.equal(r.status, 422, `${url}: ${r.text}`);
    assert.match(r.json.errors.body, /“tep_la” không dùng ở đây/, `${url}: ${r.text}`);
  }
  assert.equal(routes, 11);
  assert.deepEqual(footprint(), before);
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
