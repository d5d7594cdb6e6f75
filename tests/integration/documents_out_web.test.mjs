// Outgoing documents in the web UI (issue 12, standards.md §2, §3, §6, §9): the lists per
// role (the specialist's drafts, the head's and director's reviews, the director's
// signatures, the clerk's documents to seal and issue), the draft form (Vietnamese
// errors next to the fields, values kept, nothing written; CSRF required), the whole
// circuit through the page's forms — draft, a new version, submit, return with a
// reason, approve, sign with a personal key and PIN (a wrong PIN is a field error),
// seal, issue — and the tracking of the receivers; the incoming page's reply button and
// its replies; another agency's outgoing document is 404 on the page and its forms; the
// submit and plan forms offer the core's number of reviewer slots (the empty ones folded);
// the clerk issues a batch from the "to issue" list (urgent first, each refusal with its
// reason on the result page, nothing issued when the batch itself is refused).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Client, ADMIN_SKHCN } from './harness.mjs';
import { PIN, serverWithPki, webClient, importKey, decisionPdf, docx } from './docs_helpers.mjs';

const LEADER = '040090000142', CLERK = '040090000143', HEAD = '040090000144', SPECIALIST = '040090000145';
const TV_CLERK = '040090000302', TV_ADMIN = '040090000301';
let srv, pki, admin, leader, clerk, head, specialist, tvClerk, tvAdmin, ids = {}, tvAgency;
const one = (sql) => Number(srv.db(sql).trim());

const web = (login) => webClient(srv, login);
function multipart(c, path, fields, files, csrf = c.csrf) {
  const fd = new FormData();
  if (csrf) fd.append('_csrf', csrf);
  for (const [k, v] of fields) fd.append(k, v);
  for (const [field, bytes, name, type] of files) fd.append(field, new Blob([bytes], { type: type || 'application/octet-stream' }), name);
  return c.req('POST', path, { body: fd });
}
const act = (c, id, key, form = {}) => c.post(`/documents/${id}/actions/${key}`, { form: { _csrf: c.csrf, ...form } });
const idOf = (res) => Number(/\/documents\/(\d+)$/.exec(res.headers.get('location'))[1]);
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const forms = (html) => [...html.matchAll(/<details class="action"[^>]*id="action-([a-z_]+)"/g)].map((m) => m[1]);

before(async () => {
  ({ srv, pki } = await serverWithPki());
  [leader, clerk, head, specialist, tvClerk, tvAdmin] = await Promise.all([LEADER, CLERK, HEAD, SPECIALIST, TV_CLERK, TV_ADMIN].map(web));
  admin = new Client(srv);
  assert.equal((await admin.apiLogin(ADMIN_SKHCN)).status, 200);
  for (const l of [LEADER, HEAD, SPECIALIST]) ids[l] = one(`SELECT id FROM app_user WHERE login = '${l}'`);
  tvAgency = one("SELECT id FROM agency WHERE code = '000.00.30.H41'");
  // The director's personal key and the agency's key (the clerk seals with it).
  await importKey(admin, pki, ids[LEADER], 'person.p12');
  await importKey(admin, pki, null, 'agency.p12');
});
after(async () => { await srv.stop(); srv.cleanup(); rmSync(pki, { recursive: true, force: true }); });

test('each role sees its outgoing work: menu, home counters, the tabs of the list (§6)', async () => {
  const home = await specialist.get('/');
  assert.match(home.text, /href="\/documents\/outgoing"[^>]*>Văn bản đi</);
  assert.match(home.text, /href="\/documents\/outgoing\/new"[^>]*>Soạn văn bản</);
  assert.match(text(home.text), /Dự thảo của tôi/);
  // the demo: the specialist's drafts (one in reply to an incoming document)
  let r = await specialist.get('/documents/outgoing?tab=drafts');
  assert.equal(r.status, 200);
  assert.match(r.text, /Về việc đề nghị cung cấp số liệu chuyển đổi số năm 2026/);
  assert.match(r.text, /Về việc trả lời đề nghị phối hợp/);
  assert.doesNotMatch(r.text, /Chờ đóng dấu, phát hành/); // the clerk's tab only
  assert.equal((await specialist.get('/documents/outgoing?tab=to_issue')).status, 400);
  assert.equal((await specialist.get('/documents/outgoing?tab=nope')).status, 400);
  // the head reviews the plan returned once and submitted again
  r = await head.get('/documents/outgoing?tab=to_review');
  assert.match(r.text, /Kế hoạch ứng dụng công nghệ thông tin năm 2027/);
  assert.doesNotMatch(r.text, /Báo cáo kết quả triển khai/);
  assert.match(text((await head.get('/')).text), /Chờ tôi duyệt/);
  // the director: the report to review, the decision to sign
  r = await leader.get('/documents/outgoing?tab=to_review');
  assert.match(r.text, /Báo cáo kết quả triển khai nền tảng số dùng chung/);
  r = await leader.get('/documents/outgoing?tab=to_sign');
  assert.match(r.text, /Ban hành Quy chế sử dụng chữ ký số/);
  assert.match(text((await leader.get('/')).text), /Chờ tôi ký/);
  // the clerk has the tab; a search narrows the list
  r = await clerk.get('/documents/outgoing?tab=all&q=quy%20che');
  assert.equal(r.status, 200);
  assert.match(r.text, /Chờ đóng dấu, phát hành/);
  assert.match(r.text, /Ban hành Quy chế/);
  assert.doesNotMatch(r.text, /Kế hoạch ứng dụng/);
  // a demo công văn: the drafting unit's abbreviation goes into the symbol (§2)
  assert.equal(srv.db("SELECT abbr FROM department WHERE name = 'Phòng Công nghệ thông tin'").trim(), 'CNTT');
});

test('the draft form: Vietnamese errors next to the fields, values kept, nothing written; CSRF required', async () => {
  const before = one('SELECT COUNT(*) FROM document');
  const form = await specialist.get('/documents/outgoing/new');
  assert.equal(form.status, 200);
  assert.match(form.text, /Công văn/);
  assert.match(form.text, /Quyết định \(QĐ\)/); // the ND30 list with abbreviations
  assert.match(form.text, /TUQ\./);
  assert.match(form.text, /Ủy ban nhân dân phường Trường Vinh \(000\.00\.30\.H41\)/);
  let r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', ''], ['subject', 'Về việc <thử> lỗi'], ['signer_id', ''], ['authority', 'XX.']], []);
  assert.equal(r.status, 422);
  assert.match(r.text, /id="doc_type-error">Vui lòng chọn loại văn bản\./);
  assert.match(r.text, /id="signer_id-error">Vui lòng chọn người ký\./);
  assert.match(r.text, /Vui lòng chọn thẩm quyền ký trong danh sách\./);
  assert.match(r.text, /id="recipients-error"[^>]*>Vui lòng chọn ít nhất một nơi nhận\./);
  assert.match(r.text, /id="main_file-error">Vui lòng chọn tệp dự thảo/);
  assert.match(r.text, />Về việc &lt;thử&gt; lỗi<\/textarea>/); // kept, escaped
  // a subject over 500 characters, an external code of the installation, a .exe as main
  r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', 'cong_van'], ['subject', 'á'.repeat(501)], ['signer_id', String(ids[LEADER])],
      ['rcpt_external', '000.00.30.H41 | Trường Vinh'], ['rcpt_agency', String(tvAgency)]],
    [['main', Buffer.from('MZ\x90\x00'), 'du-thao.pdf']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /id="subject-error">/);
  assert.match(r.text, /id="main_file-error">/);
  assert.match(r.text, /name="rcpt_agency" value="\d+" checked/);
  assert.equal(one('SELECT COUNT(*) FROM document'), before);
  // without the CSRF token nothing happens
  r = await multipart(specialist, '/documents/outgoing', [['doc_type', 'cong_van']], [], null);
  assert.equal(r.status, 403);
  assert.equal(one('SELECT COUNT(*) FROM document'), before);
});

test('the whole circuit through the page: draft → return → version → approve → sign (PIN) → seal → issue → tracking', async () => {
  let r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', 'quyet_dinh'], ['subject', 'Ban hành Quy định về bảo đảm an toàn thông tin mạng'],
      ['summary', 'Áp dụng cho các phòng của Sở'], ['urgency', 'khan'], ['authority', ''],
      ['signer_id', String(ids[LEADER])], ['rcpt_agency', String(tvAgency)],
      ['rcpt_external', '000.00.00.G22 | Bộ Khoa học và Công nghệ'],
      ['rcpt_department', String(one("SELECT id FROM department WHERE name = 'Văn phòng Sở' AND agency_id = (SELECT id FROM agency WHERE code = '000.00.04.H41')"))]],
    [['main', docx(), 'du-thao.docx'], ['appendix', decisionPdf('PHU LUC'), 'phu-luc.pdf', 'application/pdf']]);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const id = idOf(r);
  let page = await specialist.get(`/documents/${id}`);
  assert.equal(page.status, 200);
  assert.deepEqual(forms(page.text), ['version', 'submit', 'plan']); // exactly doc_get's actions
  assert.match(page.text, /Quyết định \(dự thảo\)/);
  assert.match(page.text, /Phiên bản 1/);
  // a version that is not a draft format is a field error next to the file
  r = await multipart(specialist, `/documents/${id}/actions/version`, [['note', 'sai']], [['file', Buffer.from('hello'), 'a.pdf']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /id="version-file-error">/);
  r = await multipart(specialist, `/documents/${id}/actions/version`, [['note', 'Bản PDF']], [['file', decisionPdf(), 'quyet-dinh.pdf', 'application/pdf']]);
  assert.equal(r.status, 303);
  // submit with nobody chosen: the core's error; then to the head
  r = await act(specialist, id, 'submit', { reviewers: String(ids[LEADER]) });
  assert.equal(r.status, 422);
  r = await act(specialist, id, 'submit', { reviewers: String(ids[HEAD]), note: 'Kính trình' });
  assert.equal(r.status, 303);
  // the head: a return needs a reason
  page = await head.get(`/documents/${id}`);
  assert.deepEqual(forms(page.text).sort(), ['approve', 'ask_opinion', 'return']);
  r = await act(head, id, 'return', { note: '  ' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="return-note-error">Vui lòng nhập lý do trả lại\./);
  r = await act(head, id, 'return', { note: 'Bổ sung căn cứ pháp lý', user_id: '' });
  assert.equal(r.status, 303);
  r = await multipart(specialist, `/documents/${id}/actions/version`, [['note', 'Đã bổ sung']], [['file', decisionPdf('QUYET DINH 2'), 'quyet-dinh-2.pdf', 'application/pdf']]);
  assert.equal(r.status, 303);
  assert.equal((await act(specialist, id, 'submit', { reviewers: String(ids[HEAD]) })).status, 303);
  assert.equal((await act(head, id, 'approve', { note: 'Đồng ý' })).status, 303);
  // a step out of turn: the head again
  assert.equal((await act(head, id, 'approve')).status, 403);
  page = await leader.get(`/documents/${id}`);
  assert.match(text(page.text), /1\. Trịnh Quốc Bảo \(Người duyệt\) Đã duyệt 2\. Bùi Văn Long \(Người ký\) Đang xem xét/);
  // which version each reviewer saw
  assert.match(text(page.text), /Phiên bản 3 .*Trịnh Quốc Bảo: Đã xem xét, chuyển tiếp/);
  assert.match(text(page.text), /Phiên bản 2 .*Trịnh Quốc Bảo: Trả lại/);
  assert.equal((await act(leader, id, 'approve')).status, 303);
  page = await leader.get(`/documents/${id}`);
  assert.deepEqual(forms(page.text), ['sign']);
  assert.match(page.text, /Khóa ký số cá nhân/);
  const key = /name="key_id"[^>]*>\s*<option value="(\d+)"/.exec(page.text)[1];
  r = await act(leader, id, 'sign', { key_id: key, pin: '000000' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="sign-pin-error">/);
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE id = ${id} AND number <> ''`), 0);
  r = await act(leader, id, 'sign', { key_id: key, pin: '' });
  assert.match(r.text, /id="sign-pin-error">Vui lòng nhập mã PIN\./);
  r = await act(leader, id, 'sign', { key_id: key, pin: PIN });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  page = await clerk.get(`/documents/${id}`);
  assert.match(page.text, /Quyết định số \d+\/QĐ-SKHCN/);
  assert.deepEqual(forms(page.text).sort(), ['cancel', 'seal']); // issued once sealed
  assert.match(await (await clerk.get('/documents/outgoing?tab=to_issue')).text, new RegExp(`/documents/${id}"`));
  const akey = /id="seal-key"[^>]*>\s*<option value="(\d+)"/.exec(page.text)[1];
  assert.equal((await act(clerk, id, 'seal', { key_id: akey, pin: PIN })).status, 303);
  page = await clerk.get(`/documents/${id}`);
  assert.deepEqual(forms(page.text).sort(), ['cancel', 'issue']);
  assert.match(text(page.text), /Bản đã đóng dấu số/);
  r = await act(clerk, id, 'issue');
  assert.equal(r.status, 303);
  page = await clerk.get(`/documents/${id}`);
  const t = text(page.text);
  assert.match(t, /Đã phát hành/);
  assert.match(t, /Ủy ban nhân dân phường Trường Vinh .*Đã đến, chờ vào sổ/);
  assert.match(t, /Bộ Khoa học và Công nghệ \(ngoài hệ thống\) 000\.00\.00\.G22 Chờ gửi/);
  assert.match(t, /Đơn vị: Văn phòng Sở/);
  assert.deepEqual(forms(page.text), ['recall', 'update']);
  assert.match(page.text, /data-confirm="Thu hồi văn bản\? Không hoàn tác được\."/);
  // the receiving clerk has it arrived; another agency's people get 404 on the sender's copy
  const copy = one(`SELECT id FROM document WHERE source_document_id = ${id} AND agency_id = ${tvAgency}`);
  assert.equal((await tvClerk.get(`/documents/${copy}`)).status, 200);
  assert.equal((await tvClerk.get(`/documents/${id}`)).status, 404);
  assert.equal((await tvAdmin.get(`/documents/${id}`)).status, 404);
  assert.equal((await act(tvClerk, id, 'recall', { note: 'x' })).status, 404);
  assert.equal((await act(tvClerk, id + 100000, 'issue')).status, 404);
  // the refusal shows its reason at the sender
  assert.equal((await act(tvClerk, copy, 'refuse', { note: 'Không thuộc thẩm quyền' })).status, 303);
  assert.match(text((await clerk.get(`/documents/${id}`)).text), /Từ chối tiếp nhận Lý do: Không thuộc thẩm quyền/);
});

test('a reply from the incoming page: the button, the form names it, the replies are listed', async () => {
  const reply = one("SELECT reply_to_id FROM document WHERE subject LIKE 'Về việc trả lời đề nghị%'");
  let page = await specialist.get(`/documents/${reply}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`href="/documents/outgoing/new\\?reply_to=${reply}">Soạn văn bản trả lời`));
  assert.match(text(page.text), /Văn bản trả lời .*Về việc trả lời đề nghị phối hợp/);
  const form = await specialist.get(`/documents/outgoing/new?reply_to=${reply}`);
  assert.match(form.text, new RegExp(`name="reply_to_id" value="${reply}"`));
  assert.match(text(form.text), /Trả lời văn bản đến/);
  // a document the drafter may not read is not named (and is refused on submit)
  const other = one("SELECT MIN(id) FROM document WHERE direction = 'incoming' AND agency_id = (SELECT id FROM agency WHERE code = '000.00.30.H41')");
  const f2 = await specialist.get(`/documents/outgoing/new?reply_to=${other}`);
  assert.doesNotMatch(f2.text, /name="reply_to_id"/);
});

test('the demo draft waiting for the signature (printed with diacritics) signs and gets its number (§2)', async () => {
  const id = one("SELECT id FROM document WHERE subject = 'Ban hành Quy chế sử dụng chữ ký số trong Sở Khoa học và Công nghệ'");
  const page = await leader.get(`/documents/${id}`);
  const key = /name="key_id"[^>]*>\s*<option value="(\d+)"/.exec(page.text)[1];
  const r = await act(leader, id, 'sign', { key_id: key, pin: PIN });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const signed = await leader.get(`/documents/${id}`);
  assert.match(signed.text, /Quyết định số \d+\/QĐ-SKHCN/);
  assert.match(text(signed.text), /Bản đã ký, có số và ngày/);
});

test('the page forms of the circuit plan, opinions (xin ý kiến) and their answer (standards.md §6)', async () => {
  const cntt = one(`SELECT department_id FROM membership WHERE user_id = ${ids[HEAD]} AND agency_id = (SELECT id FROM agency WHERE code = '000.00.04.H41')`);
  let r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', 'to_trinh'], ['subject', 'Tờ trình xin ý kiến các phòng'], ['urgency', ''], ['authority', ''],
      ['signer_id', String(ids[LEADER])], ['rcpt_agency', String(tvAgency)]],
    [['main', decisionPdf('TO TRINH'), 'to-trinh.pdf', 'application/pdf']]);
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const id = idOf(r);
  // The plan form: the drafter may not review their own draft (the error next to it).
  r = await act(specialist, id, 'plan', { reviewers: String(ids[SPECIALIST]) });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /không tự duyệt/);
  r = await act(specialist, id, 'plan', { reviewers: String(ids[HEAD]) });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  // Submitting with no reviewer chosen follows the plan: the head first.
  r = await act(specialist, id, 'submit', {});
  assert.equal(r.status, 303, r.text.slice(0, 300));
  let page = await head.get(`/documents/${id}`);
  assert.ok(forms(page.text).includes('ask_opinion'), forms(page.text).join());
  assert.match(page.text, /Đơn vị được xin ý kiến/);
  // A question is required, the days are bounded: errors on the page, nothing written.
  r = await act(head, id, 'ask_opinion', { departments: String(cntt), working_days: '0', note: '' });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /nội dung xin ý kiến/);
  assert.match(text(r.text), /Số ngày làm việc phải từ 1/);
  assert.equal(one(`SELECT COUNT(*) FROM doc_participant WHERE document_id = ${id} AND role = 'co_handler'`), 0);
  // The head asks the Văn phòng-less demo's own unit? No: Phòng Quản lý khoa học has no
  // leader; ask Phòng CNTT, whose head then answers from the same page.
  r = await act(head, id, 'ask_opinion', { departments: String(cntt), working_days: '2', note: 'Đề nghị cho ý kiến' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  page = await head.get(`/documents/${id}`);
  assert.ok(forms(page.text).includes('answer_opinion'), forms(page.text).join());
  r = await act(head, id, 'answer_opinion', { note: '' });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /ý kiến của đơn vị/);
  r = await act(head, id, 'answer_opinion', { note: 'Thống nhất nội dung' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(srv.db(`SELECT answer FROM doc_participant WHERE document_id = ${id} AND role = 'co_handler'`).trim(), 'Thống nhất nội dung');
  // The answer is on the document's page, for the drafter too.
  page = await specialist.get(`/documents/${id}`);
  assert.match(text(page.text), /Ý kiến các đơn vị Phòng Công nghệ thông tin Đã cho ý kiến/);
  assert.match(page.text, /Thống nhất nội dung/);
  // Another agency's clerk finds nothing at the address.
  assert.equal((await act(tvClerk, id, 'answer_opinion', { note: 'x' })).status, 404);
});

test('a recalled copy: the receiving clerk answers on the incoming page (standards.md §5, edXML 15/16)', async () => {
  const skhcn = one("SELECT id FROM agency WHERE code = '000.00.04.H41'");
  const copy = one(`SELECT MIN(id) FROM document WHERE agency_id = ${skhcn} AND direction = 'incoming' AND source_document_id IS NOT NULL AND state = 'arrived'`);
  const source = one(`SELECT source_document_id FROM document WHERE id = ${copy}`);
  const srcClerk = srv.db(`SELECT u.login FROM membership m JOIN app_user u ON u.id = m.user_id WHERE m.agency_id = (SELECT agency_id FROM document WHERE id = ${source}) AND (m.roles & 2) <> 0 AND m.active = 1 ORDER BY u.id LIMIT 1`).trim();
  const sender = new Client(srv);
  assert.equal((await sender.apiLogin(srcClerk)).status, 200);
  assert.equal((await sender.post(`/api/v1/documents/${source}/recall`, { json: { note: 'Ban hành nhầm' } })).status, 200);
  let page = await clerk.get(`/documents/${copy}`);
  assert.equal(page.status, 200);
  assert.deepEqual(forms(page.text), ['recall_agree', 'recall_refuse']);
  assert.match(text(page.text), /Cơ quan gửi thu hồi văn bản/);
  assert.equal((await act(head, copy, 'recall_refuse', { note: 'x' })).status, 404, 'not on it');
  let r = await act(clerk, copy, 'recall_refuse', { note: '' });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Lý do từ chối thu hồi \* Vui lòng nhập/);
  r = await act(clerk, copy, 'recall_refuse', { note: 'Đã triển khai thực hiện' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(srv.db(`SELECT state FROM document WHERE id = ${copy}`).trim(), 'arrived');
  // The sender sees the refusal with its reason (the demo's delivery has no recipient
  // rows, so in the history rather than recipients_status).
  const hist = (await sender.get(`/api/v1/documents/${source}`)).json.history;
  assert.ok(hist.some((h) => h.action === 'recall_refused_by_recipient' && h.comment.includes('Đã triển khai thực hiện')));
});

// A document of the specialist's, through the circuit's forms to signed (and sealed).
async function signedDoc(subject, urgency, seal) {
  let r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', 'cong_van'], ['subject', subject], ['urgency', urgency], ['authority', ''],
      ['signer_id', String(ids[LEADER])], ['rcpt_agency', String(tvAgency)]],
    [['main', decisionPdf('CONG VAN'), 'cong-van.pdf', 'application/pdf']]);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = idOf(r);
  assert.equal((await act(specialist, id, 'submit', { reviewers: String(ids[HEAD]) })).status, 303);
  assert.equal((await act(head, id, 'approve')).status, 303);
  assert.equal((await act(leader, id, 'approve')).status, 303);
  const key = /name="key_id"[^>]*>\s*<option value="(\d+)"/.exec((await leader.get(`/documents/${id}`)).text)[1];
  assert.equal((await act(leader, id, 'sign', { key_id: key, pin: PIN })).status, 303);
  if (seal) {
    const akey = /id="seal-key"[^>]*>\s*<option value="(\d+)"/.exec((await clerk.get(`/documents/${id}`)).text)[1];
    assert.equal((await act(clerk, id, 'seal', { key_id: akey, pin: PIN })).status, 303);
  }
  return id;
}

test('the submit form offers the core limit of reviewers, the empty ones folded; a fifth slot counts', async () => {
  let r = await multipart(specialist, '/documents/outgoing',
    [['doc_type', 'cong_van'], ['subject', 'Về việc trình nhiều người duyệt'], ['authority', ''],
      ['signer_id', String(ids[LEADER])], ['rcpt_agency', String(tvAgency)]],
    [['main', decisionPdf('CONG VAN'), 'cong-van.pdf', 'application/pdf']]);
  const id = idOf(r);
  const page = (await specialist.get(`/documents/${id}`)).text;
  const slots = (key) => [...page.matchAll(new RegExp(`id="${key}-reviewer-(\\d+)"`, 'g'))].map((m) => Number(m[1]));
  assert.deepEqual(slots('submit'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // DOC_MAX_REVIEWERS
  assert.deepEqual(slots('plan'), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const form = page.slice(page.indexOf('id="action-submit"'), page.indexOf('id="action-plan"'));
  assert.ok(form.indexOf('Thêm người duyệt') > form.indexOf('id="submit-reviewer-1"'));
  assert.ok(form.indexOf('Thêm người duyệt') < form.indexOf('id="submit-reviewer-2"'));
  // eleven values are refused; a reviewer in the fifth slot is kept (it was cut at 4)
  r = await specialist.post(`/documents/${id}/actions/submit`,
    { form: [['_csrf', specialist.csrf], ...Array.from({ length: 11 }, () => ['reviewers', String(ids[HEAD])])] });
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Tối đa 10 người duyệt/);
  const hoa = one("SELECT id FROM app_user WHERE full_name = 'Nguyễn Thị Hoa'");
  // shown again after an error: the slots up to the last chosen one and one empty row open
  r = await specialist.post(`/documents/${id}/actions/submit`,
    { form: [['_csrf', specialist.csrf], ['reviewers', String(ids[SPECIALIST])], ['reviewers', ''], ['reviewers', ''], ['reviewers', ''], ['reviewers', String(hoa)]] });
  assert.equal(r.status, 422);
  const again = r.text.slice(r.text.indexOf('id="action-submit"'), r.text.indexOf('id="action-plan"'));
  assert.ok(again.indexOf('id="submit-reviewer-6"') < again.indexOf('Thêm người duyệt'));
  assert.ok(again.indexOf('id="submit-reviewer-7"') > again.indexOf('Thêm người duyệt'));
  assert.match(again, new RegExp(`id="submit-reviewer-5" name="reviewers"[^>]*>[\\s\\S]*?<option value="${hoa}" selected>`));
  r = await specialist.post(`/documents/${id}/actions/submit`,
    { form: [['_csrf', specialist.csrf], ['reviewers', String(ids[HEAD])], ['reviewers', ''], ['reviewers', ''], ['reviewers', ''], ['reviewers', String(hoa)]] });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(text((await specialist.get(`/documents/${id}`)).text),
    /1\. Trịnh Quốc Bảo \(Người duyệt\) Đang xem xét 2\. Nguyễn Thị Hoa \(Người duyệt\) Chờ đến lượt 3\. Bùi Văn Long \(Người ký\)/);
});

test('the clerk issues a batch from the list: urgent first, each refusal with its reason (issue 12)', async () => {
  const plain = await signedDoc('Về việc phát hành theo lô (thường)', '', true);
  const unsealed = await signedDoc('Về việc phát hành theo lô (chưa đóng dấu)', 'khan', false);
  const urgent = await signedDoc('Về việc phát hành theo lô (khẩn)', 'khan', true);
  let list = await clerk.get('/documents/outgoing?tab=to_issue');
  assert.match(list.text, /<form method="post" action="\/documents\/outgoing\/issue"/);
  for (const id of [plain, unsealed, urgent]) assert.match(list.text, new RegExp(`name="ids" value="${id}"`));
  assert.match(list.text, />Phát hành các văn bản đã chọn<\/button>/);
  // the other tabs and the other people have no checkboxes
  assert.doesNotMatch((await clerk.get('/documents/outgoing?tab=all')).text, /name="ids"/);
  assert.doesNotMatch((await specialist.get('/documents/outgoing?tab=drafts')).text, /name="ids"/);
  const batch = (c, chosen, csrf = c.csrf) => c.post('/documents/outgoing/issue',
    { form: [...(csrf ? [['_csrf', csrf]] : []), ...chosen.map((i) => ['ids', String(i)])] });
  // refused before anything: not a clerk, no token, nothing chosen
  assert.equal((await batch(specialist, [plain])).status, 403);
  assert.equal((await batch(clerk, [plain], null)).status, 403);
  let r = await batch(clerk, []);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/documents/outgoing?tab=to_issue');
  assert.match(text((await clerk.get('/documents/outgoing?tab=to_issue')).text), /Chưa chọn văn bản nào/);
  r = await clerk.post('/documents/outgoing/issue', { form: [['_csrf', clerk.csrf], ['ids', 'x']] });
  assert.equal(r.status, 303);
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE id IN (${plain}, ${urgent}) AND state = 'issued'`), 0);
  // the batch: the urgent one issued first, the unsealed one and an unknown id refused
  r = await batch(clerk, [plain, unsealed, 999999, urgent]);
  assert.equal(r.status, 200);
  const t = text(r.text);
  assert.match(t, /Đã phát hành 2 văn bản; 2 văn bản chưa phát hành được\./);
  assert.match(t, /Chưa phát hành được \(2\) .*Về việc phát hành theo lô \(chưa đóng dấu\) Văn bản chưa có chữ ký số của cơ quan/);
  assert.match(t, /Văn bản #999999 Văn bản không tồn tại hoặc bạn không có quyền xem\./);
  assert.match(t, /Đã phát hành \(2\) .*\d+\/SKHCN-CNTT — Về việc phát hành theo lô \(khẩn\) Khẩn Đã phát hành .*\d+\/SKHCN-CNTT — Về việc phát hành theo lô \(thường\) Đã phát hành/);
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE id IN (${plain}, ${urgent}) AND state = 'issued'`), 2);
  assert.equal(srv.db(`SELECT state FROM document WHERE id = ${unsealed}`).trim(), 'signed');
  assert.ok(one(`SELECT issued_at FROM document WHERE id = ${urgent}`) <= one(`SELECT issued_at FROM document WHERE id = ${plain}`));
  // delivered: the receiving agency has both
  assert.equal(one(`SELECT COUNT(*) FROM document WHERE source_document_id IN (${plain}, ${urgent}) AND agency_id = ${tvAgency}`), 2);
  // posted again: both refused as already issued, with the reason
  r = await batch(clerk, [plain]);
  assert.match(text(r.text), /Đã phát hành 0 văn bản; 1 văn bản chưa phát hành được\./);
});
