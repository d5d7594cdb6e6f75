// Signing and verification through the real server (issue #3, standards.md §6): an
// administrator issues PKCS#12 keys (sealed by the signer process), people sign PDFs
// with their PIN (web and API), the clerk adds the agency signature with the seal,
// `pdfsig` (poppler, an independent verifier) accepts the results, the two-step flow
// for USB tokens works, and keys, drafts and PIN locks stay within their owners.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { Client, ADMIN_SKHCN, ADMIN_TRUONGVINH, rawRequest, makePdf, revokeDemoKeys } from './harness.mjs';
import { serverWithPki, pdfsig as pdfsigIn } from './docs_helpers.mjs';
import { assertDocumented } from './openapi.mjs';

const LEADER = '040090000142'; // Bùi Văn Long, Giám đốc Sở KH&CN
const CLERK = '040090000143'; // Ngô Thị Huyền, Văn thư
const SPECIALIST = '040090000145'; // Đỗ Minh Châu
const PIN = '123456';

let srv, pki, admin, leader, clerk, specialist, truongvinh, leaderId, personKey, agencyKey, spec;
// The response is what web/openapi.json documents for this method and path.
const documented = (method, path, res) => assertDocumented(spec, method, path, res);

const DECISION = makePdf([
  [70, 770, 12, 'SO THONG TIN VA TRUYEN THONG'],
  [300, 770, 12, 'CONG HOA XA HOI CHU NGHIA VIET NAM'],
  [70, 740, 12, 'So: /QD-SKHCN'],
  [200, 680, 14, 'QUYET DINH'],
  [70, 640, 12, 'Ve viec ban hanh quy che su dung chu ky so.'],
  [70, 300, 11, 'Noi nhan:'],
  [70, 285, 11, '- Nhu tren;'],
  [360, 300, 12, 'GIAM DOC'],
  [360, 200, 12, 'Bui Van Long'],
]);

function form(fields, files = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  for (const [k, [data, name, type]] of Object.entries(files)) fd.append(k, new Blob([data], { type }), name);
  return fd;
}

async function postForm(client, path, fields, files) {
  const headers = client.token ? {} : { 'X-CSRF-Token': client.csrf || '' };
  const res = await fetch(srv.url(path), {
    method: 'POST', body: form(fields, files), redirect: 'manual',
    headers: { ...headers, ...(client.token ? { Authorization: `Bearer ${client.token}` } : { Cookie: client.cookieHeader() }) },
  });
  client.keep(res);
  const buf = Buffer.from(await res.arrayBuffer());
  let json = null;
  try { json = JSON.parse(buf.toString('utf8')); } catch { /* binary */ }
  return { status: res.status, headers: res.headers, buf, json, text: buf.toString('utf8') };
}

const pdfsig = (buf) => pdfsigIn(pki, buf);

async function importKey(client, userId, file, pin = PIN) {
  const fields = { pin };
  // The test PKI's person certificate names Nguyễn Văn An, not the holder: confirmed
  // with a reason, as an administrator must (adminux.test.mjs tests the refusal).
  if (userId) Object.assign(fields, { user_id: userId, name_confirm: '1', name_reason: 'Bộ chứng thư kiểm thử' });
  return postForm(client, '/api/v1/signing-keys', fields,
    { file: [readFileSync(join(pki, file)), file, 'application/x-pkcs12'] });
}

before(async () => {
  // The operator's trust directory: the test root, its issuing CA and their CRL.
  ({ srv, pki } = await serverWithPki());
  await revokeDemoKeys(srv); // the keys here are the test PKI's
  admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
  leader = new Client(srv); await leader.apiLogin(LEADER);
  clerk = new Client(srv); await clerk.apiLogin(CLERK);
  specialist = new Client(srv); await specialist.apiLogin(SPECIALIST);
  truongvinh = new Client(srv); await truongvinh.apiLogin(ADMIN_TRUONGVINH);
  leaderId = (await leader.get('/api/v1/me')).json.id;
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('the master key exists only as a 0600 file and keys are stored sealed', async () => {
  const st = statSync(join(srv.dir, 'keys/master.key'));
  assert.equal(st.mode & 0o777, 0o600);
  assert.equal(st.size, 32);
  const r = await importKey(admin, leaderId, 'person.p12');
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/signing-keys', r);
  personKey = r.json.id;
  const a = await importKey(admin, null, 'agency.p12');
  assert.equal(a.status, 201, a.text);
  agencyKey = a.json.id;
  // The database holds neither the PKCS#12 nor anything that opens without the signer.
  const hex = srv.db(`SELECT ${srv.hexSql('substr(sealed, 1, 6)')} FROM signing_key WHERE id = ${personKey}`).trim();
  assert.equal(Buffer.from(hex, 'hex').toString(), 'QLVBK1');
  const p12 = readFileSync(join(pki, 'person.p12'));
  const stored = srv.db(`SELECT ${srv.hexSql('sealed')} FROM signing_key WHERE id = ${personKey}`).trim();
  assert.ok(!stored.includes(p12.subarray(40, 72).toString('hex').toUpperCase()));
  const list = await admin.get('/api/v1/signing-keys');
  assert.equal(list.status, 200);
  documented('GET', '/api/v1/signing-keys', list);
  const k = list.json.keys.find((x) => x.id === personKey);
  assert.equal(k.subject, 'Nguyễn Văn An');
  assert.equal(k.owner_name, 'Bùi Văn Long');
});

test('bad keys are refused with a Vietnamese reason and nothing is stored', async () => {
  const before = srv.db('SELECT COUNT(*) FROM signing_key');
  let r = await importKey(admin, leaderId, 'person.p12', '000000');
  assert.equal(r.status, 422);
  documented('POST', '/api/v1/signing-keys', r);
  assert.match(r.json.errors.pin, /PIN không đúng/);
  r = await importKey(admin, leaderId, 'expired.p12');
  assert.equal(r.status, 422);
  assert.match(r.json.errors.file, /hết hạn/);
  r = await importKey(admin, leaderId, 'revoked.p12');
  assert.equal(r.status, 422);
  assert.match(r.json.errors.file, /thu hồi/);
  r = await importKey(admin, leaderId, 'stranger.p12');
  assert.equal(r.status, 422);
  assert.match(r.json.errors.file, /tin cậy/);
  r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN, user_id: leaderId },
    { file: [Buffer.from('not a key'), 'x.p12', 'application/x-pkcs12'] });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.file, /PKCS#12/);
  r = await importKey(admin, leaderId, 'person.p12');
  assert.equal(r.status, 409); // the same certificate twice
  // Only administrators, only for members of their agency.
  assert.equal((await importKey(leader, leaderId, 'person.p12')).status, 403);
  assert.equal((await importKey(truongvinh, leaderId, 'agency.p12')).status, 422); // not their member
  assert.equal(srv.db('SELECT COUNT(*) FROM signing_key'), before);
});

test('a leader signs through the API: pdfsig and our verifier agree it is valid', async () => {
  // The leader's handwritten signature and the agency seal (transparent PNGs).
  let img = await postForm(admin, '/api/v1/signature-images', { kind: 'signature', user_id: leaderId },
    { file: [readFileSync(join(pki, 'signature.png')), 'chu-ky.png', 'image/png'] });
  assert.equal(img.status, 201, img.text);
  img = await postForm(admin, '/api/v1/signature-images', { kind: 'seal' },
    { file: [readFileSync(join(pki, 'seal.png')), 'con-dau.png', 'image/png'] });
  assert.equal(img.status, 201, img.text);
  const mine = await leader.get('/api/v1/signing-keys/mine');
  documented('GET', '/api/v1/signing-keys/mine', mine);
  assert.deepEqual(mine.json.keys.map((k) => k.id), [personKey]); // not the agency key
  const r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN },
    { file: [DECISION, 'Quyết định 12.pdf', 'application/pdf'] });
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/signatures/sign', r);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition'), /attachment; filename="quyet_dinh_12__da_ky_.pdf"; filename\*=UTF-8''Quy%E1%BA%BFt/);
  const report = pdfsig(r.buf);
  assert.match(report, /Signature is Valid/);
  assert.match(report, /SHA-256/);
  // The appearance is the signature image (a few KB), not text with an embedded font.
  assert.ok(r.buf.length < DECISION.length + 64 * 1024, `signed size ${r.buf.length}`);
  const v = await postForm(specialist, '/api/v1/signatures/verify', {}, { file: [r.buf, 'signed.pdf', 'application/pdf'] });
  assert.equal(v.status, 200);
  documented('POST', '/api/v1/signatures/verify', v);
  assert.equal(v.json.verdict, 'valid');
  assert.equal(v.json.signatures[0].signer, 'Nguyễn Văn An');
  const unsigned = await postForm(specialist, '/api/v1/signatures/verify', {}, { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(unsigned.json.verdict, 'unsigned');
  documented('POST', '/api/v1/signatures/verify', unsigned);
  // Raw body works for programs too.
  const raw = await specialist.req('POST', '/api/v1/signatures/verify', { body: r.buf, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(raw.json.verdict, 'valid');
  // The signature sits at the signature block, between "GIAM DOC" (y 300) and the name (y 200).
  const audit = srv.db("SELECT summary FROM audit_log WHERE action = 'document_sign'");
  assert.match(audit, /Quyết định 12\.pdf/);
  globalThis.signedByLeader = r.buf;
});

test('the clerk adds the agency signature with the seal: both signatures stay valid', async () => {
  const mine = await clerk.get('/api/v1/signing-keys/mine');
  assert.deepEqual(mine.json.keys.map((k) => k.id), [agencyKey]);
  const r = await postForm(clerk, '/api/v1/signatures/sign', { key_id: agencyKey, pin: PIN },
    { file: [globalThis.signedByLeader, 'qd.pdf', 'application/pdf'] });
  assert.equal(r.status, 200, r.text);
  const report = pdfsig(r.buf);
  assert.equal((report.match(/Signature is Valid/g) || []).length, 2, report);
  const v = await postForm(clerk, '/api/v1/signatures/verify', {}, { file: [r.buf, 'qd.pdf', 'application/pdf'] });
  assert.equal(v.json.verdict, 'valid');
  assert.equal(v.json.signature_count, 2);
  // On an attachment the agency signature shows number, symbol and ISO time (§6).
  const att = await postForm(clerk, '/api/v1/signatures/sign', { key_id: agencyKey, pin: PIN, number_symbol: '12/QĐ-SKHCN' },
    { file: [DECISION, 'Phụ lục.pdf', 'application/pdf'] });
  assert.equal(att.status, 200, att.text);
  const f = join(pki, 'attachment.pdf');
  writeFileSync(f, att.buf);
  const txt = execFileSync('pdftotext', ['-f', '1', '-l', '1', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(txt, /Số, ký hiệu: 12\/QĐ-SKHCN/);
  assert.match(txt, /Thời gian ký: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00/);
  assert.match(pdfsig(att.buf), /Signature is Valid/);
  const notAgency = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN, number_symbol: '1/X' },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(notAgency.status, 422);
  documented('POST', '/api/v1/signatures/sign', notAgency);
  assert.ok(notAgency.json.errors.number_symbol);
  // A specialist may not use the agency key, nor someone else's.
  const s = await postForm(specialist, '/api/v1/signatures/sign', { key_id: agencyKey, pin: PIN },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(s.status, 422);
  assert.ok(s.json.errors.key_id);
  const t = await postForm(clerk, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(t.status, 422);
});

test('manual placement outside the page is refused; garbage is not signed', async () => {
  let r = await postForm(leader, '/api/v1/signatures/sign',
    { key_id: personKey, pin: PIN, page: 3, x0: 10, y0: 10, x1: 100, y1: 60 },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.page, /1 trang/);
  r = await postForm(leader, '/api/v1/signatures/sign',
    { key_id: personKey, pin: PIN, page: 1, x0: 400, y0: 100, x1: 520, y1: 160 },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 200);
  r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN },
    { file: [Buffer.from('%PDF-1.4 garbage'), 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 422);
});

test('two-step signing for a USB token: prepare, sign the digest outside, finish', async () => {
  const certPem = readFileSync(join(pki, 'person.pem'), 'utf8') + readFileSync(join(pki, 'chain.pem'), 'utf8');
  const p = await postForm(leader, '/api/v1/signatures/prepare', { certificate: certPem },
    { file: [DECISION, 'Tờ trình.pdf', 'application/pdf'] });
  assert.equal(p.status, 201, p.text);
  documented('POST', '/api/v1/signatures/prepare', p);
  assert.equal(p.json.digest_algorithm, 'SHA-256');
  // The token signs the DER signed attributes' SHA-256 (PKCS#1 v1.5): sign the digest
  // as a prehashed value.
  const digest = Buffer.from(p.json.attrs_digest, 'base64');
  assert.equal(digest.length, 32);
  const key = readFileSync(join(pki, 'person.key'), 'utf8');
  const { privateEncrypt, constants } = await import('node:crypto');
  const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex'); // DigestInfo SHA-256
  const sig = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([prefix, digest]));
  // A wrong signature is refused, and the draft survives for a retry.
  const bad = await leader.post(`/api/v1/signatures/prepared/${p.json.id}/finish`,
    { json: { signature: Buffer.alloc(256, 1).toString('base64') } });
  assert.equal(bad.status, 422);
  documented('POST', `/api/v1/signatures/prepared/${p.json.id}/finish`, bad);
  const other = await specialist.post(`/api/v1/signatures/prepared/${p.json.id}/finish`,
    { json: { signature: sig.toString('base64') } });
  assert.equal(other.status, 404); // someone else's draft
  const res = await fetch(srv.url(`/api/v1/signatures/prepared/${p.json.id}/finish`), {
    method: 'POST', headers: { Authorization: `Bearer ${leader.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ signature: sig.toString('base64') }),
  });
  assert.equal(res.status, 200);
  const signed = Buffer.from(await res.arrayBuffer());
  assert.match(pdfsig(signed), /Signature is Valid/);
  // Used once.
  assert.equal((await leader.post(`/api/v1/signatures/prepared/${p.json.id}/finish`,
    { json: { signature: sig.toString('base64') } })).status, 404);
  // An untrusted certificate is refused before anything is prepared.
  const u = await postForm(leader, '/api/v1/signatures/prepare',
    { certificate: readFileSync(join(pki, 'stranger.pem'), 'utf8') }, { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(u.status, 422);
  assert.ok(u.json.errors.certificate);
});

test('wrong PINs lock the key for 15 minutes; other keys are unaffected', async () => {
  const imp = await importKey(admin, (await specialist.get('/api/v1/me')).json.id, 'agency.p12');
  // agency.p12 is already the agency key: the same certificate may not be issued twice
  assert.equal(imp.status, 409);
  for (let i = 0; i < 4; i++) {
    const r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: '999999' },
      { file: [DECISION, 'x.pdf', 'application/pdf'] });
    assert.equal(r.status, 422);
    assert.match(r.json.errors.pin, /PIN không đúng/);
  }
  let r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: '999999' },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 422);
  r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 423);
  assert.match(r.json.errors.pin, /tạm khóa đến/);
  assert.match(srv.db("SELECT action FROM audit_log WHERE action = 'signing_key_pin_locked'"), /signing_key_pin_locked/);
  srv.db(`UPDATE signing_key SET locked_until = 0 WHERE id = ${personKey}`);
});

test('web: upload, see the pages with the box at the signature block, sign, download', async () => {
  const web = new Client(srv);
  await web.webLogin(LEADER);
  const page = await web.get('/signatures/sign');
  assert.equal(page.status, 200);
  web.csrf = web.csrfFrom(page.text);
  assert.match(page.text, /Nguyễn Văn An/);
  const up = await postForm(web, '/signatures/sign', { _csrf: web.csrf },
    { file: [DECISION, 'Quyết định.pdf', 'application/pdf'] });
  assert.equal(up.status, 303);
  const loc = up.headers.get('location');
  assert.match(loc, /^\/signatures\/sign\/[0-9a-f]{32}$/);
  const place = await web.get(loc);
  assert.equal(place.status, 200);
  assert.match(place.text, /Đã tìm thấy họ tên của bạn|Đã tìm thấy chức vụ/);
  // The form carries the box as displayed (from the top): between the title (842-300)
  // and the name (842-200).
  const y0 = Number(/name="y0" value="([0-9.]+)"/.exec(place.text)[1]);
  const y1 = Number(/name="y1" value="([0-9.]+)"/.exec(place.text)[1]);
  assert.ok(y0 >= 842 - 300 && y1 <= 842 - 200, `box ${y0}..${y1} between title and name`);
  const png = await fetch(srv.url(loc + '/pages/1'), { headers: { Cookie: web.cookieHeader() } });
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.equal((await png.arrayBuffer()).byteLength > 1000, true);
  // Another user cannot see the draft.
  const other = new Client(srv);
  await other.webLogin(SPECIALIST);
  assert.equal((await other.get(loc)).status, 404);
  // Wrong PIN: the page comes back with the error next to the field.
  const csrf = web.csrfFrom(place.text);
  const bad = await web.post(loc, { form: { _csrf: csrf, key_id: personKey, pin: '1', placement: 'auto' } });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Mã PIN không đúng/);
  const res = await fetch(srv.url(loc), {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: web.cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, key_id: String(personKey), pin: PIN, placement: 'auto', reason: 'Ký ban hành' }),
  });
  // POST/redirect/GET: the result page, then the file (adminux.test.mjs: again and again).
  assert.equal(res.status, 303);
  const done = res.headers.get('location');
  assert.match((await web.get(done)).text, /Ký số thành công/);
  const file = await fetch(srv.url(`${done}/download`), { headers: { Cookie: web.cookieHeader() } });
  assert.equal(file.status, 200);
  const signed = Buffer.from(await file.arrayBuffer());
  assert.match(pdfsig(signed), /Signature is Valid/);
  assert.equal((await web.get(loc)).status, 404); // the unsigned draft is gone
  // The verification page shows the report.
  const vp = await web.get('/signatures/verify');
  const vr = await postForm({ ...web, csrf: web.csrfFrom(vp.text), token: null, keep: () => {}, cookieHeader: () => web.cookieHeader() },
    '/signatures/verify', { _csrf: web.csrfFrom(vp.text) }, { file: [signed, 'Quyết định (đã ký).pdf', 'application/pdf'] });
  assert.equal(vr.status, 200);
  assert.match(vr.text, /Kết quả kiểm tra chữ ký số/);
  assert.match(vr.text, /Chữ ký số hợp lệ/);
  assert.match(vr.text, /Nguyễn Văn An/);
});

test('revoked keys cannot sign; administrators of other agencies see nothing', async () => {
  assert.equal((await truongvinh.post(`/api/v1/signing-keys/${personKey}/revoke`, { json: { reason: 'x' } })).status, 404);
  const list = await truongvinh.get('/api/v1/signing-keys');
  assert.equal(list.status, 200);
  assert.equal(list.json.keys.length, 0);
  assert.equal((await leader.get('/api/v1/signing-keys')).status, 403);
  const rv = await admin.post(`/api/v1/signing-keys/${personKey}/revoke`, { json: { reason: 'Chuyển công tác' } });
  assert.equal(rv.status, 200);
  documented('POST', `/api/v1/signing-keys/${personKey}/revoke`, rv);
  const again = await admin.post(`/api/v1/signing-keys/${personKey}/revoke`, { json: { reason: 'Chuyển công tác' } });
  assert.equal(again.status, 409); // already revoked
  documented('POST', `/api/v1/signing-keys/${personKey}/revoke`, again);
  const r = await postForm(leader, '/api/v1/signatures/sign', { key_id: personKey, pin: PIN },
    { file: [DECISION, 'x.pdf', 'application/pdf'] });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.key_id, /thu hồi/);
  assert.equal((await leader.get('/api/v1/signing-keys/mine')).json.keys.length, 0);
});

test('uploads over the limit get 413 before anything is read', async () => {
  // 33 MiB declared on an upload route (limit 32 MiB), and 2 MiB on an ordinary route
  // (limit 1 MiB): both refused from the headers, with the limit named.
  const small = Buffer.from('%PDF-1.7\n');
  let r = await rawRequest(srv.port, 'POST /api/v1/signatures/verify HTTP/1.1\r\nHost: x\r\n' +
    `Authorization: Bearer ${leader.token}\r\nContent-Type: application/pdf\r\nContent-Length: ${33 * 1024 * 1024}\r\n\r\n`, small);
  assert.equal(r.status, 413);
  assert.match(r.body, /32 MB/);
  r = await rawRequest(srv.port, 'POST /api/v1/me/password HTTP/1.1\r\nHost: x\r\n' +
    `Authorization: Bearer ${leader.token}\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`, small);
  assert.equal(r.status, 413);
  assert.match(r.body, /1 MB/);
  // A 2 MiB document is fine on the upload route.
  const big = Buffer.concat([DECISION, Buffer.alloc(2 * 1024 * 1024, 0x20)]);
  const v = await leader.req('POST', '/api/v1/signatures/verify', { body: big, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(v.status, 200);
  assert.equal(v.json.verdict, 'unsigned');
});
