#!/usr/bin/env bash
# The two figures of issue 9's "done when", measured on the real server (loopback):
#
# 1. Memory: server RSS before, at its peak and after 20 unauthenticated
#    `POST /api/v1/signatures/verify` with `Content-Length: 31457281` in flight at once,
#    each client sending its body as fast as the server takes it (before the HTTP edge
#    was hardened RSS went 60 MB -> 676 MB: every body was buffered in memory).
# 2. Connections: 1,100 idle sockets from 127.0.0.1 (connected, nothing sent), then
#    `GET /login` from another address (127.0.0.2): does the server still answer, and
#    how fast? Also what a 1,101st connection from the crowded address gets.
#
#   bench/guard.sh [BIN]      BIN defaults to build/qlvb; prints the figures
#
# Needs python3 and an open-file limit above 1,200 (raised here when the hard limit
# allows). Uses a throw-away demo data directory in /tmp and the server's default
# limits (no environment overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-build/qlvb}")
[ -x "$BIN" ] || { echo "guard: $BIN is not an executable (make all)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "guard: python3 is missing" >&2; exit 1; }
ulimit -n 4096 2>/dev/null || true
[ "$(ulimit -n)" -ge 1200 ] || { echo "guard: open-file limit $(ulimit -n) < 1200" >&2; exit 1; }

WORK=$(mktemp -d /tmp/qlvb-guard-XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" init --data "$WORK/data" --demo >/dev/null 2>&1
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --data "$WORK/data" --listen "127.0.0.1:$PORT" --threads 2 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1).close()" 2>/dev/null && break
    sleep 0.1
done

python3 - "$PORT" "$PID" <<'PY'
import socket, sys, threading, time

port, pid = int(sys.argv[1]), int(sys.argv[2])

def rss_mb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def status_of(data):
    line = data.split(b"\r\n", 1)[0].decode("latin1")
    return line.split(" ")[1] if line.startswith("HTTP/") else "(no answer)"

# ---- 1. memory under 20 anonymous 30 MiB uploads ----
LENGTH = 31457281
head = (f"POST /api/v1/signatures/verify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/pdf\r\nContent-Length: {LENGTH}\r\n\r\n").encode()
piece = b" " * 65536
results = []

def upload():
    s = socket.create_connection(("127.0.0.1", port), 5)
    s.settimeout(20)
    sent, answer = 0, b""
    try:
        s.sendall(head)
        while sent < LENGTH:
            n = min(len(piece), LENGTH - sent)
            s.sendall(piece[:n])
            sent += n
    except OSError:
        pass  # the server answered and closed: the rest is not read
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            answer += d
            if b"\r\n\r\n" in answer:
                break
    except OSError:
        pass
    s.close()
    results.append((status_of(answer), sent))

before = rss_mb()
peak = [before]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_mb())
        time.sleep(0.02)
sampler = threading.Thread(target=sample)
sampler.start()
t0 = time.time()
workers = [threading.Thread(target=upload) for _ in range(20)]
for w in workers: w.start()
for w in workers: w.join()
elapsed = time.time() - t0
done.set(); sampler.join()
time.sleep(0.5)
after = rss_mb()
codes = {}
for c, _ in results: codes[c] = codes.get(c, 0) + 1
print("1. 20 anonymous POST /api/v1/signatures/verify, Content-Length 31457281, in flight together")
print(f"   server RSS: {before:.1f} MB before, {peak[0]:.1f} MB at the peak, {after:.1f} MB after"
      f" (peak - before = {peak[0] - before:.1f} MB)")
print(f"   answers: {', '.join(f'{n} x {c}' for c, n in sorted(codes.items()))};"
      f" body bytes the clients got to send: {min(s for _, s in results)}..{max(s for _, s in results)}"
      f" of {LENGTH}; {elapsed:.2f} s")

# ---- 2. 1,100 idle sockets from one address ----
idle, refused = [], 0
for i in range(1100):
    try:
        s = socket.create_connection(("127.0.0.1", port), 2)
        idle.append(s)
    except OSError:
        refused += 1
time.sleep(0.3)
alive = 0
for s in idle:  # how many the server still holds open (not closed on its side)
    s.setblocking(False)
    try:
        alive += 0 if s.recv(1, socket.MSG_PEEK) == b"" else 1
    except BlockingIOError:
        alive += 1
    except OSError:
        pass

def get_login(src):
    t = time.time()
    try:
        s = socket.create_connection(("127.0.0.1", port), 5, source_address=(src, 0))
        s.settimeout(5)
        s.sendall(f"GET /login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data:
            d = s.recv(65536)
            if not d: break
            data += d
        s.close()
        return status_of(data), (time.time() - t) * 1000
    except OSError as e:
        return f"({e.__class__.__name__})", (time.time() - t) * 1000

other, other_ms = get_login("127.0.0.2")
same, same_ms = get_login("127.0.0.1")
print("2. 1,100 idle sockets from 127.0.0.1 (connected, nothing sent)")
print(f"   connects that succeeded: {len(idle)} (refused: {refused}); still held open by the server: {alive}")
print(f"   GET /login from 127.0.0.2 meanwhile: {other} in {other_ms:.0f} ms")
print(f"   GET /login from 127.0.0.1 (one more): {same} in {same_ms:.0f} ms")
for s in idle: s.close()
time.sleep(0.3)
again, again_ms = get_login("127.0.0.1")
print(f"   GET /login from 127.0.0.1 after they close: {again} in {again_ms:.0f} ms")
PY
