// The command line a sysadmin uses: init, user, agency import, version/help, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { BIN, ENGINE, ROOT, qlvb, qlvbStatus } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'qlvb-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('version, help and unknown commands', () => {
  assert.match(qlvb(['version']), /^qlvb \d+\.\d+\.\d+/);
  assert.match(qlvb(['help']), /Cách dùng/);
  assert.equal(qlvbStatus(['khong-co']).code, 2);
  assert.equal(qlvbStatus([]).code, 2);
});

test('init creates the database; commands on a missing data directory fail clearly', () => {
  const miss = qlvbStatus(['audit', 'verify', '--data', join(dir, 'nothing')]);
  assert.equal(miss.code, 1);
  assert.match(miss.out, /không tồn tại/);
  assert.match(qlvb(['init', '--data', dir]), /Đã khởi tạo/);
  assert.match(qlvb(['init', '--data', dir]), /Đã khởi tạo/, 'init is idempotent');
});

test('agency import: valid CSV creates the tree; a bad row changes nothing', () => {
  const good = join(dir, 'agencies.csv');
  writeFileSync(good, '\ufeffcode,name,abbr,parent\n000.00.00.H45,"Ủy ban nhân dân tỉnh Quảng Trị",UBND,\n' +
    '000.00.05.H45,"Sở Khoa học và Công nghệ",SKHCN,000.00.00.H45\n' +
    '000.01.05.H45,"Trung tâm Chuyển đổi số",TTCDS,000.00.05.H45\n');
  assert.match(qlvb(['agency', 'import', good, '--data', dir]), /3 cơ quan mới/);
  // The tree has any depth: the centre is listed under its sở, one level further in.
  assert.match(qlvb(['agency', 'list', '--data', dir]),
    /^000\.00\.05\.H45 {4}Sở Khoa học và Công nghệ .*\n000\.01\.05\.H45 {6}Trung tâm Chuyển đổi số /m);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, '000.00.06.H45,Sở Y tế,SYT,000.00.00.H45\n00.00.07.H45,Sở Sai,SS,\n');
  const r = qlvbStatus(['agency', 'import', bad, '--data', dir]);
  assert.equal(r.code, 3);
  assert.match(r.out, /Dòng 2: Mã định danh/);
  const list = qlvb(['agency', 'list', '--data', dir]);
  assert.match(list, /Sở Khoa học và Công nghệ/);
  assert.doesNotMatch(list, /Sở Y tế/, 'the whole import is one transaction');
  // Updating by code keeps the row.
  writeFileSync(good, '000.00.05.H45,"Sở Khoa học và Công nghệ tỉnh Quảng Trị",SKHCN,000.00.00.H45\n');
  assert.match(qlvb(['agency', 'import', good, '--data', dir]), /0 cơ quan mới, 1 cập nhật/);
  assert.match(qlvb(['agency', 'list', '--data', dir]), /Sở Khoa học và Công nghệ tỉnh Quảng Trị/);
  // Demo data only goes into an empty database.
  const demo = qlvbStatus(['init', '--demo', '--data', dir]);
  assert.equal(demo.code, 3);
  assert.match(demo.out, /CSDL đã có dữ liệu/);
});

test('the demo province has two tiers: sở, wards and communes directly under the province', () => {
  const demo = join(dir, 'demo');
  const out = qlvb(['init', '--data', demo, '--demo']);
  const list = qlvb(['agency', 'list', '--data', demo]);
  assert.match(list, /^000\.00\.00\.H41  Ủy ban nhân dân tỉnh Nghệ An /m);
  for (const [code, name, host] of [['000.00.04.H41', 'Sở Khoa học và Công nghệ', 'skhcn'],
    ['000.00.30.H41', 'Ủy ban nhân dân phường Trường Vinh', 'truongvinh'],
    ['000.00.31.H41', 'Ủy ban nhân dân phường Thành Vinh', 'thanhvinh'],
    ['000.00.32.H41', 'Ủy ban nhân dân xã Anh Sơn', 'anhson']])
    assert.ok(list.includes(`${code}    ${name} (`) && list.includes(`qlvb-${host})`), `${name} under the province`);
  assert.doesNotMatch(list, /huyện|Thông tin và Truyền thông/);
  assert.equal(list.trim().split('\n').filter((l) => /^\S+ {5}/.test(l)).length, 0, 'no third level');
  // The logins table names each user's agency, not its host label.
  assert.match(out, /^  040090000301 +Phan Văn Đức +Quản trị +Ủy ban nhân dân phường Trường Vinh$/m);
  assert.match(out, /^  040090000141 +Nguyễn Thị Hoa +Quản trị +Sở Khoa học và Công nghệ$/m);
  assert.doesNotMatch(out, /qlvb-(ubndtinh|skhcn|truongvinh)/);
});

test('make run prints all 18 demo logins, on the first run and on the next', () => {
  const data = join(dir, 'run-demo');
  const fake = join(dir, 'fake-qlvb'); // the real binary, except that serve only reports
  writeFileSync(fake, `#!/bin/sh\nif [ "$1" = serve ]; then echo "serve $*"; exit 0; fi\nexec "${BIN}" "$@"\n`,
    { mode: 0o755 });
  const env = { ...process.env, QLVB_DATA: data, QLVB_LISTEN: '127.0.0.1:18099',
    QLVB_ARGON2_MEMORY_KIB: '1024', QLVB_ARGON2_ITERATIONS: '1' };
  delete env.QLVB_DB; // the script looks for $DATA/qlvb.db, i.e. SQLite
  const run = () => spawnSync('bash', [join(ROOT, 'scripts/run-demo.sh'), fake], { env, encoding: 'utf8' });
  const first = run(), second = run();
  assert.match(second.stdout, /Dùng dữ liệu có sẵn/);
  for (const r of [first, second]) {
    assert.equal(r.status, 0, r.stderr);
    assert.equal((r.stdout.match(/^  04\d{10} /gm) || []).length, 18, r.stdout);
    assert.match(r.stdout, /^  040090000305 +Thái Thị Phương +Chuyên viên +Ủy ban nhân dân phường Trường Vinh$/m);
    assert.match(r.stdout, /Mở http:\/\/127\.0\.0\.1:18099 /);
    assert.match(r.stdout, /^serve serve --data /m);
  }
});

test('user add / lock / unlock / reset-password', () => {
  const out = qlvb(['user', 'add', '--data', dir, '--login', '044090000001', '--name', 'Nguyễn Văn Quản', '--agency', '000.00.05.H45', '--roles', 'admin,clerk']);
  assert.match(out, /Mật khẩu ban đầu: Qlvb-/);
  assert.equal(qlvbStatus(['user', 'add', '--data', dir, '--login', '044090000001', '--name', 'Trùng', '--agency', '000.00.05.H45']).code, 3);
  assert.equal(qlvbStatus(['user', 'add', '--data', dir, '--login', '044090000002', '--name', 'X', '--agency', '000.00.05.H45', '--roles', 'boss']).code, 2);
  assert.match(qlvb(['user', 'lock', '--data', dir, '--login', '044090000001']), /Đã khóa/);
  assert.match(qlvb(['user', 'unlock', '--data', dir, '--login', '044090000001']), /Đã mở khóa/);
  assert.match(qlvb(['user', 'reset-password', '--data', dir, '--login', '044090000001']), /Mật khẩu tạm thời/);
  assert.equal(qlvbStatus(['user', 'lock', '--data', dir, '--login', '044090009999']).code, 3);
  const sys = qlvb(['user', 'add', '--sysadmin', '--data', dir, '--login', '044080000001', '--name', 'Quản trị viên']);
  assert.match(sys, /Đã tạo tài khoản/);
  // A system administrator has no home agency; the command line still finds the account.
  assert.match(qlvb(['user', 'lock', '--data', dir, '--login', '044080000001']), /Đã khóa/);
  assert.match(qlvb(['user', 'unlock', '--data', dir, '--login', '044080000001']), /Đã mở khóa/);
  assert.equal(qlvbStatus(['audit', 'verify', '--data', dir]).code, 0);
});

// SQLite: every write transaction of every process (the server, each command) holds an
// flock on <db>-writelock through its COMMIT and the checkpoint SQLite runs in it (the
// WAL-reset bug, docs/architecture.md "Storage"). A command waits for another holder;
// past the wait (10 s; QLVB_DB_LOCK_WAIT_MS here) it fails with exit 1, a precise
// message and nothing saved.
test('a command waits for another process writing the SQLite file, then gives up clearly', { skip: ENGINE !== 'sqlite' }, async () => {
  const lock = join(dir, 'qlvb.db-writelock');
  const hold = async (seconds) => {
    const p = spawn('flock', [lock, 'sleep', String(seconds)], { stdio: 'ignore' });
    const done = new Promise((res) => p.on('exit', res));
    for (let i = 0; i < 200 && spawnSync('flock', ['-n', lock, 'true']).status === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.notEqual(spawnSync('flock', ['-n', lock, 'true']).status, 0, 'the holder has the lock');
    return { done }; // (an async function returning the promise itself would wait for it)
  };
  let held = await hold(1.2);
  const t0 = Date.now();
  assert.match(qlvb(['user', 'lock', '--data', dir, '--login', '044090000001']), /Đã khóa/);
  assert.ok(Date.now() - t0 >= 900, `waited ${Date.now() - t0} ms for the holder`);
  await held.done;
  held = await hold(3);
  const add = ['user', 'add', '--data', dir, '--login', '044090000003', '--name', 'Lê Văn Chờ', '--agency', '000.00.05.H45'];
  const r = spawnSync(BIN, add, { encoding: 'utf8', env: { ...process.env, QLVB_DB_LOCK_WAIT_MS: '300' } });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /CSDL đang bận: một tiến trình khác \(qlvb serve hoặc một lệnh khác\) giữ quyền ghi/);
  await held.done;
  assert.match(qlvb(add), /Đã tạo tài khoản 044090000003/, 'nothing was saved by the refused command');
  assert.match(qlvb(['user', 'unlock', '--data', dir, '--login', '044090000001']), /Đã mở khóa/);
});

// Help is not an error: every command and subcommand answers --help, -h and help with
// its usage on stdout and exit 0; usage errors stay on stderr with exit 2. The list of
// commands comes from the binary's own `qlvb help`, and each command's subcommands from
// its own usage, so a new command or subcommand is covered without editing this file.
function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 10000, env: { ...process.env, QLVB_DATA: join(dir, 'no-data') } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertHelp(args, what) {
  const r = run(args);
  const label = `qlvb ${args.join(' ')}`;
  assert.equal(r.code, 0, `${label}: exit ${r.code}, stderr ${r.stderr}`);
  assert.match(r.stdout, what, `${label}: usage on stdout`);
  assert.equal(r.stderr, '', `${label}: nothing on stderr`);
  return r.stdout;
}

function commands() {
  const top = assertHelp(['help'], /Cách dùng: qlvb <lệnh>/);
  const list = top.split('Các lệnh:')[1];
  assert.ok(list, 'the top-level help has a command list');
  return [...list.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]);
}

test('qlvb help lists every command, and help/--help/-h agree', () => {
  const cmds = commands();
  for (const c of ['serve', 'init', 'user', 'agency', 'audit', 'edxml', 'pdf', 'version', 'help'])
    assert.ok(cmds.includes(c), `qlvb help lists ${c}`);
  const top = run(['help']).stdout;
  assert.equal(run(['--help']).stdout, top);
  assert.equal(run(['-h']).stdout, top);
  const none = run([]);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /Cách dùng/);
  const unknown = run(['help', 'khong-co']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /không có lệnh 'khong-co'/);
});

test('every command and subcommand prints its usage on stdout and exits 0 for --help, -h, help', () => {
  let subs = 0;
  for (const c of commands()) {
    if (c === 'help') continue;
    const usage = assertHelp([c, '--help'], /Cách dùng/);
    assert.equal(assertHelp([c, '-h'], /Cách dùng/), usage, `qlvb ${c} -h`);
    assert.equal(assertHelp([c, 'help'], /Cách dùng/), usage, `qlvb ${c} help`);
    assert.equal(assertHelp(['help', c], /Cách dùng/), usage, `qlvb help ${c}`);
    const names = new Set([...usage.matchAll(new RegExp(`qlvb ${c} ([a-z][a-z-]*)`, 'g'))].map((m) => m[1]));
    for (const s of names) {
      subs++;
      assert.equal(assertHelp([c, s, '--help'], /Cách dùng/), usage, `qlvb ${c} ${s} --help`);
      assert.equal(assertHelp([c, s, '-h'], /Cách dùng/), usage, `qlvb ${c} ${s} -h`);
      // --help wins over other arguments, and nothing runs: no data directory is made.
      assertHelp([c, s, '--data', join(dir, 'help-data'), '--help'], /Cách dùng/);
    }
  }
  // user add|reset-password|lock|unlock, agency import|list, audit verify,
  // edxml parse|build|sign|verify, pdf sign|verify|stamp
  assert.ok(subs >= 14, `${subs} subcommands found`);
  assert.equal(qlvbStatus(['audit', 'verify', '--data', join(dir, 'help-data')]).code, 1, 'help created nothing');
});

test('usage errors go to stderr with exit 2', () => {
  for (const args of [['khong-co'], ['user'], ['agency'], ['audit'], ['edxml'], ['pdf'],
    ['user', 'khong-co', '--login', '044090000001'], ['agency', 'khong-co'], ['audit', 'khong-co'],
    ['edxml', 'khong-co'], ['pdf', 'khong-co'], ['init', '--khong-co'], ['serve', '--khong-co'],
    ['pdf', 'verify'], ['edxml', 'parse']]) {
    const r = run(args);
    assert.equal(r.code, 2, `qlvb ${args.join(' ')}: exit ${r.code}`);
    assert.equal(r.stdout, '', `qlvb ${args.join(' ')}: nothing on stdout`);
    assert.notEqual(r.stderr, '', `qlvb ${args.join(' ')}: says why on stderr`);
  }
});
