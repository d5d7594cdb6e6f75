// Crash safety of registration (issue 11): several clients register in a loop, the
// server is killed with SIGKILL mid-way and restarted. Every registration that was
// acknowledged (201) is there with its arrival number and its file; the register's
// numbers run 1..N with none used twice or skipped (a registration cut off before its
// commit gives its number back); `qlvb audit verify` passes. Both engines.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, Client, makePdf, qlvbStatus } from './harness.mjs';

const CLERK = '040090000143'; // văn thư, Sở KH&CN
let srv;
after(async () => { await srv.stop(); srv.cleanup(); });

function register(c, registerId, i) {
  const fd = new FormData();
  const day = new Date(Date.now() + 7 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  fd.append('metadata', JSON.stringify({
    register_id: registerId, issuer_name: 'Sở Tài chính', issuer_code: '000.00.03.H41',
    number: String(5000 + i), symbol: 'STC-QLNS', issued_date: day, doc_type: 'cong_van',
    subject: `Về việc báo cáo số liệu giải ngân lần ${i}`,
  }));
  const bytes = makePdf([[72, 760, 12, `CONG VAN ${5000 + i}`]]);
  fd.append('main', new Blob([bytes]), `cv-${i}.pdf`);
  return c.req('POST', '/api/v1/documents/incoming', { body: fd }).then((r) => ({ r, bytes }));
}

test('kill -9 during registrations: acknowledged ones kept with number and file, no gap, audit intact', async () => {
  srv = await new Server().start();
  const clients = await Promise.all(Array.from({ length: 4 }, async () => {
    const c = new Client(srv); await c.apiLogin(CLERK); return c;
  }));
  const registerId = (await clients[0].get('/api/v1/registers')).json.registers[0].id;
  const acked = [];
  let stop = false, seq = 0;
  const loops = clients.map(async (c) => {
    while (!stop) {
      const i = seq++;
      try {
        const { r, bytes } = await register(c, registerId, i);
        if (r.status === 201) acked.push({ id: r.json.id, number: r.json.arrival_number, file: r.json.files[0].id, bytes });
        else if (!stop) assert.fail(`unexpected ${r.status}: ${r.text}`);
      } catch (e) {
        if (!stop) throw e; // the connection died with the server
      }
    }
  });
  while (acked.length < 20) await new Promise((res) => setTimeout(res, 10));
  stop = true;
  const { sig } = await srv.stop('SIGKILL');
  assert.equal(sig, 'SIGKILL');
  await Promise.all(loops);
  await srv.launch();

  const c = new Client(srv); await c.apiLogin(CLERK);
  for (const a of acked) {
    const d = await c.get(`/api/v1/documents/${a.id}`);
    assert.equal(d.status, 200, `acknowledged document ${a.id} survived`);
    assert.equal(d.json.arrival_number, a.number);
    const f = await c.get(`/api/v1/documents/${a.id}/files/${a.file}`);
    assert.equal(f.status, 200);
    assert.equal(f.text, a.bytes.toString('latin1'));
  }
  const [count, min, max, distinct] = srv.db(
    `SELECT COUNT(*), MIN(reg_number), MAX(reg_number), COUNT(DISTINCT reg_number) FROM document WHERE register_id = ${registerId}`)
    .trim().split('|').map(Number);
  assert.equal(min, 1);
  assert.equal(max, count, 'no number skipped');
  assert.equal(distinct, count, 'no number used twice');
  assert.equal(Number(srv.db(`SELECT next_number FROM doc_counter WHERE register_id = ${registerId}`).trim()), count + 1);
  assert.equal(Number(srv.db(`SELECT COUNT(*) FROM document d WHERE NOT EXISTS (SELECT 1 FROM doc_file f WHERE f.document_id = d.id)`).trim()), 0,
    'no document without its file');
  assert.equal(qlvbStatus(['audit', 'verify', '--data', srv.dir]).code, 0);
});
