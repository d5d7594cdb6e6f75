#!/usr/bin/env bash
# Builds coverage-guided libFuzzer binaries of the edXML, PDF placement and PNG targets
# with clang (the Makefile only builds corpus replayers). Usage: bash fuzz/build-libfuzzer.sh;
# then e.g.
#   build/libfuzzer/fuzz_edxml_parse fuzz/corpus/edxml_parse -max_total_time=60
# (Debian's MuPDF is not instrumented: coverage and sanitizers cover our code only.)
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
pdf_srcs="src/pdf/pdf_place.c src/pdf/pdf_preview.c src/pdf/pdf_util.c src/text/text.c
          src/util/alloc.c src/util/buf.c src/util/log.c src/util/result.c"
clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
    $(pkg-config --cflags mupdf libutf8proc) -o "$out/fuzz_pdf_place" fuzz/fuzz_pdf_place.c \
    $pdf_srcs $(pkg-config --libs mupdf libutf8proc) -lmupdf-third -lmujs -lgumbo -lopenjp2 \
    -ljbig2dec -ljpeg -lfreetype -lharfbuzz -lpng16 -lbrotlidec -lz -lm -lpthread
# Signature and seal images: the PNG checks, with MuPDF (not instrumented) decoding.
mupdf_libs="-lmupdf-third -lmujs -lgumbo -lopenjp2 -ljbig2dec -ljpeg -lfreetype -lharfbuzz -lpng16
            -lbrotlidec -lz -lm -lpthread"
clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
    $(pkg-config --cflags mupdf zlib) -o "$out/fuzz_sigimage_png" fuzz/fuzz_sigimage_png.c \
    src/core/sigimage_png.c src/pdf/pdf_util.c src/core/verr.c src/util/log.c src/util/clock.c \
    src/util/result.c src/util/buf.c src/util/alloc.c $(pkg-config --libs mupdf zlib) $mupdf_libs
echo "built $out/fuzz_edxml_parse $out/fuzz_xmldsig_verify $out/fuzz_pdf_place $out/fuzz_sigimage_png"
