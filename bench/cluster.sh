#!/usr/bin/env bash
# Scale-out benchmark (issue 10), all on this machine, loopback only, one run:
#   1. baselines: a bare libmicrohttpd server (bench/hello.c), and the same behind nginx
#   2. the foundation's API benchmark (GET /api/v1/me, GET /login) plus a list
#      (GET /api/v1/departments), a write (POST /api/v1/departments, unique names) and
#      a login (POST /api/v1/login, production argon2id parameters), with wrk, on
#        a) SQLite, one node            b) PostgreSQL, one node
#        c) PostgreSQL, three nodes behind nginx (one data directory, one blob directory)
#   3. the kill -9 scenario of tests/integration/cluster.test.mjs, longer
#      (CLUSTER_LOAD_MS, default 30 s; one node killed at 10 s)
# Results: bench/results/cluster-<UTC time>.txt and bench/results/cluster-latest.txt.
# PostgreSQL is a private cluster (tests/pg.sh) with its default durability (fsync and
# synchronous_commit on), as SQLite runs with synchronous=FULL.
#
#   bench/cluster.sh [BIN]   Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (32),
#                            BENCH_LOGIN_CONNECTIONS (4: a login costs ~20 MiB and tens of ms),
#                            BENCH_THREADS (wrk threads, 2), SERVER_THREADS (2 per node),
#                            CLUSTER_LOAD_MS (30000), CLUSTER_WORKERS (8)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-build/qlvb}")
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-32}
LOGIN_CONNS=${BENCH_LOGIN_CONNECTIONS:-4}
WTHREADS=${BENCH_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"
for tool in wrk curl gcc pkg-config node psql "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/deps.sh)" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable (make all)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/qlvb-bench-cluster.XXXXXX)
chmod 755 "$WORK" # nginx workers (nobody when run as root) read nothing here but need the path
PIDS=()
PGDIR=$WORK/pg
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    bash tests/pg.sh stop "$PGDIR" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
wait_http() { # URL PID
    local i
    for i in $(seq 1 400); do
        kill -0 "$2" 2>/dev/null || { echo "bench: server exited early" >&2; return 1; }
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.05
    done
    echo "bench: $1 did not answer" >&2; return 1
}
stop_all() { # stops every server started so far
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    PIDS=()
}

# nginx in front of the given loopback ports (same settings as the cluster test and
# docs/operations.md, without TLS). Sets NG_PORT.
start_nginx() { # NAME PORT...
    local dir=$WORK/nginx-$1 port
    shift
    port=$(free_port)
    mkdir -p "$dir/tmp"
    chmod 755 "$dir"
    {
        echo "worker_processes 1; pid $dir/nginx.pid; error_log $dir/error.log warn;"
        echo "events { worker_connections 1024; }"
        echo "http { access_log off;"
        echo "  client_body_temp_path $dir/tmp/body; proxy_temp_path $dir/tmp/proxy;"
        echo "  fastcgi_temp_path $dir/tmp/fcgi; uwsgi_temp_path $dir/tmp/uwsgi; scgi_temp_path $dir/tmp/scgi;"
        echo "  upstream up {"
        for p in "$@"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"; done
        echo "    keepalive 32; keepalive_timeout 30s; }"
        echo "  server { listen 127.0.0.1:$port; client_max_body_size 40m;"
        echo "    location / { proxy_pass http://up; proxy_http_version 1.1;"
        echo "      proxy_set_header Connection \"\"; proxy_set_header Host \$host;"
        echo "      proxy_set_header X-Forwarded-For \$remote_addr;"
        echo "      proxy_next_upstream error timeout; proxy_next_upstream_tries 3; } } }"
    } >"$dir/nginx.conf"
    "$NGINX" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' \
        >/dev/null 2>>"$dir/error.log" &
    PIDS+=($!)
    NG_PORT=$port
}

# ---- a private PostgreSQL, durable
PGURL=$(QLVB_PG_DURABLE=1 bash tests/pg.sh start "$PGDIR")
mkdb() { psql -X -q -d "$PGURL" -c "CREATE DATABASE $1" && echo "${PGURL%/postgres}/$1"; }

# ---- wrk scripts: unique department names per thread, JSON login
cat >"$WORK/write.lua" <<'LUA'
local n = 0
local id = 0
function setup(thread) id = id + 1; thread:set("tid", id) end
function init() tid = tid or 0; wrk.headers["Content-Type"] = "application/json" end
function request() -- wrk.headers keeps the bearer header from -H
  n = n + 1
  local body = string.format('{"name":"Phòng đo tải %d-%d-%d"}', tid, n, math.random(1, 1e9))
  return wrk.format("POST", nil, nil, body)
end
LUA
cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"040090000141","password":"Demo@2026qlvb"}'
LUA

OUT=$WORK/out
mkdir -p "$OUT"
run_wrk() { # NAME URL [wrk args...]; LOGIN_CONNS for logins (argon2id is the cost)
    local name=$1 url=$2 c=$CONNS
    shift 2
    case $name in *-login) c=$LOGIN_CONNS ;; esac
    echo "bench: $name" >&2
    wrk -t"$WTHREADS" -c"$c" -d"$DURATION" --timeout 10s --latency "$@" "$url" >"$OUT/$name.txt" 2>&1
}
token_of() { # BASE
    curl -s --max-time 10 -H 'Content-Type: application/json' \
        -d '{"login":"040090000141","password":"Demo@2026qlvb"}' "$1/api/v1/login" |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))'
}
suite() { # LABEL BASE: the API figures for one configuration
    local label=$1 base=$2 tok
    tok=$(token_of "$base")
    [ -n "$tok" ] && [ "$tok" != undefined ] || { echo "bench: login failed on $base" >&2; exit 1; }
    run_wrk "$label-me" "$base/api/v1/me" -H "Authorization: Bearer $tok"
    run_wrk "$label-loginpage" "$base/login"
    run_wrk "$label-list" "$base/api/v1/departments" -H "Authorization: Bearer $tok"
    run_wrk "$label-write" "$base/api/v1/departments" -H "Authorization: Bearer $tok" -s "$WORK/write.lua"
    run_wrk "$label-login" "$base/api/v1/login" -s "$WORK/login.lua"
}
serve() { # DATA PORT [args...]: one node in the background
    local data=$1 port=$2
    shift 2
    "$BIN" serve --data "$data" --listen "127.0.0.1:$port" --threads "$SERVER_THREADS" "$@" \
        >/dev/null 2>>"$WORK/serve.log" &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$port/login" "${PIDS[-1]}"
}

# ---- 1. baselines
gcc -O2 -o "$WORK/hello" bench/hello.c $(pkg-config --cflags --libs libmicrohttpd) -lpthread
HPORT=$(free_port)
"$WORK/hello" "$HPORT" "$SERVER_THREADS" >/dev/null 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$HPORT/" "${PIDS[-1]}"
run_wrk hello "http://127.0.0.1:$HPORT/"
start_nginx hello "$HPORT"
wait_http "http://127.0.0.1:$NG_PORT/" "${PIDS[-1]}"
run_wrk nginx-hello "http://127.0.0.1:$NG_PORT/"
stop_all

# ---- 2a. SQLite, one node
"$BIN" init --data "$WORK/sqlite" --demo >/dev/null 2>&1
P=$(free_port)
serve "$WORK/sqlite" "$P"
suite sqlite "http://127.0.0.1:$P"
stop_all

# ---- 2b. PostgreSQL, one node
DB1=$(mkdb bench_one)
"$BIN" init --data "$WORK/pg1" --db "$DB1" --demo >/dev/null 2>&1
P=$(free_port)
serve "$WORK/pg1" "$P" --db "$DB1"
suite pg1 "http://127.0.0.1:$P"
stop_all

# ---- 2c. PostgreSQL, three nodes behind nginx
DB3=$(mkdb bench_three)
"$BIN" init --data "$WORK/pg3" --db "$DB3" --demo >/dev/null 2>&1
PORTS=()
for i in 1 2 3; do
    P=$(free_port)
    serve "$WORK/pg3" "$P" --db "$DB3" --blobs "file:$WORK/pg3-blobs" --trust-proxy
    PORTS+=("$P")
done
start_nginx three "${PORTS[@]}"
wait_http "http://127.0.0.1:$NG_PORT/login" "${PIDS[-1]}"
suite pg3 "http://127.0.0.1:$NG_PORT"
stop_all

# ---- 3. the kill -9 scenario, longer
echo "bench: kill -9 scenario (${CLUSTER_LOAD_MS:-30000} ms)" >&2
QLVB_TEST_PG=$PGURL QLVB_BIN=$BIN CLUSTER_LOAD_MS=${CLUSTER_LOAD_MS:-30000} \
    CLUSTER_KILL_AT_MS=${CLUSTER_KILL_AT_MS:-10000} CLUSTER_WORKERS=${CLUSTER_WORKERS:-8} \
    node --import "file://$ROOT/tests/pg-env.mjs" --test --test-concurrency=1 --test-reporter=spec \
    tests/integration/cluster.test.mjs >"$OUT/kill.txt" 2>&1 || true

# ---- summary
rps() { awk '/^Requests\/sec:/ {print $2}' "$OUT/$1.txt"; }
pct() { # NAME 50%|99%: in ms
    awk -v q="$2" '$1 == q {
        v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
        printf "%.2f", v * f }' "$OUT/$1.txt"
}
errs() { grep -E 'Non-2xx|Socket errors' "$OUT/$1.txt" | sed 's/^ *//' | paste -sd';' - || true; }
row() { printf '%-34s %11s %9s %9s  %s\n' "$1" "$(rps "$2")" "$(pct "$2" 50%)" "$(pct "$2" 99%)" "$(errs "$2")"; }
STAMP=$(date -u '+%Y%m%dT%H%M%SZ')
{
    echo "qlvb cluster bench — $(date -u '+%Y-%m-%d %H:%M:%SZ') — $(uname -m), $(nproc) CPUs," \
        "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $("$BIN" version 2>/dev/null | head -n1)"
    echo "wrk -t$WTHREADS -c$CONNS (logins -c$LOGIN_CONNS) -d$DURATION --timeout 10s --latency, loopback;" \
        "every qlvb node --threads $SERVER_THREADS; argon2id at its production cost (19 MiB, 2 passes)"
    echo "PostgreSQL $(psql -X -At -d "$PGURL" -c 'SHOW server_version') private cluster, fsync=on, synchronous_commit=on;" \
        "SQLite WAL synchronous=FULL; nginx $("$NGINX" -v 2>&1 | sed 's/.*\///')"
    echo "Everything (wrk, nginx, nodes, PostgreSQL) shares the same $(nproc) CPUs."
    echo
    printf '%-34s %11s %9s %9s  %s\n' "target" "req/s" "p50 ms" "p99 ms" "errors"
    row "hello (bare MHD, baseline)" hello
    row "nginx -> hello" nginx-hello
    for cfg in sqlite pg1 pg3; do
        case $cfg in
        sqlite) t="SQLite, 1 node" ;;
        pg1) t="PostgreSQL, 1 node" ;;
        pg3) t="PostgreSQL, 3 nodes + nginx" ;;
        esac
        row "$t: GET /api/v1/me" "$cfg-me"
        row "$t: GET /login" "$cfg-loginpage"
        row "$t: GET /api/v1/departments" "$cfg-list"
        row "$t: POST /api/v1/departments" "$cfg-write"
        row "$t: POST /api/v1/login" "$cfg-login"
    done
    echo
    echo "kill -9 scenario (tests/integration/cluster.test.mjs, 3 nodes + nginx, one node killed):"
    grep -aE '^(cluster load:|✔|✖)' "$OUT/kill.txt" || tail -n 30 "$OUT/kill.txt"
    echo
    for f in "$OUT"/*.txt; do
        echo "---- $(basename "$f" .txt)"
        cat "$f"
    done
} >"$RESULTS/cluster-$STAMP.txt"
cp "$RESULTS/cluster-$STAMP.txt" "$RESULTS/cluster-latest.txt"
sed '/^---- /,$d' "$RESULTS/cluster-latest.txt"
