// Trust store and signature images against the real binary: system administrators
// manage the trusted CA certificates and CRLs (everyone may read them), agency
// administrators manage their agency's signature and seal images, and nothing of
// agency A is visible to agency B (architecture principle 3; standards.md §6).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Server, Client, ROOT, ADMIN_SKHCN, ADMIN_TRUONGVINH, SYSADMIN } from './harness.mjs';

const SPECIALIST = '040090000145'; // Đỗ Minh Châu, specialist of Sở KH&CN

let srv, pki, sys, skhcn, truongvinh, specialist, specialistId;

// ---- a throw-away PKI (scripts/test-pki.sh) ----
const pem = (name) => readFileSync(join(pki, name));

// ---- PNG files built here: signature, colour type, transparency ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
// colorType 6 = RGBA (transparent), 2 = RGB (opaque). A red ring on a clear background.
function makePng(width, height, colorType = 6) {
  const ch = colorType === 6 ? 4 : 3;
  const raw = Buffer.alloc(height * (1 + width * ch));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * (1 + width * ch) + 1 + x * ch;
      const d = Math.hypot(x - width / 2, y - height / 2);
      const ink = Math.abs(d - Math.min(width, height) * 0.4) < 3;
      raw[o] = 200; raw[o + 1] = 20; raw[o + 2] = 30;
      if (ch === 4) raw[o + 3] = ink ? 255 : 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = colorType;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function form(fields, file, name = 'file.bin', type = 'application/octet-stream') {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  if (file) fd.append('file', new Blob([file], { type }), name);
  return fd;
}
const upload = (c, path, file, fields = {}, name) => c.req('POST', path, { body: form(fields, file, name) });

before(async () => {
  pki = mkdtempSync(join(tmpdir(), 'qlvb-pki-it-'));
  execFileSync('bash', [join(ROOT, 'scripts/test-pki.sh'), pki], { stdio: 'ignore' });
  // A CRL signed by the root nobody trusts.
  execFileSync('openssl', ['ca', '-batch', '-config', 'stranger-root/ca.cnf', '-cert', 'stranger-root.pem',
    '-keyfile', 'stranger-root.key', '-gencrl', '-out', 'stranger-root.crl.pem'], { cwd: pki, stdio: 'ignore' });
  srv = await new Server().start();
  sys = new Client(srv); await sys.apiLogin(SYSADMIN);
  skhcn = new Client(srv); await skhcn.apiLogin(ADMIN_SKHCN);
  truongvinh = new Client(srv); await truongvinh.apiLogin(ADMIN_TRUONGVINH);
  specialist = new Client(srv); await specialist.apiLogin(SPECIALIST);
  specialistId = (await specialist.get('/api/v1/me')).json.id;
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

// ---- trust store ----

test('the system administrator adds a root; everyone can read the store', async () => {
  const r = await upload(sys, '/api/v1/trust/certificates', pem('root.pem'), {}, 'root.pem');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.added.length, 1);
  const root = r.json.added[0];
  assert.equal(root.kind, 'root');
  assert.equal(root.subject, 'CN=QLVB Test Root CA,O=QLVB Test,C=VN');
  assert.equal(root.issuer, root.subject);
  assert.match(root.fingerprint, /^[0-9a-f]{64}$/);
  assert.match(root.serial, /^[0-9A-F]+$/);
  assert.ok(root.not_after > root.not_before);
  assert.equal(root.active, true);
  for (const c of [sys, specialist, truongvinh]) {
    const list = await c.get('/api/v1/trust');
    assert.equal(list.status, 200);
    assert.ok(list.json.certificates.some((x) => x.id === root.id && x.active), 'listed');
    assert.ok(Array.isArray(list.json.crls));
  }
  const audit = await sys.get('/api/v1/audit?action=trust_cert_add');
  assert.ok(audit.json.rows.some((a) => a.object_id === String(root.id) && /QLVB Test Root CA/.test(a.summary)));
});

test('duplicates, leaf certificates and garbage are refused with Vietnamese messages', async () => {
  const dup = await upload(sys, '/api/v1/trust/certificates', pem('root.pem'));
  assert.equal(dup.status, 409);
  assert.match(dup.json.errors.file, /đã có trong danh sách tin cậy/);
  const leaf = await upload(sys, '/api/v1/trust/certificates', pem('person.pem'));
  assert.equal(leaf.status, 422);
  assert.match(leaf.json.errors.file, /không phải của tổ chức chứng thực \(CA\)/);
  const junk = await upload(sys, '/api/v1/trust/certificates', Buffer.from('xin chào'));
  assert.equal(junk.status, 422);
  assert.match(junk.json.errors.file, /không chứa chứng thư số hợp lệ/);
  // A browser sends an empty part when no file was chosen.
  const none = await sys.req('POST', '/api/v1/trust/certificates', { body: form({}, Buffer.alloc(0)) });
  assert.equal(none.status, 422);
  assert.match(none.json.errors.file, /Chưa chọn tệp/);
  const broken = await sys.req('POST', '/api/v1/trust/certificates', { body: form({}) });
  assert.equal(broken.status, 400, 'a multipart body without any part is malformed');
  // A file with a CA and a leaf is refused as a whole.
  const mixed = await upload(sys, '/api/v1/trust/certificates', Buffer.concat([pem('inter.pem'), pem('person.pem')]));
  assert.equal(mixed.status, 422);
  assert.equal(srv.db("SELECT COUNT(*) FROM trust_cert WHERE subject LIKE '%Issuing%'").trim(), '0');
});

test('an intermediate arrives as a raw DER body', async () => {
  const der = execFileSync('openssl', ['x509', '-in', join(pki, 'inter.pem'), '-outform', 'DER']);
  const r = await sys.req('POST', '/api/v1/trust/certificates',
    { body: der, headers: { 'Content-Type': 'application/pkix-cert' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.added[0].kind, 'intermediate');
  assert.equal(r.json.added[0].issuer, 'CN=QLVB Test Root CA,O=QLVB Test,C=VN');
});

test('CRLs must come from a trusted CA; a newer one replaces the older', async () => {
  const rootCrl = await upload(sys, '/api/v1/trust/crls', pem('root.crl.pem'), {}, 'root.crl');
  assert.equal(rootCrl.status, 201, rootCrl.text);
  assert.equal(rootCrl.json.added[0].issuer, 'CN=QLVB Test Root CA,O=QLVB Test,C=VN');
  assert.equal(rootCrl.json.added[0].entries, 0);
  const inter = await upload(sys, '/api/v1/trust/crls', pem('inter.crl.pem'));
  assert.equal(inter.status, 201, inter.text);
  assert.equal(inter.json.added[0].entries, 1); // the revoked test certificate
  const again = await upload(sys, '/api/v1/trust/crls', pem('inter.crl.pem'));
  assert.equal(again.status, 409);
  assert.match(again.json.errors.file, /đã được thêm/);
  const stranger = await upload(sys, '/api/v1/trust/crls', pem('stranger-root.crl.pem'));
  assert.equal(stranger.status, 422);
  assert.equal(stranger.json.errors.file, 'Danh sách thu hồi không do CA tin cậy phát hành.');
  const notCrl = await upload(sys, '/api/v1/trust/crls', pem('root.pem'));
  assert.equal(notCrl.status, 422);
  assert.match(notCrl.json.errors.file, /CRL/);
  // A newer CRL of the same CA: the older one stays, inactive.
  execFileSync('openssl', ['ca', '-batch', '-config', 'inter/ca.cnf', '-cert', 'inter.pem', '-keyfile', 'inter.key',
    '-gencrl', '-crlhours', '1', '-out', 'inter2.crl.pem'], { cwd: pki, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1100)); // thisUpdate has one-second resolution
  execFileSync('openssl', ['ca', '-batch', '-config', 'inter/ca.cnf', '-cert', 'inter.pem', '-keyfile', 'inter.key',
    '-gencrl', '-out', 'inter3.crl.pem'], { cwd: pki, stdio: 'ignore' });
  const newer = await upload(sys, '/api/v1/trust/crls', pem('inter3.crl.pem'));
  assert.equal(newer.status, 201, newer.text);
  const list = (await sys.get('/api/v1/trust')).json.crls.filter((c) => /Issuing/.test(c.issuer));
  assert.deepEqual(list.map((c) => c.active), [true, false]);
  const older = await upload(sys, '/api/v1/trust/crls', pem('inter2.crl.pem'));
  assert.equal(older.status, 409);
  assert.match(older.json.errors.file, /mới hơn/);
});

test('agency administrators and users cannot change the trust store', async () => {
  const root = (await sys.get('/api/v1/trust')).json.certificates.find((c) => c.kind === 'root');
  for (const c of [skhcn, specialist]) {
    assert.equal((await upload(c, '/api/v1/trust/certificates', pem('stranger-root.pem'))).status, 403);
    assert.equal((await upload(c, '/api/v1/trust/crls', pem('root.crl.pem'))).status, 403);
    assert.equal((await c.req('DELETE', `/api/v1/trust/certificates/${root.id}`)).status, 403);
  }
  assert.equal(srv.db(`SELECT active FROM trust_cert WHERE id = ${root.id}`).trim(), '1');
  assert.equal(srv.db("SELECT COUNT(*) FROM trust_cert WHERE subject LIKE '%Stranger%'").trim(), '0');
});

test('removing keeps the row for the record; adding again reactivates it', async () => {
  const r = await upload(sys, '/api/v1/trust/certificates', pem('tsa.pem'));
  assert.equal(r.status, 422, 'a time-stamping certificate is not a CA');
  const inter = (await sys.get('/api/v1/trust')).json.certificates.find((c) => c.kind === 'intermediate');
  assert.equal((await sys.req('DELETE', `/api/v1/trust/certificates/${inter.id}`)).status, 204);
  assert.equal((await sys.req('DELETE', `/api/v1/trust/certificates/${inter.id}`)).status, 204, 'idempotent');
  assert.equal((await sys.req('DELETE', '/api/v1/trust/certificates/999999')).status, 404);
  let row = (await sys.get('/api/v1/trust')).json.certificates.find((c) => c.id === inter.id);
  assert.equal(row.active, false);
  const back = await upload(sys, '/api/v1/trust/certificates', pem('inter.pem'));
  assert.equal(back.status, 201, back.text);
  assert.equal(back.json.added[0].id, inter.id);
  row = (await sys.get('/api/v1/trust')).json.certificates.find((c) => c.id === inter.id);
  assert.equal(row.active, true);
  const actions = (await sys.get('/api/v1/audit?action=trust_cert_remove')).json.rows;
  assert.equal(actions.length, 1, 'the repeated removal wrote nothing');
  assert.equal(srv.db("SELECT CASE WHEN CAST(value AS INTEGER) > 0 THEN 1 ELSE 0 END FROM setting WHERE key = 'trust_generation'").trim(), '1');
});

test('files in <data>/trust/ join the store and are listed as such', async () => {
  mkdirSync(join(srv.dir, 'trust'), { recursive: true });
  copyFileSync(join(pki, 'stranger-root.pem'), join(srv.dir, 'trust', 'stranger.pem'));
  const list = await specialist.get('/api/v1/trust');
  const f = list.json.certificates.find((c) => /Stranger Root/.test(c.subject));
  assert.ok(f, 'listed');
  assert.equal(f.source, 'file');
  assert.equal(f.id, 0);
  // ... and its CRL is now accepted.
  const crl = await upload(sys, '/api/v1/trust/crls', pem('stranger-root.crl.pem'));
  assert.equal(crl.status, 201, crl.text);
  rmSync(join(srv.dir, 'trust'), { recursive: true, force: true });
});

// ---- signature and seal images ----

let sealId, sigId;

test('an agency administrator uploads the seal and a person\'s signature', async () => {
  const seal = makePng(200, 200);
  const r = await upload(skhcn, '/api/v1/signature-images', seal, { kind: 'seal' }, 'con-dau.png');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'seal');
  assert.equal(r.json.user_id, 0);
  assert.equal(r.json.width, 200);
  assert.equal(r.json.bytes, seal.length);
  assert.equal(r.json.active, true);
  sealId = r.json.id;
  const s = await upload(skhcn, '/api/v1/signature-images', makePng(300, 120), { kind: 'signature', user_id: specialistId });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.user_id, specialistId);
  assert.equal(s.json.owner_name, 'Đỗ Minh Châu');
  sigId = s.json.id;
  const png = await skhcn.get(`/api/v1/signature-images/${sealId}/png`);
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await (await fetch(srv.url(`/api/v1/signature-images/${sealId}/png`),
    { headers: { Authorization: `Bearer ${skhcn.token}` } })).arrayBuffer());
  assert.ok(bytes.equals(seal));
  const audit = await skhcn.get('/api/v1/audit?action=sigimage_upload');
  assert.ok(audit.json.rows.some((a) => /Chữ ký của Đỗ Minh Châu/.test(a.summary)));
});

test('a new image replaces the active one of the same owner and kind', async () => {
  const s = await upload(skhcn, '/api/v1/signature-images', makePng(320, 128), { kind: 'signature', user_id: specialistId });
  assert.equal(s.status, 201);
  const list = (await skhcn.get('/api/v1/signature-images')).json.images;
  const mine = list.filter((i) => i.user_id === specialistId);
  assert.deepEqual(mine.map((i) => [i.id, i.active]), [[s.json.id, true], [sigId, false]]);
  assert.ok(list.find((i) => i.id === sealId).active, 'the seal is untouched');
  assert.match(list[0].png_url, /^\/api\/v1\/signature-images\/\d+\/png$/);
  sigId = s.json.id;
});

test('concurrent uploads for one owner leave exactly one active image (migration 0014)', async () => {
  // On PostgreSQL two transactions can both deactivate the old row and insert; the
  // partial unique index signature_image_one_active makes the later one replay.
  const head = new Client(srv); await head.apiLogin('040090000144');
  const headId = (await head.get('/api/v1/me')).json.id;
  const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
    upload(skhcn, '/api/v1/signature-images', makePng(200 + i, 80), { kind: 'signature', user_id: headId })));
  assert.deepEqual(rs.map((r) => r.status), Array(8).fill(201));
  const rows = srv.db(`SELECT CASE WHEN active = 1 THEN 'on' ELSE 'off' END FROM signature_image WHERE user_id = ${headId} AND kind = 'signature'`);
  assert.equal(rows.split('\n').filter((l) => l.trim() === 'on').length, 1, rows);
  assert.equal(rows.split('\n').filter((l) => l.trim()).length, 8, rows);
  // The database itself refuses a second active image of the owner, whatever the code.
  assert.throws(() => srv.db(`INSERT INTO signature_image (agency_id, user_id, kind, png, width, height, sha256, active, created_at)
    SELECT agency_id, user_id, kind, png, width, height, 'x', 1, 0 FROM signature_image WHERE user_id = ${headId} AND active = 1`));
});

test('opaque PNGs, JPEGs and non-members are refused', async () => {
  const rgb = await upload(skhcn, '/api/v1/signature-images', makePng(100, 50, 2), { kind: 'signature', user_id: specialistId });
  assert.equal(rgb.status, 422);
  assert.match(rgb.json.errors.file, /nền trong suốt/);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
  const j = await upload(skhcn, '/api/v1/signature-images', jpeg, { kind: 'seal' });
  assert.equal(j.status, 422);
  assert.match(j.json.errors.file, /JPEG/);
  const outsider = (await truongvinh.get('/api/v1/me')).json.id;
  const nm = await upload(skhcn, '/api/v1/signature-images', makePng(100, 50), { kind: 'signature', user_id: outsider });
  assert.equal(nm.status, 422);
  assert.match(nm.json.errors.user_id, /không làm việc tại cơ quan/);
  const noKind = await upload(skhcn, '/api/v1/signature-images', makePng(100, 50), { kind: 'stamp' });
  assert.equal(noKind.status, 422);
  assert.ok(noKind.json.errors.kind);
  const tiny = await upload(skhcn, '/api/v1/signature-images', makePng(10, 10), { kind: 'seal' });
  assert.equal(tiny.status, 422);
  assert.match(tiny.json.errors.file, /Kích thước ảnh/);
});

test('another agency sees nothing; users who are not administrators are refused', async () => {
  assert.equal((await truongvinh.get(`/api/v1/signature-images/${sealId}/png`)).status, 404);
  assert.equal((await truongvinh.req('DELETE', `/api/v1/signature-images/${sealId}`)).status, 404);
  const theirs = await truongvinh.get('/api/v1/signature-images');
  assert.equal(theirs.status, 200);
  assert.ok(!theirs.json.images.some((i) => i.id === sealId));
  const skhcnAgency = (await skhcn.get('/api/v1/me')).json.agency_id;
  const peek = await truongvinh.get(`/api/v1/signature-images?agency_id=${skhcnAgency}`);
  assert.ok(!peek.json.images.some((i) => i.id === sealId), '?agency_id is for system administrators');
  assert.equal(srv.db(`SELECT active FROM signature_image WHERE id = ${sealId}`).trim(), '1');
  // The person whose signature it is may see it, but does not manage images.
  assert.equal((await specialist.get(`/api/v1/signature-images/${sigId}/png`)).status, 200);
  assert.equal((await specialist.get(`/api/v1/signature-images/${sealId}/png`)).status, 404);
  assert.equal((await specialist.get('/api/v1/signature-images')).status, 403);
  assert.equal((await upload(specialist, '/api/v1/signature-images', makePng(100, 50), { kind: 'seal' })).status, 403);
  // The system administrator works on any agency with ?agency_id.
  const all = await sys.get(`/api/v1/signature-images?agency_id=${skhcnAgency}`);
  assert.ok(all.json.images.some((i) => i.id === sealId));
  assert.equal((await upload(sys, '/api/v1/signature-images', makePng(64, 64), { kind: 'seal' })).status, 404,
    'no agency chosen');
  const w = new Client(srv);
  await w.webLogin(SYSADMIN);
  const page = await w.get('/admin/signature-images');
  assert.equal(page.status, 200);
  assert.match(page.text, /<select id="agency-pick" name="agency_id"/); // asks which agency (adminux.test.mjs)
  assert.doesNotMatch(page.text, /enctype/);
  const chosen = await w.get(`/admin/signature-images?agency_id=${skhcnAgency}`);
  assert.match(chosen.text, new RegExp(`action="/admin/signature-images\\?agency_id=${skhcnAgency}"`));
});

test('deactivating an image keeps it for the record', async () => {
  assert.equal((await skhcn.req('DELETE', `/api/v1/signature-images/${sealId}`)).status, 204);
  const row = (await skhcn.get('/api/v1/signature-images')).json.images.find((i) => i.id === sealId);
  assert.equal(row.active, false);
  assert.equal((await skhcn.get(`/api/v1/signature-images/${sealId}/png`)).status, 200);
  const audit = await skhcn.get('/api/v1/audit?action=sigimage_deactivate');
  assert.equal(audit.json.rows.length, 1);
});

// ---- web pages ----

async function webUpload(c, path, page, file, fields = {}, name = 'file.bin') {
  return c.req('POST', path, { body: form({ _csrf: c.csrfFrom(page.text), ...fields }, file, name) });
}

test('web: /admin/trust for the system administrator only; uploads redirect with a flash', async () => {
  const w = new Client(srv);
  await w.webLogin(SYSADMIN);
  const page = await w.get('/admin/trust');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Chứng thư tin cậy<\/h1>/);
  assert.match(page.text, /CN=QLVB Test Root CA,O=QLVB Test,C=VN/);
  assert.match(page.text, /Danh sách thu hồi chứng thư \(CRL\)/);
  assert.match(page.text, /enctype="multipart\/form-data"/);
  const bad = await webUpload(w, '/admin/trust/certificates', page, pem('person.pem'), {}, 'person.pem');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /id="cert-file-error">Đây là chứng thư của người dùng cuối/);
  const ok = await webUpload(w, '/admin/trust/certificates', page, pem('stranger-root.pem'), {}, 'stranger.pem');
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal(ok.headers.get('location'), '/admin/trust');
  const next = await w.get('/admin/trust');
  assert.match(next.text, /Đã thêm 1 chứng thư vào danh sách tin cậy\./);
  assert.match(next.text, /CN=Stranger Root/);
  // Without the CSRF token nothing happens.
  const forged = await w.req('POST', '/admin/trust/crls', { body: form({}, pem('stranger-root.crl.pem')) });
  assert.equal(forged.status, 403);
  const id = srv.db("SELECT id FROM trust_cert WHERE subject LIKE '%Stranger%'").trim();
  const rm = await w.post(`/admin/trust/certificates/${id}/remove`, { form: { _csrf: w.csrfFrom(page.text) } });
  assert.equal(rm.status, 303);
  assert.equal(srv.db(`SELECT active FROM trust_cert WHERE id = ${id}`).trim(), '0');
  for (const login of [ADMIN_SKHCN, SPECIALIST]) {
    const o = new Client(srv);
    await o.webLogin(login);
    assert.equal((await o.get('/admin/trust')).status, 403, login);
  }
});

test('web: /admin/signature-images lists, previews and uploads for the agency administrator', async () => {
  const w = new Client(srv);
  await w.webLogin(ADMIN_SKHCN);
  const page = await w.get('/admin/signature-images');
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Chữ ký, con dấu<\/h1>/);
  assert.match(page.text, new RegExp(`src="/admin/signature-images/${sigId}\\.png"`));
  assert.match(page.text, /Ảnh PNG nền trong suốt; con dấu đúng kích thước thật \(đường kính khoảng 36 mm\)/);
  assert.match(page.text, /<option value="\d+">Đỗ Minh Châu/);
  const png = await w.get(`/admin/signature-images/${sigId}.png`);
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.equal((await w.get('/admin/signature-images/abc.png')).status, 404);
  const up = await webUpload(w, '/admin/signature-images', page, makePng(180, 180), { kind: 'seal', user_id: '' }, 'seal.png');
  assert.equal(up.status, 303, up.text.slice(0, 300));
  const next = await w.get('/admin/signature-images');
  assert.match(next.text, /Đã tải lên ảnh con dấu/);
  const opaque = await webUpload(w, '/admin/signature-images', page, makePng(80, 40, 2), { kind: 'signature', user_id: specialistId }, 'sig.png');
  assert.equal(opaque.status, 422);
  assert.match(opaque.text, /id="file-error">Ảnh không có nền trong suốt/);
  assert.match(opaque.text, new RegExp(`<option value="${specialistId}" selected>`));
  // Another agency's administrator gets nothing, not even the preview.
  const o = new Client(srv);
  await o.webLogin(ADMIN_TRUONGVINH);
  assert.equal((await o.get(`/admin/signature-images/${sigId}.png`)).status, 404);
  const theirs = await o.get('/admin/signature-images');
  assert.equal(theirs.status, 200);
  assert.doesNotMatch(theirs.text, new RegExp(`/admin/signature-images/${sigId}\\.png`));
  const s = new Client(srv);
  await s.webLogin(SPECIALIST);
  assert.equal((await s.get('/admin/signature-images')).status, 403);
});
