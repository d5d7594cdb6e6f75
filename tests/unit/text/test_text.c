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
    text_ascii_slug("Sở TT&TT", slug, sizeof(slug));
    CHECK_STR(slug, "sotttt");
    text_ascii_slug("Quảng Ninh", slug, sizeof(slug));
    CHECK_STR(slug, "quangninh");
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

int main(void)
{
    RUN(valid_utf8);
    RUN(nfc_composes_decomposed_vietnamese);
    RUN(fold_removes_diacritics_and_d);
    RUN(length_and_squeeze);
    RUN(upper_case_lines);
    return CHECK_DONE("test_text");
}
