/* Buffers with limits, arena, strict number parsing, hex, dates. */
#include <stdlib.h>

#include "check.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/str.h"

TEST(buf_respects_max)
{
    struct buf b = BUF_INIT(10);
    CHECK_INT(buf_puts(&b, "12345"), RES_OK);
    CHECK_INT(buf_printf(&b, "%d", 6789), RES_OK);
    CHECK_STR(buf_str(&b), "123456789");
    CHECK_INT(buf_puts(&b, "ab"), RES_TOO_LARGE);
    CHECK_STR(buf_str(&b), "123456789");
    CHECK_INT(buf_putc(&b, 'x'), RES_OK);
    CHECK_INT(b.len, 10);
    buf_release(&b);
}

static int cleaned;
static void on_clean(void *p)
{
    cleaned += *(int *)p;
}

TEST(arena_allocates_and_cleans)
{
    struct arena a;
    arena_init(&a);
    int *v = arena_alloc(&a, sizeof(int));
    *v = 7;
    char *big = arena_alloc(&a, 100000);
    big[99999] = 1;
    CHECK_STR(arena_printf(&a, "%s-%d", "x", 3), "x-3");
    arena_on_release(&a, on_clean, v);
    arena_release(&a);
    CHECK_INT(cleaned, 7);
}

TEST(strict_numbers)
{
    int64_t v;
    CHECK_INT(str_to_i64("42", 0, 100, &v), RES_OK);
    CHECK_INT(v, 42);
    CHECK_INT(str_to_i64("42x", 0, 100, &v), RES_INVALID);
    CHECK_INT(str_to_i64("", 0, 100, &v), RES_INVALID);
    CHECK_INT(str_to_i64(" 4", 0, 100, &v), RES_INVALID);
    CHECK_INT(str_to_i64("101", 0, 100, &v), RES_INVALID);
    CHECK_INT(str_to_i64("99999999999999999999", 0, INT64_MAX, &v), RES_INVALID);
}

TEST(hex_and_ct_compare)
{
    unsigned char in[3] = {0x00, 0xab, 0xff}, out[3];
    char hex[7];
    size_t n;
    hex_encode(in, 3, hex);
    CHECK_STR(hex, "00abff");
    CHECK_INT(hex_decode(hex, out, sizeof(out), &n), RES_OK);
    CHECK(n == 3 && out[1] == 0xab);
    CHECK_INT(hex_decode("0g", out, sizeof(out), &n), RES_INVALID);
    CHECK(str_eq_ct("abc", "abc"));
    CHECK(!str_eq_ct("abc", "abd"));
    CHECK(!str_eq_ct("abc", "ab"));
}

TEST(vietnamese_thousands)
{
    char g[STR_GROUP_MAX];
    CHECK_STR(str_group_vn(0, g, sizeof(g)), "0");
    CHECK_STR(str_group_vn(500, g, sizeof(g)), "500");
    CHECK_STR(str_group_vn(1000, g, sizeof(g)), "1.000");
    CHECK_STR(str_group_vn(5000, g, sizeof(g)), "5.000");
    CHECK_STR(str_group_vn(1234567, g, sizeof(g)), "1.234.567");
    CHECK_STR(str_group_vn(-12345, g, sizeof(g)), "-12.345");
    CHECK_STR(str_group_vn(INT64_MIN, g, sizeof(g)), "-9.223.372.036.854.775.808");
    char small[5];
    CHECK_STR(str_group_vn(12345, small, sizeof(small)), ""); /* too small: empty */
    CHECK_STR(str_group_vn(1234, small, sizeof(small)), "");  /* "1.234" needs 6 */
    CHECK_STR(str_group_vn(999, small, sizeof(small)), "999");
}

TEST(vietnam_time)
{
    char s[64];
    clock_format_iso(0, s, sizeof(s));
    CHECK_STR(s, "1970-01-01T07:00:00+07:00");
    int64_t t;
    CHECK_INT(clock_parse_date("2026-11-22", &t), 0);
    clock_format_vn(t, s, sizeof(s));
    CHECK_STR(s, "00:00 ngày 22/11/2026");
    CHECK(clock_parse_date("2026-02-31", &t) != 0);
    CHECK(clock_parse_date("2026-1-1", &t) != 0);
}

int main(void)
{
    RUN(buf_respects_max);
    RUN(arena_allocates_and_cleans);
    RUN(strict_numbers);
    RUN(hex_and_ct_compare);
    RUN(vietnamese_thousands);
    RUN(vietnam_time);
    return CHECK_DONE("test_util");
}
