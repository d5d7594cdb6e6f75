#!/usr/bin/env bash
# `make run`: creates the demo data directory on first use (printing the logins, and
# keeping them in $DATA/demo-logins.txt so that later runs print them again) and serves
# the web UI and API on QLVB_LISTEN (default http://127.0.0.1:8080).
set -euo pipefail
BIN=${1:-build/qlvb}
DATA=${QLVB_DATA:-data}
LISTEN=${QLVB_LISTEN:-127.0.0.1:8080}
LOGINS="$DATA/demo-logins.txt"
if [ ! -f "$DATA/qlvb.db" ]; then
    out=$("$BIN" init --data "$DATA" --demo 2>/dev/null)
    printf '%s\n' "$out"
    printf '%s\n' "$out" | sed -n '/^Tài khoản mẫu/,/kiêm nhiệm/p' >"$LOGINS"
else
    echo "Dùng dữ liệu có sẵn trong $DATA/ (xóa thư mục này để tạo lại dữ liệu mẫu)."
    if [ -s "$LOGINS" ]; then
        cat "$LOGINS"
    else
        echo "Tài khoản mẫu: 040080000001 (quản trị hệ thống), 040090000141 (quản trị Sở Khoa học và Công nghệ), mật khẩu Demo@2026qlvb"
    fi
fi
echo
echo "Mở http://$LISTEN — dừng bằng Ctrl+C."
exec "$BIN" serve --data "$DATA" --listen "$LISTEN"
