// The blob store can live outside the data directory (`--blobs file:DIR` or
// QLVB_BLOBS), e.g. one shared directory for several nodes: uploads land there, are
// served from there, and nothing is written under <data>/blobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Server, Client, makePdf, qlvbStatus } from './harness.mjs';

test('--blobs puts stored files in the given directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qlvb-blobs-'));
  const srv = await new Server(['--blobs', `file:${dir}`]).start();
  try {
    const web = new Client(srv);
    assert.equal((await web.webLogin('040090000142')).status, 303);
    const page = await web.get('/signatures/sign');
    const fd = new FormData();
    fd.append('_csrf', web.csrfFrom(page.text));
    fd.append('file', new Blob([makePdf([[70, 770, 12, 'CONG VAN']])], { type: 'application/pdf' }), 'a.pdf');
    const up = await fetch(srv.url('/signatures/sign'), { method: 'POST', body: fd, redirect: 'manual',
      headers: { Cookie: web.cookieHeader() } });
    assert.equal(up.status, 303);
    const loc = up.headers.get('location');
    const hash = srv.db(`SELECT pdf_hash FROM sign_draft WHERE public_id = '${loc.split('/').pop()}'`).trim();
    assert.ok(existsSync(join(dir, hash.slice(0, 2), hash)));
    // (the file itself: <data>/blobs has its empty fan-out directories from init)
    assert.ok(!existsSync(join(srv.dir, 'blobs', hash.slice(0, 2), hash)));
    const png = await fetch(srv.url(`${loc}/pages/1`), { headers: { Cookie: web.cookieHeader() } });
    assert.equal(png.status, 200);
    // Another driver's URL is refused at start with the store named, exit 1.
    const bad = qlvbStatus(['init', '--data', srv.dir, '--blobs', 's3://bucket/x']);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /không mở được kho tệp 's3:\/\/bucket\/x'/);
  } finally {
    await srv.stop();
    srv.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
