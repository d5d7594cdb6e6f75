#!/usr/bin/env bash
# Signing and verification over HTTP: POST /api/v1/signatures/sign (the key sealed in
# the database, opened by the signer process with the PIN) and
# POST /api/v1/signatures/verify, on a 1-page and a 30-page PDF, with wrk; and, in the
# same run, `openssl cms -sign` on the same bytes as the baseline of a bare signature.
# For signing it also prints the CPU time per signature of the server and of the signer
# process (from /proc), and the size of the signed documents.
#
#   bench/sign.sh [BIN]     Env: BENCH_DURATION (10s), BENCH_CONNECTIONS (8),
#                           QLVB_SIGNER_KEY_TTL (the server's, default 300; 0 = no cache)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$(realpath "${1:-build/qlvb}")
DURATION=${BENCH_DURATION:-10s}
CONNS=${BENCH_CONNECTIONS:-8}
WORK=$(mktemp -d /tmp/qlvb-bench-sign.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

bash scripts/test-pki.sh "$WORK/pki" >/dev/null 2>&1
QLVB_ARGON2_MEMORY_KIB=1024 "$BIN" init --data "$WORK/data" --demo >/dev/null 2>&1
mkdir -p "$WORK/data/trust" && cp "$WORK/pki/root.pem" "$WORK/pki/inter.pem" "$WORK/data/trust/"
PORT=$((20000 + RANDOM % 20000))
QLVB_ARGON2_MEMORY_KIB=1024 "$BIN" serve --data "$WORK/data" --listen 127.0.0.1:$PORT --threads 2 \
    2>/dev/null &
PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 100); do curl -fs "$URL/login" >/dev/null && break; sleep 0.05; done
token() {
    curl -fs -XPOST "$URL/api/v1/login" -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"Demo@2026qlvb\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
ADMIN=$(token 040090000141)
LEADER=$(token 040090000142)
UID_LEADER=$(curl -fs -H "Authorization: Bearer $LEADER" "$URL/api/v1/me" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
KEY=$(curl -fs -XPOST "$URL/api/v1/signing-keys" -H "Authorization: Bearer $ADMIN" \
    -F pin=123456 -F user_id="$UID_LEADER" -F name_confirm=1 -F name_reason="Bộ chứng thư kiểm thử" \
    -F file=@"$WORK/pki/person.p12" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# Test PDFs: N pages of text, made by our own CLI from a blank PDF is not possible, so
# use poppler-free Python: one content stream per page.
python3 - "$WORK" <<'PY'
import sys
def pdf(pages, path):
    objs = ['<< /Type /Catalog /Pages 2 0 R >>', None, '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>']
    kids = []
    for p in range(pages):
        text = '\n'.join(f'BT /F1 11 Tf 70 {780 - 14*i} Td (Dieu {p*50+i}. Noi dung van ban thu nghiem, dong {i}.) Tj ET' for i in range(50))
        objs.append(f'<< /Length {len(text)} >>\nstream\n{text}\nendstream')
        objs.append(f'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objs)} 0 R >>')
        kids.append(f'{len(objs)} 0 R')
    objs[1] = f'<< /Type /Pages /Kids [{" ".join(kids)}] /Count {pages} >>'
    out = '%PDF-1.7\n'; offs = []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += f'{i+1} 0 obj\n{o}\nendobj\n'
    x = len(out)
    out += f'xref\n0 {len(objs)+1}\n0000000000 65535 f \n' + ''.join(f'{o:010d} 00000 n \n' for o in offs)
    out += f'trailer\n<< /Size {len(objs)+1} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n'
    open(path, 'wb').write(out.encode('latin1'))
pdf(1, sys.argv[1] + '/p1.pdf'); pdf(30, sys.argv[1] + '/p30.pdf')
PY

lua_body() { # file fields... → a wrk script posting multipart
    local file=$1; shift
    cat <<LUA
local f = io.open("$file", "rb"); local data = f:read("*all"); f:close()
local b = "qlvbbenchboundary"
local parts = {}
for _, kv in ipairs({$*}) do
  parts[#parts+1] = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"" .. kv[1] .. "\"\r\n\r\n" .. kv[2] .. "\r\n"
end
parts[#parts+1] = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" .. data .. "\r\n--" .. b .. "--\r\n"
wrk.method = "POST"
wrk.body = table.concat(parts)
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. b
LUA
}

SIGNER=$(pgrep -P "$PID" | head -1)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, 1/100 s
run() { # label token lua path
    local out s0 g0 n
    s0=$(ticks "$PID")
    g0=$(ticks "$SIGNER")
    out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$3" -H "Authorization: Bearer $2" "$URL$4")
    printf '%-34s %10s req/s   p99 %s\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
        "$(awk '/ 99%/ {print $2}' <<<"$out")"
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    if [ "${n:-0}" -gt 0 ]; then
        printf '%-34s %10.2f ms server, %.2f ms signer process\n' "  CPU per request" \
            "$(echo "($(ticks "$PID") - $s0) * 10 / $n" | bc -l)" \
            "$(echo "($(ticks "$SIGNER") - $g0) * 10 / $n" | bc -l)"
    fi
    grep -q "Non-2xx" <<<"$out" && echo "  (non-2xx answers: $(grep Non-2xx <<<"$out"))" || true
}

echo "== $(nproc) cores, server --threads 2, wrk -t2 -c$CONNS -d$DURATION"
for n in 1 30; do
    lua_body "$WORK/p$n.pdf" "{\"key_id\", \"$KEY\"}, {\"pin\", \"123456\"}" >"$WORK/sign$n.lua"
    lua_body "$WORK/p$n.pdf" >"$WORK/verify$n.lua"
    run "sign $n page(s) (HTTP, signer process)" "$LEADER" "$WORK/sign$n.lua" /api/v1/signatures/sign
done
# verify a signed file
for n in 1 30; do
    curl -fs -XPOST "$URL/api/v1/signatures/sign" -H "Authorization: Bearer $LEADER" -F key_id="$KEY" \
        -F pin=123456 -F file=@"$WORK/p$n.pdf" -o "$WORK/s$n.pdf"
    printf '%-34s %10s bytes (unsigned %s)\n' "signed $n page(s), text appearance" \
        "$(stat -c %s "$WORK/s$n.pdf")" "$(stat -c %s "$WORK/p$n.pdf")"
    lua_body "$WORK/s$n.pdf" >"$WORK/verify$n.lua"
    run "verify $n page(s) signed (HTTP)" "$LEADER" "$WORK/verify$n.lua" /api/v1/signatures/verify
done
for n in 1 30; do
    start=$(date +%s.%N)
    for _ in $(seq 50); do
        openssl cms -sign -binary -in "$WORK/p$n.pdf" -signer "$WORK/pki/person.pem" \
            -inkey "$WORK/pki/person.key" -outform DER -out /dev/null -md sha256 -cades 2>/dev/null
    done
    end=$(date +%s.%N)
    printf '%-34s %10.1f /s (one process per signature)\n' "openssl cms -sign $n page(s)" \
        "$(echo "50 / ($end - $start)" | bc -l)"
done
