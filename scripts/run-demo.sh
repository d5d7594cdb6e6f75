#!/usr/bin/env bash
# `make run`: creates the demo data directory on first use (printing the logins) and
# serves the web UI and API on http://127.0.0.1:8080.
set -euo pipefail
BIN=${1:-build/qlvb}
DATA=${QLVB_DATA:-data}
if [ ! -f "$DATA/qlvb.db" ]; then
    "$BIN" init --data "$DATA" --demo 2>/dev/null
else
    echo "Dùng dữ liệu có sẵn trong $DATA/ (xóa thư mục này để tạo lại dữ liệu mẫu)."
    echo "Tài khoản mẫu: 040080000001 (quản trị hệ thống), 040090000141 (quản trị STTTT), mật khẩu Demo@2026qlvb"
fi
echo
echo "Mở http://127.0.0.1:8080 — dừng bằng Ctrl+C."
exec "$BIN" serve --data "$DATA" --listen "${QLVB_LISTEN:-127.0.0.1:8080}"
