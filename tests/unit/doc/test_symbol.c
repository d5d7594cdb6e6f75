/* References of issued documents (standards.md §2): the number with its leading zero,
 * the symbol of every §2 type, the reference with the year of a legal normative
 * document, and reading references back. */
#include <stdio.h>
#include <string.h>

#include "../check.h"
#include "doc/doc.h"

TEST(numbers_below_ten_have_a_leading_zero)
{
    char out[16];
    CHECK_INT(doc_number_format(1, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "01");
    CHECK_INT(doc_number_format(9, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "09");
    CHECK_INT(doc_number_format(10, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "10");
    CHECK_INT(doc_number_format(1234, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "1234");
    CHECK(doc_number_valid(out));
    CHECK_INT(doc_number_format(0, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_number_format(-3, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_number_format(DOC_NUMBER_MAX + 1, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_number_format(12, out, 2), RES_TOO_LARGE);
}

/* Every type of the §2 table: "<abbr>-UBND", or "UBND-VP" for the two without one. */
TEST(every_type_has_its_symbol)
{
    char out[64], want[64];
    for (size_t i = 0; i < doc_type_count; i++) {
        const struct doc_type *t = &doc_types[i];
        CHECK_INT(doc_symbol_compose(t->key, "UBND", "VP", out, sizeof(out)), RES_OK);
        if (*t->abbr)
            snprintf(want, sizeof(want), "%s-UBND", t->abbr);
        else
            snprintf(want, sizeof(want), "UBND-VP");
        CHECK_STR(out, want);
        CHECK(doc_symbol_valid(out));
    }
    CHECK_INT(doc_symbol_compose("quyet_dinh", "UBND", NULL, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "QĐ-UBND");
    CHECK_INT(doc_symbol_compose("quy_dinh", "SKHCN", NULL, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "QyĐ-SKHCN");
    CHECK_INT(doc_symbol_compose("cong_van", "SNV", "TCBC", out, sizeof(out)), RES_OK);
    CHECK_STR(out, "SNV-TCBC");
    CHECK_INT(doc_symbol_compose("thu_cong", "UBND", "VP", out, sizeof(out)), RES_OK);
    CHECK_STR(out, "UBND-VP");
}

TEST(bad_parts_are_refused)
{
    char out[64];
    CHECK_INT(doc_symbol_compose("cong_van", "UBND", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("cong_van", "UBND", "", out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("cong_van", "UBND", "V P", out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("quyet_dinh", "", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("quyet_dinh", "UB-ND", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("quyet_dinh", "UBND/", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("quyet dinh", "UBND", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose(NULL, "UBND", NULL, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_symbol_compose("quyet_dinh", "UBND", NULL, out, 5), RES_TOO_LARGE);
}

TEST(references_with_and_without_the_year)
{
    char out[96];
    CHECK_INT(doc_reference_format(7, 2026, "QĐ-UBND", false, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "07/QĐ-UBND");
    CHECK_INT(doc_reference_format(123, 2026, "UBND-VP", false, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "123/UBND-VP");
    CHECK_INT(doc_reference_format(12, 2025, "QĐ-UBND", true, out, sizeof(out)), RES_OK);
    CHECK_STR(out, "12/2025/QĐ-UBND");
    CHECK_INT(doc_reference_format(12, 0, "QĐ-UBND", true, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_reference_format(12, 2025, "QĐ UBND", false, out, sizeof(out)), RES_INVALID);
    CHECK_INT(doc_reference_format(0, 2025, "QĐ-UBND", false, out, sizeof(out)), RES_INVALID);

    struct doc_reference ref;
    CHECK_INT(doc_reference_parse("07/QĐ-UBND", &ref), RES_OK);
    CHECK_STR(ref.number, "07");
    CHECK_INT(ref.year, 0);
    CHECK_STR(ref.symbol, "QĐ-UBND");
    CHECK_INT(doc_reference_parse("12/2025/QĐ-UBND", &ref), RES_OK);
    CHECK_STR(ref.number, "12");
    CHECK_INT(ref.year, 2025);
    CHECK_STR(ref.symbol, "QĐ-UBND");
    /* what a round trip gives back */
    CHECK_INT(doc_reference_format(5, 2026, "KH-UBND", false, out, sizeof(out)), RES_OK);
    CHECK_INT(doc_reference_parse(out, &ref), RES_OK);
    CHECK_STR(ref.number, "05");
    CHECK_STR(ref.symbol, "KH-UBND");
    const char *bad[] = {"",
                         "07",
                         "/QĐ-UBND",
                         "07/",
                         "7a/QĐ-UBND",
                         "00/QĐ-UBND",
                         "12/25/QĐ-UBND",
                         "12/1800/QĐ-UBND",
                         "12/2025/",
                         "12/2025/QĐ UBND",
                         "12/+202/QĐ-UBND",
                         "12345678/QĐ-UBND",
                         "12/2025/2026/QĐ-UBND"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (doc_reference_parse(bad[i], &ref) != RES_INVALID)
            fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
        CHECK_INT(doc_reference_parse(bad[i], &ref), RES_INVALID);
    }
    CHECK_INT(doc_reference_parse(NULL, &ref), RES_INVALID);
}

int main(void)
{
    RUN(numbers_below_ten_have_a_leading_zero);
    RUN(every_type_has_its_symbol);
    RUN(bad_parts_are_refused);
    RUN(references_with_and_without_the_year);
    return CHECK_DONE("test_symbol");
}
