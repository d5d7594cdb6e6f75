#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for the tests (Debian's server binaries,
# no system service): initdb in DIR, unix socket in DIR and loopback on a free port,
# durability off (fsync=off: the cluster is deleted afterwards; QLVB_PG_DURABLE=1 keeps
# PostgreSQL's defaults, fsync and synchronous_commit on, for benchmarks).
#   tests/pg.sh start DIR   prints the maintenance URL postgres://qlvb@127.0.0.1:PORT/postgres
#   tests/pg.sh stop DIR    stops the cluster and deletes DIR
set -euo pipefail
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: tests/pg.sh start|stop DIR" >&2; exit 2; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (scripts/deps.sh installs them)" >&2; exit 1; }

# initdb refuses to run as root: the cluster then belongs to Debian's postgres user.
owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    owner "$bin/initdb" -D "$dir/data" -U qlvb -A trust -E UTF8 --locale=C --no-sync \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${QLVB_PG_DURABLE:-0}" = 1 ] && fast=""
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir $fast -c max_connections=300" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://qlvb@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: tests/pg.sh start|stop DIR" >&2
    exit 2
    ;;
esac
