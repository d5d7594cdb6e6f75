#!/usr/bin/env bash
# Installs the Debian packages qlvb needs to build, test and benchmark.
# Idempotent and quiet when everything is already present.
set -euo pipefail

PKGS=(
  build-essential pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
  postgresql postgresql-client   # the tests' private PostgreSQL cluster (tests/pg.sh)
  libssl-dev openssl libargon2-dev libutf8proc-dev
  libxml2-dev libxmlsec1-dev xmlsec1 libzip-dev zlib1g-dev
  libmupdf-dev libfreetype-dev libharfbuzz-dev libjpeg-dev libopenjp2-7-dev
  libjbig2dec0-dev libgumbo-dev libmujs-dev
  libxlsxwriter-dev              # XLSX reports (src/report/)
  poppler-utils
  libcmocka-dev
  wrk curl
  nginx                          # the cluster test and bench/cluster.sh (run as our own process)
  chromium fonts-dejavu-core
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

# The machine image may ship its own Node.js (with npm); only add Debian's if absent.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Browser tests: playwright-core only (drives Debian's chromium, never downloads one).
if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "deps: installing playwright-core"
  (cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
