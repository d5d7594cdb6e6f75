// The demo's outgoing documents in every state (issue 12): `qlvb init --demo` makes a
// demo PKI (a root "QLVB DEMO CA — không dùng thật" in the trust store, the director's
// personal key and Sở KH&CN's agency key, PIN 123456; the root's empty CRL) and takes documents of Sở KH&CN
// through the real steps: signed waiting for the seal, sealed waiting to be issued,
// issued to agencies of the installation (their copies arrived, some registered and
// assigned), a cancelled issuance (its number kept in the outgoing register) and a recall.
// Checked through the API as each demo role sees it: every role has outgoing work, the
// issued PDFs carry two valid signatures (pdfsig), the demo keys work under `serve`.
// Runs on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, ADMIN_SKHCN, SYSADMIN, qlvb } from './harness.mjs';

const LEADER = '040090000142', CLERK = '040090000143', HEAD = '040090000144', SPECIALIST = '040090000145';
const TV_CLERK = '040090000302', TV_HEAD = '040090000304', VP_CLERK = '040090000112';
const PIN = '123456';
const DEMO_CA = 'QLVB DEMO CA — không dùng thật';

let srv, tmp, initOut;
const one = (sql) => Number(srv.db(sql).trim());
async function login(l) { const c = new Client(srv); const r = await c.apiLogin(l); assert.equal(r.status, 200, l); return c; }
async function list(c, query) {
  const r = await c.get(`/api/v1/documents?${query}&limit=100`);
  assert.equal(r.status, 200, r.text);
  return r.json.documents;
}
async function doc(c, id) {
  const r = await c.get(`/api/v1/documents/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}
async function download(c, path) {
  const res = await fetch(srv.url(path), { headers: { Authorization: `Bearer ${c.token}` } });
  assert.equal(res.status, 200, path);
  return Buffer.from(await res.arrayBuffer());
}
function pdfsig(buf) {
  const f = join(tmp, `check-${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(f, buf);
  try { return execFileSync('pdfsig', [f], { encoding: 'utf8' }); } catch (e) { return (e.stdout || '') + (e.stderr || ''); }
}
const valid = (report) => (report.match(/Signature Validation: Signature is Valid/g) || []).length;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'qlvb-it-demo-'));
  srv = new Server();
  srv.dir = mkdtempSync(join(tmpdir(), 'qlvb-it-'));
  const t0 = Date.now();
  initOut = qlvb(['init', '--data', srv.dir, '--demo']);
  console.log(`# init --demo: ${Date.now() - t0} ms`);
  await srv.start({ dataDir: srv.dir });
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(tmp, { recursive: true, force: true }); });

test('the demo PKI: a demo root in the trust store, the director\'s and the agency\'s keys, the PIN printed', async () => {
  assert.match(initOut, /Khóa ký số mẫu .*QLVB DEMO CA — không dùng thật.*mã PIN 123456/);
  const sys = await login(SYSADMIN);
  const roots = (await sys.get('/api/v1/trust')).json.certificates.filter((c) => c.kind === 'root' && c.active);
  assert.equal(roots.filter((c) => c.subject.includes(DEMO_CA)).length, 1, JSON.stringify(roots));
  const crls = (await sys.get('/api/v1/trust')).json.crls.filter((c) => c.issuer.includes(DEMO_CA));
  assert.equal(crls.length, 1, 'the demo root\'s (empty) CRL');
  const admin = await login(ADMIN_SKHCN);
  const keys = (await admin.get('/api/v1/signing-keys')).json.keys;
  const leader = (await (await login(LEADER)).get('/api/v1/me')).json;
  const person = keys.filter((k) => k.user_id === leader.id);
  assert.equal(person.length, 1, JSON.stringify(keys));
  assert.equal(person[0].subject, 'Bùi Văn Long', 'CN = the leader\'s full name');
  assert.equal(person[0].issuer, DEMO_CA);
  const agency = keys.filter((k) => k.user_id === null || k.user_id === 0 || k.user_id === undefined);
  assert.equal(agency.length, 1, JSON.stringify(keys));
  assert.equal(agency[0].subject, 'Sở Khoa học và Công nghệ');
  assert.equal(agency[0].issuer, DEMO_CA);
  // Fresh per init: another demo installation has other keys.
  const other = mkdtempSync(join(tmpdir(), 'qlvb-it-'));
  try {
    qlvb(['init', '--data', other, '--demo']);
    const srv2 = new Server();
    await srv2.start({ dataDir: other });
    try {
      const fp = srv2.db("SELECT fingerprint FROM signing_key ORDER BY id").trim().split('\n');
      assert.equal(fp.length, 2);
      for (const f of fp) assert.ok(!keys.some((k) => k.fingerprint === f.trim()), 'a new key at each init');
    } finally { await srv2.stop(); srv2.cleanup(); }
  } finally { rmSync(other, { recursive: true, force: true }); }
});

test('every demo role of Sở KH&CN has outgoing work on its home page', async () => {
  const [clerk, leader, head, specialist] = await Promise.all([CLERK, LEADER, HEAD, SPECIALIST].map(login));
  // The clerk: signed documents waiting for the seal, a sealed one waiting to be issued.
  const signed = await list(clerk, 'direction=outgoing&state=signed');
  assert.equal(signed.length, 2, JSON.stringify(signed));
  const details = await Promise.all(signed.map((d) => doc(clerk, d.id)));
  const toSeal = details.filter((d) => d.actions.includes('seal'));
  const toIssue = details.filter((d) => d.actions.includes('issue'));
  assert.equal(toSeal.length, 1, JSON.stringify(details.map((d) => d.actions)));
  assert.equal(toIssue.length, 1, JSON.stringify(details.map((d) => d.actions)));
  for (const d of details) assert.match(d.number, /^\d{2}$/, 'numbered when signed');
  assert.ok((await list(leader, 'direction=outgoing&box=to_sign')).length >= 1, 'the director has one to sign');
  assert.ok((await list(head, 'direction=outgoing&box=to_review')).length >= 1, 'the head has one to review');
  assert.ok((await list(specialist, 'direction=outgoing&box=drafts')).length >= 1, 'the specialist has drafts');
  // The home page shows it: the clerk's box "Chờ phát hành" with its number.
  const web = new Client(srv);
  assert.equal((await web.webLogin(CLERK)).status, 303);
  const home = await web.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /Chờ phát hành/);
  assert.match(home.text, /href="\/documents\/outgoing\?tab=to_issue"/);
  for (const [l, label] of [[LEADER, 'Chờ tôi ký'], [HEAD, 'Chờ tôi duyệt'], [SPECIALIST, 'Dự thảo của tôi']]) {
    const w = new Client(srv);
    assert.equal((await w.webLogin(l)).status, 303);
    assert.match((await w.get('/')).text, new RegExp(label), `${l} sees ${label}`);
  }
});

test('issued to 2–5 agencies of the installation: copies arrived, some registered and assigned; both signatures valid', async () => {
  const clerk = await login(CLERK);
  const issued = await list(clerk, 'direction=outgoing&state=issued');
  assert.equal(issued.length, 3, JSON.stringify(issued.map((d) => d.subject)));
  const tvClerk = await login(TV_CLERK), vpClerk = await login(VP_CLERK), tvHead = await login(TV_HEAD);
  const states = [];
  for (const d of issued) {
    const full = await doc(clerk, d.id);
    const inside = full.recipients_status.filter((r) => r.copy_id);
    assert.ok(inside.length >= 2 && inside.length <= 5, `${d.subject}: ${inside.length} agencies`);
    // The sender's sealed main file: the director's signature and the agency's.
    const main = full.files.find((f) => f.role === 'main');
    assert.equal(main.stage, 'sealed');
    const bytes = await download(clerk, `/api/v1/documents/${d.id}/files/${main.id}`);
    const report = pdfsig(bytes);
    assert.equal(valid(report), 2, report);
    assert.match(report, /Bùi Văn Long/);
    assert.match(report, /CN=Sở Khoa học và Công nghệ/);
    // Our verifier: both chain to the demo root in the trust store, checked against its CRL.
    const v = await clerk.req('POST', '/api/v1/signatures/verify', { body: bytes, headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.verdict, 'valid', v.text);
    assert.deepEqual(v.json.signatures.map((x) => [x.signer, x.certificate]),
      [['Bùi Văn Long', 'ok'], ['Sở Khoa học và Công nghệ', 'ok']]);
    for (const x of v.json.signatures)
      assert.ok(!x.badges.some((b) => /Chưa kiểm tra thu hồi/.test(b.text)), JSON.stringify(x.badges));
    for (const r of inside) states.push(one(`SELECT COUNT(*) FROM document WHERE id = ${r.copy_id} AND state = 'arrived'`) ? 'arrived' : 'other');
  }
  assert.ok(states.includes('arrived'), 'some copies wait to be registered');
  // Phường Trường Vinh: the invitation waits for its clerk; a registered copy's PDF verifies there too.
  const arrived = await list(tvClerk, 'box=all&state=arrived');
  const fromScience = arrived.filter((d) => /SKHCN/.test(d.symbol));
  assert.ok(fromScience.length >= 1, JSON.stringify(arrived.map((d) => d.symbol)));
  const counts = (await tvClerk.get('/api/v1/documents/counts')).json;
  assert.ok(counts.to_register >= 1, JSON.stringify(counts));
  const copy = await doc(tvClerk, fromScience[0].id);
  const copyMain = copy.files.find((f) => f.role === 'main');
  assert.equal(valid(pdfsig(await download(tvClerk, `/api/v1/documents/${copy.id}/files/${copyMain.id}`))), 2);
  // Registered and assigned: the Văn hóa - Xã hội unit of Trường Vinh has one to process.
  const tvWork = await list(tvHead, 'box=to_process');
  assert.ok(tvWork.some((d) => /SKHCN-CNTT/.test(d.symbol)), JSON.stringify(tvWork.map((d) => d.symbol)));
  const vpRegistered = await list(vpClerk, 'box=all');
  assert.ok(vpRegistered.some((d) => /SKHCN/.test(d.symbol) && d.state !== 'arrived'), 'registered at the provincial office');
});

test('the cancelled issuance keeps its number in the outgoing register; the recall waits for the receivers', async () => {
  const clerk = await login(CLERK);
  const cancelled = await list(clerk, 'direction=outgoing&state=cancelled');
  assert.equal(cancelled.length, 1);
  const c = await doc(clerk, cancelled[0].id);
  assert.equal(c.number_cancelled, 1);
  assert.match(c.number, /^\d{2}$/);
  assert.ok(c.register_id > 0);
  assert.equal(c.history.at(-1).action, 'cancelled');
  // The register book lists it with its number, marked cancelled.
  const year = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 4);
  const xlsx = await download(clerk, `/api/v1/registers/${c.register_id}/book?from=${year}-01-01&to=${year}-12-31&format=xlsx`);
  const f = join(tmp, 'book.xlsx');
  writeFileSync(f, xlsx);
  const strings = execFileSync('unzip', ['-p', f, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
  assert.ok(strings.includes(`${c.number}/${c.symbol} (đã hủy)`), strings.slice(0, 2000));
  // Every number of the register from 01 on, none skipped.
  const nums = srv.db(`SELECT reg_number FROM document WHERE register_id = ${c.register_id} ORDER BY reg_number`)
    .trim().split('\n').map(Number);
  assert.deepEqual(nums, nums.map((_, i) => i + 1));

  const recalled = await list(clerk, 'direction=outgoing&state=recalled');
  assert.equal(recalled.length, 1);
  const r = await doc(clerk, recalled[0].id);
  assert.ok(r.recipients_status.length >= 2);
  assert.ok(r.recipients_status.every((x) => x.recall === 'requested'), JSON.stringify(r.recipients_status));
  const tvClerk = await login(TV_CLERK);
  const copy = await doc(tvClerk, r.recipients_status.find((x) => x.copy_id && one(`SELECT COUNT(*) FROM document d JOIN agency a ON a.id = d.agency_id WHERE d.id = ${x.copy_id} AND a.code = '000.00.30.H41'`)).copy_id);
  assert.equal(copy.state, 'recalled');
  assert.equal(copy.recall_pending, true);
  assert.deepEqual(copy.actions, ['recall_agree', 'recall_refuse']);
});

test('the demo keys sign under serve: the clerk seals and issues the waiting document with PIN 123456', async () => {
  const clerk = await login(CLERK);
  const mine = (await clerk.get('/api/v1/signing-keys/mine')).json.keys;
  const agencyKey = mine.find((k) => !k.user_id);
  assert.ok(agencyKey, JSON.stringify(mine));
  const signed = await list(clerk, 'direction=outgoing&state=signed');
  const waiting = (await Promise.all(signed.map((d) => doc(clerk, d.id)))).find((d) => d.actions.includes('seal'));
  let r = await clerk.post(`/api/v1/documents/${waiting.id}/seal`, { json: { key_id: agencyKey.id, pin: PIN } });
  assert.equal(r.status, 200, r.text);
  const sealed = r.json.versions.at(-1);
  assert.equal(valid(pdfsig(await download(clerk, `/api/v1/documents/${waiting.id}/files/${sealed.id}`))), 2);
  r = await clerk.post(`/api/v1/documents/${waiting.id}/issue`, { json: {} });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'issued');
});
