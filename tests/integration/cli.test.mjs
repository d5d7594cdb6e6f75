// The command line a sysadmin uses: init, user, agency import, version/help, exit codes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qlvb, qlvbStatus } from './harness.mjs';

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
  writeFileSync(good, '\ufeffcode,name,abbr,parent\n000.00.00.H45,"Ủy ban nhân dân tỉnh Quảng Bình",UBND,\n' +
    '000.00.05.H45,"Sở Thông tin và Truyền thông",STTTT,000.00.00.H45\n');
  assert.match(qlvb(['agency', 'import', good, '--data', dir]), /2 cơ quan mới/);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, '000.00.06.H45,Sở Y tế,SYT,000.00.00.H45\n00.00.07.H45,Sở Sai,SS,\n');
  const r = qlvbStatus(['agency', 'import', bad, '--data', dir]);
  assert.equal(r.code, 3);
  assert.match(r.out, /Dòng 2: Mã định danh/);
  const list = qlvb(['agency', 'list', '--data', dir]);
  assert.match(list, /Sở Thông tin và Truyền thông/);
  assert.doesNotMatch(list, /Sở Y tế/, 'the whole import is one transaction');
  // Updating by code keeps the row.
  writeFileSync(good, '000.00.05.H45,"Sở Khoa học và Công nghệ",SKHCN,000.00.00.H45\n');
  assert.match(qlvb(['agency', 'import', good, '--data', dir]), /0 cơ quan mới, 1 cập nhật/);
  // Demo data only goes into an empty database.
  const demo = qlvbStatus(['init', '--demo', '--data', dir]);
  assert.equal(demo.code, 3);
  assert.match(demo.out, /CSDL đã có dữ liệu/);
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
