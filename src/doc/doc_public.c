/* Drafts for public comment (issue 12 "Drafts for public comment", Khánh Hòa Điều 9): the
 * drafter (or an agency leader) publishes an outgoing draft on a public page of the
 * installation — its subject, summary, the PDF of the version published, a deadline —
 * where anyone may comment until the deadline; the comments are kept with the draft and
 * shown to the drafter, reviewers, signer and leaders.
 *
 * What the public reaches is the consultation row only, by an unguessable slug (128
 * random bits), never a document id: the policy's AZ_OBJ_PUBLIC object (core/authz.c)
 * carries nothing but whether it is open. A slug that does not exist, is malformed, or
 * belongs to another agency than the host name's answers RES_NOT_FOUND, exactly alike.
 * The page is open while state = 'open' and now < deadline: it closes itself at the
 * deadline by the clock (no job), or earlier when the drafter closes it.
 *
 * Writes: publish and close are workflow steps (doc_authorize, one tx_run with a
 * doc_history row and an audit row); a comment is a tx_run with an audit row whose actor
 * is the anonymous visitor (actor_id 0, the client address), as a failed login's. Limits:
 * DOC_PUBLIC_COMMENT_MAX characters, cfg.public_comments_per_hour comments per client
 * address (an IPv6 address by its /64) in any hour, cfg.public_comments_max per draft,
 * DOC_PUBLIC_MAX_LINKS links, the same comment from one address once.
 *
 * Rounds: each doc_consultation row is one round of a draft (round_no 1, 2, …). A
 * drafter who revises the draft after a round publishes the next one — a newer PDF
 * version, a new deadline, a new slug — once no round is open (checked with the document
 * row locked, so two publishers cannot both open one); at most DOC_PUBLIC_ROUNDS_MAX.
 * Earlier rounds keep their page (read only), their file and their comments; a round's
 * public page links to the draft's other rounds. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob/blob.h"
#include "core/tx.h"
#include "core/validate.h"
#include "db/db.h"
#include "db/db_json.h"
#include "doc/doc.h"
#include "doc/doc_internal.h"
#include "text/text.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/rand.h"
#include "util/str.h"

#define HOUR 3600

/* ---- input checks (exposed for the unit tests) ---- */

bool doc_public_slug_valid(const char *s)
{
    if (!s || strlen(s) != DOC_PUBLIC_SLUG_LEN)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

bool doc_public_is_open(const char *state, int64_t deadline, int64_t now)
{
    return state && !strcmp(state, "open") && now < deadline;
}

static bool starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (!*s || (*s | 0x20) != *prefix)
            return false;
    return true;
}

int doc_public_links(const char *s)
{
    int n = 0;
    for (const char *p = s; p && *p; p++) {
        if (starts_ci(p, "http://") || starts_ci(p, "https://") || starts_ci(p, "ftp://")) {
            n++;
            p = strstr(p, "://") + 2;
        } else if (starts_ci(p, "www.") && (p == s || (p[-1] != '/' && p[-1] != '.'))) {
            n++;
            p += 3;
        }
    }
    return n;
}

void doc_public_client_key(const char *addr, char *out, size_t size)
{
    unsigned char a6[16];
    if (addr && strchr(addr, ':') && inet_pton(AF_INET6, addr, a6) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        char text[INET6_ADDRSTRLEN];
        if (!memcmp(a6, mapped, sizeof(mapped))) { /* ::ffff:a.b.c.d is the IPv4 client */
            inet_ntop(AF_INET, a6 + 12, text, sizeof(text));
            str_copy(out, text, size);
            return;
        }
        /* One household or office holds a whole /64: counting addresses inside it would
         * let one client take as many as it likes. */
        memset(a6 + 8, 0, 8);
        inet_ntop(AF_INET6, a6, text, sizeof(text));
        snprintf(out, size, "%s/64", text);
        return;
    }
    str_copy(out, addr && *addr ? addr : "unknown", size);
}

char *doc_public_text_clean(const char *in, const char *field, const char *label, bool required,
                            size_t max_chars, struct verrs *e)
{
    if (!in)
        in = "";
    enum text_unsafe bad = text_unsafe_char(in);
    if (bad != TEXT_SAFE) {
        verrs_add(e, field,
                  bad == TEXT_CONTROL ? "Ô “%s” chứa ký tự điều khiển (không in được)."
                                      : "Ô “%s” chứa ký tự đổi chiều văn bản (như U+202E).",
                  label);
        return NULL;
    }
    char *s = text_nfc(in);
    if (!s) {
        verrs_add(e, field, "Ô “%s” chứa ký tự không hợp lệ (không phải UTF-8).", label);
        return NULL;
    }
    /* Lines kept; CR LF and CR become LF, tabs spaces, trailing spaces and runs of more
     * than one empty line dropped, both ends trimmed. */
    char *w = s;
    int newlines = 0;
    for (const char *r = s; *r; r++) {
        char ch = *r == '\t' ? ' ' : *r;
        if (ch == '\r') {
            if (r[1] == '\n')
                continue;
            ch = '\n';
        }
        if (ch == '\n') {
            while (w > s && w[-1] == ' ')
                w--;
            if (w == s || ++newlines > 2)
                continue;
        } else if (ch == ' ' && (w == s || w[-1] == '\n')) {
            if (w == s)
                continue; /* leading spaces; indentation inside is kept */
        } else {
            newlines = 0;
        }
        *w++ = ch;
    }
    while (w > s && (w[-1] == ' ' || w[-1] == '\n'))
        w--;
    *w = '\0';
    if (required && !*s) {
        verrs_add(e, field, "Vui lòng nhập %s.", label);
        free(s);
        return NULL;
    }
    long n = text_length(s);
    if (n < 0 || (size_t)n > max_chars) {
        char g1[STR_GROUP_MAX], g2[STR_GROUP_MAX];
        verrs_add(e, field, "Ô “%s” không được dài quá %s ký tự (hiện có %s).", label,
                  str_group_vn((int64_t)max_chars, g1, sizeof(g1)),
                  str_group_vn(n, g2, sizeof(g2)));
        free(s);
        return NULL;
    }
    return s;
}

/* "YYYY-MM-DD" = to the end of that Vietnam day; or an ISO 8601 instant. */
static bool deadline_parse(const char *s, int64_t now, struct verrs *e, int64_t *out)
{
    int64_t t = 0;
    if (str_is_empty(s)) {
        verrs_add(e, "deadline", "Vui lòng nhập hạn góp ý.");
        return false;
    }
    if (strlen(s) == 10 && clock_parse_date(s, &t) == 0)
        t += 86400;
    else if (clock_parse_instant(s, &t) != 0) {
        verrs_add(e, "deadline", "Hạn góp ý “%s” không hợp lệ: nhập ngày (dd/mm/yyyy).",
                  DOC_CUT(s, 40));
        return false;
    }
    if (t <= now) {
        verrs_add(e, "deadline", "Hạn góp ý phải sau thời điểm hiện tại.");
        return false;
    }
    if (t > now + (int64_t)DOC_PUBLIC_MAX_DAYS * 86400) {
        verrs_add(e, "deadline", "Hạn góp ý không được quá %d ngày kể từ hôm nay.",
                  DOC_PUBLIC_MAX_DAYS);
        return false;
    }
    *out = t;
    return true;
}

/* ---- the consultation as JSON ---- */

static void set_time(json_t *o, const char *key, struct db_stmt *s, int col)
{
    char k[48], iso[40], vn[48];
    snprintf(k, sizeof(k), "%s_vn", key);
    if (db_col_null(s, col)) {
        json_object_set_new(o, key, json_null());
        return;
    }
    int64_t t = db_col_i64(s, col);
    clock_format_iso(t, iso, sizeof(iso));
    if ((t + VN_UTC_OFFSET) % 86400 == 0) { /* a deadline "to the end of the day" */
        char day[16];
        clock_format_vn_date(t - 1, day, sizeof(day));
        snprintf(vn, sizeof(vn), "hết ngày %s", day);
    } else {
        clock_format_vn(t, vn, sizeof(vn));
    }
    json_object_set_new(o, key, json_string(iso));
    json_object_set_new(o, k, json_string(vn));
}

/* The drafter side's columns, in consultation_json's order. */
#define CONSULT_COLUMNS                                                                      \
    "c.id, c.slug, c.state, c.deadline, c.published_at, pu.full_name, c.closed_at, "         \
    "cu.full_name, c.comment_count, c.subject, c.summary, f.version, c.file_id, c.round_no " \
    "FROM doc_consultation c JOIN app_user pu ON pu.id = c.published_by LEFT JOIN app_user " \
    "cu ON cu.id = c.closed_by LEFT JOIN doc_file f ON f.id = c.file_id"

/* A round's "state" — open | closed (by someone) | expired (the deadline passed) — and
 * "is_open" from its row's state and deadline; with a slug, "slug" and "url" (its public
 * page). */
static void set_round(json_t *o, const char *slug, const char *state, int64_t deadline, int64_t now)
{
    bool open = doc_public_is_open(state, deadline, now);
    if (slug) {
        char url[80];
        snprintf(url, sizeof(url), "/public/consultations/%s", slug);
        json_object_set_new(o, "slug", json_string(slug));
        json_object_set_new(o, "url", json_string(url));
    }
    json_object_set_new(o, "state",
                        json_string(open                     ? "open"
                                    : !strcmp(state, "open") ? "expired"
                                                             : "closed"));
    json_object_set_new(o, "is_open", json_boolean(open));
}

static json_t *consultation_json(struct app *app, struct db_stmt *s, int64_t now)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_col_i64(s, 0)));
    set_round(o, db_col_text(s, 1), db_col_text(s, 2), db_col_i64(s, 3), now);
    set_time(o, "deadline", s, 3);
    set_time(o, "published_at", s, 4);
    json_object_set_new(o, "published_by", json_string(db_col_text(s, 5)));
    set_time(o, "closed_at", s, 6);
    json_object_set_new(o, "closed_by",
                        db_col_null(s, 7) ? json_null() : json_string(db_col_text(s, 7)));
    json_object_set_new(o, "comment_count", json_integer(db_col_i64(s, 8)));
    json_object_set_new(o, "max_comments", json_integer(app->cfg.public_comments_max));
    json_object_set_new(o, "subject", json_string(db_col_text(s, 9)));
    json_object_set_new(o, "summary", json_string(db_col_text(s, 10)));
    json_object_set_new(o, "file_version",
                        db_col_null(s, 11) ? json_null() : json_integer(db_col_i64(s, 11)));
    json_object_set_new(o, "file_id", json_integer(db_col_i64(s, 12)));
    json_object_set_new(o, "round", json_integer(db_col_i64(s, 13)));
    return o;
}

/* Comments of consultation cid, newest first, ids below `before` (0 = newest), at most
 * limit; *more when there are older ones. */
static result_t comments_json(struct db_conn *c, int64_t cid, int64_t before, int limit,
                              json_t **out, bool *more)
{
    struct db_stmt *s = NULL;
    json_t *rows = json_array();
    *out = NULL;
    *more = false;
    result_t r = db_query(c, &s,
                          "SELECT id, name, organisation, email, body, created_at FROM "
                          "doc_public_comment WHERE consultation_id = $1 AND ($2 = 0 OR id < $2) "
                          "ORDER BY id DESC LIMIT $3",
                          "iii", cid, before, (int64_t)limit + 1);
    if (r != RES_OK) {
        json_decref(rows);
        return r;
    }
    while ((r = db_step(s)) == RES_ROW) {
        if ((int)json_array_size(rows) == limit) {
            *more = true;
            continue;
        }
        json_t *o = db_row_json(s, "id:i,name:t,organisation:t,email:t,body:t");
        set_time(o, "created_at", s, 5);
        json_array_append_new(rows, o);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rows);
        return r;
    }
    *out = rows;
    return RES_OK;
}

/* What the actor may do about public comment on document id (object loaded once). */
struct rights {
    bool consult, read;
};

static result_t rights_of(struct db_conn *c, const struct actor *a, int64_t id, struct rights *rt)
{
    struct authz_object o;
    struct authz_participant parts[DOC_MAX_PARTS];
    result_t r = doc_object_load(c, id, &o, parts);
    if (r != RES_OK)
        return r;
    if ((r = authz_check_object(a, AZ_DOC_READ, &o)) != RES_OK)
        return r;
    rt->consult = authz_check_object(a, AZ_DOC_CONSULT, &o) == RES_OK;
    rt->read = authz_check_object(a, AZ_DOC_CONSULT_READ, &o) == RES_OK;
    return RES_OK;
}

static bool publishable_state(const char *state)
{
    return state &&
           (!strcmp(state, "draft") || !strcmp(state, "reviewing") || !strcmp(state, "approved"));
}

#define PANEL_COMMENTS 50

/* The rounds of draft id, newest first (at most DOC_PUBLIC_ROUNDS_MAX), as
 * consultation_json; with the newest PANEL_COMMENTS comments of each when `comments`. */
static result_t rounds_json(struct app *app, struct db_conn *c, int64_t id, bool comments,
                            int64_t now, json_t **out)
{
    *out = NULL;
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "SELECT " CONSULT_COLUMNS
                          " WHERE c.document_id = $1 ORDER BY c.round_no DESC LIMIT $2",
                          "ii", id, (int64_t)DOC_PUBLIC_ROUNDS_MAX);
    if (r != RES_OK)
        return r;
    json_t *rounds = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *o = consultation_json(app, s, now);
        json_object_set_new(o, "is_current", json_boolean(json_array_size(rounds) == 0));
        json_array_append_new(rounds, o);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rounds);
        return r;
    }
    size_t i;
    json_t *o;
    json_array_foreach(rounds, i, o)
    {
        if (!comments)
            break;
        json_t *rows = NULL;
        bool more = false;
        if ((r = comments_json(c, json_integer_value(json_object_get(o, "id")), 0, PANEL_COMMENTS,
                               &rows, &more)) != RES_OK) {
            json_decref(rounds);
            return r;
        }
        json_object_set_new(o, "comments", rows);
        json_object_set_new(o, "comments_more", json_boolean(more));
    }
    *out = rounds;
    return RES_OK;
}

/* The newest main file of draft id if it is a PDF (0 otherwise): what a round publishes. */
static result_t newest_pdf(struct db_conn *c, int64_t id, int64_t *file_id, int64_t *version)
{
    struct db_stmt *s = NULL;
    *file_id = *version = 0;
    result_t r = db_query(c, &s,
                          "SELECT id, format, version FROM doc_file WHERE document_id = $1 AND "
                          "role = 'main' ORDER BY version DESC, id DESC LIMIT 1",
                          "i", id);
    if (r != RES_OK)
        return r;
    if ((r = db_step(s)) == RES_ROW && !strcmp(db_col_text(s, 1), "pdf")) {
        *file_id = db_col_i64(s, 0);
        *version = db_col_i64(s, 2);
    }
    db_finalize(s);
    return r == RES_ROW || r == RES_DONE ? RES_OK : r;
}

result_t doc_public_json(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                         json_t *doc)
{
    const char *dir = json_string_value(json_object_get(doc, "direction"));
    if (!dir || strcmp(dir, "outgoing"))
        return RES_OK;
    struct rights rt = {0};
    result_t r = rights_of(c, a, id, &rt);
    if (r != RES_OK)
        return r;
    if (!rt.consult && !rt.read)
        return RES_OK; /* clerks and others: no panel */
    json_t *rounds = NULL;
    if ((r = rounds_json(app, c, id, rt.read, clock_now(), &rounds)) != RES_OK)
        return r;
    int64_t pdf = 0, version = 0;
    if ((r = newest_pdf(c, id, &pdf, &version)) != RES_OK) {
        json_decref(rounds);
        return r;
    }
    json_t *cur = json_array_get(rounds, 0); /* the newest round */
    bool open = cur && json_is_true(json_object_get(cur, "is_open"));
    bool same = cur && json_integer_value(json_object_get(cur, "file_id")) == pdf;
    bool full = json_array_size(rounds) >= DOC_PUBLIC_ROUNDS_MAX;
    const char *state = json_string_value(json_object_get(doc, "state"));
    bool may = rt.consult && publishable_state(state) && !open && !full;
    json_t *pc = json_object();
    json_object_set_new(pc, "can_publish", json_boolean(may && pdf && !same));
    /* Why a drafter cannot publish the next round yet: the round's version again. */
    json_object_set_new(pc, "needs_new_version", json_boolean(may && cur && same));
    json_object_set_new(pc, "can_read", json_boolean(rt.read));
    json_object_set_new(pc, "can_close", json_boolean(rt.consult && open));
    json_object_set_new(pc, "next_round", json_integer((json_int_t)json_array_size(rounds) + 1));
    json_object_set_new(
        pc, "earlier_rounds",
        json_integer(cur ? (json_int_t)json_array_size(rounds) - 1 : 0)); /* before the newest */
    json_object_set_new(pc, "consultation", cur ? json_incref(cur) : json_null());
    json_object_set_new(pc, "rounds", rounds);
    json_object_set_new(doc, "public_comment", pc);
    return RES_OK;
}

result_t doc_public_get(struct app *app, const struct actor *a, int64_t id, int round,
                        int64_t before, int limit, json_t **out)
{
    *out = NULL;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r == RES_OK)
        r = doc_authorize(c, a, AZ_DOC_CONSULT_READ, id);
    if (r != RES_OK)
        return r;
    if (limit < 1 || limit > DOC_LIST_MAX)
        limit = 50;
    /* The round asked for (0 = the newest), and every round without comments. */
    int64_t now = clock_now();
    json_t *rounds = NULL, *cons = NULL, *o;
    if ((r = rounds_json(app, c, id, false, now, &rounds)) != RES_OK)
        return r;
    size_t i;
    json_array_foreach(rounds, i, o)
    {
        if (!cons && (round == 0 || json_integer_value(json_object_get(o, "round")) == round))
            cons = json_deep_copy(o);
    }
    if (!cons) {
        json_decref(rounds);
        return RES_NOT_FOUND;
    }
    json_object_set_new(cons, "rounds", rounds);
    json_t *rows = NULL;
    bool more = false;
    r = comments_json(c, json_integer_value(json_object_get(cons, "id")), before, limit, &rows,
                      &more);
    if (r != RES_OK) {
        json_decref(cons);
        return r;
    }
    size_t n = json_array_size(rows);
    json_object_set_new(cons, "next_before",
                        more && n ? json_integer(json_integer_value(
                                        json_object_get(json_array_get(rows, n - 1), "id")))
                                  : json_null());
    json_object_set_new(cons, "comments", rows);
    *out = cons;
    return RES_OK;
}

/* ---- publish and close (the drafter side) ---- */

struct publish_w {
    const struct actor *a;
    int64_t id, deadline, now;
    const char *summary; /* cleaned; NULL = the draft's own */
    const char *slug;
    /* out */
    bool not_outgoing, no_pdf, same_version, full;
    int64_t open_round, round;
    char state[16];
};

/* Locks the document row (its history steps are ordered by it) and reads it. */
static result_t lock_document(struct db_conn *c, int64_t id, int64_t now, char *state,
                              size_t state_size, char *direction, size_t dir_size, int64_t *agency)
{
    struct db_stmt *s = NULL;
    result_t r = db_query(c, &s,
                          "UPDATE document SET updated_at = $2 WHERE id = $1 RETURNING state, "
                          "direction, agency_id",
                          "ii", id, now);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        str_copy(state, db_col_text(s, 0), state_size);
        str_copy(direction, db_col_text(s, 1), dir_size);
        *agency = db_col_i64(s, 2);
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    return r;
}

static result_t publish_tx(struct tx *t, void *arg)
{
    struct publish_w *w = arg;
    struct db_conn *c = tx_conn(t);
    w->not_outgoing = w->no_pdf = w->same_version = w->full = false;
    w->open_round = w->round = 0;
    char dir[16] = "";
    int64_t agency = 0;
    result_t r =
        lock_document(c, w->id, w->now, w->state, sizeof(w->state), dir, sizeof(dir), &agency);
    if (r != RES_OK)
        return r;
    if (strcmp(dir, "outgoing") || !publishable_state(w->state)) {
        w->not_outgoing = true;
        return RES_CONFLICT;
    }
    /* The newest round: none open, and the next one publishes a newer version. */
    struct db_stmt *s = NULL;
    r = db_query(c, &s,
                 "SELECT round_no, state, deadline, file_id FROM doc_consultation WHERE "
                 "document_id = $1 ORDER BY round_no DESC LIMIT 1",
                 "i", w->id);
    if (r != RES_OK)
        return r;
    int64_t last = 0, last_file = 0;
    bool last_open = false;
    if ((r = db_step(s)) == RES_ROW) {
        last = db_col_i64(s, 0);
        last_open = doc_public_is_open(db_col_text(s, 1), db_col_i64(s, 2), w->now);
        last_file = db_col_i64(s, 3);
    }
    db_finalize(s);
    if (r != RES_ROW && r != RES_DONE)
        return r;
    if (last_open) {
        w->open_round = last;
        return RES_CONFLICT;
    }
    if (last >= DOC_PUBLIC_ROUNDS_MAX) {
        w->full = true;
        return RES_CONFLICT;
    }
    /* The version published: the newest main file, which must be a PDF. */
    int64_t file_id = 0, version = 0;
    if ((r = newest_pdf(c, w->id, &file_id, &version)) != RES_OK)
        return r;
    if (!file_id) {
        w->no_pdf = true;
        return RES_CONFLICT;
    }
    if (file_id == last_file) {
        w->same_version = true;
        return RES_CONFLICT;
    }
    w->round = last + 1;
    r = db_run(c,
               "INSERT INTO doc_consultation (document_id, agency_id, slug, file_id, subject, "
               "summary, doc_type, deadline, state, published_by, published_at, round_no) SELECT "
               "d.id, d.agency_id, $2, $3, d.subject, COALESCE($4, d.notes), d.doc_type, $5, "
               "'open', $6, $7, $8 FROM document d WHERE d.id = $1",
               "ititiiii", w->id, w->slug, file_id, w->summary, w->deadline, w->a->user_id, w->now,
               w->round);
    if (r != RES_OK)
        return r;
    char vn[48], comment[160], round[32] = "";
    clock_format_vn(w->deadline, vn, sizeof(vn));
    if (w->round > 1)
        snprintf(round, sizeof(round), " vòng %lld", (long long)w->round);
    snprintf(comment, sizeof(comment), "Công bố lấy ý kiến công khai%s (phiên bản %lld) đến %s",
             round, (long long)version, vn);
    if ((r = doc_history_add(c, w->id, w->a, "consultation_opened", w->state, w->state, comment,
                             w->now)) != RES_OK ||
        (r = db_run(c,
                    "UPDATE doc_history SET file_version = $2 WHERE document_id = $1 AND step = "
                    "(SELECT MAX(step) FROM doc_history WHERE document_id = $1)",
                    "ii", w->id, version)) != RES_OK)
        return r;
    doc_audit(t, w->a, agency, w->id, "doc_public_open", comment);
    return RES_OK;
}

result_t doc_public_publish(struct app *app, const struct actor *a, int64_t id,
                            const struct doc_public_input *in, struct verrs *e,
                            char slug_out[DOC_PUBLIC_SLUG_LEN + 1])
{
    slug_out[0] = '\0';
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r == RES_OK)
        r = doc_authorize(c, a, AZ_DOC_CONSULT, id);
    if (r != RES_OK)
        return r;
    int64_t now = clock_now(), deadline = 0;
    deadline_parse(in->deadline, now, e, &deadline);
    char *summary = NULL;
    if (in->summary && !str_is_empty(in->summary))
        summary = doc_public_text_clean(in->summary, "summary", "tóm tắt công bố", false,
                                        DOC_PUBLIC_SUMMARY_MAX, e);
    if (summary && !*summary) { /* only white space: the draft's own */
        free(summary);
        summary = NULL;
    }
    if (e->count) {
        free(summary);
        return RES_INVALID;
    }
    char slug[DOC_PUBLIC_SLUG_LEN + 1];
    if ((r = rand_hex(slug, DOC_PUBLIC_SLUG_LEN / 2)) != RES_OK) {
        free(summary);
        return r;
    }
    struct publish_w w = {
        .a = a, .id = id, .deadline = deadline, .now = now, .summary = summary, .slug = slug};
    r = tx_run(app->db, publish_tx, &w);
    free(summary);
    if (r == RES_CONFLICT) {
        if (w.open_round)
            verrs_add(e, "action",
                      "Dự thảo này đã được công bố lấy ý kiến và đang mở (vòng %lld): kết thúc "
                      "vòng này trước khi công bố vòng mới.",
                      (long long)w.open_round);
        else if (w.full)
            verrs_add(e, "action", "Dự thảo đã qua %d vòng lấy ý kiến, là số vòng tối đa.",
                      DOC_PUBLIC_ROUNDS_MAX);
        else if (w.same_version)
            verrs_add(e, "action",
                      "Vòng lấy ý kiến trước đã công bố phiên bản này: tải lên phiên bản PDF mới "
                      "của dự thảo trước khi công bố vòng mới.");
        else if (w.no_pdf)
            verrs_add(e, "action",
                      "Tải lên bản PDF của dự thảo trước khi công bố lấy ý kiến: trang công khai "
                      "chỉ cho tải bản PDF.");
        else if (w.not_outgoing)
            verrs_add(e, "action", "Chỉ dự thảo văn bản đi chưa ký mới công bố lấy ý kiến được.");
        return RES_CONFLICT;
    }
    if (r == RES_OK)
        str_copy(slug_out, slug, DOC_PUBLIC_SLUG_LEN + 1);
    return r;
}

struct close_w {
    const struct actor *a;
    int64_t id, now;
    bool none, not_open; /* out */
};

static result_t close_tx(struct tx *t, void *arg)
{
    struct close_w *w = arg;
    struct db_conn *c = tx_conn(t);
    w->none = w->not_open = false;
    char state[16] = "", dir[16] = "";
    int64_t agency = 0, n = 0;
    result_t r = lock_document(c, w->id, w->now, state, sizeof(state), dir, sizeof(dir), &agency);
    if (r != RES_OK)
        return r;
    if ((r = db_run(c,
                    "UPDATE doc_consultation SET state = 'closed', closed_by = $2, closed_at = $3 "
                    "WHERE document_id = $1 AND state = 'open' AND deadline > $3",
                    "iii", w->id, w->a->user_id, w->now)) != RES_OK)
        return r;
    if (db_changes(c) == 0) {
        if ((r = db_one_i64(c, &n, "SELECT COUNT(*) FROM doc_consultation WHERE document_id = $1",
                            "i", w->id)) != RES_OK)
            return r;
        w->none = n == 0;
        w->not_open = n != 0;
        return RES_CONFLICT;
    }
    const char *comment = "Kết thúc lấy ý kiến công khai trước hạn";
    if ((r = doc_history_add(c, w->id, w->a, "consultation_closed", state, state, comment,
                             w->now)) != RES_OK)
        return r;
    doc_audit(t, w->a, agency, w->id, "doc_public_close", comment);
    return RES_OK;
}

result_t doc_public_close(struct app *app, const struct actor *a, int64_t id, struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    result_t r = doc_authorize(c, a, AZ_DOC_READ, id);
    if (r == RES_OK)
        r = doc_authorize(c, a, AZ_DOC_CONSULT, id);
    if (r != RES_OK)
        return r;
    struct close_w w = {.a = a, .id = id, .now = clock_now()};
    r = tx_run(app->db, close_tx, &w);
    if (r == RES_CONFLICT)
        verrs_add(e, "action",
                  w.none ? "Dự thảo này chưa được công bố lấy ý kiến."
                         : "Việc lấy ý kiến công khai đã kết thúc.");
    return r;
}

/* ---- the public side ---- */

struct pub {
    int64_t id, document_id, agency_id, file_id, deadline, comment_count;
    char state[16];
};

/* The draft's rounds on a round's public page: "rounds" [{round, slug, url, state,
 * is_open, is_this, deadline, published_at, closed_at (ISO and _vn), file_version}]
 * newest first,
 * and "open_round" (that entry of the open round, or null): what was published of each
 * round, nothing else of the document. */
static result_t page_rounds(struct db_conn *c, int64_t document_id, int64_t now, json_t *page)
{
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT c.round_no, c.slug, c.state, c.deadline, c.published_at, "
                 "f.version, c.closed_at FROM doc_consultation c LEFT JOIN doc_file f ON f.id = "
                 "c.file_id WHERE c.document_id = $1 ORDER BY c.round_no DESC LIMIT $2",
                 "ii", document_id, (int64_t)DOC_PUBLIC_ROUNDS_MAX);
    if (r != RES_OK)
        return r;
    const char *self = json_string_value(json_object_get(page, "slug"));
    json_t *rows = json_array(), *open_round = json_null();
    while ((r = db_step(s)) == RES_ROW) {
        json_t *o = json_object();
        const char *slug = db_col_text(s, 1);
        bool open = doc_public_is_open(db_col_text(s, 2), db_col_i64(s, 3), now);
        json_object_set_new(o, "round", json_integer(db_col_i64(s, 0)));
        set_round(o, slug, db_col_text(s, 2), db_col_i64(s, 3), now);
        json_object_set_new(o, "is_this", json_boolean(self && !strcmp(self, slug)));
        set_time(o, "deadline", s, 3);
        set_time(o, "published_at", s, 4);
        json_object_set_new(o, "file_version",
                            db_col_null(s, 5) ? json_null() : json_integer(db_col_i64(s, 5)));
        set_time(o, "closed_at", s, 6);
        if (open) {
            json_decref(open_round);
            open_round = json_incref(o);
        }
        json_array_append_new(rows, o);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rows);
        json_decref(open_round);
        return r;
    }
    json_object_set_new(page, "rounds", rows);
    json_object_set_new(page, "open_round", open_round);
    return RES_OK;
}

/* The consultation of `slug` as the policy's public object; RES_NOT_FOUND for a
 * malformed or unknown slug or one of another agency than the host's (host_agency 0 =
 * the installation's own name: any agency). */
static result_t pub_load(struct db_conn *c, const struct actor *visitor, enum authz_action action,
                         const char *slug, int64_t host_agency, int64_t now, struct pub *p,
                         json_t **page)
{
    memset(p, 0, sizeof(*p));
    if (page)
        *page = NULL;
    if (!doc_public_slug_valid(slug))
        return RES_NOT_FOUND;
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT c.id, c.document_id, c.agency_id, c.file_id, c.deadline, c.comment_count, "
                 "c.state, c.subject, c.summary, c.doc_type, c.published_at, c.closed_at, a.name, "
                 "f.size, f.version, c.round_no FROM doc_consultation c JOIN agency a ON a.id = "
                 "c.agency_id LEFT JOIN doc_file f ON f.id = c.file_id WHERE c.slug = $1",
                 "t", slug);
    if (r != RES_OK)
        return r;
    r = db_step(s);
    if (r == RES_ROW) {
        p->id = db_col_i64(s, 0);
        p->document_id = db_col_i64(s, 1);
        p->agency_id = db_col_i64(s, 2);
        p->file_id = db_col_i64(s, 3);
        p->deadline = db_col_i64(s, 4);
        p->comment_count = db_col_i64(s, 5);
        str_copy(p->state, db_col_text(s, 6), sizeof(p->state));
        if (page) {
            /* Only what was published: no document id, number, people or other files. */
            json_t *o = json_object();
            const struct doc_type *dt = doc_type_find(db_col_text(s, 9));
            json_object_set_new(o, "slug", json_string(slug));
            json_object_set_new(o, "subject", json_string(db_col_text(s, 7)));
            json_object_set_new(o, "summary", json_string(db_col_text(s, 8)));
            json_object_set_new(o, "doc_type_name", json_string(dt ? dt->name : ""));
            json_object_set_new(o, "agency_name", json_string(db_col_text(s, 12)));
            set_round(o, NULL, p->state, p->deadline, now);
            set_time(o, "deadline", s, 4);
            set_time(o, "published_at", s, 10);
            set_time(o, "closed_at", s, 11);
            json_object_set_new(o, "comment_count", json_integer(p->comment_count));
            json_object_set_new(o, "file_size", json_integer(db_col_i64(s, 13)));
            json_object_set_new(o, "file_version", json_integer(db_col_i64(s, 14)));
            json_object_set_new(o, "round", json_integer(db_col_i64(s, 15)));
            *page = o;
        }
        r = RES_OK;
    } else if (r == RES_DONE) {
        r = RES_NOT_FOUND;
    }
    db_finalize(s);
    if (r == RES_OK && host_agency && host_agency != p->agency_id)
        r = RES_NOT_FOUND;
    if (r == RES_OK) {
        struct authz_object o = {.kind = AZ_OBJ_PUBLIC,
                                 .agency_id = p->agency_id,
                                 .public_open = doc_public_is_open(p->state, p->deadline, now)};
        r = authz_check_object(visitor, action, &o);
    }
    if (r == RES_OK && page)
        r = page_rounds(c, p->document_id, now, *page);
    if (r != RES_OK && page && *page) {
        json_decref(*page);
        *page = NULL;
    }
    return r;
}

result_t doc_public_page(struct app *app, const struct actor *visitor, const char *slug,
                         int64_t host_agency, json_t **out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct pub p;
    return pub_load(c, visitor, AZ_PUBLIC_READ, slug, host_agency, clock_now(), &p, out);
}

result_t doc_public_index(struct app *app, const struct actor *visitor, int64_t host_agency,
                          json_t **out)
{
    *out = NULL;
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t now = clock_now();
    struct db_stmt *s = NULL;
    result_t r =
        db_query(c, &s,
                 "SELECT c.slug, c.subject, c.doc_type, c.deadline, c.published_at, "
                 "c.comment_count, a.name, c.agency_id, c.round_no FROM doc_consultation c JOIN "
                 "agency a ON a.id = c.agency_id WHERE c.state = 'open' AND c.deadline "
                 "> $1 AND ($2 = 0 OR c.agency_id = $2) ORDER BY c.deadline, c.id LIMIT $3",
                 "iii", now, host_agency, (int64_t)DOC_PUBLIC_LIST_MAX);
    if (r != RES_OK)
        return r;
    json_t *rows = json_array();
    while ((r = db_step(s)) == RES_ROW) {
        struct authz_object o = {
            .kind = AZ_OBJ_PUBLIC, .agency_id = db_col_i64(s, 7), .public_open = true};
        if (authz_check_object(visitor, AZ_PUBLIC_READ, &o) != RES_OK)
            continue;
        json_t *row = db_row_json(s, "slug:t,subject:t");
        const struct doc_type *dt = doc_type_find(db_col_text(s, 2));
        json_object_set_new(row, "doc_type_name", json_string(dt ? dt->name : ""));
        set_time(row, "deadline", s, 3);
        set_time(row, "published_at", s, 4);
        json_object_set_new(row, "comment_count", json_integer(db_col_i64(s, 5)));
        json_object_set_new(row, "agency_name", json_string(db_col_text(s, 6)));
        json_object_set_new(row, "round", json_integer(db_col_i64(s, 8)));
        json_array_append_new(rows, row);
    }
    db_finalize(s);
    if (r != RES_DONE) {
        json_decref(rows);
        return r;
    }
    *out = rows;
    return RES_OK;
}

result_t doc_public_file(struct app *app, const struct actor *visitor, const char *slug,
                         int64_t host_agency, struct doc_file_data *out)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    struct pub p;
    result_t r = pub_load(c, visitor, AZ_PUBLIC_READ, slug, host_agency, clock_now(), &p, NULL);
    if (r != RES_OK)
        return r;
    /* The published version only: the row the consultation names, of its document. */
    struct db_stmt *s = NULL;
    r = db_query(c, &s, "SELECT blob_hash FROM doc_file WHERE id = $1 AND document_id = $2", "ii",
                 p.file_id, p.document_id);
    if (r != RES_OK)
        return r;
    char hash[BLOB_HASH_LEN + 1] = "";
    if ((r = db_step(s)) == RES_ROW)
        str_copy(hash, db_col_text(s, 0), sizeof(hash));
    db_finalize(s);
    if (r != RES_ROW)
        return r == RES_DONE ? RES_NOT_FOUND : r;
    if (!app->blobs)
        return RES_UNSUPPORTED;
    str_copy(out->file_name, "du-thao-lay-y-kien.pdf", sizeof(out->file_name));
    str_copy(out->content_type, "application/pdf", sizeof(out->content_type));
    r = blob_get(app->blobs, hash, &out->data);
    if (r == RES_NOT_FOUND) {
        log_error("msg=\"published draft file missing\" consultation=%lld hash=%s", (long long)p.id,
                  hash);
        r = RES_IO;
    }
    /* §14 (Thái Bình Điều 5.1) every download is logged: this one has no account. */
    if (r == RES_OK)
        log_info("msg=\"public draft download\" consultation=%lld client=%s", (long long)p.id,
                 visitor->client_addr);
    return r;
}

struct comment_w {
    const struct actor *visitor;
    struct app *app;
    int64_t cid, doc_id, agency_id, now;
    const char *client, *name, *org, *email, *body, *hash;
    /* out */
    bool limited, closed, full, duplicate;
    int64_t count;
};

static result_t comment_tx(struct tx *t, void *arg)
{
    struct comment_w *w = arg;
    struct db_conn *c = tx_conn(t);
    w->limited = w->closed = w->full = w->duplicate = false;
    w->count = 0;
    /* The client's row first: its lock orders this client's comments, so the hour's
     * count below sees every one committed before. */
    result_t r = db_run(c,
                        "INSERT INTO public_client (client_key, last_at) VALUES ($1, $2) ON "
                        "CONFLICT (client_key) DO NOTHING",
                        "ti", w->client, w->now);
    if (r == RES_OK)
        r = db_run(c, "UPDATE public_client SET last_at = $2 WHERE client_key = $1", "ti",
                   w->client, w->now);
    int64_t n = 0;
    if (r == RES_OK)
        r = db_one_i64(c, &n,
                       "SELECT COUNT(*) FROM doc_public_comment WHERE client_key = $1 AND "
                       "created_at > $2",
                       "ti", w->client, w->now - HOUR);
    if (r != RES_OK)
        return r;
    if (n >= w->app->cfg.public_comments_per_hour) {
        w->limited = true;
        return RES_LOCKED;
    }
    if ((r = db_one_i64(c, &n,
                        "SELECT COUNT(*) FROM doc_public_comment WHERE consultation_id = $1 AND "
                        "client_key = $2 AND body_hash = $3",
                        "itt", w->cid, w->client, w->hash)) != RES_OK)
        return r;
    if (n) {
        w->duplicate = true;
        return RES_CONFLICT;
    }
    /* Open and not full, checked on the row this takes: closing and the deadline win. */
    r = db_one_i64(c, &w->count,
                   "UPDATE doc_consultation SET comment_count = comment_count + 1 WHERE id = $1 "
                   "AND state = 'open' AND deadline > $2 AND comment_count < $3 RETURNING "
                   "comment_count",
                   "iii", w->cid, w->now, (int64_t)w->app->cfg.public_comments_max);
    if (r == RES_NOT_FOUND) {
        int64_t open = 0;
        if ((r = db_one_i64(c, &open,
                            "SELECT COUNT(*) FROM doc_consultation WHERE id = $1 AND state = "
                            "'open' AND deadline > $2",
                            "ii", w->cid, w->now)) != RES_OK)
            return r;
        w->closed = open == 0;
        w->full = open != 0;
        return RES_CONFLICT;
    }
    if (r != RES_OK)
        return r;
    r = db_run(c,
               "INSERT INTO doc_public_comment (consultation_id, name, organisation, email, body, "
               "body_hash, client_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
               "itttttti", w->cid, w->name, w->org, w->email, w->body, w->hash, w->client, w->now);
    if (r != RES_OK)
        return r;
    char oid[24], summary[120];
    snprintf(oid, sizeof(oid), "%lld", (long long)w->doc_id);
    snprintf(summary, sizeof(summary), "Góp ý công khai thứ %lld về dự thảo", (long long)w->count);
    /* The visitor has no account: actor 0 and the client address, as a failed login. */
    tx_audit(t, &(struct audit_entry){.actor_id = 0,
                                      .actor_login = "",
                                      .agency_id = w->agency_id,
                                      .action = "doc_public_comment",
                                      .object_type = "document",
                                      .object_id = oid,
                                      .summary = summary,
                                      .client_addr = w->visitor->client_addr});
    return RES_OK;
}

/* Words of letters or digits in s (at least one means it says something). */
static bool has_words(const char *s)
{
    char words[1][33];
    return doc_search_words(s, words, 1) > 0;
}

result_t doc_public_comment(struct app *app, const struct actor *visitor, const char *slug,
                            int64_t host_agency, const struct doc_public_comment_input *in,
                            struct verrs *e)
{
    struct db_conn *c = db_conn(app->db);
    if (!c)
        return RES_DB;
    int64_t now = clock_now();
    struct pub p;
    result_t r = pub_load(c, visitor, AZ_PUBLIC_COMMENT, slug, host_agency, now, &p, NULL);
    if (r == RES_FORBIDDEN) { /* the policy: not open any more */
        verrs_add(e, "consultation",
                  "Đã hết thời hạn góp ý cho dự thảo này; góp ý không được tiếp nhận.");
        return RES_CONFLICT;
    }
    if (r != RES_OK)
        return r;
    char *name = doc_public_text_clean(in->name, "name", "họ và tên", true, DOC_PUBLIC_NAME_MAX, e);
    char *org = doc_public_text_clean(in->organisation, "organisation", "cơ quan, tổ chức", false,
                                      DOC_PUBLIC_ORG_MAX, e);
    char *email =
        doc_public_text_clean(in->email, "email", "thư điện tử", false, DOC_PUBLIC_EMAIL_MAX, e);
    char *body =
        doc_public_text_clean(in->body, "body", "nội dung góp ý", true, DOC_PUBLIC_COMMENT_MAX, e);
    /* One-line fields stay on one line. */
    if (name && strchr(name, '\n'))
        text_squeeze(name);
    if (org && strchr(org, '\n'))
        text_squeeze(org);
    if (name && (doc_public_links(name) || !has_words(name)))
        verrs_add(e, "name", "Họ và tên không hợp lệ.");
    if (org && doc_public_links(org))
        verrs_add(e, "organisation", "Tên cơ quan, tổ chức không được chứa đường dẫn.");
    if (email && *email && (strchr(email, '\n') || !email_valid(email)))
        verrs_add(e, "email", "Địa chỉ thư điện tử không hợp lệ.");
    if (body) {
        int links = doc_public_links(body);
        if (links > DOC_PUBLIC_MAX_LINKS)
            verrs_add(e, "body", "Góp ý chứa quá nhiều đường dẫn (%d; tối đa %d).", links,
                      DOC_PUBLIC_MAX_LINKS);
        else if (!has_words(body))
            verrs_add(e, "body", "Nội dung góp ý cần có chữ hoặc số.");
    }
    if (e->count) {
        free(name);
        free(org);
        free(email);
        free(body);
        return RES_INVALID;
    }
    char client[INET6_ADDRSTRLEN + 8], hash[65];
    doc_public_client_key(visitor->client_addr, client, sizeof(client));
    sha256_hex(body, strlen(body), hash);
    struct comment_w w = {.visitor = visitor,
                          .app = app,
                          .cid = p.id,
                          .doc_id = p.document_id,
                          .agency_id = p.agency_id,
                          .now = now,
                          .client = client,
                          .name = name,
                          .org = org,
                          .email = email,
                          .body = body,
                          .hash = hash};
    r = tx_run(app->db, comment_tx, &w);
    free(name);
    free(org);
    free(email);
    free(body);
    if (r == RES_LOCKED)
        verrs_add(e, "rate_limit",
                  "Bạn đã gửi %d góp ý trong một giờ qua, là số tối đa cho phép. Vui lòng gửi "
                  "lại sau.",
                  app->cfg.public_comments_per_hour);
    else if (r == RES_CONFLICT && w.duplicate)
        verrs_add(e, "body", "Góp ý này đã được gửi trước đó.");
    else if (r == RES_CONFLICT && w.full)
        verrs_add(e, "consultation",
                  "Dự thảo đã nhận đủ số góp ý tối đa (%d); góp ý không được tiếp nhận thêm.",
                  app->cfg.public_comments_max);
    else if (r == RES_CONFLICT)
        verrs_add(e, "consultation",
                  "Đã hết thời hạn góp ý cho dự thảo này; góp ý không được tiếp nhận.");
    return r;
}
