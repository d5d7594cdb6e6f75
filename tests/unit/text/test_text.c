/* Text edge: UTF-8 validation, NFC (standards.md §11: both composed and decomposed
 * Vietnamese arrive), folding for search (đ → d). */
#include <stdlib.h>

#include "check.h"
#include "text/text.h"

TEST(valid_utf8)
{
    CHECK(text_valid_utf8("Ủy ban nhân dân", strlen("Ủy ban nhân dân")));
    CHECK(!text_valid_utf8("\xC3\x28", 2));
    CHECK(!text_valid_utf8("\xED\xA0\x80", 3)); /* surrogate */
    CHECK(!text_valid_utf8("a\x01", 2));
    CHECK(text_valid_utf8("a\tb\n", 4));
}

TEST(nfc_composes_decomposed_vietnamese)
{
    /* "Việt" decomposed: e + combining circumflex + combining dot below */
    char *s = text_nfc("Vie\xCC\xA3\xCC\x82t");
    CHECK_STR(s, "Việt");
    free(s);
    CHECK(text_nfc("\xff") == NULL);
}

TEST(fold_removes_diacritics_and_d)
{
    char *s = text_fold("Đơn vị Sở Tài chính ĐÀ NẴNG");
    CHECK_STR(s, "don vi so tai chinh da nang");
    free(s);
    s = text_fold("Quyết định");
    CHECK_STR(s, "quyet dinh");
    free(s);
}

TEST(length_and_squeeze)
{
    CHECK_INT(text_length("Việt"), 4);
    char s[] = "  Sở   Nội vụ \n ";
    text_squeeze(s);
    CHECK_STR(s, "Sở Nội vụ");
    char slug[32];
    text_ascii_slug("Sở KH&CN", slug, sizeof(slug));
    CHECK_STR(slug, "sokhcn");
    text_ascii_slug("Quảng Ninh", slug, sizeof(slug));
    CHECK_STR(slug, "quangninh");
}

/* A leader's direction keeps its paragraphs (issue 11: they were squeezed to one line). */
TEST(squeeze_keeps_lines)
{
    char a[] = "  Giao Phòng CNTT   chủ trì; \r\n\r\n\r\n\t- Phòng KH phối hợp.  \n- Báo cáo trước "
               "15/12.\n\n ";
    text_squeeze_lines(a);
    CHECK_STR(a, "Giao Phòng CNTT chủ trì;\n\n- Phòng KH phối hợp.\n- Báo cáo trước 15/12.");
    char b[] = "\n\n  \n";
    text_squeeze_lines(b);
    CHECK_STR(b, "");
    char c[] = "một\rhai";
    text_squeeze_lines(c);
    CHECK_STR(c, "một\nhai");
}

TEST(upper_case_lines)
{
    CHECK(text_is_upper("PHÓ CHỦ TỊCH"));
    CHECK(text_is_upper("KT. GIÁM ĐỐC SỞ"));
    CHECK(text_is_upper("CHU\xCC\x89 TI\xCC\xA3"
                        "CH")); /* decomposed */
    CHECK(!text_is_upper("Nguyễn Văn An"));
    CHECK(!text_is_upper("PHÓ CHỦ TỊCh"));
    CHECK(!text_is_upper("12/2024"));
    CHECK(!text_is_upper(""));
    CHECK(!text_is_upper("\xff"));
}

/* Builds `fill` ASCII bytes followed by `tail`; returns the length. */
static size_t padded(char *out, size_t size, size_t fill, const char *tail)
{
    memset(out, 'a', fill);
    snprintf(out + fill, size - fill, "%s", tail);
    return strlen(out);
}

TEST(cut_never_splits_a_character)
{
    char s[400];
    /* "ệ" precomposed is E1 BB 87: a 300-byte budget that ends inside it keeps it out. */
    size_t n = padded(s, sizeof(s), 298, "ệ thống");
    CHECK_INT(text_cut(s, n, 300), 298);
    CHECK_INT(text_cut(s, n, 301), 301);
    CHECK_INT(text_cut(s, n, 299), 298);
    CHECK_INT(text_cut(s, n, n), n);
    CHECK_INT(text_cut(s, n, 1000), n);
    CHECK_INT(text_cut(s, n, 0), 0);
    /* Decomposed: e + U+0323 (CC A3) + U+0302 (CC 82) is one grapheme of 5 bytes; cut
     * at its end or before the "e", never after the base letter or the first mark. */
    n = padded(s, sizeof(s), 296, "e\xCC\xA3\xCC\x82 thống");
    for (size_t max = 296; max < 301; max++)
        CHECK_INT(text_cut(s, n, max), 296);
    CHECK_INT(text_cut(s, n, 301), 301);
    /* A real sentence: every cut is valid UTF-8 and NFC-stable. */
    const char *vn = "Ủy ban nhân dân tỉnh Lạng Sơn đề nghị Sở Khoa học và Công nghệ "
                     "triển khai hệ thống quản lý văn bản và điều hành.";
    for (size_t max = 0; max <= strlen(vn); max++) {
        size_t k = text_cut(vn, strlen(vn), max);
        CHECK(k <= max);
        CHECK(text_valid_utf8(vn, k));
        CHECK(max < 4 || k + 4 > max); /* never more than one character short */
    }
    /* Invalid input ends the prefix before the bad byte. */
    CHECK_INT(text_cut("ab\xC3\x28"
                       "cd",
                       6, 10),
              2);
    /* One cluster longer than the budget (a letter with many marks): code points. */
    n = padded(s, sizeof(s), 0, "a\xCC\x81\xCC\x81\xCC\x81\xCC\x81");
    CHECK_INT(text_cut(s, n, 4), 3);
}

int main(void)
{
    RUN(valid_utf8);
    RUN(nfc_composes_decomposed_vietnamese);
    RUN(fold_removes_diacritics_and_d);
    RUN(length_and_squeeze);
    RUN(squeeze_keeps_lines);
    RUN(upper_case_lines);
    RUN(cut_never_splits_a_character);
    return CHECK_DONE("test_text");
}
