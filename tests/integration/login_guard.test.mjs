// Sign-in under attack (issue 9, items 4, 5, 6, 12): guesses are counted atomically per
// login string whether or not an account has it, a locked or disabled account answers
// the same whatever the password, the current-password check of /me/password is on the
// same count, and failures are limited per address and kept out of other agencies' logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, ADMIN_SKHCN, SYSADMIN, rawRequest } from './harness.mjs';

let srv;
// 16 threads and a costly hash, so parallel guesses really overlap.
before(async () => {
  srv = await new Server(['--threads', '16'], {
    QLVB_ARGON2_MEMORY_KIB: '16384', QLVB_ARGON2_ITERATIONS: '2', QLVB_LOGIN_ADDR_LIMIT: '1000',
  }).start();
});
after(async () => { await srv.stop(); srv.cleanup(); });

const PW = 'Đúng-Mật-Khẩu-9';
async function newUser(login, extra = {}) {
  const admin = new Client(srv);
  await admin.apiLogin(ADMIN_SKHCN);
  const r = await admin.post('/api/v1/users', { json: { login, full_name: 'Lê Văn Khách', roles: ['specialist'], password: PW, ...extra } });
  assert.equal(r.status, 201, r.text);
  return { admin, id: r.json.id };
}
const guessed = (login) => Number(srv.db(`SELECT COUNT(*) FROM audit_log WHERE actor_login = '${login}' ` +
  `AND summary IN ('Sai mật khẩu', 'Tạm khóa sau nhiều lần nhập sai mật khẩu')`)); // passwords checked

test('40 parallel wrong passwords check at most the threshold of 5 guesses', async () => {
  await newUser('040095000601');
  const rs = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    new Client(srv).apiLogin('040095000601', 'sai-song-song-' + i)));
  assert.ok(rs.every((r) => r.status === 401 || r.status === 423), rs.map((r) => r.status).join());
  assert.ok(rs.filter((r) => r.status === 401).length <= 4);
  assert.ok(guessed('040095000601') <= 5, `checked ${guessed('040095000601')} guesses`);
  const right = await new Client(srv).apiLogin('040095000601', PW);
  assert.equal(right.status, 423, 'the account is locked after the parallel burst');
});

// Correct passwords at once (a user on a phone and a desktop, an API client's parallel
// requests): past the threshold the extra ones are refused unchecked as busy, not as
// failures, so they cannot lock the account; the count they took is given back.
test('parallel correct logins of one account do not lock it', async () => {
  await newUser('040095000609');
  const rs = await Promise.all(Array.from({ length: 12 }, () => new Client(srv).apiLogin('040095000609', PW)));
  assert.ok(rs.every((r) => r.status === 200 || (r.status === 423 && /cùng lúc/.test(r.json.detail))),
    rs.map((r) => `${r.status} ${r.json && r.json.detail}`).join('; '));
  assert.ok(rs.some((r) => r.status === 200));
  const again = await new Client(srv).apiLogin('040095000609', PW);
  assert.equal(again.status, 200, again.text);
  assert.equal(srv.db("SELECT locked_until FROM login_attempt WHERE login = '040095000609'").trim(), '0');
  assert.equal(srv.db("SELECT COUNT(*) FROM audit_log WHERE actor_login = '040095000609' AND action = 'account_locked_out'").trim(), '0');
});

test('an unknown ID counts down and locks exactly like a known one', async () => {
  await newUser('040095000602');
  const seq = async (login) => {
    const out = [];
    for (let i = 1; i <= 6; i++) {
      const r = await new Client(srv).apiLogin(login, 'sai-' + i);
      out.push([r.status, r.json.detail.replace(/\d\d:\d\d ngày \d\d\/\d\d\/\d{4}/, 'T')]);
    }
    return out;
  };
  const known = await seq('040095000602');
  const unknown = await seq('040095999602');
  assert.deepEqual(unknown, known);
  assert.match(known[0][1], /Còn 4 lần thử/);
  assert.equal(known[4][0], 423);
  // Locked: the right and a wrong password get the same answer.
  const right = await new Client(srv).apiLogin('040095000602', PW);
  const wrong = await new Client(srv).apiLogin('040095000602', 'sai-nua');
  assert.equal(right.status, 423);
  assert.equal(wrong.status, 423);
  assert.equal(right.json.detail, wrong.json.detail);
});

test('a disabled account answers the same whatever the password', async () => {
  const { admin, id } = await newUser('040095000603');
  assert.equal((await admin.post(`/api/v1/users/${id}/lock`)).status, 204);
  const right = await new Client(srv).apiLogin('040095000603', PW);
  const wrong = await new Client(srv).apiLogin('040095000603', 'sai-mat-khau');
  assert.equal(right.status, 401);
  assert.equal(wrong.status, 401);
  assert.match(right.json.detail, /Số định danh cá nhân hoặc mật khẩu không đúng\. Còn 4 lần thử/);
  assert.match(wrong.json.detail, /Còn 3 lần thử/);
  assert.equal((await admin.post(`/api/v1/users/${id}/unlock`)).status, 204);
  assert.equal((await new Client(srv).apiLogin('040095000603', PW)).status, 200);
});

test('/me/password counts wrong current passwords and locks after the threshold', async () => {
  await newUser('040095000604', { must_change: false });
  const c = new Client(srv);
  assert.equal((await c.apiLogin('040095000604', PW)).status, 200);
  const change = (cur) => c.post('/api/v1/me/password', { json: { current_password: cur, new_password: 'Mật-Khẩu-Mới-2027', confirm_password: 'Mật-Khẩu-Mới-2027' } });
  let r;
  for (let i = 1; i <= 4; i++) {
    r = await change('sai-' + i);
    assert.equal(r.status, 422);
    assert.match(r.json.errors.current_password, new RegExp(`Còn ${5 - i} lần thử`));
  }
  r = await change('sai-5');
  assert.match(r.json.errors.current_password, /tạm khóa đến/);
  r = await change(PW);
  assert.equal(r.status, 422, 'the right password is refused while locked');
  assert.match(r.json.errors.current_password, /nhiều lần/);
  assert.equal((await new Client(srv).apiLogin('040095000604', PW)).status, 423);
});

test('failed logins through another agency\'s host name stay out of its log', async () => {
  const body = (login) => JSON.stringify({ login, password: 'khong-dung' });
  const req = (login) => rawRequest(srv.port, `POST /api/v1/login HTTP/1.1\r\nHost: qlvb-snv.nghean.gov.vn\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body(login))}\r\nConnection: close\r\n\r\n`, Buffer.from(body(login)));
  const snv = srv.db("SELECT id FROM agency WHERE host_label = 'qlvb-snv'").trim();
  assert.ok(snv);
  assert.equal((await req('040095777001')).status, 401); // nobody
  assert.equal((await req(ADMIN_SKHCN)).status, 401);    // a person of Sở KH&CN
  const rows = srv.db(`SELECT COUNT(*) FROM audit_log WHERE agency_id = ${snv} AND actor_login IN ('040095777001', '${ADMIN_SKHCN}')`);
  assert.equal(Number(rows), 0);
  // The failure on the real account is in its own agency's log; the unknown one in
  // the installation's log, which the system administrator reads.
  const skhcn = srv.db(`SELECT agency_id FROM app_user u JOIN membership m ON m.user_id = u.id WHERE u.login = '${ADMIN_SKHCN}'`).trim();
  assert.ok(Number(srv.db(`SELECT COUNT(*) FROM audit_log WHERE agency_id = ${skhcn} AND actor_login = '${ADMIN_SKHCN}' AND action = 'login_failed'`)) >= 1);
  const sys = new Client(srv); await sys.apiLogin(SYSADMIN);
  const all = await sys.get('/api/v1/audit?action=login_failed');
  assert.ok(all.json.rows.some((x) => x.actor_login === '040095777001'));
});

test('failures are limited per client address, and no more rows are written past it', async () => {
  const s2 = await new Server([], { QLVB_LOGIN_ADDR_LIMIT: '8' }).start();
  try {
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await new Client(s2).apiLogin(`0400958880${String(i).padStart(2, '0')}`, 'x')).status);
    assert.deepEqual(statuses.slice(0, 8), Array(8).fill(401));
    const r = await new Client(s2).apiLogin('040095888099', 'x');
    assert.equal(r.status, 423);
    assert.match(r.json.detail, /quá nhiều lần đăng nhập sai từ địa chỉ này/);
    const n = Number(s2.db("SELECT COUNT(*) FROM audit_log WHERE actor_login LIKE '0400958880%' OR actor_login = '040095888099'"));
    assert.equal(n, 8);
    // The right password of a real account is refused too from that address for now.
    assert.equal((await new Client(s2).apiLogin(ADMIN_SKHCN)).status, 423);
  } finally { await s2.stop(); s2.cleanup(); }
});
