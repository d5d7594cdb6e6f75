// PostgreSQL pass of the tests (tests/run.sh sets QLVB_TEST_PG to its throw-away
// cluster and preloads this module with `node --import` in every test process; the
// integration harness imports it too): the process gets a fresh database as QLVB_DB,
// so tests that start `qlvb` themselves use PostgreSQL as well.
import { execFileSync } from 'node:child_process';

export const PG = process.env.QLVB_TEST_PG || '';
let seq = 0;

export function psql(url, sql) {
  return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8' });
}

// A new empty database on the test server; returns its URL.
export function freshDb() {
  const name = `qlvb_t_${process.pid}_${++seq}`;
  psql(PG, `CREATE DATABASE ${name}`);
  const u = new URL(PG);
  u.pathname = '/' + name;
  return u.toString();
}

if (PG) process.env.QLVB_DB = freshDb();
