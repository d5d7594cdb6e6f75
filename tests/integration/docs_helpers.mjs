// Helpers of the outgoing-document tests (API, web pages, registers, the browser): a
// server whose trust store holds the test PKI (scripts/test-pki.sh), the keys imported
// by the administrator, signed-in clients, the sample files (a decision PDF whose page 1
// has the number and date lines the stamp writes into, a minimal DOCX), multipart
// bodies, a workflow step that must succeed, and pdfsig's report.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, Client, ROOT, qlvb } from './harness.mjs';

export const PIN = '123456'; // the PIN of every key of the test PKI

// A fresh demo installation that trusts the test PKI (made in a new directory `pki`,
// removed by the caller), started: { srv, pki }. trust: the files of the PKI copied into
// the operator's trust directory (by default the root, its issuing CA and their CRL).
export async function serverWithPki(prefix = 'qlvb-it-', { trust = ['root.pem', 'inter.pem', 'inter.crl.pem'] } = {}) {
  const pki = mkdtempSync(join(tmpdir(), `${prefix}pki-`));
  execFileSync('bash', [join(ROOT, 'scripts/test-pki.sh'), pki], { stdio: 'ignore' });
  const srv = new Server();
  srv.dir = mkdtempSync(join(tmpdir(), prefix));
  qlvb(['init', '--data', srv.dir, '--demo']);
  mkdirSync(join(srv.dir, 'trust'));
  for (const f of trust) copyFileSync(join(pki, f), join(srv.dir, 'trust', f));
  await srv.start({ dataDir: srv.dir });
  return { srv, pki };
}

// An API client signed in as login (a bearer token).
export async function apiClient(srv, login) {
  const c = new Client(srv);
  const r = await c.apiLogin(login);
  assert.equal(r.status, 200, login);
  return c;
}

// A web client signed in as login through the form, with its CSRF token.
export async function webClient(srv, login) {
  const c = new Client(srv);
  const r = await c.webLogin(login);
  assert.equal(r.status, 303, login);
  c.csrf = c.csrfFrom((await c.get('/')).text);
  return c;
}

// A multipart body: fields (an object; a value that is not a string goes as JSON) and
// files [[field, bytes, name, type]].
export function formData(fields, files = []) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  for (const [field, bytes, name, type] of files) f.append(field, new Blob([bytes], { type: type || 'application/octet-stream' }), name);
  return f;
}

// Imports a PKCS#12 file of the test PKI through the administrator's API client: a
// person's key (userId, the certificate's name confirmed) or, with userId null, the
// agency's key. Returns the key's id.
export async function importKey(admin, pki, userId, file) {
  const fields = { pin: PIN };
  if (userId) Object.assign(fields, { user_id: String(userId), name_confirm: '1', name_reason: 'Bộ chứng thư kiểm thử' });
  const r = await admin.req('POST', '/api/v1/signing-keys',
    { body: formData(fields, [['file', readFileSync(join(pki, file)), file, 'application/x-pkcs12']]) });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// The bytes of a document's file, downloaded by the API client c (status 200).
export async function fileOf(srv, c, id, fileId) {
  const res = await fetch(srv.url(`/api/v1/documents/${id}/files/${fileId}`), { headers: { Authorization: `Bearer ${c.token}` } });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

// A workflow step through the API that must succeed; returns the document.
export async function ok(c, id, step, json = {}) {
  const r = await c.post(`/api/v1/documents/${id}/${step}`, { json });
  assert.equal(r.status, 200, `${step}: ${r.text}`);
  return r.json;
}

// pdfsig's report on a PDF (written in dir), whatever its exit status.
export function pdfsig(dir, buf) {
  const f = join(dir, `sig-${Date.now()}-${Math.random()}.pdf`);
  writeFileSync(f, buf);
  try { return execFileSync('pdfsig', [f], { encoding: 'utf8' }); } catch (e) { return (e.stdout || '') + (e.stderr || ''); }
}

// A one-page decision whose page 1 has "Số:" and "ngày … tháng … năm" (ố, à, á, ă through
// the font's Differences), where signing stamps the number and the date; body: more
// lines [x, y, size, text] between the title and the signature block.
export function decisionPdf(title = 'QUYET DINH', body = []) {
  const lines = [[70, 770, 12, 'SO KHOA HOC VA CONG NGHE'], [70, 740, 12, 'S\x80:'],
    [300, 740, 12, 'Nghe An, ng\x81y      th\x82ng      n\x83m 2026'], [200, 680, 14, title], ...body,
    [360, 300, 12, 'GIAM DOC'], [360, 200, 12, 'Bui Van Long']];
  const content = lines.map(([x, y, s, t]) => `BT /F1 ${s} Tf ${x} ${y} Td (${t}) Tj ET`).join('\n');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding ' +
    '/WinAnsiEncoding /Differences [128 /ocircumflexacute /agrave /aacute /abreve] >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`];
  let out = '%PDF-1.7\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// A minimal DOCX (a ZIP with [Content_Types].xml and word/document.xml): what the
// format check recognises.
export function docx() {
  return Buffer.from(execFileSync('python3', ['-c', `
import io, zipfile, sys
b = io.BytesIO()
z = zipfile.ZipFile(b, 'w')
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
z.writestr('word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>')
z.close()
sys.stdout.buffer.write(b.getvalue())`]));
}
