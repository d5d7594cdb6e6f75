#!/usr/bin/env bash
# `make run`: creates the demo data directory on first use (printing the logins, and
# keeping them in $DATA/demo-logins.txt so that later runs print them again) and serves
# the web UI and API on QLVB_LISTEN (default http://127.0.0.1:8080). A data directory
# without that file (made by `qlvb init --demo` or an older `make run`) gets its logins
# table from its own database: every account, agency by name, as the first run prints.
# The demo's signing keys (certificates of a demo CA made at init, "QLVB DEMO CA — không
# dùng thật", for demonstration only) open with PIN 123456, printed after the logins.
set -euo pipefail
BIN=${1:-build/qlvb}
DATA=${QLVB_DATA:-data}
LISTEN=${QLVB_LISTEN:-127.0.0.1:8080}
LOGINS="$DATA/demo-logins.txt"

# The logins table of an existing SQLite data directory (sqlite3 is installed by
# scripts/deps.sh). Roles are the bits of core/role.h, labelled as core/role.c does.
logins_from_db() {
    local db="$DATA/qlvb.db"
    [ -f "$db" ] && command -v sqlite3 >/dev/null 2>&1 || return 1
    local rows
    rows=$(sqlite3 -separator $'\t' "file:$db?mode=ro" "
        SELECT u.login, u.full_name,
               CASE WHEN u.is_sysadmin = 1 AND m.id IS NULL THEN 'Quản trị hệ thống' ELSE
               trim(CASE WHEN m.roles & 1 THEN 'Quản trị, ' ELSE '' END ||
                    CASE WHEN m.roles & 2 THEN 'Văn thư, ' ELSE '' END ||
                    CASE WHEN m.roles & 4 THEN 'Lãnh đạo cơ quan, ' ELSE '' END ||
                    CASE WHEN m.roles & 8 THEN 'Lãnh đạo phòng, ' ELSE '' END ||
                    CASE WHEN m.roles & 16 THEN 'Chuyên viên, ' ELSE '' END, ', ') END,
               COALESCE(a.name, '(toàn hệ thống)')
        FROM app_user u
        LEFT JOIN membership m ON m.user_id = u.id AND m.active = 1
        LEFT JOIN agency a ON a.id = m.agency_id
        WHERE u.disabled = 0
        ORDER BY u.login, a.code" 2>/dev/null) || return 1
    [ -n "$rows" ] || return 1
    echo "Tài khoản trong $DATA/ (mật khẩu mẫu Demo@2026qlvb, nếu chưa đổi)"
    # Columns padded by characters, not bytes (Vietnamese letters are 2-3 bytes).
    printf '%s\n' "$rows" | python3 -c '
import sys
rows = [l.rstrip("\n").split("\t") for l in sys.stdin if l.strip()]
rows.insert(0, ["Đăng nhập", "Họ và tên", "Vai trò", "Cơ quan"])
w = [max(len(r[i]) for r in rows) for i in range(3)]
for r in rows:
    print("  " + " ".join(r[i].ljust(w[i]) for i in range(3)) + " " + r[3])
' 2>/dev/null || printf '%s\n' "$rows" | tr '\t' ' ' | sed 's/^/  /'
}

# True when the data directory holds the demo's signing keys (made by `init --demo`).
demo_keys_in_db() {
    local db="$DATA/qlvb.db" n
    [ -f "$db" ] && command -v sqlite3 >/dev/null 2>&1 || return 1
    n=$(sqlite3 "file:$db?mode=ro" \
        "SELECT COUNT(*) FROM signing_key WHERE issuer_cn = 'QLVB DEMO CA — không dùng thật'" \
        2>/dev/null) || return 1
    [ "${n:-0}" -gt 0 ]
}

if [ ! -f "$DATA/qlvb.db" ]; then
    out=$("$BIN" init --data "$DATA" --demo 2>/dev/null)
    printf '%s\n' "$out"
    printf '%s\n' "$out" | sed -n '/^Tài khoản mẫu/,/^Khóa ký số mẫu/p' >"$LOGINS"
else
    echo "Dùng dữ liệu có sẵn trong $DATA/ (xóa thư mục này để tạo lại dữ liệu mẫu)."
    if [ -s "$LOGINS" ]; then
        cat "$LOGINS"
    elif ! logins_from_db; then
        echo "Tài khoản mẫu: 040080000001 (quản trị hệ thống), 040090000141 (quản trị Sở Khoa học và Công nghệ), mật khẩu Demo@2026qlvb"
    fi
    if ! grep -qs '^Khóa ký số mẫu' "$LOGINS" && demo_keys_in_db; then
        echo "Khóa ký số mẫu (chứng thư của \"QLVB DEMO CA — không dùng thật\", chỉ để trình diễn): mã PIN 123456"
    fi
fi
echo
echo "Mở http://$LISTEN — dừng bằng Ctrl+C."
exec "$BIN" serve --data "$DATA" --listen "$LISTEN"
