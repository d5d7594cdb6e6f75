// Administration pages as a new user finds them (issue 9): what each administrator may
// do is what the pages offer, the system administrator picks the agency they work on,
// keys go to the person their certificate names, and bad input gets a Vietnamese
// field message with nothing changed (standards.md §12 validation, §11 text).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, ROOT, ADMIN_SKHCN, ADMIN_TRUONGVINH, SYSADMIN, qlvb } from './harness.mjs';

const LEADER = '040090000142'; // Bùi Văn Long
const PIN = '123456';
let srv, pki, admin, web, leaderId;

async function postForm(client, path, fields, files = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  for (const [k, [data, name, type]] of Object.entries(files)) fd.append(k, new Blob([data], { type }), name);
  const headers = client.token ? { Authorization: `Bearer ${client.token}` }
    : { Cookie: client.cookieHeader(), 'X-CSRF-Token': client.csrf || '' };
  const res = await fetch(srv.url(path), { method: 'POST', body: fd, redirect: 'manual', headers });
  client.keep(res);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* html */ }
  return { status: res.status, headers: res.headers, text, json };
}

// A signed-in web client with the CSRF token of its pages.
async function webClient(login) {
  const c = new Client(srv);
  const r = await c.webLogin(login);
  assert.equal(r.status, 303, `web login ${login}: ${r.status}`);
  const home = await c.get('/');
  c.csrf = c.csrfFrom(home.text);
  return c;
}

const keyCount = () => Number(srv.db('SELECT COUNT(*) FROM signing_key').trim());

before(async () => {
  pki = mkdtempSync(join(tmpdir(), 'qlvb-it-pki-'));
  execFileSync('bash', [join(ROOT, 'scripts/test-pki.sh'), pki], { stdio: 'ignore' });
  srv = new Server();
  srv.dir = mkdtempSync(join(tmpdir(), 'qlvb-it-'));
  qlvb(['init', '--data', srv.dir, '--demo']);
  mkdirSync(join(srv.dir, 'trust'));
  for (const f of ['root.pem', 'inter.pem', 'inter.crl.pem']) copyFileSync(join(pki, f), join(srv.dir, 'trust', f));
  await srv.start({ dataDir: srv.dir });
  admin = new Client(srv); await admin.apiLogin(ADMIN_SKHCN);
  const l = new Client(srv); await l.apiLogin(LEADER);
  leaderId = (await l.get('/api/v1/me')).json.id;
  web = await webClient(ADMIN_SKHCN);
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('a person key whose certificate names someone else needs a confirmation with a reason', async () => {
  const p12 = readFileSync(join(pki, 'person.p12')); // CN=Nguyễn Văn An
  const file = { file: [p12, 'person.p12', 'application/x-pkcs12'] };
  const n = keyCount();
  // API: refused with a field error naming both people, nothing stored.
  let r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN, user_id: leaderId }, file);
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.errors.name_confirm, /Nguyễn Văn An.*Bùi Văn Long/);
  assert.equal(keyCount(), n);
  // Confirmed without a reason: still refused.
  r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN, user_id: leaderId, name_confirm: '1', name_reason: ' ' }, file);
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.name_reason);
  assert.equal(keyCount(), n);
  // The web page shows the message, the confirmation box and the reason field.
  r = await postForm(web, '/admin/keys', { _csrf: web.csrf, pin: PIN, user_id: leaderId }, file);
  assert.equal(r.status, 422);
  assert.match(r.text, /Nguyễn Văn An/);
  assert.match(r.text, /name="name_confirm"/);
  assert.match(r.text, /id="name_reason"/);
  assert.equal(keyCount(), n);
  // Confirmed with a reason: issued, and the reason is in the audit row.
  r = await postForm(web, '/admin/keys', { _csrf: web.csrf, pin: PIN, user_id: leaderId, name_confirm: '1',
    name_reason: 'Chứng thư cấp nhầm tên, đã đề nghị cấp lại' }, file);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(keyCount(), n + 1);
  const audit = srv.db("SELECT summary FROM audit_log WHERE action = 'signing_key_import' ORDER BY id DESC LIMIT 1");
  assert.match(audit, /Bùi Văn Long/);
  assert.match(audit, /đã đề nghị cấp lại/);
  // The agency's own key is not a person's: no name check.
  r = await postForm(admin, '/api/v1/signing-keys', { pin: PIN }, { file: [readFileSync(join(pki, 'agency.p12')), 'agency.p12', 'application/x-pkcs12'] });
  assert.equal(r.status, 201, r.text);
});
