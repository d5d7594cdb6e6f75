/* The name check of person keys (issue 9): the certificate's common name and the
 * account's full name compared NFC, case and diacritics folded (standards.md §11), so a
 * certificate naming someone else is caught and the same name in other forms is not. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/signing_key.h"

TEST(same_person_in_other_forms)
{
    CHECK(signing_key_name_matches("Bùi Văn Long", "Bùi Văn Long"));
    CHECK(signing_key_name_matches("BÙI VĂN LONG", "Bùi Văn Long")); /* case */
    CHECK(signing_key_name_matches("Bui Van Long", "Bùi Văn Long")); /* no diacritics */
    CHECK(signing_key_name_matches("Bu\xcc\x80i Va\xcc\x86n Long", "Bùi Văn Long")); /* NFD */
    CHECK(signing_key_name_matches("  Bùi  Văn Long ", "Bùi Văn Long")); /* white space */
    CHECK(signing_key_name_matches("Đỗ Minh Châu", "do minh chau"));     /* đ */
    /* Folding cannot tell a tone mark apart: the check catches another person, not a
     * misspelt mark ("Lòng" for "Long"). */
    CHECK(signing_key_name_matches("Bùi Văn Lòng", "Bùi Văn Long"));
}

TEST(someone_else_or_nothing)
{
    CHECK(!signing_key_name_matches("Nguyễn Văn An", "Bùi Văn Long")); /* README walkthrough */
    CHECK(!signing_key_name_matches("Bùi Văn", "Bùi Văn Long"));
    CHECK(!signing_key_name_matches("", "Bùi Văn Long"));
    CHECK(!signing_key_name_matches("", ""));
    CHECK(!signing_key_name_matches(NULL, "Bùi Văn Long"));
    CHECK(!signing_key_name_matches("Bùi Văn Long", NULL));
    CHECK(!signing_key_name_matches("\xff\xfe", "Bùi Văn Long")); /* invalid UTF-8 */
}

int main(void)
{
    RUN(same_person_in_other_forms);
    RUN(someone_else_or_nothing);
    return CHECK_DONE("test_signing_key_name");
}
