// Integration harness: a fresh data directory with the demo province, the real qlvb
// binary on a free 127.0.0.1 port, and small HTTP helpers (fetch, cookies, forms).
// With QLVB_TEST_PG (a postgres:// URL, set by tests/run.sh for its PostgreSQL pass)
// every data directory gets its own fresh database on that server instead of SQLite.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { PG, psql, freshDb } from '../pg-env.mjs';
import { assertRequestDocumented } from './openapi.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = process.env.QLVB_BIN || join(ROOT, 'build/qlvb');
export const DEMO_PASSWORD = 'Demo@2026qlvb';
export const ADMIN_SKHCN = '040090000141';      // administrator of Sở Khoa học và Công nghệ
export const ADMIN_TRUONGVINH = '040090000301'; // administrator of UBND phường Trường Vinh
export const SYSADMIN = '040080000001';

let spec = null; // web/openapi.json, read once
function apiSpec() { return spec || (spec = JSON.parse(readFileSync(join(ROOT, 'web/openapi.json'), 'utf8'))); }

const FAST_ENV = { QLVB_ARGON2_MEMORY_KIB: '1024', QLVB_ARGON2_ITERATIONS: '1' };

// ---- PostgreSQL pass (pg-env.mjs gives the process a default QLVB_DB) ----
export { PG, freshDb };
export const ENGINE = PG ? 'postgres' : 'sqlite';
const dbOfDir = new Map(); // data directory -> its database URL

function dbFor(dir) { return dbOfDir.get(resolve(dir)) || process.env.QLVB_DB; }

// `--db` for a command that names a data directory: init of a new directory gets a
// fresh database, every later command on that directory the same one.
function withDb(args) {
  if (!PG || args.includes('--db')) return args;
  const i = args.indexOf('--data');
  if (i < 0 || i + 1 >= args.length) return args;
  const dir = resolve(args[i + 1]);
  if (!dbOfDir.has(dir) && args[0] === 'init') dbOfDir.set(dir, freshDb());
  return [...args, '--db', dbFor(dir)];
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    s.on('error', rej);
  });
}

export function qlvb(args, opts = {}) {
  return execFileSync(BIN, withDb(args), { env: { ...process.env, ...FAST_ENV, ...(opts.env || {}) },
    encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], input: opts.input });
}

export function qlvbStatus(args) {
  try { return { code: 0, out: qlvb(args) }; }
  catch (e) { return { code: e.status, out: (e.stdout || '') + (e.stderr || '') }; }
}

export class Server {
  constructor(extraArgs = [], env = {}) { this.extraArgs = extraArgs; this.env = env; }
  async start({ demo = true, dataDir } = {}) {
    this.dir = dataDir || mkdtempSync(join(tmpdir(), 'qlvb-it-'));
    if (PG && !dbOfDir.has(resolve(this.dir))) dbOfDir.set(resolve(this.dir), dataDir ? dbFor(this.dir) : freshDb());
    if (!dataDir) qlvb(['init', '--data', this.dir, ...(demo ? ['--demo'] : [])]);
    await this.launch();
    return this;
  }
  async launch() {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.log = '';
    this.proc = spawn(BIN, ['serve', '--data', this.dir, '--listen', `127.0.0.1:${this.port}`,
      '--threads', '2', ...(PG ? ['--db', dbFor(this.dir)] : []), ...this.extraArgs],
      { env: { ...process.env, ...FAST_ENV, ...this.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.log += d; });
    // 'close', not 'exit': exit may come before the last of stderr was read (a test
    // that looked for the shutdown lines in the log then found them missing).
    this.exited = new Promise((r) => this.proc.on('close', (code, sig) => r({ code, sig })));
    for (let i = 0; i < 200; i++) {
      try { await fetch(this.base + '/login'); return; } catch { await new Promise((r) => setTimeout(r, 25)); }
    }
    throw new Error('server did not start: ' + this.log);
  }
  async stop(signal = 'SIGTERM') {
    if (this.proc && this.proc.exitCode === null) { this.proc.kill(signal); }
    const exit = await this.exited;
    // db.c refuses a query whose type letters do not match its parameters (a call that
    // would bind the wrong value): any such line fails the test file that caused it.
    const bad = (this.log || '').split('\n').filter((l) => l.includes('db bind: the type letters') || l.includes('db write outside a transaction') || l.includes('db write inside a read snapshot') || l.includes('db statement left open across'));
    if (bad.length) throw new Error('server ran a query with mismatched bind types, a write outside a transaction or inside a read snapshot:\n' + bad.slice(0, 3).join('\n'));
    return exit;
  }
  cleanup() {
    if (PG && dbOfDir.has(resolve(this.dir))) {
      const name = new URL(dbFor(this.dir)).pathname.slice(1);
      try { psql(PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* thrown away with the cluster */ }
      dbOfDir.delete(resolve(this.dir));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
  // Runs SQL on this server's database (sqlite3 or psql; both print rows as a|b).
  db(sql) {
    if (PG) return psql(dbFor(this.dir), sql);
    // A busy timeout: the server may hold the write lock for a moment (its jobs run at start).
    return execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(this.dir, 'qlvb.db'), sql], { encoding: 'utf8' });
  }
  // SQL for the upper-case hex of a binary expression, on either engine.
  // A binary literal from hex digits, in the engine's own syntax.
  blobSql(hex) { return PG ? `decode('${hex}', 'hex')` : `X'${hex}'`; }
  hexSql(expr) { return PG ? `upper(encode(${expr}, 'hex'))` : `hex(${expr})`; }
  url(p) { return this.base + p; }
}

// A user agent with a cookie jar (web) or a bearer token (API).
export class Client {
  constructor(server) { this.s = server; this.cookies = new Map(); this.token = null; this.csrf = null; }
  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';'); const i = pair.indexOf('=');
      const k = pair.slice(0, i), v = pair.slice(i + 1);
      if (/Max-Age=0/.test(c) || v === '') this.cookies.delete(k); else this.cookies.set(k, v);
    }
  }
  async req(method, path, { json, form, headers = {}, body, bearer = true } = {}) {
    const h = { ...headers };
    if (this.cookies.size) h.Cookie = this.cookieHeader();
    if (bearer && this.token) h.Authorization = `Bearer ${this.token}`;
    let b = body;
    if (json !== undefined) { h['Content-Type'] = 'application/json'; b = JSON.stringify(json); }
    if (form !== undefined) { h['Content-Type'] = 'application/x-www-form-urlencoded'; b = new URLSearchParams(form).toString(); }
    const res = await fetch(this.s.url(path), { method, headers: h, body: b, redirect: 'manual' });
    this.keep(res);
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { /* html */ }
    // An accepted JSON request to the API is one the document describes (openapi.mjs).
    if (json !== undefined && res.status >= 200 && res.status < 300 && path.startsWith('/api/v1/'))
      assertRequestDocumented(apiSpec(), method, path, json);
    return { status: res.status, headers: res.headers, text, json: data };
  }
  get(p, o) { return this.req('GET', p, o); }
  post(p, o) { return this.req('POST', p, o); }
  async apiLogin(login, password = DEMO_PASSWORD) {
    const r = await this.post('/api/v1/login', { json: { login, password } });
    if (r.status === 200) { this.token = r.json.token; this.csrf = r.json.csrf_token; this.cookies.clear(); }
    return r;
  }
  // Web login through the form, with the login page's CSRF cookie.
  async webLogin(login, password = DEMO_PASSWORD) {
    const page = await this.get('/login');
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page.text)[1];
    return this.post('/login', { form: { _csrf: csrf, login, password } });
  }
  csrfFrom(html) { const m = /name="_csrf" value="([0-9a-f]+)"/.exec(html); return m && m[1]; }
}

// Raw HTTP/1.1 over a socket, for what fetch cannot send (a Host header) or read (a
// response sent before the request body was fully written). Returns {status, headers, body}.
export function rawRequest(port, head, body = Buffer.alloc(0)) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(head);
      s.write(body, () => {});
    });
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {}); // the server may close while we still write
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return reject(new Error('no response: ' + text.slice(0, 100)));
      const [h, ...rest] = text.split('\r\n\r\n');
      resolve({ status: Number(m[1]), headers: h, body: rest.join('\r\n\r\n') });
    });
    setTimeout(() => s.end(), 3000);
  });
}

// A one-page A4 PDF whose signature block is written in ASCII (base-14 Helvetica):
// the finder matches names without diacritics.
export function makePdf(lines) {
  const content = lines.map(([x, y, size, text]) =>
    `BT /F1 ${size} Tf ${x} ${y} Td (${text}) Tj ET`).join('\n');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.7\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(Buffer.byteLength(out)); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// The demo gives Sở KH&CN signing keys of its own demo CA (issue 12, demo_signing_seed):
// the director's and the agency's. With the agency key, a paper original there waits for
// the agency's signature on its scan before it is presented (standards.md §5); with the
// director's, his usable keys are not only a test's. Tests of the workflow itself (which
// present scans as they are) and of the signing API with the test PKI start without
// them: the agency's administrator revokes them, as an agency without keys works.
export async function revokeDemoKeys(server) {
  const admin = new Client(server);
  const login = await admin.apiLogin(ADMIN_SKHCN);
  if (login.status !== 200) throw new Error(`login ${ADMIN_SKHCN}: ${login.text}`);
  const keys = (await admin.get('/api/v1/signing-keys')).json.keys
    .filter((k) => k.issuer === 'QLVB DEMO CA — không dùng thật' && !k.revoked_at);
  for (const k of keys) {
    const r = await admin.post(`/api/v1/signing-keys/${k.id}/revoke`, { json: { reason: 'Kiểm thử không dùng khóa mẫu' } });
    if (r.status !== 200) throw new Error(`revoke ${k.id}: ${r.status} ${r.text}`);
  }
}
