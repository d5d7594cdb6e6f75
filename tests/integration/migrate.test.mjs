// `qlvb migrate-to-postgres`: an SQLite installation in use (a department created
// through the API, a binary image) moves onto an empty PostgreSQL database; the
// server then runs on it with the same accounts, the audit chain verifies, new rows
// continue the numbering, and a second run refuses the non-empty target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, qlvb, qlvbStatus, ADMIN_SKHCN, PG, BIN, freshDb } from './harness.mjs';

test('migrate-to-postgres refuses bad arguments and an unreachable target, password masked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-it-mig-'));
  try {
    assert.equal(qlvbStatus(['migrate-to-postgres', '--from', dir]).code, 2);
    assert.equal(qlvbStatus(['migrate-to-postgres', '--from', dir, '--to', 'sqlite:/tmp/x.db']).code, 2);
    let r = qlvbStatus(['migrate-to-postgres', '--from', dir, '--to', 'postgres://qlvb@127.0.0.1:1/x']);
    assert.equal(r.code, 1);
    assert.match(r.out, /không có CSDL SQLite/);
    qlvb(['init', '--data', dir, '--db', `sqlite:${dir}/qlvb.db`]);
    r = qlvbStatus(['migrate-to-postgres', '--from', dir, '--to', 'postgres://qlvb:bi-mat@127.0.0.1:1/x']);
    assert.equal(r.code, 1);
    assert.match(r.out, /không kết nối được máy chủ CSDL 'postgres:\/\/qlvb:\*\*\*@127\.0\.0\.1:1\/x'/);
    assert.ok(!r.out.includes('bi-mat'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('an SQLite installation moves to PostgreSQL and keeps working', { skip: !PG && 'PostgreSQL pass only' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-it-mig-'));
  const sqlite = `sqlite:${dir}/qlvb.db`;
  let before, after;
  try {
    qlvb(['init', '--data', dir, '--demo', '--db', sqlite]);
    before = new Server(['--db', sqlite]);
    await before.start({ dataDir: dir });
    const a = new Client(before);
    assert.equal((await a.apiLogin(ADMIN_SKHCN)).status, 200);
    const d = await a.post('/api/v1/departments', { json: { name: 'Phòng Chuyển đổi số' } });
    assert.equal(d.status, 201, d.text);
    await before.stop();
    // A binary value with every awkward byte, as images and sealed keys have.
    const hex = '89504e470d0a1a0a00ff00275c0d0a';
    execFileSync('sqlite3', [join(dir, 'qlvb.db'), 'INSERT INTO signature_image (agency_id, kind, png, ' +
      `width, height, sha256, created_at) VALUES (1, 'seal', X'${hex}', 1, 1, 'x', 0)`]);

    const url = freshDb();
    const m = spawnSync(BIN, ['migrate-to-postgres', '--from', dir, '--to', url], { encoding: 'utf8' });
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /số dòng khớp, chuỗi băm nhật ký toàn vẹn/);
    assert.match(m.stderr, /department +\[#{30}\] 16\/16/, 'a progress bar per table'); // 15 demo + 1
    assert.equal(execFileSync('psql', ['-X', '-A', '-t', '-d', url, '-c',
      "SELECT encode(png, 'hex') FROM signature_image WHERE kind = 'seal'"], { encoding: 'utf8' }).trim(), hex);
    assert.equal(qlvbStatus(['audit', 'verify', '--data', dir, '--db', url]).code, 0);

    after = new Server(['--db', url]);
    await after.start({ dataDir: dir });
    const b = new Client(after);
    assert.equal((await b.apiLogin(ADMIN_SKHCN)).status, 200, 'the same password works');
    const list = await b.get('/api/v1/departments');
    assert.ok(list.json.departments.some((x) => x.name === 'Phòng Chuyển đổi số'));
    const d2 = await b.post('/api/v1/departments', { json: { name: 'Phòng Sau chuyển đổi' } });
    assert.equal(d2.status, 201, d2.text);
    assert.ok(d2.json.id > d.json.id, 'numbering continues after the copied rows');
    await after.stop();
    after = null;
    assert.equal(qlvbStatus(['audit', 'verify', '--data', dir, '--db', url]).code, 0);

    const again = qlvbStatus(['migrate-to-postgres', '--from', dir, '--to', url]);
    assert.equal(again.code, 3);
    assert.match(again.out, /không trống/);
  } finally {
    if (after) await after.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
