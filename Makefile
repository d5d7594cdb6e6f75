# qlvb — build, run and test. `make run` and `make test` are all the set-up needed on
# a fresh Debian 12 machine: both install missing packages first (scripts/deps.sh).
#
#   make            build build/qlvb
#   make run        demo data directory + serve on http://127.0.0.1:8080
#   make test       unit + integration + browser tests ("N passed, N failed")
#   make test SANITIZE=1   the same suite on an ASan+UBSan build (build-san/)
#   make format     apply .clang-format

SANITIZE ?= 0
CC ?= gcc
ifeq ($(CC),cc)
CC := gcc
endif

PKGS := libmicrohttpd jansson sqlite3 libpq openssl libargon2 libutf8proc libxml-2.0 \
        xmlsec1-openssl libzip zlib mupdf xlsxwriter

ifeq ($(SANITIZE),1)
BUILD := build-san
OPT := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD := build
OPT := -O2
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmupdf-third -lmujs -lgumbo \
           -lopenjp2 -ljbig2dec -ljpeg -lfreetype -lharfbuzz -lpng16 -lbrotlidec -lz -lm -lpthread

CFLAGS := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
          -g $(OPT) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP
LDFLAGS := $(OPT)

SRCS := $(shell find src -name '*.c' ! -path src/main.c | sort)
OBJS := $(SRCS:%.c=$(BUILD)/%.o)
EMBED_INPUTS := $(shell find web db/migrations -type f 2>/dev/null | sort)
TEST_SRCS := $(shell find tests/unit -name 'test_*.c' | sort)
TEST_BINS := $(TEST_SRCS:%.c=$(BUILD)/%)
FUZZ_SRCS := $(shell find fuzz -name 'fuzz_*.c' 2>/dev/null | sort)
FUZZ_BINS := $(FUZZ_SRCS:%.c=$(BUILD)/%-replay)

.PHONY: all deps run test unit format clean bench
all: $(BUILD)/qlvb

deps:
	@bash scripts/deps.sh

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/gen/embedded.c: $(BUILD)/tools/embed $(EMBED_INPUTS)
	@mkdir -p $(dir $@)
	@echo "  EMBED   $(words $(EMBED_INPUTS)) files"
	@$(BUILD)/tools/embed $@ $(EMBED_INPUTS)

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	@$(CC) -std=c17 -O1 -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libqlvb.a: $(OBJS) $(BUILD)/gen/embedded.o
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/qlvb: $(BUILD)/src/main.o $(BUILD)/libqlvb.a
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/check.h $(BUILD)/libqlvb.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libqlvb.a $(PKG_LIBS)

# Fuzz targets built as standalone corpus replayers (fuzz/replay.c provides main()).
$(BUILD)/fuzz/%-replay: fuzz/%.c fuzz/replay.c $(BUILD)/libqlvb.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CC) $(CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libqlvb.a $(PKG_LIBS)

unit: $(TEST_BINS) $(FUZZ_BINS)

test: deps
	@$(MAKE) --no-print-directory all unit SANITIZE=$(SANITIZE)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) bash tests/run.sh

run: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/run-demo.sh $(BUILD)/qlvb

bench: deps all
	@bash bench/run.sh $(BUILD)/qlvb

format:
	clang-format -i $$(find src tests/unit fuzz tools -name '*.[ch]')

clean:
	rm -rf build build-san

-include $(OBJS:.o=.d) $(BUILD)/src/main.d $(TEST_BINS:=.d) $(FUZZ_BINS:=.d)
