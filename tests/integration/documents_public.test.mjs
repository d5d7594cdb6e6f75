// Drafts for public comment (issue 12 "Drafts for public comment", Khánh Hòa Điều 9;
// standards.md §11 NFC, §12 who did what, §14 Thái Bình Điều 5.1 — the published draft
// is the one file reachable without an account, and only its published version). A
// specialist of Sở KH&CN drafts a decision and publishes it for comment through the API;
// visitors without an account read the page, download the PDF and comment through the
// form (pre-session CSRF cookie); the drafter and the director read the comments, a clerk
// and another agency may not; the page closes itself at the deadline and when the
// drafter closes it, and stays readable. Limits: length, links, duplicates, comments per
// client address per hour (an IPv6 /64 counts as one), comments per draft. Guessed and
// unpublished slugs, numeric ids and another agency's host name answer 404. A draft
// revised after a round is published again as the next round (a newer PDF version, a new
// deadline, its own page): one round open at a time, at most 10, earlier rounds readable
// with their comments, the public page linking the rounds, the drafter's panel listing
// them with their counts; migration 0021 makes earlier consultations round 1. Every write
// has its audit row (the visitor's with no account), and the chain verifies. Runs on
// SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Server, Client, makePdf, qlvbStatus, rawRequest } from './harness.mjs';
import { assertDocumented } from './openapi.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const LEADER = '040090000142', CLERK = '040090000143', HEAD = '040090000144';
const SPECIALIST = '040090000145', TV_ADMIN = '040090000301';
const PER_HOUR = 3, PER_DRAFT = 8;

let srv, spec, specialist, leader, clerk, head, tvAdmin, ids = {};
const documented = (method, path, res) => assertDocumented(spec, method, path, res);
const one = (sql) => Number(srv.db(sql).trim());
const footprint = () => srv.db(
  'SELECT COUNT(*) FROM doc_public_comment; SELECT COALESCE(SUM(comment_count), 0) FROM doc_consultation; ' +
  "SELECT COUNT(*) FROM doc_consultation WHERE state = 'closed'; SELECT COUNT(*) FROM doc_history; " +
  'SELECT COUNT(*) FROM audit_log');

function fd(fields, files) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  for (const [field, bytes, name, type] of files) f.append(field, new Blob([bytes], { type }), name);
  return f;
}
async function draft(subject, pdf = makePdf([[72, 760, 14, 'DU THAO QUYET DINH']])) {
  const m = { doc_type: 'quyet_dinh', subject, summary: 'Tóm tắt nội bộ của dự thảo', urgency: 'thuong',
    signer_id: ids[LEADER], recipients: [{ kind: 'user', user_id: ids[HEAD] }] };
  const r = await specialist.req('POST', '/api/v1/documents/outgoing',
    { body: fd({ metadata: m }, [['main', pdf, 'du-thao-noi-bo.pdf', 'application/pdf']]) });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const publish = (c, id, json) => c.post(`/api/v1/documents/${id}/consultation`, { json });
const inDays = (n) => new Date(Date.now() + 7 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

// A visitor without an account, from one client address (the server trusts
// X-Forwarded-For in this test, so each visitor is its own address).
class Visitor extends Client {
  constructor(server, addr) { super(server); this.addr = addr; }
  req(method, path, o = {}) { return super.req(method, path, { ...o, headers: { 'X-Forwarded-For': this.addr, ...(o.headers || {}) } }); }
  async comment(slug, fields, { csrf = true } = {}) {
    const page = await this.get(`/public/consultations/${slug}`);
    const token = this.csrfFrom(page.text);
    const form = { name: 'Trần Văn Hùng', organisation: 'Hội Tin học tỉnh', email: 'hung@example.vn',
      body: 'Đề nghị bổ sung Điều 5 về trách nhiệm của người ký.', ...fields };
    if (csrf && token) form._csrf = token;
    return this.post(`/public/consultations/${slug}/comments`, { form });
  }
}

let d1, d2, d3, slug1, slug2, slug3, pdf1;

before(async () => {
  srv = new Server(['--trust-proxy'], { QLVB_PUBLIC_COMMENTS_PER_HOUR: String(PER_HOUR),
    QLVB_PUBLIC_COMMENTS_MAX: String(PER_DRAFT), QLVB_DOMAIN: 'khanhhoa.gov.vn' });
  await srv.start();
  spec = JSON.parse(readFileSync(join(ROOT, 'web/openapi.json'), 'utf8'));
  [specialist, leader, clerk, head, tvAdmin] = [SPECIALIST, LEADER, CLERK, HEAD, TV_ADMIN].map(() => new Client(srv));
  for (const [c, l] of [[specialist, SPECIALIST], [leader, LEADER], [clerk, CLERK], [head, HEAD], [tvAdmin, TV_ADMIN]]) {
    assert.equal((await c.apiLogin(l)).status, 200);
    ids[l] = (await c.get('/api/v1/me')).json.id;
  }
  pdf1 = makePdf([[72, 760, 14, 'DU THAO QUY CHE CHU KY SO']]);
  d1 = await draft('Dự thảo Quyết định ban hành Quy chế sử dụng chữ ký số', pdf1);
  d2 = await draft('Dự thảo Kế hoạch chuyển đổi số năm 2027');
  d3 = await draft('Dự thảo Quy định về lưu trữ điện tử');
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('publishing is the drafter\'s or a leader\'s step through the policy; bad input writes nothing', async () => {
  const before = footprint();
  assert.equal((await publish(clerk, d1, { deadline: inDays(10) })).status, 403, 'a clerk sees the draft, may not publish');
  assert.equal((await publish(head, d1, { deadline: inDays(10) })).status, 404, 'not on the draft');
  assert.equal((await publish(tvAdmin, d1, { deadline: inDays(10) })).status, 404, 'another agency');
  assert.equal((await publish(tvAdmin, 999999, { deadline: inDays(10) })).status, 404);
  let r = await publish(specialist, d1, { deadline: '2020-01-01' });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.deadline, /sau thời điểm hiện tại/);
  r = await publish(specialist, d1, { deadline: inDays(400) });
  assert.equal(r.status, 422);
  assert.match(r.json.errors.deadline, /366 ngày/);
  r = await publish(specialist, d1, { deadline: '31/12/2026' });
  assert.equal(r.status, 422);
  r = await publish(specialist, d1, {});
  assert.equal(r.status, 422);
  assert.match(r.json.errors.deadline, /Vui lòng nhập hạn góp ý/);
  r = await publish(specialist, d1, { deadline: inDays(10), summary: 'x'.repeat(2001) });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.summary);
  assert.equal(footprint(), before, 'nothing written');

  r = await publish(specialist, d1, { deadline: inDays(10), summary: 'Quy chế quy định việc quản lý, sử dụng chữ ký số.\nÁp dụng với các đơn vị thuộc Sở.' });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/documents/{id}/consultation', r);
  slug1 = r.json.slug;
  assert.match(slug1, /^[0-9a-f]{32}$/);
  assert.equal(r.json.state, 'open');
  assert.equal(r.json.file_version, 1);
  assert.equal(r.json.url, `/public/consultations/${slug1}`);
  // A workflow step: a history row with the version, an audit row by the drafter.
  assert.equal(one(`SELECT COUNT(*) FROM doc_history WHERE document_id = ${d1} AND action = 'consultation_opened' AND file_version = 1`), 1);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_open' AND object_id = '${d1}' AND actor_id = ${ids[SPECIALIST]}`), 1);
  r = await publish(specialist, d1, { deadline: inDays(10) });
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /đã được công bố/);
  // The agency's leader may publish too (the second draft: its deadline is brought
  // forward to a few seconds ahead by the test of the automatic close).
  const soon = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  r = await publish(leader, d2, { deadline: soon });
  assert.equal(r.status, 201, r.text);
  slug2 = r.json.slug;
  r = await publish(specialist, d3, { deadline: inDays(5) });
  assert.equal(r.status, 201);
  slug3 = r.json.slug;
  // The document page's data: the panel for the drafter, documented.
  r = await specialist.get(`/api/v1/documents/${d1}`);
  documented('GET', '/api/v1/documents/{id}', r);
  assert.equal(r.json.public_comment.consultation.slug, slug1);
  assert.equal(r.json.public_comment.can_close, true);
  assert.equal(r.json.public_comment.can_publish, false);
  r = await clerk.get(`/api/v1/documents/${d1}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.public_comment, undefined, 'no panel for a clerk');
});

test('the public page, without login, shows only what was published; the PDF is the published version', async () => {
  const v = new Visitor(srv, '198.51.100.7');
  let r = await v.get(`/public/consultations/${slug1}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Dự thảo Quyết định ban hành Quy chế sử dụng chữ ký số/);
  assert.match(r.text, /Áp dụng với các đơn vị thuộc Sở/);
  assert.match(r.text, /Đang lấy ý kiến/);
  assert.match(r.headers.get('set-cookie'), /qlvb_public_csrf=[0-9a-f]{64}; Path=\/;.*SameSite=Lax; HttpOnly/);
  assert.doesNotMatch(r.text, /Tóm tắt nội bộ|du-thao-noi-bo|\/documents\/|mainnav|Đăng xuất/, 'no internal summary, file name, id or menu');
  // Signed in, the page is the same public page (no menu).
  const signed = new Client(srv);
  await signed.webLogin(SPECIALIST);
  r = await signed.get(`/public/consultations/${slug1}`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /mainnav|Đăng xuất/);
  r = await v.get(`/public/consultations/${slug1}/file`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  const got = Buffer.from(await (await fetch(srv.url(`/public/consultations/${slug1}/file?download=1`))).arrayBuffer());
  assert.deepEqual(got, pdf1);
  // A new version of the draft does not change what the public downloads.
  const v2 = makePdf([[72, 760, 14, 'BAN SUA NOI BO']]);
  r = await specialist.req('POST', `/api/v1/documents/${d1}/versions`,
    { body: fd({ note: 'Bản sửa' }, [['file', v2, 'ban-sua.pdf', 'application/pdf']]) });
  assert.equal(r.status, 201, r.text);
  const again = Buffer.from(await (await fetch(srv.url(`/public/consultations/${slug1}/file`))).arrayBuffer());
  assert.deepEqual(again, pdf1);
  // The index lists the open consultations, of every agency on the installation's name.
  r = await v.get('/public/consultations');
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(slug1));
  assert.match(r.text, new RegExp(slug3));
});

test('guessed, malformed and unpublished addresses are 404; another agency\'s host name is 404', async () => {
  const v = new Visitor(srv, '198.51.100.8');
  for (const p of [`/public/consultations/${randomBytes(16).toString('hex')}`, `/public/consultations/${d1}`,
    `/public/consultations/${slug1.toUpperCase()}`, `/public/consultations/${slug1}x`,
    `/public/consultations/${randomBytes(16).toString('hex')}/file`, `/public/consultations/${d1}/file`,
    '/public/consultations/..%2F..%2Fdocuments/file']) {
    const r = await v.get(p);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.text, /%PDF/);
  }
  const page = await v.get(`/public/consultations/${slug1}`);
  const token = v.csrfFrom(page.text);
  const before = footprint();
  const r = await v.post(`/public/consultations/${randomBytes(16).toString('hex')}/comments`,
    { form: { _csrf: token, name: 'A', body: 'Góp ý thử' } });
  assert.equal(r.status, 404);
  assert.equal(footprint(), before);
  const host = (label) => `${label}.khanhhoa.gov.vn`;
  const get = (label, p) => rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: ${host(label)}\r\nConnection: close\r\n\r\n`);
  const own = srv.db(`SELECT a.host_label FROM agency a JOIN document d ON d.agency_id = a.id WHERE d.id = ${d1}`).trim();
  const other = srv.db(`SELECT host_label FROM agency WHERE id <> (SELECT agency_id FROM document WHERE id = ${d1}) ORDER BY id LIMIT 1`).trim();
  assert.equal((await get(own, `/public/consultations/${slug1}`)).status, 200);
  assert.equal((await get(other, `/public/consultations/${slug1}`)).status, 404);
  assert.equal((await get(other, `/public/consultations/${slug1}/file`)).status, 404);
  assert.doesNotMatch((await get(other, '/public/consultations')).body, new RegExp(slug1));
});

test('a visitor comments through the form: CSRF required, validated, NFC, audited with no account', async () => {
  const v = new Visitor(srv, '203.0.113.10');
  let before = footprint();
  // No token, a token without its cookie, a wrong token: refused, nothing written.
  let r = await v.comment(slug1, {}, { csrf: false });
  assert.equal(r.status, 403);
  assert.match(r.text, /Phiên của trang góp ý đã hết hạn/);
  const stranger = new Visitor(srv, '203.0.113.10');
  r = await stranger.post(`/public/consultations/${slug1}/comments`, { form: { _csrf: 'a'.repeat(64), name: 'A', body: 'Góp ý' } });
  assert.equal(r.status, 403);
  await v.get(`/public/consultations/${slug1}`);
  r = await v.post(`/public/consultations/${slug1}/comments`, { form: { _csrf: 'b'.repeat(64), name: 'A', body: 'Góp ý' } });
  assert.equal(r.status, 403);
  assert.equal(footprint(), before, 'nothing written without a valid token');

  // Bad input: Vietnamese errors next to the fields, typed values kept, nothing written.
  const bad = [
    [{ body: '   \n\t ' }, 'body', /Vui lòng nhập nội dung góp ý/],
    [{ body: 'x'.repeat(5001) }, 'body', /không được dài quá 5\.000 ký tự/],
    [{ body: 'Xem http://a.vn https://b.vn www.c.vn http://d.vn' }, 'body', /quá nhiều đường dẫn/],
    [{ body: '!!! ??? ...' }, 'body', /cần có chữ hoặc số/],
    [{ name: '' }, 'name', /Vui lòng nhập họ và tên/],
    [{ name: 'http://spam.example' }, 'name', /Họ và tên không hợp lệ/],
    [{ email: 'khong-phai-email' }, 'email', /thư điện tử không hợp lệ/],
    [{ organisation: 'Công ty www.quangcao.vn' }, 'organisation', /không được chứa đường dẫn/],
    [{ body: 'Đề nghị\u202Esửa' }, 'body', /đổi chiều văn bản/],
  ];
  for (const [f, field, msg] of bad) {
    r = await v.comment(slug1, f);
    assert.equal(r.status, 422, `${field}: ${r.status}`);
    assert.match(r.text, msg, field);
    assert.match(r.text, /aria-invalid="true"/);
  }
  r = await v.comment(slug1, { email: 'khong-phai-email', body: 'Giữ nội dung <b>này</b>' });
  assert.match(r.text, /Giữ nội dung &lt;b&gt;này&lt;\/b&gt;/, 'typed text kept, escaped');
  assert.equal(footprint(), before, 'nothing written on bad input');

  // Accepted: decomposed Vietnamese stored composed (§11), 5000 characters exactly fit.
  const nfd = 'Đề nghị sửa Điều 3'.normalize('NFD');
  r = await v.comment(slug1, { name: 'Nguyễn Thị Lan'.normalize('NFD'), body: nfd + '\r\n\r\n\r\n\r\nCảm ơn.' });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), `/public/consultations/${slug1}#gop-y`);
  r = await v.get(`/public/consultations/${slug1}`);
  assert.match(r.text, /Cảm ơn bạn đã góp ý/);
  assert.equal(srv.db(`SELECT name FROM doc_public_comment ORDER BY id DESC LIMIT 1`).trim(), 'Nguyễn Thị Lan'.normalize('NFC'));
  assert.equal(one(`SELECT COUNT(*) FROM doc_public_comment WHERE body = '${'Đề nghị sửa Điều 3'.normalize('NFC')}\nCảm ơn.'`), 0,
    'runs of empty lines are cut to one');
  assert.equal(one(`SELECT COUNT(*) FROM doc_public_comment WHERE body LIKE '${'Đề nghị sửa Điều 3'.normalize('NFC')}%Cảm ơn.'`), 1);
  // The audit row: no account (actor 0 or NULL), the client address, the drafting agency.
  const row = srv.db(`SELECT COALESCE(actor_id, 0), client_addr, agency_id FROM audit_log WHERE action = 'doc_public_comment' ORDER BY id DESC LIMIT 1`)
    .trim().split('|');
  assert.equal(Number(row[0]), 0);
  assert.equal(row[1], '203.0.113.10');
  assert.equal(Number(row[2]), one(`SELECT agency_id FROM document WHERE id = ${d1}`));
  // The same comment again from the same address: once.
  before = footprint();
  r = await v.comment(slug1, { name: 'Nguyễn Thị Lan', body: nfd + '\n\nCảm ơn.' });
  assert.equal(r.status, 409);
  assert.match(r.text, /đã được gửi trước đó/);
  assert.equal(footprint(), before);
  r = await v.comment(slug1, { body: 'y'.repeat(5000) });
  assert.equal(r.status, 303, 'exactly 5000 characters');
  assert.equal(one(`SELECT comment_count FROM doc_consultation WHERE document_id = ${d1}`), 2);
});

test('comments per client address per hour are limited; an IPv6 /64 is one client', async () => {
  const a = new Visitor(srv, '192.0.2.50'), b = new Visitor(srv, '192.0.2.51');
  for (let i = 0; i < PER_HOUR; i++) assert.equal((await a.comment(slug3, { body: `Góp ý số ${i + 1} về Điều ${i + 2}` })).status, 303);
  let before = footprint();
  let r = await a.comment(slug3, { body: 'Góp ý thêm về Điều 9' });
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '3600');
  assert.match(r.text, /Bạn đã gửi 3 góp ý trong một giờ qua/);
  // Across consultations: the address, not the draft, is counted.
  r = await a.comment(slug1, { body: 'Góp ý về dự thảo khác' });
  assert.equal(r.status, 429);
  assert.equal(footprint(), before);
  assert.equal((await b.comment(slug3, { body: 'Góp ý từ địa chỉ khác' })).status, 303);
  const v6 = ['2001:db8:5:6::1', '2001:db8:5:6:ffff::2', '2001:db8:5:6::3'];
  for (let i = 0; i < PER_HOUR; i++)
    assert.equal((await new Visitor(srv, v6[i]).comment(slug1, { body: `IPv6 góp ý ${i}` })).status, 303);
  before = footprint();
  r = await new Visitor(srv, '2001:db8:5:6::99').comment(slug1, { body: 'IPv6 góp ý thêm' });
  assert.equal(r.status, 429, 'the same /64');
  assert.equal(footprint(), before);
  assert.equal((await new Visitor(srv, '2001:db8:5:7::1').comment(slug1, { body: 'IPv6 mạng khác' })).status, 303);
  assert.equal(one("SELECT COUNT(*) FROM public_client WHERE client_key = '2001:db8:5:6::/64'"), 1);
  // Concurrent comments from one new address: exactly PER_HOUR accepted.
  const c = new Visitor(srv, '192.0.2.77');
  const tokens = [];
  for (let i = 0; i < 8; i++) tokens.push(c.comment(slug3, { body: `Song song ${i}` }));
  const st = (await Promise.all(tokens)).map((x) => x.status);
  assert.equal(st.filter((s) => s === 303).length, PER_HOUR, st.join(','));
  assert.equal(st.filter((s) => s === 429).length, 8 - PER_HOUR);
});

test('a draft takes at most the configured number of comments', async () => {
  const have = one(`SELECT comment_count FROM doc_consultation WHERE document_id = ${d3}`);
  let n = have;
  for (let i = 0; n < PER_DRAFT; i++) {
    const r = await new Visitor(srv, `192.0.2.${100 + i}`).comment(slug3, { body: `Lấp đầy ${i}` });
    assert.equal(r.status, 303);
    n++;
  }
  const before = footprint();
  const r = await new Visitor(srv, '192.0.2.200').comment(slug3, { body: 'Quá số tối đa' });
  assert.equal(r.status, 409);
  assert.match(r.text, new RegExp(`đủ số góp ý tối đa \\(${PER_DRAFT}\\)`));
  assert.equal(footprint(), before);
  assert.equal(one(`SELECT COUNT(*) FROM doc_public_comment c JOIN doc_consultation k ON k.id = c.consultation_id WHERE k.document_id = ${d3}`), PER_DRAFT);
});

test('the comments are the drafter\'s, reviewers\' and leaders\': not a clerk\'s, not another agency\'s', async () => {
  let r = await specialist.get(`/api/v1/documents/${d1}/consultation?limit=2`);
  assert.equal(r.status, 200, r.text);
  documented('GET', '/api/v1/documents/{id}/consultation', r);
  const total = one(`SELECT comment_count FROM doc_consultation WHERE document_id = ${d1}`);
  assert.equal(r.json.comment_count, total);
  assert.equal(r.json.comments.length, 2);
  assert.ok(r.json.next_before);
  const ids1 = r.json.comments.map((x) => x.id);
  r = await specialist.get(`/api/v1/documents/${d1}/consultation?limit=100&before=${r.json.next_before}`);
  assert.equal(r.json.comments.length, total - 2);
  assert.ok(r.json.comments.every((x) => x.id < Math.min(...ids1)));
  assert.equal(r.json.next_before, null);
  assert.equal((await leader.get(`/api/v1/documents/${d1}/consultation`)).status, 200, 'agency leader');
  assert.equal((await clerk.get(`/api/v1/documents/${d1}/consultation`)).status, 403, 'a clerk sees the draft, not the comments');
  assert.equal((await head.get(`/api/v1/documents/${d1}/consultation`)).status, 404, 'not on the draft');
  assert.equal((await tvAdmin.get(`/api/v1/documents/${d1}/consultation`)).status, 404, 'another agency');
  assert.equal((await tvAdmin.get(`/api/v1/documents/${d1}`)).status, 404);
  assert.equal((await tvAdmin.post(`/api/v1/documents/${d1}/consultation/close`)).status, 404);
  // A reviewer reads them once the draft is with them.
  r = await specialist.post(`/api/v1/documents/${d1}/submit`, { json: { reviewers: [ids[HEAD]] } });
  assert.equal(r.status, 200, r.text);
  assert.equal((await head.get(`/api/v1/documents/${d1}/consultation`)).status, 200);
  assert.equal((await head.post(`/api/v1/documents/${d1}/consultation/close`)).status, 403, 'a reviewer may not close');
  // The document page shows them to the drafter, escaped, in the panel.
  const web = new Client(srv);
  await web.webLogin(SPECIALIST);
  r = await web.get(`/documents/${d1}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="public-comment"/);
  assert.match(r.text, /Nguyễn Thị Lan/);
  assert.match(r.text, new RegExp(`/public/consultations/${slug1}`));
  const page = await new Client(srv).get(`/public/consultations/${slug1}`);
  assert.doesNotMatch(page.text, /Nguyễn Thị Lan|Đề nghị sửa Điều 3/, 'comments are not public');
});

test('the page closes itself at the deadline: later comments refused in Vietnamese, the page stays readable', async () => {
  const v = new Visitor(srv, '198.51.100.30');
  const page = await v.get(`/public/consultations/${slug2}`);
  const token = v.csrfFrom(page.text);
  assert.ok(token, 'open: the form is there');
  // Two seconds from now, whatever time the earlier tests took on a loaded machine.
  srv.db(`UPDATE doc_consultation SET deadline = ${Math.floor(Date.now() / 1000) + 2} WHERE slug = '${slug2}'`);
  const deadline = Number(srv.db(`SELECT deadline FROM doc_consultation WHERE slug = '${slug2}'`).trim()) * 1000;
  await new Promise((res) => setTimeout(res, Math.max(0, deadline - Date.now()) + 1200));
  const before = footprint();
  let r = await v.post(`/public/consultations/${slug2}/comments`, { form: { _csrf: token, name: 'Lê Văn Minh', body: 'Góp ý muộn' } });
  assert.equal(r.status, 409);
  assert.match(r.text, /Đã hết thời hạn góp ý cho dự thảo này; góp ý không được tiếp nhận/);
  assert.equal(footprint(), before);
  r = await v.get(`/public/consultations/${slug2}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Đã hết hạn góp ý/);
  assert.doesNotMatch(r.text, /name="body"/, 'no form once closed');
  assert.equal((await v.get(`/public/consultations/${slug2}/file`)).status, 200, 'still readable');
  assert.doesNotMatch((await v.get('/public/consultations')).text, new RegExp(slug2), 'not in the index');
  r = await specialist.get(`/api/v1/documents/${d2}/consultation`);
  assert.equal(r.json.state, 'expired');
  r = await leader.post(`/api/v1/documents/${d2}/consultation/close`);
  assert.equal(r.status, 409, 'nothing open to close');
});

test('the drafter closes early: a workflow step; the page stays readable and refuses comments', async () => {
  const v = new Visitor(srv, '198.51.100.40');
  const page = await v.get(`/public/consultations/${slug1}`);
  const token = v.csrfFrom(page.text);
  let r = await specialist.post(`/api/v1/documents/${d1}/consultation/close`);
  assert.equal(r.status, 200, r.text);
  documented('POST', '/api/v1/documents/{id}/consultation/close', r);
  assert.equal(r.json.state, 'closed');
  assert.ok(r.json.closed_at);
  assert.equal(one(`SELECT COUNT(*) FROM doc_history WHERE document_id = ${d1} AND action = 'consultation_closed'`), 1);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_close' AND object_id = '${d1}'`), 1);
  assert.equal((await specialist.post(`/api/v1/documents/${d1}/consultation/close`)).status, 409);
  const before = footprint();
  r = await v.post(`/public/consultations/${slug1}/comments`, { form: { _csrf: token, name: 'Lê Văn Minh', body: 'Góp ý sau khi đóng' } });
  assert.equal(r.status, 409);
  assert.match(r.text, /góp ý không được tiếp nhận/);
  assert.equal(footprint(), before);
  r = await v.get(`/public/consultations/${slug1}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /Đã kết thúc lấy ý kiến/);
});

test('the drafter\'s web forms: publish and close with the session\'s CSRF token', async () => {
  const d4 = await draft('Dự thảo Hướng dẫn số hóa hồ sơ');
  const web = new Client(srv);
  await web.webLogin(SPECIALIST);
  let page = await web.get(`/documents/${d4}`);
  assert.match(page.text, /Công bố lấy ý kiến/);
  const csrf = web.csrfFrom(page.text);
  let r = await web.post(`/documents/${d4}/consultation`, { form: { deadline: inDays(3) } });
  assert.equal(r.status, 403, 'no token');
  r = await web.post(`/documents/${d4}/consultation`, { form: { _csrf: csrf, deadline: '2020-01-01' } });
  assert.equal(r.status, 303);
  page = await web.get(`/documents/${d4}`);
  assert.match(page.text, /Hạn góp ý phải sau thời điểm hiện tại/);
  r = await web.post(`/documents/${d4}/consultation`, { form: { _csrf: csrf, deadline: inDays(3), summary: '' } });
  assert.equal(r.status, 303);
  page = await web.get(`/documents/${d4}`);
  assert.match(page.text, /Đã công bố dự thảo lấy ý kiến công khai/);
  assert.match(page.text, /Kết thúc lấy ý kiến ngay/);
  const slug = srv.db(`SELECT slug FROM doc_consultation WHERE document_id = ${d4}`).trim();
  const pub = await new Client(srv).get(`/public/consultations/${slug}`);
  assert.match(pub.text, /Tóm tắt nội bộ của dự thảo/, 'the draft\'s summary when none was given');
  r = await web.post(`/documents/${d4}/consultation/close`, { form: { _csrf: csrf } });
  assert.equal(r.status, 303);
  assert.equal(srv.db(`SELECT state FROM doc_consultation WHERE document_id = ${d4}`).trim(), 'closed');
});

// A revision of the draft as a PDF version (the public page names the version it shows).
async function revise(id, title) {
  const r = await specialist.req('POST', `/api/v1/documents/${id}/versions`,
    { body: fd({ note: 'Sửa theo góp ý' }, [['file', makePdf([[72, 760, 14, title]]), 'du-thao-sua.pdf', 'application/pdf']]) });
  assert.equal(r.status, 201, r.text);
}
const pdfOf = async (slug) => Buffer.from(await (await fetch(srv.url(`/public/consultations/${slug}/file`))).arrayBuffer());

test('a draft revised after a round is published again as round 2; round 1 stays readable with its comments', async () => {
  const pdfA = makePdf([[72, 760, 14, 'DU THAO QUY CHE BAO MAT VONG 1']]);
  const d = await draft('Dự thảo Quy chế bảo đảm an toàn thông tin', pdfA);
  let r = await publish(specialist, d, { deadline: inDays(7) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.round, 1);
  const s1 = r.json.slug;
  const v = new Visitor(srv, '198.51.100.60');
  assert.equal((await v.comment(s1, { body: 'Góp ý vòng 1: bổ sung quy định về sao lưu.' })).status, 303);
  // While round 1 is open, no second round; closed, the same version again is refused.
  let before = footprint();
  r = await publish(specialist, d, { deadline: inDays(9) });
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /đang mở \(vòng 1\): kết thúc vòng này trước khi công bố vòng mới/);
  assert.equal(footprint(), before, 'nothing written');
  r = await publish(specialist, d, { deadline: inDays(9), round: 2 });
  assert.equal(r.status, 422, 'an unknown member');
  assert.match(r.json.errors.body, /“round” không dùng ở đây/);
  assert.equal((await specialist.post(`/api/v1/documents/${d}/consultation/close`)).status, 200);
  before = footprint();
  r = await publish(specialist, d, { deadline: inDays(9) });
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /tải lên phiên bản PDF mới của dự thảo trước khi công bố vòng mới/);
  assert.equal(footprint(), before, 'nothing written');
  let doc = (await specialist.get(`/api/v1/documents/${d}`)).json.public_comment;
  assert.equal(doc.can_publish, false);
  assert.equal(doc.needs_new_version, true);

  // The drafter revises the draft (version 2) and publishes round 2: its own slug and file.
  await revise(d, 'DU THAO QUY CHE BAO MAT VONG 2');
  r = await publish(specialist, d, { deadline: inDays(12), summary: 'Bản đã sửa theo góp ý vòng 1.' });
  assert.equal(r.status, 201, r.text);
  documented('POST', '/api/v1/documents/{id}/consultation', r);
  assert.equal(r.json.round, 2);
  assert.equal(r.json.file_version, 2);
  assert.equal(r.json.is_open, true);
  assert.deepEqual(r.json.rounds.map((x) => [x.round, x.state, x.comment_count]), [[2, 'open', 0], [1, 'closed', 1]]);
  const s2 = r.json.slug;
  assert.notEqual(s2, s1);
  assert.equal(one(`SELECT COUNT(*) FROM doc_history WHERE document_id = ${d} AND action = 'consultation_opened' AND file_version = 2 AND comment LIKE '%vòng 2%'`), 1);
  assert.equal(one(`SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_open' AND object_id = '${d}'`), 2);
  assert.deepEqual(await pdfOf(s1), pdfA, 'round 1 keeps the version it published');
  assert.notDeepEqual(await pdfOf(s2), pdfA);
  assert.match((await pdfOf(s2)).toString('latin1'), /VONG 2/);

  // The rounds through the API: the newest by default, an earlier one by ?round=.
  r = await specialist.get(`/api/v1/documents/${d}/consultation`);
  documented('GET', '/api/v1/documents/{id}/consultation', r);
  assert.equal(r.json.round, 2);
  assert.equal(r.json.comments.length, 0);
  r = await leader.get(`/api/v1/documents/${d}/consultation?round=1`);
  assert.equal(r.status, 200);
  documented('GET', '/api/v1/documents/{id}/consultation', r);
  assert.equal(r.json.round, 1);
  assert.equal(r.json.state, 'closed');
  assert.equal(r.json.slug, s1);
  assert.deepEqual(r.json.comments.map((c) => c.body), ['Góp ý vòng 1: bổ sung quy định về sao lưu.']);
  assert.equal((await specialist.get(`/api/v1/documents/${d}/consultation?round=3`)).status, 404);
  for (const q of ['0', '11', 'x'])
    assert.equal((await specialist.get(`/api/v1/documents/${d}/consultation?round=${q}`)).status, 400, q);
  assert.equal((await clerk.get(`/api/v1/documents/${d}/consultation?round=1`)).status, 403);
  assert.equal((await tvAdmin.get(`/api/v1/documents/${d}/consultation?round=1`)).status, 404);
  r = await specialist.get(`/api/v1/documents/${d}`);
  documented('GET', '/api/v1/documents/{id}', r);
  doc = r.json.public_comment;
  assert.equal(doc.consultation.round, 2);
  assert.equal(doc.earlier_rounds, 1);
  assert.equal(doc.can_publish, false, 'round 2 is open');
  assert.equal(doc.can_close, true);
  assert.deepEqual(doc.rounds.map((x) => [x.round, x.is_current, x.comments.length]), [[2, true, 0], [1, false, 1]]);

  // The public side: round 1's page points to round 2 and takes no comment; round 2's does.
  const page1 = await v.get(`/public/consultations/${s1}`);
  assert.equal(page1.status, 200);
  assert.match(page1.text, /Vòng 1/);
  assert.match(page1.text, new RegExp(`id="newer-round"[^]*đang lấy ý kiến vòng 2[^]*href="/public/consultations/${s2}"`));
  assert.doesNotMatch(page1.text, /name="body"/);
  assert.match(page1.text, /vòng này của dự thảo này đã kết thúc/);
  const page2 = await v.get(`/public/consultations/${s2}`);
  // With the form's token (round 2's page issues it), a comment to round 1 is refused.
  before = footprint();
  r = await v.post(`/public/consultations/${s1}/comments`, { form: { _csrf: v.csrfFrom(page2.text), name: 'Lê Văn Minh', body: 'Góp ý muộn cho vòng 1' } });
  assert.equal(r.status, 409);
  assert.match(r.text, /góp ý không được tiếp nhận/);
  assert.equal(footprint(), before);
  assert.match(page2.text, /name="body"/);
  assert.match(page2.text, /Bản đã sửa theo góp ý vòng 1/);
  assert.match(page2.text, new RegExp(`Các vòng lấy ý kiến[^]*Vòng 2</strong> <span class="muted small">\\(trang này\\)[^]*href="/public/consultations/${s1}">Vòng 1</a>`));
  assert.doesNotMatch(page2.text, /id="newer-round"/);
  assert.doesNotMatch(page2.text, /Góp ý vòng 1: bổ sung/, 'comments are not public');
  const index = (await v.get('/public/consultations')).text;
  assert.match(index, new RegExp(`href="/public/consultations/${s2}"`));
  assert.doesNotMatch(index, new RegExp(s1));
  assert.match(index, /Lấy ý kiến vòng 2/);
  assert.equal((await new Visitor(srv, '198.51.100.61').comment(s2, { body: 'Góp ý vòng 2: đồng ý với bản sửa.' })).status, 303);
  assert.equal(srv.db(`SELECT round_no || ':' || comment_count FROM doc_consultation WHERE document_id = ${d} ORDER BY round_no`).trim(), '1:1\n2:1');

  // The drafter's panel lists the rounds with their comment counts, earlier ones' comments folded.
  const web = new Client(srv);
  await web.webLogin(SPECIALIST);
  let panel = (await web.get(`/documents/${d}`)).text;
  panel = panel.slice(panel.indexOf('id="public-comment"'));
  assert.match(panel, /<dt>Vòng lấy ý kiến<\/dt><dd>Vòng 2<\/dd>/);
  assert.match(panel, /Góp ý nhận được \(vòng 2\)[^]*Góp ý vòng 2: đồng ý với bản sửa/);
  assert.match(panel, /Các vòng lấy ý kiến/);
  const items = [...panel.matchAll(/<li class="consult-round">[^]*?<\/li>\s*(?=<li class="consult-round">|<\/ol>)/g)].map((m) => m[0]);
  assert.equal(items.length, 2);
  assert.match(items[0], /<strong>Vòng 2<\/strong> · phiên bản 2[^]*Đang lấy ý kiến[^]*consult-round-count">1<\/strong> góp ý/);
  assert.match(items[1], /<strong>Vòng 1<\/strong> · phiên bản 1[^]*Đã kết thúc[^]*consult-round-count">1<\/strong> góp ý/);
  assert.match(items[1], /<summary>Góp ý của vòng 1 \(1\)<\/summary>[^]*Góp ý vòng 1: bổ sung quy định về sao lưu/);
  assert.doesNotMatch(panel, /Công bố vòng lấy ý kiến 3/, 'round 2 is open');
  // Closed, with no new version: the hint; with one, the form for round 3.
  const csrf = web.csrfFrom(await (await web.get(`/documents/${d}`)).text);
  assert.equal((await web.post(`/documents/${d}/consultation/close`, { form: { _csrf: csrf } })).status, 303);
  panel = (await web.get(`/documents/${d}`)).text;
  assert.match(panel, /Để lấy ý kiến vòng 3, tải lên phiên bản PDF mới của dự thảo/);
  await revise(d, 'DU THAO QUY CHE BAO MAT VONG 3');
  panel = (await web.get(`/documents/${d}`)).text;
  assert.match(panel, /<button type="submit" class="btn">Công bố vòng lấy ý kiến 3<\/button>/);
  r = await web.post(`/documents/${d}/consultation`, { form: { _csrf: csrf, deadline: inDays(4) } });
  assert.equal(r.status, 303);
  assert.equal(one(`SELECT MAX(round_no) FROM doc_consultation WHERE document_id = ${d}`), 3);
});

test('at most 10 rounds of one draft; publishing rounds at once opens one', async () => {
  const d = await draft('Dự thảo Quy định về họp trực tuyến');
  for (let n = 1; n <= 10; n++) {
    if (n > 1) await revise(d, `DU THAO HOP TRUC TUYEN ${n}`);
    // Two publishers at once: one round opens, the other is told a round is open.
    const rs = await Promise.all([publish(specialist, d, { deadline: inDays(3) }), publish(leader, d, { deadline: inDays(3) })]);
    assert.deepEqual(rs.map((x) => x.status).sort(), [201, 409], rs.map((x) => x.text).join('\n'));
    assert.equal(rs.find((x) => x.status === 201).json.round, n);
    assert.equal((await specialist.post(`/api/v1/documents/${d}/consultation/close`)).status, 200);
  }
  await revise(d, 'DU THAO HOP TRUC TUYEN 11');
  const before = footprint();
  const r = await publish(specialist, d, { deadline: inDays(3) });
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /đã qua 10 vòng lấy ý kiến, là số vòng tối đa/);
  assert.equal(footprint(), before);
  assert.equal(one(`SELECT COUNT(*) FROM doc_consultation WHERE document_id = ${d}`), 10);
  const doc = (await specialist.get(`/api/v1/documents/${d}`)).json.public_comment;
  assert.equal(doc.rounds.length, 10);
  assert.equal(doc.can_publish, false);
});

test('migration 0021: a consultation from before rounds is round 1, one row per draft and round', async () => {
  const s2 = new Server();
  await s2.start();
  try {
    const c = new Client(s2);
    assert.equal((await c.apiLogin(SPECIALIST)).status, 200);
    const me = (await c.get('/api/v1/me')).json.id;
    const leaderId = Number(s2.db(`SELECT id FROM app_user WHERE login = '${LEADER}'`).trim());
    const m = { doc_type: 'quyet_dinh', subject: 'Dự thảo trước khi có vòng', urgency: 'thuong', signer_id: leaderId,
      recipients: [{ kind: 'user', user_id: me }] };
    let r = await c.req('POST', '/api/v1/documents/outgoing',
      { body: fd({ metadata: m }, [['main', makePdf([[72, 760, 14, 'TRUOC VONG']]), 'a.pdf', 'application/pdf']]) });
    assert.equal(r.status, 201, r.text);
    const d = r.json.id;
    assert.equal((await publish(c, d, { deadline: inDays(5) })).status, 201);
    await s2.stop();
    // The database as migration 0020 left it: no round_no, one consultation per draft.
    s2.db(`DROP INDEX doc_consultation_round; ALTER TABLE doc_consultation DROP COLUMN round_no;
      CREATE UNIQUE INDEX doc_consultation_document ON doc_consultation(document_id);
      DELETE FROM schema_version WHERE version = 21`);
    const rows = () => s2.db('SELECT id, document_id, slug, file_id, deadline, state FROM doc_consultation ORDER BY id');
    const old = rows();
    await s2.launch();
    assert.equal(s2.db('SELECT COUNT(*) FROM schema_version WHERE version = 21').trim(), '1');
    assert.equal(rows(), old, 'every row kept');
    assert.equal(s2.db(`SELECT round_no FROM doc_consultation WHERE document_id = ${d}`).trim(), '1');
    assert.throws(() => s2.db(`INSERT INTO doc_consultation (document_id, agency_id, slug, file_id, subject, deadline, published_by, published_at)
      SELECT document_id, agency_id, '${'f'.repeat(32)}', file_id, subject, deadline, published_by, published_at FROM doc_consultation`),
      /UNIQUE|unique|duplicate/, 'one row per draft and round');
    assert.equal((await c.apiLogin(SPECIALIST)).status, 200);
    r = await c.get(`/api/v1/documents/${d}/consultation`);
    assert.equal(r.status, 200);
    assert.equal(r.json.round, 1);
  } finally {
    await s2.stop();
    s2.cleanup();
  }
});

test('the audit chain verifies after all of it', () => {
  const v = qlvbStatus(['audit', 'verify', '--data', srv.dir]);
  assert.equal(v.code, 0, v.out);
  assert.ok(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_comment'") >= 10);
  assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_public_comment'"), one('SELECT COUNT(*) FROM doc_public_comment'));
});
