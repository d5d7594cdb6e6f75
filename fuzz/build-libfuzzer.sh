#!/usr/bin/env bash
# Builds coverage-guided libFuzzer binaries of the edXML targets with clang (the
# Makefile only builds corpus replayers). Usage: bash fuzz/build-libfuzzer.sh; then e.g.
#   build/libfuzzer/fuzz_edxml_parse fuzz/corpus/edxml_parse -max_total_time=60
set -eu
cd "$(dirname "$0")/.."
out=build/libfuzzer
mkdir -p "$out"
pkgs="libxml-2.0 xmlsec1-openssl libzip zlib jansson openssl libutf8proc"
srcs="src/xml/edxml_attach.c src/xml/edxml_build.c src/xml/edxml_json.c src/xml/edxml_model.c
      src/xml/edxml_parse.c src/xml/edxml_read.c src/xml/edxml_sign.c src/xml/edxml_status.c
      src/xml/edxml_validate.c src/xml/xmldsig.c src/util/alloc.c src/util/arena.c
      src/util/buf.c src/util/rand.c src/util/result.c src/util/str.c src/util/log.c
      src/text/text.c"
for t in fuzz_edxml_parse fuzz_xmldsig_verify; do
    clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
        $(pkg-config --cflags $pkgs) -o "$out/$t" "fuzz/$t.c" $srcs $(pkg-config --libs $pkgs)
done
echo "built $out/fuzz_edxml_parse $out/fuzz_xmldsig_verify"
