#!/usr/bin/env bash
# Builds and runs bench/edxml_bench.c against build/libqlvb.a (run `make` first).
set -eu
cd "$(dirname "$0")/.."
pkgs="libxml-2.0 xmlsec1-openssl libzip zlib jansson openssl libutf8proc"
gcc -std=c17 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags $pkgs) -o build/edxml_bench \
    bench/edxml_bench.c build/libqlvb.a $(pkg-config --libs $pkgs)
build/edxml_bench
tmp=$(mktemp /tmp/edxml50.XXXXXX)
build/edxml_bench write50 "$tmp"
build/edxml_bench parse50 "$tmp" keep
build/edxml_bench parse50 "$tmp" sink
rm -f "$tmp"
