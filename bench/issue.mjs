// Driver of bench/issue.sh: issuance throughput over HTTP. Setup (not timed): 5 new
// agencies of the installation through POST /api/v1/agencies (the system administrator),
// the director's personal key and the agency key, N approved drafts (draft → submit with
// the signer only → approve), each addressed to the 5 agencies. Timed: C workers, each
// document signed by the director (signature + number + stamp), sealed by the clerk
// (agency signature) and issued (delivered: 5 incoming copies in one transaction).
// Prints JSON: documents, seconds, docs_per_s, p50/p99 of each step, and checks.
// Env: BASE, PKI, N (200), C (8).
import { readFileSync } from 'node:fs';
const BASE = process.env.BASE, PKI = process.env.PKI;
const N = Number(process.env.N || 200), C = Number(process.env.C || 8);
const PW = 'Demo@2026qlvb', PIN = '123456';

async function call(token, method, path, { json, form } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  let body;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) body = form;
  const res = await fetch(BASE + path, { method, headers, body });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}
async function login(l) {
  const res = await fetch(BASE + '/api/v1/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: l, password: PW }) });
  return (await res.json()).token;
}
function pdf(title) {
  const lines = [[70, 770, 12, 'SO KHOA HOC VA CONG NGHE'], [70, 740, 12, 'S\x80:'],
    [300, 740, 12, 'Nghe An, ng\x81y      th\x82ng      n\x83m 2026'], [200, 680, 14, title],
    ...Array.from({ length: 30 }, (_, i) => [70, 640 - 14 * i, 11, `Dieu ${i + 1}. Noi dung quy dinh cua van ban do tai.`]),
    [360, 150, 12, 'GIAM DOC'], [360, 90, 12, 'Bui Van Long']];
  const content = lines.map(([x, y, s, t]) => `BT /F1 ${s} Tf ${x} ${y} Td (${t}) Tj ET`).join('\n');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Type /Encoding /BaseEncoding ' +
    '/WinAnsiEncoding /Differences [128 /ocircumflexacute /agrave /aacute /abreve] >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`];
  let out = '%PDF-1.7\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out, 'latin1')); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const x = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${x}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (next < items.length) { const i = next++; await fn(items[i], i); } }));
}
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s.length ? +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : 0; };

const [sys, admin, leader, clerk, spec] = await Promise.all(
  ['040080000001', '040090000141', '040090000142', '040090000143', '040090000145'].map(login));
const agencies = [];
for (let i = 1; i <= 5; i++) {
  const a = await call(sys, 'POST', '/api/v1/agencies', { json: { code: `000.00.9${i}.H41`, name: `Cơ quan nhận đo tải ${i}`, abbr: `NDT${i}` } });
  agencies.push(a.id);
}
const leaderId = (await call(leader, 'GET', '/api/v1/me')).id;
async function key(userId, file) {
  const f = new FormData();
  f.append('pin', PIN);
  if (userId) { f.append('user_id', String(userId)); f.append('name_confirm', '1'); f.append('name_reason', 'Bộ chứng thư đo tải'); }
  f.append('file', new Blob([readFileSync(`${PKI}/${file}`)], { type: 'application/x-pkcs12' }), file);
  return (await call(admin, 'POST', '/api/v1/signing-keys', { form: f })).id;
}
const personKey = await key(leaderId, 'person.p12'), agencyKey = await key(null, 'agency.p12');
const ids = new Array(N);
const t0 = Date.now();
await pool(ids, C, async (_, i) => {
  const f = new FormData();
  f.append('metadata', JSON.stringify({ doc_type: 'quyet_dinh', subject: `Quyết định đo tải số ${i + 1}`,
    urgency: i % 4 === 0 ? 'khan' : 'thuong', signer_id: leaderId, recipients: agencies.map((a) => ({ kind: 'agency', agency_id: a })) }));
  f.append('main', new Blob([pdf(`QUYET DINH ${i + 1}`)], { type: 'application/pdf' }), 'qd.pdf');
  const d = await call(spec, 'POST', '/api/v1/documents/outgoing', { form: f });
  await call(spec, 'POST', `/api/v1/documents/${d.id}/submit`, { json: { reviewers: [] } });
  await call(leader, 'POST', `/api/v1/documents/${d.id}/approve`, { json: { note: 'Duyệt' } });
  ids[i] = d.id;
});
const prepare = (Date.now() - t0) / 1000;
const lat = { sign: [], seal: [], issue: [], total: [] };
const t1 = Date.now();
let sealedSize = 0, sealedFile = '';
await pool(ids, C, async (id) => {
  const a = performance.now();
  await call(leader, 'POST', `/api/v1/documents/${id}/sign`, { json: { key_id: personKey, pin: PIN } });
  const b = performance.now();
  const s = await call(clerk, 'POST', `/api/v1/documents/${id}/seal`, { json: { key_id: agencyKey, pin: PIN } });
  const c = performance.now();
  const d = await call(clerk, 'POST', `/api/v1/documents/${id}/issue`);
  const e = performance.now();
  if (d.state !== 'issued' || d.recipients_status.filter((r) => r.status === 'arrived').length !== 5)
    throw new Error(`document ${id} not delivered to 5 agencies`);
  lat.sign.push(b - a); lat.seal.push(c - b); lat.issue.push(e - c); lat.total.push(e - a);
  if (!sealedFile) { const v = s.versions.at(-1); sealedSize = v.size || 0; sealedFile = `/api/v1/documents/${id}/files/${v.id}`; }
});
const secs = (Date.now() - t1) / 1000;
const out = { documents: N, clients: C, prepare_s: +prepare.toFixed(2), seconds: +secs.toFixed(2), docs_per_s: +(N / secs).toFixed(2),
  copies_delivered: N * 5, sealed_file: sealedFile, sealed_size: sealedSize };
for (const [k, v] of Object.entries(lat)) out[k] = { p50_ms: pct(v, 0.5), p99_ms: pct(v, 0.99) };
console.log(JSON.stringify(out));
