// The database as a user and an operator meet it: an unreachable PostgreSQL at start
// (clear message, exit code, no password shown), and on the PostgreSQL pass a database
// that goes away while serving (503 in Vietnamese, then recovery without a restart).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, qlvbStatus, ADMIN_SKHCN, PG } from './harness.mjs';

const DOWN = 'postgres://qlvb:mat-khau-bi-mat@127.0.0.1:1/qlvb';

test('PostgreSQL unreachable at start: a clear message, exit code 1, password masked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-it-down-'));
  try {
    for (const args of [['init', '--data', dir, '--db', DOWN],
      ['serve', '--data', dir, '--db', DOWN, '--listen', '127.0.0.1:0']]) {
      const r = qlvbStatus(args);
      assert.equal(r.code, 1, args[0]);
      assert.match(r.out, /không kết nối được máy chủ CSDL 'postgres:\/\/qlvb:\*\*\*@127\.0\.0\.1:1\/qlvb'/);
      assert.ok(!r.out.includes('mat-khau-bi-mat'), 'the password never reaches the output');
    }
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

let srv;
before(async () => { if (PG) srv = await new Server().start(); });
after(async () => { if (srv) { await srv.stop(); srv.cleanup(); } });

function admin(sql) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', PG, '-c', sql],
    { encoding: 'utf8' });
}

test('database gone while serving: 503 in Vietnamese, back without a restart', { skip: !PG && 'PostgreSQL pass only' }, async () => {
  const name = srv.db('SELECT current_database()').trim();
  const api = new Client(srv);
  assert.equal((await api.apiLogin(ADMIN_SKHCN)).status, 200);
  const web = new Client(srv);
  assert.equal((await web.webLogin(ADMIN_SKHCN)).status, 303);
  assert.equal((await api.get('/api/v1/me')).status, 200);
  // The server's connections are cut and new ones refused, as in a failover.
  admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
  try {
    const r = await api.get('/api/v1/me');
    assert.equal(r.status, 503);
    assert.equal(r.json.title, 'Cơ sở dữ liệu tạm thời không truy cập được');
    assert.ok(r.headers.get('retry-after'));
    const page = await web.get('/');
    assert.equal(page.status, 503);
    assert.match(page.text, /Cơ sở dữ liệu tạm thời không truy cập được/);
  } finally {
    admin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }
  // The same sessions work again once the database is back (a reconnect is tried at
  // most once a second after a failure).
  let status = 0;
  for (let i = 0; i < 50 && status !== 200; i++) {
    await new Promise((res) => setTimeout(res, 100));
    status = (await api.get('/api/v1/me')).status;
  }
  assert.equal(status, 200);
  assert.equal((await web.get('/')).status, 200);
  assert.doesNotMatch(srv.log, /mat-khau|password=/);
});
