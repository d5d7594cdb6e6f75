/* Notifications (thông báo): the one mechanism that tells people something happened
 * (a document assigned to them, refused by the receiver, due tomorrow). A notification
 * is written by notify_add() INSIDE the transaction of the step that causes it
 * (tx_run's callback), so a step and its notifications commit or roll back together.
 * A recipient is a person, or everyone holding a role in an agency or one of its units,
 * resolved to people when the row is written; a call reaches at most NOTIFY_FANOUT_MAX
 * people. Reading, counting and marking read are the recipient's alone (the policy's
 * AZ_NOTIFY_READ on AZ_OBJ_NOTIFY: another person's notification is 404).
 * docs/architecture.md "Notifications". */
#ifndef QLVB_CORE_NOTIFY_H
#define QLVB_CORE_NOTIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "util/result.h"

struct tx;

#define NOTIFY_TEXT_MAX     300  /* bytes of a notification's text (cut with "…") */
#define NOTIFY_KIND_MAX     32   /* bytes of a kind key, [a-z_] */
#define NOTIFY_FANOUT_MAX   500  /* people one notify_add reaches */
#define NOTIFY_PAGE_MAX     100  /* rows of one list page */
#define NOTIFY_READ_IDS_MAX 100  /* ids of one mark-read call */
#define NOTIFY_COUNT_CAP    1000 /* the unread count stops here (the bell shows 99+) */

/* Who: a person (user_id > 0) with an active post in agency_id, or else every person
 * with an active post in agency_id — in unit department_id when it is not 0 — whose
 * roles meet `roles` (enum role bits; 0 = any). Disabled accounts and the actor
 * themselves are left out. */
struct notify_to {
    int64_t user_id;
    int64_t agency_id;
    int64_t department_id;
    unsigned roles;
};

/* What: kind (a key, see notify_kind_label), the document it is about (0: none), the
 * text (cut to NOTIFY_TEXT_MAX bytes on a character boundary), the person who caused
 * it (0: the system), a dedupe key (NULL: none; else one notification per person and
 * key — a step number, a reminder's day) and the time. supersede: a request that
 * replaces the last one (a draft returned and submitted again asks its reviewer anew) —
 * the recipients' earlier unread notifications of the same kind about the same document
 * are marked read, so one request stays unread. */
struct notify_msg {
    const char *kind;
    int64_t document_id;
    const char *text;
    int64_t actor_id;
    const char *dedupe_key;
    int64_t now;
    bool supersede;
};

/* Inside the caller's tx_run callback. RES_INVALID for a bad kind or an empty text.
 * More than NOTIFY_FANOUT_MAX people: the first NOTIFY_FANOUT_MAX (by account id) get
 * it, the others are counted in *skipped and logged. written/skipped may be NULL. */
result_t notify_add(struct tx *t, const struct notify_to *to, const struct notify_msg *m,
                    int64_t *written, int64_t *skipped);

/* The Vietnamese label of a kind ("Được giao xử lý"); the key itself when unknown. */
const char *notify_kind_label(const char *kind);

struct notify_query {
    bool unread;    /* only the unread ones */
    int64_t before; /* keyset cursor: ids below this one (0: from the newest) */
    int limit;      /* 1..NOTIFY_PAGE_MAX (0: 20) */
};
/* The actor's notifications in the agency they work in, newest first:
 * {"items": [{id, kind, kind_label, document_id, text, actor_name, created_at (ISO),
 * created_at_unix, read, read_at}], "next_before": id or null, "unread": n}.
 * RES_INVALID for a limit out of range. */
result_t notify_list(struct app *app, const struct actor *a, const struct notify_query *q,
                     json_t **out);
/* The unread count (one indexed count, capped at NOTIFY_COUNT_CAP). 0 without a post. */
result_t notify_unread_count(struct app *app, const struct actor *a, int64_t *n);
/* Marks read: the listed ids (each the actor's, else RES_NOT_FOUND and nothing changed;
 * at most NOTIFY_READ_IDS_MAX, else RES_TOO_LARGE), or with n == 0 every unread one
 * created at or before `upto` (0: now). *marked = rows changed. */
result_t notify_mark_read(struct app *app, const struct actor *a, const int64_t *ids, size_t n,
                          int64_t upto, int64_t *marked);
/* Opening document `document_id` marks the actor's notifications about it read. */
result_t notify_read_document(struct app *app, const struct actor *a, int64_t document_id);
/* Retention: deletes notifications read before `before` (housekeeping). */
result_t notify_sweep(struct app *app, int64_t before, int64_t *removed);

#endif
