// The agency's signature on a digitised paper original (issue 11, standards.md §5:
// "scanned copy for paper originals, signed by the agency after digitising"; §14: the
// original file is kept unchanged with its hash, the signed one is a separate version).
// The clerk signs the scan of a registered paper document with the agency key: a new
// main version that pdfsig validates, the scan still downloadable byte-identical, one
// history row with the file version and one audit row; a second signing is 409, a
// specialist 403, another agency 404, a wrong PIN 422 with nothing changed. Runs on
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client, ADMIN_SKHCN, makePdf } from './harness.mjs';
import { PIN, serverWithPki, apiClient, importKey, pdfsig as pdfsigIn, fileOf as fileOfIn } from './docs_helpers.mjs';
import { assertDocumented } from './openapi.mjs';

const CLERK = '040090000143';      // văn thư, Sở KH&CN
const SPECIALIST = '040090000145'; // chuyên viên
const TV_ADMIN = '040090000301';   // phường Trường Vinh

let srv, pki, spec, admin, clerk, specialist, tvAdmin, agencyKey, personalKey, skhcn;
const one = (sql) => Number(srv.db(sql).trim());
const sha = (b) => createHash('sha256').update(b).digest('hex');
const footprint = () => srv.db('SELECT COUNT(*) FROM doc_file; SELECT COUNT(*) FROM doc_history; ' +
  "SELECT COUNT(*) FROM audit_log WHERE action = 'doc_digitise_sign'");
const sign = (c, id, json) => c.post(`/api/v1/documents/${id}/agency-sign`, { json });

const pdfsig = (buf) => pdfsigIn(pki, buf);
const fileOf = (c, id, fileId) => fileOfIn(srv, c, id, fileId);
const login = (l) => apiClient(srv, l);
// A registered paper document of Sở KH&CN with a PDF scan as its only main file.
function paperDoc(extra = '') {
  return one(`SELECT MIN(d.id) FROM document d WHERE d.agency_id = ${skhcn} AND d.direction = 'incoming' ` +
    "AND d.medium = 'paper' AND d.state IN ('registered', 'presented', 'assigned', 'in_progress', 'completed') " +
    "AND (SELECT COUNT(*) FROM doc_file f WHERE f.document_id = d.id AND f.role = 'main') = 1 " +
    `AND EXISTS (SELECT 1 FROM doc_file f WHERE f.document_id = d.id AND f.role = 'main' AND f.format = 'pdf') ${extra}`);
}

before(async () => {
  ({ srv, pki } = await serverWithPki());
  spec = (await new Client(srv).get('/api/v1/openapi.json')).json;
  [admin, clerk, specialist, tvAdmin] = await Promise.all([ADMIN_SKHCN, CLERK, SPECIALIST, TV_ADMIN].map(login));
  skhcn = one("SELECT id FROM agency WHERE code = '000.00.04.H41'");
  agencyKey = await importKey(admin, pki, null, 'agency.p12');
  // The clerk's own personal key: not the agency's signature.
  const clerkId = (await clerk.get('/api/v1/me')).json.id;
  personalKey = await importKey(admin, pki, clerkId, 'person.p12');
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('§5 the clerk signs the scan of a paper original: a new version, the scan unchanged (§14)', async () => {
  const id = paperDoc();
  assert.ok(id > 0, 'the demo data has a registered paper document with a PDF scan');
  let doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  assert.ok(doc.actions.includes('digitise'), `the clerk is offered the step: ${doc.actions}`);
  assert.ok(!(await specialist.get(`/api/v1/documents/${id}`)).json?.actions?.includes('digitise'));
  const scan = doc.files.find((f) => f.role === 'main');
  const scanBytes = await fileOf(clerk, id, scan.id);
  const before = footprint();

  // A specialist of the agency: 403; another agency: 404; a wrong PIN: 422; nothing changed.
  assert.equal((await sign(specialist, id, { key_id: agencyKey, pin: PIN })).status, 403);
  assert.equal((await sign(tvAdmin, id, { key_id: agencyKey, pin: PIN })).status, 404);
  let r = await sign(clerk, id, { key_id: agencyKey, pin: '000000' });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.pin, r.text);
  r = await sign(clerk, id, { key_id: personalKey, pin: PIN });
  assert.equal(r.status, 422, r.text);
  assert.match(r.json.errors.key_id, /khóa ký số của cơ quan/);
  r = await sign(clerk, id, { pin: PIN });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.key_id);
  assert.equal(footprint(), before, 'nothing written on refusals');

  r = await sign(clerk, id, { key_id: agencyKey, pin: PIN });
  assert.equal(r.status, 200, r.text);
  assertDocumented(spec, 'POST', '/api/v1/documents/{id}/agency-sign', r);
  doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  const mains = doc.files.filter((f) => f.role === 'main');
  assert.equal(mains.length, 2);
  // The newest main version first (the page frames it), the scan kept.
  assert.equal(mains[0].version, scan.version + 1);
  assert.equal(mains[0].stage, 'digitised');
  assert.equal(mains[1].id, scan.id);
  assert.equal(sha(await fileOf(clerk, id, scan.id)), sha(scanBytes), '§14 the original is byte-identical');
  const signed = await fileOf(clerk, id, mains[0].id);
  assert.equal(signed.subarray(0, scanBytes.length).compare(scanBytes), 0, 'an incremental update of the scan');
  const report = pdfsig(signed);
  assert.match(report, /Signature Validation: Signature is Valid/, report);
  const h = doc.history.at(-1);
  assert.equal(h.action, 'digitised_signed');
  assert.equal(h.file_version, mains[0].version);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_digitise_sign' AND object_id = '${id}'`), 1);
  assert.ok(!doc.actions.includes('digitise'), 'offered once');

  // Once only: 409, nothing changed.
  const after1 = footprint();
  r = await sign(clerk, id, { key_id: agencyKey, pin: PIN });
  assert.equal(r.status, 409, r.text);
  assert.equal(footprint(), after1);

  // The web page shows the signed version with its signature report.
  const web = new Client(srv);
  await web.webLogin(CLERK);
  const page = await web.get(`/documents/${id}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`/documents/${id}/files/${mains[0].id}`));
  // The signature report names the digitising (the signature's reason, docs/signatures.md).
  assert.match(page.text, /<dt>Lý do<\/dt><dd>Số hóa từ bản giấy<\/dd>/);
});

test('§5 only paper originals: an electronic document is 409 and not offered', async () => {
  const reg = (await clerk.get('/api/v1/registers?kind=incoming')).json.registers[0];
  assert.ok(reg, 'the demo agency has an incoming register');
  const meta = {
    register_id: reg.id, medium: 'electronic', issuer_code: '000.00.02.H41', issuer_name: 'Sở Nội vụ',
    number: '216', symbol: 'SNV-CCVC', issued_date: new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10),
    doc_type: 'cong_van', subject: 'Về việc báo cáo chuyển đổi số', signer_name: 'Lê Quang Minh',
    signer_position: 'Phó Giám đốc', page_count: 1, urgency: 'thuong', recipients: ['Giám đốc Sở'],
  };
  const f = new FormData();
  f.append('metadata', JSON.stringify(meta));
  f.append('main', new Blob([makePdf([[72, 760, 14, 'CONG VAN SO 216']])], { type: 'application/pdf' }), 'cong-van-216.pdf');
  const made = await clerk.req('POST', '/api/v1/documents/incoming', { body: f });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  assert.ok(!(await clerk.get(`/api/v1/documents/${id}`)).json.actions.includes('digitise'));
  const before = footprint();
  const r = await sign(clerk, id, { key_id: agencyKey, pin: PIN });
  assert.equal(r.status, 409, r.text);
  assert.equal(footprint(), before);
});

test('§5 the web form: offered to the clerk only, a wrong PIN re-renders the form, the right one signs', async () => {
  const id = paperDoc("AND NOT EXISTS (SELECT 1 FROM doc_file g WHERE g.document_id = d.id AND g.stage = 'digitised')");
  assert.ok(id > 0);
  const web = new Client(srv);
  await web.webLogin(CLERK);
  let page = await web.get(`/documents/${id}`);
  assert.match(page.text, new RegExp(`action="/documents/${id}/actions/digitise"`));
  assert.match(page.text, new RegExp(`<option value="${agencyKey}">`));
  const spWeb = new Client(srv);
  await spWeb.webLogin(SPECIALIST);
  assert.doesNotMatch((await spWeb.get(`/documents/${id}`)).text, /actions\/digitise/);
  const csrf = web.csrfFrom(page.text);
  const before = footprint();
  let r = await web.post(`/documents/${id}/actions/digitise`, { form: { _csrf: csrf, key_id: String(agencyKey), pin: '000000' } });
  assert.equal(r.status, 422);
  assert.match(r.text, /field-error/);
  assert.equal(footprint(), before, 'a wrong PIN writes nothing');
  r = await web.post(`/documents/${id}/actions/digitise`, { form: { _csrf: csrf, key_id: String(agencyKey), pin: PIN } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  page = await web.get(`/documents/${id}`);
  assert.doesNotMatch(page.text, /actions\/digitise/, 'offered once');
  assert.match(page.text, /Ký số của cơ quan trên bản số hóa/, 'the timeline names the step');
  assert.match(page.text, /<dt>Lý do<\/dt><dd>Số hóa từ bản giấy<\/dd>/);
});

// standards.md §5: register (scanned copy for paper originals, signed by the agency after
// digitising) → present. With the agency's key in place, a paper original is presented
// only once its scan carries the agency signature.
test('§5 a paper original is presented only after its scan is signed by the agency', async () => {
  const reg = (await clerk.get('/api/v1/registers?kind=incoming')).json.registers[0];
  const leaderId = one("SELECT u.id FROM app_user u WHERE u.login = '040090000142'");
  const f = new FormData();
  f.append('metadata', JSON.stringify({
    register_id: reg.id, medium: 'paper', issuer_code: '000.00.02.H41', issuer_name: 'Sở Nội vụ',
    number: '217', symbol: 'SNV-CCVC', issued_date: new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10),
    doc_type: 'cong_van', subject: 'Về việc kiểm tra công tác văn thư', urgency: 'thuong',
  }));
  f.append('main', new Blob([makePdf([[72, 760, 14, 'CONG VAN SO 217']])], { type: 'application/pdf' }), 'cong-van-217.pdf');
  const made = await clerk.req('POST', '/api/v1/documents/incoming', { body: f });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  let doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(doc.actions, ['digitise'], 'signing the scan comes first');
  const before = srv.db(`SELECT state FROM document WHERE id = ${id}; SELECT COUNT(*) FROM doc_history WHERE document_id = ${id}`);
  let r = await clerk.post(`/api/v1/documents/${id}/present`, { json: { leader_id: leaderId } });
  assert.equal(r.status, 409, r.text);
  assert.match(r.json.detail || r.text, /bản số hóa phải có chữ ký số của cơ quan/);
  assert.equal(srv.db(`SELECT state FROM document WHERE id = ${id}; SELECT COUNT(*) FROM doc_history WHERE document_id = ${id}`), before);
  r = await sign(clerk, id, { key_id: agencyKey, pin: PIN });
  assert.equal(r.status, 200, r.text);
  doc = (await clerk.get(`/api/v1/documents/${id}`)).json;
  assert.deepEqual(doc.actions, ['present']);
  r = await clerk.post(`/api/v1/documents/${id}/present`, { json: { leader_id: leaderId } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'presented');
});
