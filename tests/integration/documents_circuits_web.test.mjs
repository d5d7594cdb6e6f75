// The review-circuit templates of outgoing documents in the web UI (issue 12, standards.md
// §6; pages_circuits.c): the agency administrator finds "Quy trình duyệt" in the menu,
// the list names every document type of the ND30 list with its template, one type's form
// offers the core's number of steps (one select each, the empty ones folded), moves and
// removes steps without JavaScript (nothing saved until "Lưu quy trình"), saves through
// doc_circuit_set (one audit row) and shows the core's errors in the form with nothing
// written; the others (a specialist, a clerk) get 403 on the page and the post, and the
// menu does not offer it; without the CSRF token nothing happens. A draft of the type
// then gets its plan from the saved template.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, ADMIN_SKHCN } from './harness.mjs';

const LEADER = '040090000142', CLERK = '040090000143', HEAD = '040090000144', SPECIALIST = '040090000145';
let srv, admin, clerk, specialist, agency, vp, head, leader;
const one = (sql) => Number(srv.db(sql).trim());
const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
// the selected value of each step's select, in order ('' for none)
const chosen = (html) => [...html.matchAll(/<select id="step-(\d+)" name="steps"[^>]*>([\s\S]*?)<\/select>/g)]
  .map((m) => (/<option value="([^"]*)" selected>/.exec(m[2]) || [, ''])[1]);
const rows = () => srv.db(`SELECT kind || ':' || COALESCE(department_id, user_id, position_id, 0) FROM doc_circuit_step WHERE agency_id = ${agency} AND doc_type = 'quyet_dinh' ORDER BY seq`).trim();

function onePagePdf() {
  const content = 'BT /F1 12 Tf 70 740 Td (So:) Tj ET';
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>', `<< /Length ${content.length} >>\nstream\n${content}\nendstream`];
  let out = '%PDF-1.7\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offs) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function web(login) {
  const c = new Client(srv);
  const r = await c.webLogin(login);
  assert.equal(r.status, 303, login);
  c.csrf = c.csrfFrom((await c.get('/')).text);
  return c;
}
const post = (c, type, pairs, csrf = c.csrf) =>
  c.post(`/admin/circuits/${type}`, { form: [...(csrf ? [['_csrf', csrf]] : []), ...pairs] });

before(async () => {
  srv = new Server();
  await srv.start({ demo: true });
  [admin, clerk, specialist] = await Promise.all([ADMIN_SKHCN, CLERK, SPECIALIST].map(web));
  agency = one("SELECT id FROM agency WHERE code = '000.00.04.H41'");
  vp = one(`SELECT id FROM department WHERE name = 'Văn phòng Sở' AND agency_id = ${agency}`);
  head = one(`SELECT id FROM app_user WHERE login = '${HEAD}'`);
  leader = one(`SELECT id FROM app_user WHERE login = '${LEADER}'`);
});
after(async () => { await srv.stop(); srv.cleanup(); });

test('the administrator has the page in the menu; the others do not and get 403', async () => {
  assert.match((await admin.get('/')).text, /href="\/admin\/circuits"[^>]*>Quy trình duyệt</);
  for (const c of [clerk, specialist]) {
    assert.doesNotMatch((await c.get('/')).text, /\/admin\/circuits/);
    assert.equal((await c.get('/admin/circuits')).status, 403);
    assert.equal((await c.get('/admin/circuits/quyet_dinh')).status, 403);
    assert.equal((await post(c, 'quyet_dinh', [['steps', 'unit_leader']])).status, 403);
  }
  assert.equal(one(`SELECT COUNT(*) FROM doc_circuit_step WHERE agency_id = ${agency}`), 0);
});

test('the list names every document type with its template; the form offers the core limit of steps', async () => {
  let r = await admin.get('/admin/circuits');
  assert.equal(r.status, 200);
  const types = [...r.text.matchAll(/<tr id="type-([a-z_]+)">/g)].map((m) => m[1]);
  assert.equal(types.length, 32); // the ND30 list (standards.md §2)
  assert.ok(types.includes('quyet_dinh') && types.includes('cong_van') && types.includes('ban_sao_luc'));
  assert.match(text(r.text), /Quyết định \(QĐ\) Chưa có mẫu/);
  assert.match(r.text, /aria-current="page">Quy trình duyệt</);
  r = await admin.get('/admin/circuits/quyet_dinh');
  assert.equal(r.status, 200);
  // DOC_MAX_CIRCUIT_STEPS selects: one shown, the others folded under "Thêm bước duyệt"
  assert.equal(chosen(r.text).length, 10);
  assert.match(r.text, /<details class="more-filters more-steps">\s*<summary>Thêm bước duyệt<\/summary>/);
  assert.equal(r.text.indexOf('id="step-2"') > r.text.indexOf('Thêm bước duyệt'), true);
  assert.match(r.text, /<optgroup label="Kiểm tra thể thức \(văn phòng\)">/);
  assert.match(r.text, new RegExp(`<option value="office:${vp}">Kiểm tra thể thức: Văn phòng Sở</option>`));
  assert.match(r.text, new RegExp(`<option value="user:${head}">Trịnh Quốc Bảo`));
  assert.match(r.text, /<option value="position:\d+">Người giữ chức vụ /);
  assert.equal((await admin.get('/admin/circuits/khong_co')).status, 404);
});

test('moves and removals come back reordered and unsaved; saving writes the template with an audit row', async () => {
  const steps = [['steps', 'unit_leader'], ['steps', `office:${vp}`], ['steps', ''], ['steps', `user:${head}`]];
  // "↓ Xuống" on step 1: the form again, the empty row dropped, nothing written
  let r = await post(admin, 'quyet_dinh', [...steps, ['op', 'down:1']]);
  assert.equal(r.status, 200);
  assert.deepEqual(chosen(r.text).slice(0, 4), [`office:${vp}`, 'unit_leader', `user:${head}`, '']);
  assert.match(text(r.text), /Đã đổi thứ tự các bước\. Bấm “Lưu quy trình” để lưu\./);
  assert.equal(rows(), '');
  r = await post(admin, 'quyet_dinh', [...steps, ['op', 'up:3']]);
  assert.deepEqual(chosen(r.text).slice(0, 3), ['unit_leader', `user:${head}`, `office:${vp}`]);
  r = await post(admin, 'quyet_dinh', [...steps, ['op', 'remove:2']]);
  assert.deepEqual(chosen(r.text).slice(0, 3), ['unit_leader', `user:${head}`, '']);
  assert.match(r.text, /name="op" value="down:1"/);
  assert.doesNotMatch(r.text, /name="op" value="up:1"/);
  assert.equal(rows(), '');
  // saved: the order of the form, the flash, the list, one audit row
  const audits = one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_circuit_template'");
  r = await post(admin, 'quyet_dinh', [...steps, ['op', 'save']]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/admin/circuits#type-quyet_dinh');
  assert.equal(rows(), `unit_leader:0\noffice:${vp}\nuser:${head}`);
  assert.equal(one("SELECT COUNT(*) FROM audit_log WHERE action = 'doc_circuit_template'"), audits + 1);
  r = await admin.get('/admin/circuits');
  assert.match(text(r.text), /Đã lưu quy trình duyệt của Quyết định: 3 bước trước người ký\./);
  assert.match(text(r.text), /Quyết định \(QĐ\) Lãnh đạo đơn vị soạn thảo Kiểm tra thể thức: Văn phòng Sở Cán bộ: Trịnh Quốc Bảo Người ký/);
  assert.match(text(r.text), /\(1 loại đã có mẫu quy trình\)/);
  r = await admin.get('/admin/circuits/quyet_dinh');
  assert.deepEqual(chosen(r.text).slice(0, 4), ['unit_leader', `office:${vp}`, `user:${head}`, '']);
  // a saved step whose person left stays in the form, named, rather than dropped unseen
  srv.db(`UPDATE app_user SET disabled = 1 WHERE id = ${head}`);
  r = await admin.get('/admin/circuits/quyet_dinh');
  srv.db(`UPDATE app_user SET disabled = 0 WHERE id = ${head}`);
  assert.deepEqual(chosen(r.text).slice(0, 3), ['unit_leader', `office:${vp}`, `user:${head}`]);
  assert.match(r.text, new RegExp(`<option value="user:${head}" selected>Cán bộ: Trịnh Quốc Bảo \\(không còn trong danh sách\\)</option>`));
  // the API reads the same template
  const api = new Client(srv);
  await api.apiLogin(SPECIALIST);
  const t = (await api.get('/api/v1/circuit-templates?doc_type=quyet_dinh')).json.templates[0];
  assert.deepEqual(t.steps.map((s) => s.kind), ['unit_leader', 'office', 'user']);
});

test('bad steps: the errors in the form, the values kept, nothing written; CSRF required', async () => {
  const before = rows();
  let r = await post(admin, 'quyet_dinh', [['steps', 'unit_leader'], ['steps', 'user:999999']]);
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Chưa lưu được: vui lòng kiểm tra các bước duyệt\. Bước 2: không có cán bộ #999999 trong cơ quan\./);
  // kept, in a group of its own: not among the agency's choices
  assert.deepEqual(chosen(r.text).slice(0, 2), ['unit_leader', 'user:999999']);
  assert.match(r.text, /<optgroup label="Không còn trong danh sách">\s*<option value="user:999999" selected>Bước không còn trong danh sách của cơ quan<\/option>/);
  // the message next to its step too
  assert.match(r.text, /<select id="step-2" name="steps" aria-invalid="true" aria-describedby="step-2-error">/);
  assert.match(r.text, /<p class="field-error" id="step-2-error">Bước 2: không có cán bộ #999999 trong cơ quan\.<\/p>/);
  r = await post(admin, 'quyet_dinh', [['steps', 'bogus:1']]);
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Bước 1: lựa chọn không có trong danh sách\./);
  r = await post(admin, 'quyet_dinh', [['steps', 'office']]); // the office needs its unit
  assert.equal(r.status, 422);
  r = await post(admin, 'quyet_dinh', Array.from({ length: 11 }, () => ['steps', 'unit_leader']));
  assert.equal(r.status, 422);
  assert.match(text(r.text), /Tối đa 10 bước duyệt trước người ký\./);
  r = await post(admin, 'quyet_dinh', [['steps', 'unit_leader']], null);
  assert.equal(r.status, 403);
  r = await post(admin, 'khong_co', [['steps', 'unit_leader']]);
  assert.equal(r.status, 404);
  assert.equal(rows(), before);
});

test('a draft of the type gets its plan from the template; "Bỏ mẫu quy trình" removes it', async () => {
  const api = new Client(srv);
  await api.apiLogin(SPECIALIST);
  const fd = new FormData();
  fd.append('metadata', JSON.stringify({ doc_type: 'quyet_dinh', subject: 'Quyết định theo mẫu quy trình', signer_id: leader,
    recipients: [{ kind: 'department', department_id: vp }] }));
  fd.append('main', new Blob([onePagePdf()], { type: 'application/pdf' }), 'qd.pdf');
  const made = await api.req('POST', '/api/v1/documents/outgoing', { body: fd });
  assert.equal(made.status, 201, made.text);
  // the template resolved for the drafter: the head is among the reviewers
  const plan = srv.db(`SELECT review_plan FROM document WHERE id = ${made.json.id}`).trim();
  assert.ok(plan.split(',').map(Number).includes(head), plan);
  let r = await post(admin, 'quyet_dinh', [['steps', 'unit_leader'], ['op', 'clear']]);
  assert.equal(r.status, 303);
  assert.equal(rows(), '');
  assert.match(text((await admin.get('/admin/circuits')).text), /Đã bỏ mẫu quy trình duyệt của Quyết định\./);
});
