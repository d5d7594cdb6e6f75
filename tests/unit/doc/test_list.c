/* Views (issue 11, doc/doc_list.c) on a real SQLite database with the demo province:
 * search words fold case and Vietnamese diacritics with NFD equal to NFC (standards.md
 * §11, TCVN 6909); every box follows hand-made doc_participant rows (migration 0009), a
 * unit's rows standing for its leaders as in core/authz.c; urgent documents come first
 * (standards.md §3); keyset paging returns every document exactly once across ties; a bad
 * filter is a field error; counts, tracking and the search backfill job. (The same paths
 * run on PostgreSQL in tests/integration/documents_list.test.mjs, and this file too when
 * QLVB_TEST_PG names a server: app_fixture_open_pg.) */
#include <stdlib.h>
#include <string.h>

#include "app_fixture.h"
#include "check.h"
#include "core/calendar.h"
#include "core/role.h"
#include "db/db.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "jobs/jobs.h"
#include "util/clock.h"
#include "util/str.h"

static char data_dir[64];
static struct app app;
static struct actor clerk, leader, head, specialist, outsider;
static int64_t reg_id;

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< "
                                "/Root 1 0 R >>\n%%EOF\n";

static int64_t one(const char *sql, int64_t arg)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", arg), RES_OK);
    return v;
}

static struct actor member_of(const char *login, unsigned roles)
{
    struct actor a = {0};
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT id FROM app_user WHERE login = '%s' AND $1 = $1", login);
    a.user_id = one(sql, 0);
    a.membership_id = one("SELECT id FROM membership WHERE user_id = $1", a.user_id);
    a.agency_id = one("SELECT agency_id FROM membership WHERE user_id = $1", a.user_id);
    a.department_id =
        one("SELECT COALESCE(department_id, 0) FROM membership WHERE user_id = $1", a.user_id);
    a.roles = roles;
    str_copy(a.login, login, sizeof(a.login));
    str_copy(a.full_name, login, sizeof(a.full_name));
    str_copy(a.client_addr, "test", sizeof(a.client_addr));
    return a;
}

/* Registers an incoming document received `minutes` before now. "Now" is a working
 * afternoon (main), so every such time stays in office hours: a time outside them would
 * be received at the start of the next working period (standards.md §4), and several
 * documents would share that instant and lose the order the boxes are checked in. */
static int64_t reg(const char *number, const char *symbol, const char *subject, const char *urgency,
                   int minutes)
{
    char at[40];
    clock_format_iso(clock_now() - minutes * 60, at, sizeof(at));
    struct doc_incoming_input in = {.register_id = reg_id,
                                    .issuer_code = "000.00.02.H41",
                                    .issuer_name = "Sở Nội vụ",
                                    .number = number,
                                    .symbol = symbol,
                                    .issued_date = "2026-10-01",
                                    .doc_type = "cong_van",
                                    .subject = subject,
                                    .urgency = urgency,
                                    .received_at = at,
                                    .confirm_duplicate = true};
    struct doc_upload f = {.role = "main",
                           .file_name = "cv.pdf",
                           .data = (const unsigned char *)pdf_bytes,
                           .len = sizeof(pdf_bytes) - 1};
    struct verrs e = {0};
    struct doc_registered out = {0};
    CHECK_INT(doc_register_incoming(&app, &clerk, &in, &f, 1, &e, &out), RES_OK);
    return out.id;
}

static void part(int64_t doc, int64_t user, int64_t dept, const char *role, const char *status,
                 int active)
{
    CHECK_INT(db_run(db_conn(app.db),
                     "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                     "department_id, status, active, created_at, done_at) VALUES ($1, 1, $2, $3, "
                     "$4, $5, $6, $7, $8)",
                     "itIItiii", doc, role, user, dept, status, (int64_t)active, clock_now() - 120,
                     clock_now() - 60),
              RES_OK);
    /* as every write that adds rows does (the box to process reads the copy) */
    CHECK_INT(doc_participant_keys(db_conn(app.db), doc), RES_OK);
}

/* The ids of a page, in order, as "id,id,..." */
static json_t *page(const struct actor *a, struct doc_filter *f, char **next)
{
    struct verrs e = {0};
    json_t *list = NULL;
    *next = NULL;
    CHECK_INT(doc_list(&app, a, f, &e, &list, next), RES_OK);
    return list;
}

static int64_t id_at(json_t *list, size_t i)
{
    return json_integer_value(json_object_get(json_array_get(list, i), "id"));
}

/* True when the list is exactly the ids given (0-terminated), in order. */
static bool is(json_t *list, const int64_t *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    bool ok = json_array_size(list) == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = id_at(list, i) == want[i];
    json_decref(list);
    return ok;
}

static json_t *box(const struct actor *a, const char *b)
{
    struct doc_filter f = {.box = b, .urgency = -1, .limit = 100};
    char *next = NULL;
    json_t *l = page(a, &f, &next);
    free(next);
    return l;
}

static json_t *search(const struct actor *a, const char *q)
{
    struct doc_filter f = {.q = q, .urgency = -1, .limit = 100};
    char *next = NULL;
    json_t *l = page(a, &f, &next);
    free(next);
    return l;
}

#define IDS(...) ((const int64_t[]){__VA_ARGS__, 0})
#define NONE     ((const int64_t[]){0})

static int64_t d_qd, d_nfd, d_khan_a, d_khan_b, d_hoatoc, d_info, d_done;

TEST(words_fold_case_diacritics_and_normal_forms)
{
    char w[16][33];
    CHECK_INT(doc_search_words("Đắk Lắk", w, 16), 2);
    CHECK_STR(w[0], "dak");
    CHECK_STR(w[1], "lak");
    /* "định" decomposed (d + U+0323 ... ) gives the same word as precomposed */
    CHECK_INT(doc_search_words("\xc4\x91i\xcc\xa3nh", w, 16), 1);
    CHECK_STR(w[0], "dinh");
    CHECK_INT(doc_search_words("12/QĐ-UBND", w, 16), 3);
    CHECK_STR(w[0], "12");
    CHECK_STR(w[1], "qd");
    CHECK_STR(w[2], "ubnd");
    CHECK_INT(doc_search_words("BÁO CÁO báo cáo, Báo-cáo", w, 16), 2); /* distinct */
    CHECK_INT(doc_search_words("Nghị quyết: ", w, 1), 1);              /* at most max */
    CHECK_INT(doc_search_words("— … !!", w, 16), 0);
    CHECK_INT(doc_search_words(
                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                  w, 16),
              1);
    CHECK_INT((int64_t)strlen(w[0]), 32); /* cut at 32 bytes */
}

TEST(search_finds_folded_words_with_a_prefix_last)
{
    CHECK(is(search(&clerk, "dinh"), IDS(d_nfd, d_qd)));
    CHECK(is(search(&clerk, "Dak Lak"), IDS(d_qd)));
    CHECK(is(search(&clerk, "ĐẮK lắk"), IDS(d_qd)));
    CHECK(is(search(&clerk, "12/QĐ"), IDS(d_qd)));
    CHECK(is(search(&clerk, "12/QĐ-UBND"), IDS(d_qd)));
    CHECK(is(search(&clerk, "\xc4\x91i\xcc\xa3nh ky\xcc\x80"), IDS(d_nfd))); /* NFD "định kỳ" */
    CHECK(is(search(&clerk, "hội ngh"), IDS(d_nfd)));
    CHECK(is(search(&clerk, "ngh hội"), NONE)); /* only the last is a prefix */
    CHECK(is(search(&clerk, "tu khong co"), NONE));
    CHECK(is(search(&outsider, "Dak Lak"), NONE));            /* another agency's clerk */
    CHECK(is(search(&head, "dinh"), NONE));                   /* not on them */
    CHECK(is(search(&specialist, "dinh"), IDS(d_nfd, d_qd))); /* on both */
}

/* Every page of every query below, limit 2, in the three sorts: ids in order. */
static json_t *search_pages(void)
{
    static const char *const qs[] = {"dinh",          "Dak Lak",    "12/QĐ",   "bao cao",
                                     "van ban trung", "trung thoi", "hội ngh", "cao",
                                     "ĐẮK lắk",       "ngh hội",    "tinh"};
    static const char *const sorts[] = {"urgency", "received", "deadline"};
    json_t *all = json_array();
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
        for (int so = 0; so < 3; so++) {
            json_t *ids = json_array();
            char *cursor = NULL, *next = NULL;
            for (int guard = 0; guard < 50; guard++) {
                struct doc_filter f = {
                    .q = qs[i], .sort = sorts[so], .urgency = -1, .limit = 2, .cursor = cursor};
                json_t *p = page(&specialist, &f, &next);
                for (size_t j = 0; j < json_array_size(p); j++)
                    json_array_append_new(ids, json_integer(id_at(p, j)));
                json_decref(p);
                free(cursor);
                cursor = next;
                if (!cursor)
                    break;
            }
            json_array_append_new(all, ids);
        }
    return all;
}

/* A registration's words wait in doc_search_pending (doc_search_index_later) until the
 * job doc.search_index writes them in batches; a search finds the document either way,
 * once, on the same pages: all pending, all indexed, a mix, and a document on both
 * sides (indexed while a search was between its two statements). */
TEST(pending_words_are_found_before_and_after_the_job)
{
    struct db_conn *c = db_conn(app.db);
    int64_t pending = one("SELECT COUNT(*) FROM doc_search_pending WHERE $1 = $1", 0);
    CHECK(pending >= 13); /* the documents registered above */
    CHECK_INT(one("SELECT COUNT(*) FROM doc_search_token WHERE document_id = $1", d_qd), 0);
    CHECK_INT(one("SELECT COUNT(*) FROM job WHERE dedupe_key = 'doc.search_index' AND state = "
                  "'pending' AND $1 = $1",
                  0),
              1); /* one job for them all */
    json_t *before = search_pages();
    CHECK(is(search(&specialist, "Dak Lak"), IDS(d_qd)));
    CHECK(is(search(&clerk, "hội ngh"), IDS(d_nfd)));
    CHECK(is(search(&outsider, "Dak Lak"), NONE));

    struct jobs_options o;
    jobs_options_default(&o);
    struct jobs *q = jobs_new(app.db, &o);
    CHECK_INT(doc_jobs_register(q, &app), RES_OK);
    CHECK_INT(jobs_run_one(q, clock_now() + 5), RES_OK);
    jobs_free(q);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_search_pending WHERE $1 = $1", 0), 0);
    CHECK(one("SELECT COUNT(*) FROM doc_search_token WHERE document_id = $1", d_qd) >= 7);
    json_t *after = search_pages();
    if (!json_equal(before, after)) {
        char *x = json_dumps(before, JSON_COMPACT), *y = json_dumps(after, JSON_COMPACT);
        fprintf(stderr, "pending: %s\nindexed: %s\n", x, y);
        free(x);
        free(y);
    }
    CHECK(json_equal(before, after));

    /* every other document back to pending, and two on both sides */
    int64_t ids[] = {d_qd, d_nfd, d_khan_a, d_khan_b, d_hoatoc, d_info, d_done};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        struct db_stmt *s = NULL;
        CHECK_INT(db_query(c, &s,
                           "SELECT agency_id, urgency, received_at, number, symbol, subject FROM "
                           "document WHERE id = $1",
                           "i", ids[i]),
                  RES_OK);
        CHECK_INT(db_step(s), RES_ROW);
        if (i % 2 == 0 || i == 1)
            CHECK_INT(db_run(c, "DELETE FROM doc_search_token WHERE document_id = $1", "i", ids[i]),
                      RES_OK);
        if (i % 2 == 0 || i == 1 || i == 3)
            CHECK_INT(doc_search_index_later(c, ids[i], db_col_i64(s, 0), db_col_i64(s, 1),
                                             db_col_i64(s, 2), db_col_text(s, 3), db_col_text(s, 4),
                                             db_col_text(s, 5)),
                      RES_OK);
        db_finalize(s);
    }
    json_t *mixed = search_pages();
    CHECK(json_equal(before, mixed));
    /* a re-index (an edit) replaces the pending entry */
    CHECK_INT(doc_search_index(c, d_qd), RES_OK);
    CHECK_INT(one("SELECT COUNT(*) FROM doc_search_pending WHERE document_id = $1", d_qd), 0);
    int64_t n = 0;
    CHECK_INT(doc_search_index_pending(app.db, 1000, &n), RES_OK);
    CHECK_INT(n, 5); /* six back to pending, one re-indexed */
    CHECK_INT(one("SELECT COUNT(*) FROM doc_search_pending WHERE $1 = $1", 0), 0);
    json_t *again = search_pages();
    CHECK(json_equal(before, again));
    json_decref(before);
    json_decref(after);
    json_decref(mixed);
    json_decref(again);
}

/* The three plans of a search (docs/architecture.md) give the same pages: a rare word
 * driving (the default here, every word is rare in a small agency), the postings of the
 * rarest whole word walked in list order, and the list's order walked with probes (cap
 * 0 makes every word "common"). Paging by cursor included. */
TEST(the_search_plans_agree)
{
    static const char *const qs[] = {"dinh",          "Dak Lak",    "12/QĐ",   "bao cao",
                                     "van ban trung", "trung thoi", "hội ngh", "cao"};
    static const char *const sorts[] = {"urgency", "received", "deadline"};
    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
        for (int so = 0; so < 3; so++) {
            json_t *want[2];
            for (int cap = 0; cap < 2; cap++) {
                doc_search_cap = cap ? -1 : 0;
                want[cap] = json_array();
                char *cursor = NULL, *next = NULL;
                for (int guard = 0; guard < 50; guard++) {
                    struct doc_filter f = {
                        .q = qs[i], .sort = sorts[so], .urgency = -1, .limit = 2, .cursor = cursor};
                    json_t *p = page(&clerk, &f, &next);
                    for (size_t j = 0; j < json_array_size(p); j++)
                        json_array_append_new(want[cap], json_integer(id_at(p, j)));
                    json_decref(p);
                    free(cursor);
                    cursor = next;
                    if (!cursor)
                        break;
                }
            }
            if (!json_equal(want[0], want[1]))
                fprintf(stderr, "plans differ for q=%s sort=%s\n", qs[i], sorts[so]);
            CHECK(json_equal(want[0], want[1]));
            CHECK(json_array_size(want[1]) > 0);
            json_decref(want[0]);
            json_decref(want[1]);
        }
    doc_search_cap = -1;
}

TEST(every_box_follows_the_participant_rows)
{
    CHECK(is(box(&specialist, "to_process"), IDS(d_qd)));
    CHECK(is(box(&specialist, "in_progress"), IDS(d_khan_a)));
    CHECK(is(box(&specialist, "done"), IDS(d_done)));
    CHECK(is(box(&specialist, "for_info"), IDS(d_info, d_nfd)));
    CHECK(is(box(&specialist, "overdue"), IDS(d_khan_a)));
    CHECK(is(box(&specialist, "due_soon"), IDS(d_qd)));
    CHECK(is(box(&specialist, "all"), IDS(d_khan_a, d_info, d_nfd, d_qd, d_done)));
    /* the unit's lead row stands for its head, not for its specialist */
    CHECK(is(box(&head, "to_process"), IDS(d_hoatoc)));
    CHECK(is(box(&head, "overdue"), IDS(d_hoatoc)));
    CHECK(is(box(&head, "all"), IDS(d_hoatoc)));
    /* the agency leader: presented to them; overdue over the agency */
    CHECK(is(box(&leader, "to_process"), IDS(d_khan_b)));
    CHECK(is(box(&leader, "overdue"), IDS(d_hoatoc, d_khan_a)));
    /* the clerk: to register and to present, urgent first */
    json_t *l = box(&clerk, "to_process");
    bool has_nfd = false, has_qd = false;
    for (size_t i = 0; i < json_array_size(l); i++) {
        has_nfd |= id_at(l, i) == d_nfd;
        has_qd |= id_at(l, i) == d_qd;
    }
    CHECK(has_nfd && !has_qd);
    json_decref(l);
}

TEST(keyset_paging_returns_every_document_once_across_ties)
{
    static const char *const sorts[] = {"urgency", "received", "deadline"};
    for (int s = 0; s < 3; s++) {
        struct doc_filter all = {.sort = sorts[s], .urgency = -1, .limit = 100};
        char *next = NULL;
        json_t *whole = page(&clerk, &all, &next);
        CHECK(next == NULL);
        size_t n = json_array_size(whole), got = 0;
        CHECK(n >= 12);
        char *cursor = NULL;
        for (int guard = 0; guard < 100; guard++) {
            struct doc_filter f = {.sort = sorts[s], .urgency = -1, .limit = 3, .cursor = cursor};
            json_t *p = page(&clerk, &f, &next);
            for (size_t i = 0; i < json_array_size(p); i++, got++)
                CHECK_INT(id_at(p, i), id_at(whole, got));
            json_decref(p);
            free(cursor);
            cursor = next;
            if (!cursor)
                break;
        }
        CHECK_INT((int64_t)got, (int64_t)n);
        /* the default order: urgency descending, then received descending, then id */
        for (size_t i = 1; s == 0 && i < n; i++) {
            json_t *x = json_array_get(whole, i - 1), *y = json_array_get(whole, i);
            int ux = doc_urgency_parse(json_string_value(json_object_get(x, "urgency")));
            int uy = doc_urgency_parse(json_string_value(json_object_get(y, "urgency")));
            const char *rx = json_string_value(json_object_get(x, "received_at"));
            const char *ry = json_string_value(json_object_get(y, "received_at"));
            CHECK(ux > uy || (ux == uy && strcmp(rx, ry) > 0) ||
                  (ux == uy && !strcmp(rx, ry) && id_at(whole, i - 1) > id_at(whole, i)));
        }
        json_decref(whole);
    }
}

TEST(bad_filters_are_field_errors)
{
    static const struct {
        struct doc_filter f;
        const char *field;
    } bad[] = {
        {{.box = "inbox", .urgency = -1}, "box"},
        {{.sort = "name", .urgency = -1}, "sort"},
        {{.q = "a", .urgency = -1}, "q"},
        {{.q = "!!", .urgency = -1}, "q"},
        {{.q = "a b c d e f g h i", .urgency = -1}, "q"},
        {{.q = "\xff\xfe", .urgency = -1}, "q"},
        {{.cursor = "u.1.2", .urgency = -1}, "cursor"},
        {{.cursor = "u.9.1.1", .urgency = -1}, "cursor"},
        {{.cursor = "u.1.1.1x", .urgency = -1}, "cursor"},
        {{.cursor = "u.1.1.1", .sort = "received", .urgency = -1}, "cursor"},
        {{.cursor = "d.2026-02-30.4", .sort = "deadline", .urgency = -1}, "cursor"},
        {{.doc_type = "thu_tinh", .urgency = -1}, "doc_type"},
        {{.state = "lost", .urgency = -1}, "state"},
        {{.received_from = "2026-13-01", .urgency = -1}, "received_from"},
        {{.received_to = "hôm qua", .urgency = -1}, "received_to"},
        {{.received_from = "2026-11-02", .received_to = "2026-11-01", .urgency = -1},
         "received_to"},
        {{.direction = "sideways", .urgency = -1}, "direction"},
        {{.limit = 101, .urgency = -1}, "limit"},
        {{.year = 1800, .urgency = -1}, "year"},
        {{.urgency = 9}, "urgency"},
        {{.handler = -4, .urgency = -1}, "handler"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct verrs e = {0};
        json_t *list = NULL;
        char *next = NULL;
        CHECK_INT(doc_list(&app, &clerk, &bad[i].f, &e, &list, &next), RES_INVALID);
        CHECK(list == NULL && next == NULL);
        if (!verrs_get(&e, bad[i].field))
            fprintf(stderr, "case %zu: no error on %s\n", i, bad[i].field);
        CHECK(verrs_get(&e, bad[i].field) != NULL);
    }
    /* good ones next to each other */
    struct doc_filter ok = {.q = "12/QĐ",
                            .issuer = "nội vụ",
                            .doc_type = "cong_van",
                            .received_from = "2026-01-01",
                            .received_to = "2026-12-31",
                            .state = "in_progress",
                            .sort = "received",
                            .urgency = -1};
    char *next = NULL;
    CHECK(is(page(&clerk, &ok, &next), IDS(d_qd)));
}

TEST(counts_and_tracking)
{
    json_t *c = NULL;
    CHECK_INT(doc_counts(&app, &specialist, &c), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(c, "to_process")), 1);
    CHECK_INT(json_integer_value(json_object_get(c, "in_progress")), 1);
    CHECK_INT(json_integer_value(json_object_get(c, "done")), 1);
    CHECK_INT(json_integer_value(json_object_get(c, "for_info")), 1); /* d_info was seen */
    CHECK_INT(json_integer_value(json_object_get(c, "overdue")), 1);
    CHECK_INT(json_integer_value(json_object_get(c, "due_soon")), 1);
    CHECK(json_object_get(c, "to_register") == NULL);
    json_decref(c);
    CHECK_INT(doc_counts(&app, &clerk, &c), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(c, "to_present")),
              one("SELECT COUNT(*) FROM document WHERE agency_id = $1 AND state = 'registered'",
                  clerk.agency_id));
    CHECK_INT(json_integer_value(json_object_get(c, "to_register")), 0);
    json_decref(c);

    struct verrs e = {0};
    json_t *t = NULL;
    CHECK_INT(doc_tracking(&app, &specialist, NULL, NULL, &e, &t), RES_FORBIDDEN);
    CHECK_INT(doc_tracking(&app, &clerk, NULL, NULL, &e, &t), RES_FORBIDDEN);
    CHECK_INT(doc_tracking(&app, &leader, "2026-12-01", "2026-11-01", &e, &t), RES_INVALID);
    CHECK(verrs_get(&e, "to") != NULL);
    e = (struct verrs){0};
    CHECK_INT(doc_tracking(&app, &leader, "2026-11-01", "2026-12-31", &e, &t), RES_OK);
    json_t *people = json_object_get(t, "people");
    bool found = false;
    for (size_t i = 0; i < json_array_size(people); i++) {
        json_t *p = json_array_get(people, i);
        if (json_integer_value(json_object_get(p, "user_id")) != specialist.user_id)
            continue;
        found = true;
        CHECK_INT(json_integer_value(json_object_get(p, "in_progress")), 2);
        CHECK_INT(json_integer_value(json_object_get(p, "overdue")), 1);
        CHECK_INT(json_integer_value(json_object_get(p, "due_soon")), 1);
    }
    CHECK(found);
    json_decref(t);
}

TEST(the_backfill_job_indexes_documents_without_words)
{
    struct db_conn *c = db_conn(app.db);
    CHECK_INT(db_run(c, "DELETE FROM doc_search_token WHERE document_id = $1", "i", d_qd), RES_OK);
    CHECK_INT(db_run(c, "UPDATE document SET issuer_folded = NULL WHERE id = $1", "i", d_qd),
              RES_OK);
    CHECK(is(search(&clerk, "Dak Lak"), NONE));
    struct jobs_options o;
    jobs_options_default(&o);
    struct jobs *q = jobs_new(app.db, &o);
    CHECK_INT(doc_jobs_register(q, &app), RES_OK);
    /* queued by migration 0011; run it (again, as a re-run after a crash would) */
    int64_t jid = 0;
    CHECK_INT(jobs_enqueue(c, &(struct jobs_enqueue){.kind = "doc.search_backfill"}, &jid), RES_OK);
    for (int i = 0; i < 10 && jobs_run_one(q, clock_now() + 10) == RES_OK; i++)
        ;
    jobs_free(q);
    CHECK(is(search(&clerk, "Dak Lak"), IDS(d_qd)));
    CHECK_INT(one("SELECT COUNT(*) FROM document WHERE issuer_folded IS NULL AND $1 = $1", 0), 0);
}

/* A person on many rows (more than doc_list_many_rows; 0 here) gets the boxes "all" and
 * "done" by walking the order index with a probe per row instead of listing their
 * documents; the pages are the same. */
static json_t *paged_box(const char *b)
{
    json_t *out = json_array();
    char *cursor = NULL, *next = NULL;
    for (int guard = 0; guard < 20; guard++) {
        struct doc_filter f = {.box = b, .urgency = -1, .limit = 2, .cursor = cursor};
        json_t *p = page(&specialist, &f, &next);
        for (size_t j = 0; j < json_array_size(p); j++)
            json_array_append_new(out, json_integer(id_at(p, j)));
        json_decref(p);
        free(cursor);
        cursor = next;
        if (!cursor)
            break;
    }
    return out;
}

TEST(a_person_on_many_rows_gets_the_same_pages)
{
    static const char *const boxes[] = {"all", "done", "to_process", "for_info"};
    for (int i = 0; i < 4; i++) {
        json_t *few = paged_box(boxes[i]);
        doc_list_many_rows = 0;
        json_t *many = paged_box(boxes[i]);
        doc_list_many_rows = 1000;
        CHECK(json_array_size(few) > 0);
        CHECK(json_equal(few, many));
        json_decref(few);
        json_decref(many);
    }
}

/* The box all of a person on many rows lists exactly what the few-rows plan lists, for
 * every kind of row: their own (each role and status, active or not), their unit's for
 * information (a unit's other rows stand for its leaders only), the documents they
 * registered (created_by), never an outgoing document or another person's; page by page
 * across the keyset. */
TEST(the_all_box_of_a_person_on_many_rows_is_the_same_set)
{
    struct db_conn *c = db_conn(app.db);
    int64_t mine = one("SELECT MIN(id) FROM document WHERE subject = 'Văn bản trùng thời "
                       "điểm' AND $1 = $1",
                       0);
    int64_t unit_info = one("SELECT MAX(id) FROM document WHERE subject = 'Văn bản trùng "
                            "thời điểm' AND $1 = $1",
                            0);
    CHECK_INT(db_run(c, "UPDATE document SET created_by = $1 WHERE id = $2", "ii",
                     specialist.user_id, mine),
              RES_OK);
    part(unit_info, 0, specialist.department_id, "for_info", "pending", 1);
    part(d_khan_b, 0, specialist.department_id, "co_handler", "pending", 1); /* the head's */
    const int64_t *want =
        IDS(d_khan_a, unit_info, d_info, d_nfd, d_qd, d_done, mine); /* urgent, newest first */
    for (int many = 0; many < 2; many++) {
        doc_list_many_rows = many ? 0 : 1000;
        CHECK(is(box(&specialist, "all"), want));
        json_t *paged = paged_box("all");
        size_t n = 0;
        while (want[n])
            n++;
        CHECK_INT((int64_t)json_array_size(paged), (int64_t)n);
        for (size_t i = 0; i < n && i < json_array_size(paged); i++)
            CHECK_INT(json_integer_value(json_array_get(paged, i)), want[i]);
        json_decref(paged);
        /* the other boxes do not change with the plan */
        CHECK(is(box(&specialist, "done"), IDS(d_done)));
        CHECK(is(box(&specialist, "for_info"), IDS(unit_info, d_info, d_nfd)));
    }
    doc_list_many_rows = 1000;
    CHECK_INT(db_run(c,
                     "DELETE FROM doc_participant WHERE document_id IN ($1, $2) AND user_id "
                     "IS NULL",
                     "ii", unit_info, d_khan_b),
              RES_OK);
    CHECK_INT(
        db_run(c, "UPDATE document SET created_by = $1 WHERE id = $2", "ii", clerk.user_id, mine),
        RES_OK);
}

/* Tracking counts every lead row of the agency once: open (in progress, overdue, due
 * soon), done in the period on time or late (after the end of the deadline's Vietnam
 * day), a unit's rows in its department's line with its people's; rows of other roles,
 * withdrawn ones, those done outside the period and another agency's are not counted. */
TEST(tracking_counts_every_lead_state)
{
    struct db_conn *c = db_conn(app.db);
    int64_t now = clock_now(), today = calendar_day_of(now);
    char yesterday[16];
    calendar_format_day(today - 1, yesterday, sizeof(yesterday));
    int64_t late_at = (today - 1 + 1) * 86400 - 7 * 3600; /* the first second after it */
    int64_t ids[4];
    for (int i = 0; i < 4; i++)
        ids[i] = reg("30", "SNV-VP", "Theo dõi xử lý", "thuong", 5 + i);
    for (int i = 0; i < 4; i++)
        CHECK_INT(db_run(c,
                         "UPDATE document SET deadline = $1, state = 'in_progress' WHERE id = $2",
                         "ti", yesterday, ids[i]),
                  RES_OK);
    /* done on time (the last second of the deadline's day), done late, withdrawn, done
     * last year (outside the period); the unit's: done late */
    const struct {
        int doc;
        bool unit;
        const char *role, *status;
        int64_t done_at;
    } rows[] = {
        {0, false, "lead", "done", late_at - 1},   {1, false, "lead", "done", late_at},
        {2, false, "lead", "withdrawn", 0},        {3, false, "lead", "done", now - 400 * 86400},
        {3, false, "co_handler", "done", late_at}, {2, true, "lead", "done", late_at + 60},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        CHECK_INT(db_run(c,
                         "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                         "department_id, status, active, created_at, done_at) VALUES ($1, 1, $2, "
                         "$3, $4, $5, 0, $6, $7)",
                         "itIItiI", ids[rows[i].doc], rows[i].role,
                         rows[i].unit ? 0 : specialist.user_id, specialist.department_id,
                         rows[i].status, now - 500 * 86400, rows[i].done_at),
                  RES_OK);
    /* another agency's document with a lead row of the same person: not counted */
    int64_t other = one("SELECT MIN(id) FROM document WHERE agency_id <> $1", clerk.agency_id);
    CHECK_INT(db_run(c,
                     "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                     "department_id, status, active, created_at) VALUES ($1, 1, 'lead', $2, $3, "
                     "'in_progress', 1, $4)",
                     "iiii", other, specialist.user_id, specialist.department_id, now),
              RES_OK);
    char from[16], to[16];
    calendar_format_day(today - 30, from, sizeof(from));
    calendar_format_day(today, to, sizeof(to));
    struct verrs e = {0};
    json_t *t = NULL;
    CHECK_INT(doc_tracking(&app, &leader, from, to, &e, &t), RES_OK);
    /* the specialist: d_qd (pending, due soon) and d_khan_a (in progress, overdue) from
     * main(); done on time 1, late 1 from here. Their unit: its lead row on d_hoatoc
     * (overdue), its done-late row here, and the specialist's. */
    json_t *people = json_object_get(t, "people"), *deps = json_object_get(t, "departments");
    json_t *p = NULL, *dep = NULL;
    for (size_t i = 0; i < json_array_size(people); i++)
        if (json_integer_value(json_object_get(json_array_get(people, i), "user_id")) ==
            specialist.user_id)
            p = json_array_get(people, i);
    for (size_t i = 0; i < json_array_size(deps); i++)
        if (json_integer_value(json_object_get(json_array_get(deps, i), "department_id")) ==
            specialist.department_id)
            dep = json_array_get(deps, i);
    CHECK(p != NULL && dep != NULL);
    json_t *want_p = json_pack("{s:I, s:s, s:I, s:O, s:i, s:i, s:i, s:i, s:i}", "user_id",
                               (json_int_t)specialist.user_id, "full_name",
                               json_string_value(json_object_get(p, "full_name")), "department_id",
                               (json_int_t)specialist.department_id, "department_name",
                               json_object_get(dep, "department_name"), "in_progress", 2, "overdue",
                               1, "due_soon", 1, "completed_on_time", 1, "completed_late", 1);
    CHECK(json_equal(p, want_p));
    CHECK(json_string_length(json_object_get(p, "full_name")) > 0);
    CHECK(json_string_length(json_object_get(dep, "department_name")) > 0);
    json_t *want_d = json_pack("{s:I, s:O, s:i, s:i, s:i, s:i, s:i}", "department_id",
                               (json_int_t)specialist.department_id, "department_name",
                               json_object_get(dep, "department_name"), "in_progress", 3, "overdue",
                               2, "due_soon", 1, "completed_on_time", 1, "completed_late", 2);
    CHECK(json_equal(dep, want_d));
    json_decref(want_p);
    json_decref(want_d);
    json_decref(t);
    CHECK_INT(db_run(c, "DELETE FROM doc_participant WHERE document_id IN ($1, $2, $3, $4, $5)",
                     "iiiii", ids[0], ids[1], ids[2], ids[3], other),
              RES_OK);
}

/* A lead who is not (or no longer) a member of the agency still has their line and
 * their name: the names are read from the agency's members, then looked up by id. */
TEST(tracking_names_a_lead_outside_the_agency)
{
    struct db_conn *c = db_conn(app.db);
    int64_t now = clock_now();
    int64_t doc = reg("31", "SNV-VP", "Theo dõi người ngoài cơ quan", "thuong", 9);
    CHECK_INT(db_run(c,
                     "INSERT INTO doc_participant (document_id, history_step, role, user_id, "
                     "department_id, status, active, created_at) VALUES ($1, 1, 'lead', $2, $3, "
                     "'in_progress', 1, $4)",
                     "iiii", doc, outsider.user_id, specialist.department_id, now),
              RES_OK);
    struct db_stmt *s = NULL;
    char want[256] = "";
    CHECK_INT(
        db_query(c, &s, "SELECT full_name FROM app_user WHERE id = $1", "i", outsider.user_id),
        RES_OK);
    CHECK_INT(db_step(s), RES_ROW);
    str_copy(want, db_col_text(s, 0), sizeof(want));
    db_finalize(s);
    int64_t member = -1; /* the clerk of another agency: not a member of this one */
    CHECK_INT(db_one_i64(c, &member,
                         "SELECT COUNT(*) FROM membership WHERE user_id = $1 AND agency_id = $2",
                         "ii", outsider.user_id, leader.agency_id),
              RES_OK);
    CHECK_INT(member, 0);
    struct verrs e = {0};
    json_t *t = NULL;
    CHECK_INT(doc_tracking(&app, &leader, NULL, NULL, &e, &t), RES_OK);
    json_t *people = json_object_get(t, "people"), *p = NULL;
    for (size_t i = 0; i < json_array_size(people); i++)
        if (json_integer_value(json_object_get(json_array_get(people, i), "user_id")) ==
            outsider.user_id)
            p = json_array_get(people, i);
    CHECK(p != NULL);
    if (p) {
        CHECK(strlen(want) > 0);
        CHECK_STR(json_string_value(json_object_get(p, "full_name")), want);
        CHECK_INT(json_integer_value(json_object_get(p, "in_progress")), 1);
        CHECK(json_string_length(json_object_get(p, "department_name")) > 0);
    }
    json_decref(t);
    CHECK_INT(db_run(c, "DELETE FROM doc_participant WHERE document_id = $1", "i", doc), RES_OK);
}

/* The ids of the box to process, as the rows say: the actor's pending rows as lead,
 * co-handler or leader, their unit's for a unit leader — on documents where a step is
 * possible (not recalled) — and for a clerk what is to register and to present, and a
 * copy recalled by its sender waiting for the clerk's answer; in the list's order
 * (sort: urgency or received). */
static json_t *to_process_of(const struct actor *a, bool unit_leader, bool clerk_, bool urgency)
{
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT d.id FROM document d WHERE d.agency_id = $1 AND d.direction = 'incoming' "
             "AND ((d.state <> 'recalled' AND d.id IN (SELECT p.document_id FROM doc_participant "
             "p WHERE p.active = 1 AND p.status = 'pending' AND p.role IN ('lead', 'co_handler', "
             "'leader') AND (p.user_id = $2 OR (p.user_id IS NULL AND p.department_id = $3 AND "
             "$4 = 1)))) OR ($5 = 1 AND "
             "(d.state IN ('arrived', 'registered') OR (d.state = 'recalled' AND "
             "d.state_before_recall IS NOT NULL)))) ORDER BY %sd.received_at DESC, d.id DESC",
             urgency ? "d.urgency DESC, " : "");
    struct db_stmt *s = NULL;
    json_t *out = json_array();
    CHECK_INT(db_query(db_conn(app.db), &s, sql, "iiiii", a->agency_id, a->user_id,
                       a->department_id, (int64_t)unit_leader, (int64_t)clerk_),
              RES_OK);
    while (s && db_step(s) == RES_ROW)
        json_array_append_new(out, json_integer(db_col_i64(s, 0)));
    db_finalize(s);
    return out;
}

/* The box to process takes each page from its branches' first rows after the cursor
 * (q_to_process): page by page, by urgency and by date, it is its set in order, each
 * document once — one on two of the actor's rows, or on the clerk's row and to present;
 * with another filter or by deadline, the set as a whole gives the same documents. */
/* Pages through the box to process of a, 1 and 3 (and 7) a page by urgency and by
 * date, against the rows (to_process_of); and the set as a whole. */
static void pages_as_rows(const struct actor *a, bool unit_leader, bool clerk_)
{
    static const char *const sorts[] = {"urgency", "received"};
    for (int so = 0; so < 2; so++) {
        json_t *want = to_process_of(a, unit_leader, clerk_, so == 0);
        CHECK(json_array_size(want) > 0);
        for (int limit = 1; limit <= 7; limit += limit == 1 ? 2 : 4) {
            json_t *got = json_array();
            char *cursor = NULL, *next = NULL;
            for (int guard = 0; guard < 1000; guard++) {
                struct doc_filter f = {.box = "to_process",
                                       .sort = sorts[so],
                                       .urgency = -1,
                                       .limit = limit,
                                       .cursor = cursor};
                json_t *p = page(a, &f, &next);
                for (size_t j = 0; j < json_array_size(p); j++)
                    json_array_append_new(got, json_integer(id_at(p, j)));
                json_decref(p);
                free(cursor);
                cursor = next;
                if (!cursor)
                    break;
            }
            free(cursor);
            if (!json_equal(got, want))
                fprintf(stderr, "to_process of %s by %s, %d a page: not its rows\n", a->login,
                        sorts[so], limit);
            CHECK(json_equal(got, want));
            json_decref(got);
        }
        /* the set as a whole (a filter that keeps every document of the agency) */
        struct doc_filter f = {.box = "to_process",
                               .sort = sorts[so],
                               .urgency = -1,
                               .limit = 100,
                               .received_from = "2000-01-01"};
        char *next = NULL;
        json_t *all = page(a, &f, &next);
        free(next);
        CHECK_INT((int64_t)json_array_size(all), (int64_t)json_array_size(want));
        for (size_t j = 0; j < json_array_size(all) && j < json_array_size(want); j++)
            CHECK_INT(id_at(all, j), json_integer_value(json_array_get(want, j)));
        json_decref(all);
        json_decref(want);
    }
}

TEST(the_box_to_process_pages_as_its_rows)
{
    struct db_conn *c = db_conn(app.db);
    int64_t before = one("SELECT COALESCE(MAX(id), 0) FROM doc_participant WHERE $1 = $1", 0);
    part(d_hoatoc, head.user_id, 0, "co_handler", "pending", 1); /* also the unit's lead row */
    part(d_nfd, clerk.user_id, 0, "co_handler", "pending", 1);   /* also to present */
    part(d_qd, clerk.user_id, 0, "leader", "pending", 1);
    part(d_khan_a, clerk.user_id, 0, "co_handler", "in_progress", 1); /* started: not */
    part(d_done, specialist.user_id, specialist.department_id, "co_handler", "pending", 1);
    /* a copy recalled by its sender, waiting for the clerk's answer, is theirs to
     * process; one whose recall was answered is not */
    CHECK_INT(db_run(c,
                     "UPDATE document SET state = 'recalled', state_before_recall = 'in_progress' "
                     "WHERE id = $1",
                     "i", d_info),
              RES_OK);
    CHECK_INT(db_run(c, "UPDATE document SET state = 'recalled' WHERE id = $1", "i", d_done),
              RES_OK);
    json_t *want = to_process_of(&clerk, false, true, true), *counts = NULL;
    bool has_info = false, has_done = false;
    for (size_t i = 0; i < json_array_size(want); i++) {
        has_info |= json_integer_value(json_array_get(want, i)) == d_info;
        has_done |= json_integer_value(json_array_get(want, i)) == d_done;
    }
    CHECK(has_info && !has_done);
    CHECK_INT(doc_counts(&app, &clerk, &counts), RES_OK); /* the home page's number */
    CHECK_INT(json_integer_value(json_object_get(counts, "to_process")),
              (int64_t)json_array_size(want));
    json_decref(counts);
    json_decref(want);
    /* ... but not its handlers': their rows stay, no step is possible until the recall
     * is refused (the specialist's pending row on d_info; on d_done, answered, neither) */
    part(d_info, specialist.user_id, specialist.department_id, "lead", "pending", 1);
    part(d_info, 0, head.department_id, "lead", "pending", 1); /* the unit's, for the head */
    int64_t spec_before = 0;
    {
        json_t *sp = box(&specialist, "to_process");
        for (size_t i = 0; i < json_array_size(sp); i++) {
            CHECK(id_at(sp, i) != d_info && id_at(sp, i) != d_done);
            spec_before++;
        }
        json_decref(sp);
        json_t *hp = box(&head, "to_process");
        for (size_t i = 0; i < json_array_size(hp); i++)
            CHECK(id_at(hp, i) != d_info);
        json_decref(hp);
    }
    CHECK_INT(doc_counts(&app, &specialist, &counts), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(counts, "to_process")), spec_before);
    json_decref(counts);
    pages_as_rows(&clerk, false, true);
    pages_as_rows(&head, true, false);
    pages_as_rows(&leader, false, false);
    pages_as_rows(&specialist, false, false);
    CHECK_INT(db_run(c,
                     "UPDATE document SET state = 'presented', state_before_recall = NULL WHERE "
                     "id IN ($1, $2)",
                     "ii", d_info, d_done),
              RES_OK);
    CHECK_INT(db_run(c, "DELETE FROM doc_participant WHERE id > $1", "i", before), RES_OK);
}

/* A leader with rows on every document (the box of 12 000 at 1M documents: its pages
 * come from doc_participant_pending_urgent/_received, one cut branch per role, with the
 * sort key copied on the row): pending as leader on every incoming document of the
 * agency, urgencies and ties included, also as lead or co-handler on some (the same
 * document from two branches), two pending leader rows on one document (a branch cut at
 * the page counts it once), rows that are not pending (done, inactive, in progress), and
 * one on an outgoing document (not in the incoming box). The clerk likewise, next to the
 * states to register and to present. */
TEST(the_box_to_process_of_a_leader_on_many_rows)
{
    struct db_conn *c = db_conn(app.db);
    int64_t before = one("SELECT COALESCE(MAX(id), 0) FROM doc_participant WHERE $1 = $1", 0);
    struct db_stmt *s = NULL;
    int64_t ids[400];
    size_t n = 0;
    CHECK_INT(db_query(c, &s,
                       "SELECT id FROM document WHERE agency_id = $1 AND direction = 'incoming' "
                       "ORDER BY id",
                       "i", leader.agency_id),
              RES_OK);
    while (s && n < 400 && db_step(s) == RES_ROW)
        ids[n++] = db_col_i64(s, 0);
    db_finalize(s);
    CHECK(n >= 12);
    for (size_t i = 0; i < n; i++) {
        part(ids[i], leader.user_id, 0, "leader", i % 7 == 3 ? "done" : "pending", 1);
        if (i % 3 == 0)
            part(ids[i], leader.user_id, 0, i % 2 ? "lead" : "co_handler", "pending", 1);
        if (i % 5 == 1)
            part(ids[i], leader.user_id, 0, "leader", "pending", 0); /* not in force */
        if (i % 4 == 2)
            part(ids[i], clerk.user_id, 0, i % 8 == 2 ? "leader" : "lead", "pending", 1);
        if (i % 6 == 4)
            part(ids[i], clerk.user_id, 0, "co_handler", "in_progress", 1); /* started */
    }
    part(ids[n / 2], leader.user_id, 0, "leader", "pending", 1); /* a second one */
    part(ids[n / 2 + 1], leader.user_id, 0, "leader", "pending", 1);
    int64_t out = one("SELECT COALESCE(MAX(id), 0) FROM document WHERE agency_id = $1 AND "
                      "direction = 'outgoing'",
                      leader.agency_id);
    if (out)
        part(out, leader.user_id, 0, "leader", "pending", 1);
    pages_as_rows(&leader, false, false);
    pages_as_rows(&clerk, false, true);
    /* the home page's number is the same set */
    json_t *counts = NULL;
    CHECK_INT(doc_counts(&app, &leader, &counts), RES_OK);
    json_t *want = to_process_of(&leader, false, false, true);
    CHECK_INT(json_integer_value(json_object_get(counts, "to_process")),
              (int64_t)json_array_size(want));
    json_decref(want);
    json_decref(counts);
    CHECK_INT(db_run(c, "DELETE FROM doc_participant WHERE id > $1", "i", before), RES_OK);
}

/* Wednesday 18 November 2026, 16:30 Vietnam time: a working day, with 3 hours of the
 * afternoon period before it (13:30-17:00), whatever day and hour the test runs. */
#define TEST_NOW 1794994200

int main(void)
{
    struct actor sys;
    clock_set_offset(TEST_NOW - clock_now());
    if (app_fixture_open_pg(&app, &sys, data_dir, sizeof(data_dir), "list", true) != 0 ||
        doc_demo_seed(&app) != RES_OK)
        return 2;
    /* The boxes below are made of hand-made participant rows: the demo's own workflow
     * (its documents presented, assigned, in progress) and its deliveries waiting as
     * `arrived` would stand in every box, so they are taken back to plain registered
     * documents first. */
    struct db_conn *dc = db_conn(app.db);
    /* the jobs the seed queued first (the words of its registrations, the backfill), so
     * that they do not index the documents taken out of the searches below */
    struct jobs_options jo;
    jobs_options_default(&jo);
    struct jobs *jq = jobs_new(app.db, &jo);
    if (!jq || doc_jobs_register(jq, &app) != RES_OK)
        return 2;
    while (jobs_run_one(jq, clock_now() + 10) == RES_OK)
        ;
    jobs_free(jq);
    if (db_run(dc, "DELETE FROM doc_participant", "") != RES_OK ||
        db_run(dc,
               "UPDATE document SET state = 'registered', deadline = NULL, completed_at = NULL "
               "WHERE direction = 'incoming' AND state <> 'arrived'",
               "") != RES_OK ||
        db_run(dc,
               "DELETE FROM doc_search_token WHERE document_id IN (SELECT id FROM document "
               "WHERE state = 'arrived')",
               "") != RES_OK ||
        db_run(dc,
               "DELETE FROM doc_search_pending WHERE document_id IN (SELECT id FROM document "
               "WHERE state = 'arrived')",
               "") != RES_OK ||
        db_run(dc, "UPDATE document SET state = 'refused' WHERE state = 'arrived'", "") != RES_OK)
        return 2;
    clerk = member_of("040090000143", ROLE_CLERK);
    leader = member_of("040090000142", ROLE_AGENCY_LEADER);
    head = member_of("040090000144", ROLE_DEPARTMENT_LEADER);
    specialist = member_of("040090000145", ROLE_SPECIALIST);
    outsider = member_of("040090000302", ROLE_CLERK);
    reg_id = one("SELECT id FROM doc_register WHERE agency_id = $1", clerk.agency_id);

    d_qd = reg("12", "QĐ-UBND", "Quyết định phê duyệt kế hoạch tỉnh Đắk Lắk", "thuong", 50);
    d_nfd = reg("8", "SNV-VP",
                "V\xe1\xbb\x81 vi\xe1\xbb\x87"
                "c t\xe1\xbb\x95 ch\xe1\xbb\xa9"
                "c h\xe1\xbb\x99i ngh\xe1\xbb\x8b \xc4\x91i\xcc\xa3nh ky\xcc\x80",
                "thuong", 40);
    d_khan_a = reg("9", "SNV-VP", "Báo cáo tình hình", "khan", 30);
    d_khan_b = reg("10", "SNV-VP", "Báo cáo kết quả", "khan", 30); /* same second */
    d_hoatoc = reg("7", "SNV-VP", "Công văn phòng chống bão", "hoa_toc", 90);
    d_info = reg("11", "SNV-VP", "Thông báo lịch tiếp công dân", "thuong", 10);
    d_done = reg("13", "SNV-VP", "Giấy mời dự tổng kết", "thuong", 60);
    for (int i = 0; i < 6; i++) /* ties: same urgency and second */
        reg("20", "SNV-VP", "Văn bản trùng thời điểm", i % 2 ? "khan" : "thuong", 100);

    part(d_qd, specialist.user_id, specialist.department_id, "lead", "pending", 1);
    part(d_nfd, specialist.user_id, specialist.department_id, "for_info", "pending", 1);
    part(d_khan_a, specialist.user_id, specialist.department_id, "lead", "in_progress", 1);
    part(d_khan_b, leader.user_id, 0, "leader", "pending", 1);
    part(d_hoatoc, 0, head.department_id, "lead", "pending", 1);
    part(d_info, specialist.user_id, specialist.department_id, "for_info", "pending", 1);
    part(d_done, specialist.user_id, specialist.department_id, "co_handler", "done", 0);
    struct db_conn *c = db_conn(app.db);
    db_run(c, "UPDATE doc_participant SET seen_at = 5 WHERE document_id = $1", "i", d_info);
    db_run(c, "UPDATE document SET state = 'in_progress' WHERE id IN ($1, $2, $3)", "iii", d_qd,
           d_khan_a, d_hoatoc);
    db_run(c, "UPDATE document SET state = 'presented' WHERE id IN ($1, $2, $3)", "iii", d_khan_b,
           d_done, d_info);
    char day[16];
    int64_t today = calendar_day_of(clock_now());
    calendar_format_day(today - 1, day, sizeof(day));
    db_run(c, "UPDATE document SET deadline = $1 WHERE id = $2", "ti", day, d_khan_a);
    calendar_format_day(today - 3, day, sizeof(day));
    db_run(c, "UPDATE document SET deadline = $1 WHERE id = $2", "ti", day, d_hoatoc);
    calendar_format_day(today + 1, day, sizeof(day));
    db_run(c, "UPDATE document SET deadline = $1 WHERE id = $2", "ti", day, d_qd);

    RUN(words_fold_case_diacritics_and_normal_forms);
    RUN(search_finds_folded_words_with_a_prefix_last); /* their words pending */
    RUN(pending_words_are_found_before_and_after_the_job);
    RUN(search_finds_folded_words_with_a_prefix_last); /* indexed */
    RUN(the_search_plans_agree);
    RUN(every_box_follows_the_participant_rows);
    RUN(keyset_paging_returns_every_document_once_across_ties);
    RUN(bad_filters_are_field_errors);
    RUN(counts_and_tracking);
    RUN(the_backfill_job_indexes_documents_without_words);
    RUN(a_person_on_many_rows_gets_the_same_pages);
    RUN(the_all_box_of_a_person_on_many_rows_is_the_same_set);
    RUN(tracking_counts_every_lead_state);
    RUN(tracking_names_a_lead_outside_the_agency);
    RUN(the_box_to_process_pages_as_its_rows);
    RUN(the_box_to_process_of_a_leader_on_many_rows);
    blob_close(app.blobs);
    db_close(app.db);
    app_fixture_drop_pg();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_list");
}
