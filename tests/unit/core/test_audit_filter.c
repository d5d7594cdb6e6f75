/* audit_filter_parse: the one reading of the audit filter for the API and the audit
 * page — the agency rule, inclusive end dates, paging, and field errors with the
 * default filter left in place. */
#include "check.h"
#include "core/audit_filter.h"

static struct actor admin_of(int64_t agency)
{
    struct actor a = {0};
    a.user_id = 7;
    a.agency_id = agency;
    return a;
}

TEST(agency_admin_reads_own_agency_only)
{
    struct actor a = admin_of(3);
    struct audit_filter f;
    struct verrs e = {0};
    CHECK_INT(audit_filter_parse(&a, &(struct audit_query){.agency_id = "9"}, &f, &e), RES_OK);
    CHECK_INT(f.agency_id, 3);
    CHECK_INT(f.limit, 50);
    CHECK_INT(e.count, 0);
}

TEST(sysadmin_reads_everything_or_the_chosen_agency)
{
    struct actor a = admin_of(0);
    a.sysadmin = true;
    struct audit_filter f;
    struct verrs e = {0};
    CHECK_INT(audit_filter_parse(&a, &(struct audit_query){0}, &f, &e), RES_OK);
    CHECK_INT(f.agency_id, 0);
    CHECK_INT(audit_filter_parse(&a, &(struct audit_query){.agency_id = "12"}, &f, &e), RES_OK);
    CHECK_INT(f.agency_id, 12);
    /* not an id: the administrator's own context, as req_target_agency does */
    CHECK_INT(audit_filter_parse(&a, &(struct audit_query){.agency_id = "x"}, &f, &e), RES_OK);
    CHECK_INT(f.agency_id, 0);
}

TEST(dates_and_paging)
{
    struct actor a = admin_of(3);
    struct audit_filter f;
    struct verrs e = {0};
    const struct audit_query q = {.actor = "0012",
                                  .action = "user_lock",
                                  .from = "2026-01-02",
                                  .to = "2026-01-02",
                                  .before = "40"};
    CHECK_INT(audit_filter_parse(&a, &q, &f, &e), RES_OK);
    CHECK_INT(f.from, 1767286800); /* 2026-01-02T00:00 Vietnam time (UTC+7) */
    CHECK_INT(f.to, 1767286800 + 86400);
    CHECK_INT(f.before_id, 40);
    CHECK_STR(f.actor, "0012");
    CHECK_STR(f.action, "user_lock");
    /* empty fields are absent */
    CHECK_INT(
        audit_filter_parse(&a, &(struct audit_query){.from = "", .to = "", .before = ""}, &f, &e),
        RES_OK);
    CHECK_INT(f.from, 0);
    CHECK_INT(f.to, 0);
    CHECK_INT(f.before_id, 0);
}

TEST(bad_fields_reported_and_default_kept)
{
    struct actor a = admin_of(5);
    a.sysadmin = true;
    struct audit_filter f;
    struct verrs e = {0};
    char long_actor[120];
    memset(long_actor, 'a', sizeof(long_actor) - 1);
    long_actor[sizeof(long_actor) - 1] = '\0';
    const struct audit_query q = {.agency_id = "12",
                                  .from = "2026-13-01",
                                  .to = "hôm qua",
                                  .before = "-3",
                                  .actor = long_actor};
    CHECK_INT(audit_filter_parse(&a, &q, &f, &e), RES_INVALID);
    CHECK_INT(e.count, 4);
    CHECK_STR(verrs_get(&e, "from"), "Ngày không hợp lệ (ví dụ 2026-12-02).");
    CHECK_STR(verrs_get(&e, "to"), "Ngày không hợp lệ (ví dụ 2026-12-02).");
    CHECK_STR(verrs_get(&e, "before"), "Vị trí trang không hợp lệ: mở lại trang đầu của nhật ký.");
    CHECK_STR(verrs_get(&e, "actor"), "Người thực hiện quá dài (tối đa 100 ký tự).");
    /* the default filter: everything for a system administrator, newest first */
    CHECK_INT(f.agency_id, 0);
    CHECK_INT(f.from, 0);
    CHECK_INT(f.before_id, 0);
    CHECK(f.actor == NULL);
    CHECK_INT(f.limit, 50);
}

int main(void)
{
    RUN(agency_admin_reads_own_agency_only);
    RUN(sysadmin_reads_everything_or_the_chosen_agency);
    RUN(dates_and_paging);
    RUN(bad_fields_reported_and_default_kept);
    return CHECK_DONE("test_audit_filter");
}
