/* Documents: the one model for incoming, outgoing and internal documents (standards.md
 * §9), their registers and numbering, and the registration of incoming documents
 * (issue 11). Core functions in the style of core/: they take the app and the actor,
 * ask the policy (core/authz.h, AZ_OBJ_DOCUMENT with the participants loaded from the
 * database), write through tx_run with their audit and history rows, and return JSON
 * objects for the API and the pages. Field errors are Vietnamese (struct verrs). */
#ifndef QLVB_DOC_H
#define QLVB_DOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/authz.h"
#include "core/calendar.h"
#include "core/verr.h"
#include "util/buf.h"
#include "util/result.h"

struct db_conn;
struct db;
struct tx;

#define DOC_SUBJECT_MAX      500 /* characters (§9 Subject) */
#define DOC_MAX_APPENDICES   20
#define DOC_DEFAULT_MAX_FILE (50L * 1024 * 1024) /* cfg.doc_max_file when unset */
#define DOC_LIST_MAX         100                 /* rows of one list page */

/* ---- catalogues (doc_types.c) ---- */

/* §2 document types: a stable ASCII key, the abbreviation used in symbols ("" for công
 * văn and thư công) and the Vietnamese name. */
struct doc_type {
    const char *key, *abbr, *name;
};
extern const struct doc_type doc_types[];
extern const size_t doc_type_count;
const struct doc_type *doc_type_find(const char *key);

/* §3 urgency, index = edXML Priority (0 Thường … 4 Hỏa tốc hẹn giờ). */
extern const char *const doc_urgency_keys[5];
extern const char *const doc_urgency_labels[5];
/* Key ("khan") or Vietnamese label ("Khẩn"), case and diacritics ignored; -1 unknown. */
int doc_urgency_parse(const char *s);

/* §3 secrecy: 0 none ("", "thuong"), 1 Mật, 2 Tối mật, 3 Tuyệt mật; -1 unknown. */
int doc_secrecy_parse(const char *s);
extern const char *const doc_secrecy_labels[4];

/* §2 number as written ("07", "1234"): digits only, not zero. */
bool doc_number_valid(const char *s);
/* §2 symbol: groups of letters (Vietnamese too), digits, '&' or '.', joined by single
 * '-', no spaces, no '/'; at most 50 characters. */
bool doc_symbol_valid(const char *s);

/* s cut to at most max bytes on a character (grapheme) boundary, with "…" when cut: for
 * user text inside messages, where a byte cut would leave invalid UTF-8. */
const char *doc_cut(char *out, size_t outsize, const char *s, size_t max);
#define DOC_CUT(s, max) doc_cut((char[(max) + 4]){0}, (max) + 4, (s), (max))

/* ---- references of issued documents (doc_symbol.c) ---- */

#define DOC_NUMBER_MAX 9999999 /* seven digits, as doc_number_valid accepts */

/* §2 the number as written: at least two digits, "07", "12", "1234". RES_INVALID
 * outside 1..DOC_NUMBER_MAX. */
result_t doc_number_format(int64_t n, char *out, size_t size);
/* §2 the symbol of a document the agency issues: "<type abbr>-<issuer abbr>" (QĐ-UBND);
 * for a công văn or thư công, which have no type abbreviation, "<issuer abbr>-<unit
 * abbr>" (UBND-VP; the unit is required there and ignored otherwise). Abbreviations are
 * single symbol groups. RES_INVALID for an unknown type or a bad abbreviation. */
result_t doc_symbol_compose(const char *type_key, const char *issuer_abbr, const char *unit_abbr,
                            char *out, size_t size);
/* "07/QĐ-UBND"; a legal normative document also carries its year: "12/2025/QĐ-UBND". */
result_t doc_reference_format(int64_t number, int year, const char *symbol, bool normative,
                              char *out, size_t size);
struct doc_reference {
    char number[8]; /* as written, "07" */
    int year;       /* 0 unless written (legal normative documents) */
    char symbol[208];
};
/* Reads a reference back ("07/QĐ-UBND", "12/2025/QĐ-UBND"); RES_INVALID otherwise. */
result_t doc_reference_parse(const char *s, struct doc_reference *ref);

/* ---- numbering (doc_number.c) ---- */

/* The Vietnam-time (UTC+7) calendar year of instant t: numbers restart on 1 January
 * at 00:00 +07:00. */
int doc_year_of(int64_t t);
/* Inside the caller's write transaction: the next number of register_id in year, and
 * the counter moved on. Serialised by the counter row's lock; rolled back with the
 * caller's transaction. */
result_t doc_number_next(struct db_conn *c, int64_t register_id, int year, int64_t *out);

/* ---- registers (doc_registers.c) ---- */

struct doc_register_input {
    const char *kind; /* incoming | outgoing | internal */
    const char *name;
    const char *year_mode; /* yearly (default) | fixed */
    int64_t year;          /* for fixed */
    /* outgoing only: the doc_types keys this register numbers (a separate series,
     * standards.md §2); none = the general register of the other types */
    const char *const *doc_types;
    size_t ndoc_types;
    bool normative; /* outgoing: the series of legal normative documents (§2) */
};
/* The agency's clerks and administrators (AZ_REGISTER_MANAGE). */
result_t doc_registers_create(struct app *app, const struct actor *a, int64_t agency_id,
                              const struct doc_register_input *in, struct verrs *e,
                              int64_t *id_out);
/* Members of the agency (AZ_ORG_READ); kind NULL = all. Each with entries_year (a fixed
 * register's year, else this year), the numbers given in it (entries) and the next one
 * (next_number). */
result_t doc_registers_list(struct app *app, const struct actor *a, int64_t agency_id,
                            const char *kind, json_t **out);

/* ---- registering an incoming document (doc_incoming.c) ---- */

/* Everything typed by the clerk (strings as received; NULL = absent). */
struct doc_incoming_input {
    int64_t register_id;
    const char *medium; /* paper (default: a scanned paper original) | electronic */
    const char *issuer_code, *issuer_name;
    const char *number, *symbol;
    const char *issued_date; /* YYYY-MM-DD */
    const char *doc_type;    /* key of doc_types[] */
    const char *subject;
    const char *signer_name, *signer_position;
    int64_t page_count;
    const char *urgency; /* doc_urgency_parse; NULL = Thường */
    const char *secrecy; /* anything but none is refused (§3) */
    const char *due_date;
    const char *const *recipients; /* ToPlaces: units or people, as written */
    size_t nrecipients;
    const char *language; /* ISO 639-1, default vi */
    const char *notes;
    /* ISO 8601 instant the document arrived (a back-filled paper document, §4 Thái Bình
     * Điều 8.1); NULL = now. Kept as arrived_at; received_at is calendar_receipt_time of
     * it (§4: outside working hours, the start of the next working period), and the
     * numbering year is the year of received_at. */
    const char *received_at;
    bool confirm_duplicate;
};

/* One uploaded file. role: "main" or "appendix". */
struct doc_upload {
    const char *role;
    const char *file_name;
    const unsigned char *data;
    size_t len;
};

/* The earlier registered document a duplicate warning names (ND30 Phụ lục VI identity:
 * issuer, number and symbol, issue date), so the clerk sees it and decides. */
struct doc_duplicate {
    int64_t id, arrival_number, year, register_id, received_at;
    char register_name[201], number_symbol[80], issued_date[11], state[16];
    char issuer_name[1024], subject[DOC_SUBJECT_MAX * 4 + 1];
};
/* {id, arrival_number, year, register_id, register_name, received_at, number_symbol,
 * issued_date, issuer_name, subject, state}: the API's 409 member duplicate_of. */
json_t *doc_duplicate_json(const struct doc_duplicate *d);

struct doc_registered {
    int64_t id;
    int year;
    int64_t arrival_number;
    int64_t arrived_at, received_at; /* §4 (UTC seconds) */
    int64_t duplicate_of;            /* RES_CONFLICT: the earlier document with the same identity */
    struct doc_duplicate duplicate;  /* its summary when duplicate_of is set */
};

/* Registers an incoming document for the actor's agency (the clerks: AZ_DOC_REGISTER):
 * validates every field (RES_INVALID with field errors, nothing written), stores the
 * files in the blob store, then in one tx_run the document with its arrival number, its
 * files, the history row `received` and the audit row. RES_CONFLICT with
 * out->duplicate_of and an error on "confirm_duplicate" when the same issuer, number,
 * symbol and date is already registered in the agency and confirm_duplicate is false. */
result_t doc_register_incoming(struct app *app, const struct actor *a,
                               const struct doc_incoming_input *in, const struct doc_upload *files,
                               size_t nfiles, struct verrs *e, struct doc_registered *out);

/* The installation's working calendar (defaults, QLVB_* environment, the overrides in
 * the database), malloc'd: free() it. Loaded before a transaction that needs it. */
result_t doc_calendar_load(struct app *app, struct calendar **out);

/* The register checks of a registration (doc_incoming.c): one of the agency's incoming
 * registers, open, and for a register of one year that year. RES_INVALID with an error
 * on register_id; the register's name into name. */
result_t doc_register_check(struct db_conn *c, int64_t agency_id, int64_t register_id, int year,
                            struct verrs *e, char *name, size_t namesize);

/* The identity of ND30 Phụ lục VI that makes two documents the same one. */
struct doc_identity {
    const char *issuer_code, *issuer_name; /* the code when there is one, else the name */
    const char *number, *symbol, *issued_date;
};
/* In the caller's transaction, after the register number was taken (its lock orders
 * concurrent registrations): RES_CONFLICT with *out filled when a registered incoming
 * document of the agency has the identity; RES_OK when none. */
result_t doc_find_duplicate(struct db_conn *c, int64_t agency_id, const struct doc_identity *id,
                            struct doc_duplicate *out);
/* The Vietnamese message of a duplicate (field confirm_duplicate). */
void doc_duplicate_error(struct verrs *e, const struct doc_identity *id,
                         const struct doc_duplicate *d);

/* ---- receiving inside the installation (doc_deliver.c) ---- */

/* Next step number of a document's history, and one history row at it (in the
 * caller's transaction; the caller holds the document row's lock). */
result_t doc_history_add(struct db_conn *c, int64_t doc_id, const struct actor *a,
                         const char *action, const char *from_state, const char *to_state,
                         const char *comment, int64_t at);

/* Delivery of an issued document to another agency of the installation (standards.md §5,
 * §4 receiving time), INSIDE the caller's tx_run (the outgoing issue's dispatch): the
 * actor must be allowed AZ_DOC_REGISTER on the source (its clerks; the system actor).
 * Creates the receiver's copy — direction incoming, state arrived, medium electronic,
 * source_document_id, the issuer metadata of the source, the source's files (newest
 * version of each, doc_file rows on the same blobs through blob_ref), arrived_at = now
 * and received_at = calendar_receipt_time(cal, now) — with history step 1 `received`
 * (edXML 01) and audit rows on both sides, and a `delivered` history row on the source.
 * No register number: the receiving clerk registers it (doc_register_arrived).
 * RES_NOT_FOUND: no such source or agency; RES_CONFLICT: the source is not issued, or was
 * already delivered to that agency; RES_INVALID: delivery to its own agency. */
result_t doc_deliver_internal(struct tx *t, struct calendar *cal, const struct actor *a,
                              int64_t source_document_id, int64_t to_agency_id, int64_t now,
                              int64_t *copy_id);

/* What the clerk adds when registering an arrived document. */
struct doc_arrived_input {
    int64_t register_id;
    int64_t page_count; /* -1 = keep the source's */
    const char *notes;  /* NULL = keep */
    bool confirm_duplicate;
};
/* Registers an `arrived` document of the actor's agency (AZ_DOC_REGISTER through
 * doc_authorize: its clerks): the arrival number of the register in the year of
 * received_at (doc_number_next, in the tx), state registered, history `registered`
 * (edXML 03 accepted) on the copy and `accepted` on the source, audit. RES_NOT_FOUND for
 * another agency's document, RES_CONFLICT with an error on "state" when it is not
 * arrived, RES_CONFLICT with out->duplicate_of as doc_register_incoming, RES_INVALID
 * with field errors; nothing written on any error. */
result_t doc_register_arrived(struct app *app, const struct actor *a, int64_t id,
                              const struct doc_arrived_input *in, struct verrs *e,
                              struct doc_registered *out);
/* Refuses an `arrived` document (từ chối, §5: return wrongly addressed or invalid
 * documents and notify the sender the same day): reason required (≤ 1000 characters);
 * state refused, history `refused` (edXML 02) on the copy and `refused_by_recipient`
 * with the reason on the source, in one tx. Errors as doc_register_arrived. */
result_t doc_refuse(struct app *app, const struct actor *a, int64_t id, const char *reason,
                    struct verrs *e);

/* ---- the register book (doc_book.c) ---- */

enum doc_book_format { DOC_BOOK_PDF, DOC_BOOK_XLSX };
#define DOC_BOOK_MAX_ROWS 5000 /* entries of one book; a longer range is refused */
#define DOC_BOOK_MAX_DAYS 366  /* from..to */
/* The register book (sổ đăng ký văn bản đến / đi, ND30 Phụ lục IV, standards.md §9) of
 * register_id for the Vietnam dates from..to (YYYY-MM-DD, inclusive, at most a year):
 * an incoming register's entries by arrival number (receipt dates in the range), an
 * outgoing register's by number (number dates in the range; a cancelled number kept on
 * its line, marked "đã hủy"), as PDF or XLSX into out; *file_name gets a
 * Vietnamese download name (malloc'd). The agency's clerks and leaders. RES_INVALID with
 * errors on from, to, register_id; RES_NOT_FOUND for another agency's register. */
result_t doc_book(struct app *app, const struct actor *a, int64_t register_id, const char *from,
                  const char *to, enum doc_book_format format, struct verrs *e, struct buf *out,
                  char **file_name);

/* ---- reading (doc_read.c; lists: doc_list.c) ---- */

/* The document's policy object: agency and participants from the database (the
 * registering clerk, and every doc_participant row: current_step for the active rows
 * still pending or in progress). parts must hold DOC_MAX_PARTS. RES_NOT_FOUND for an
 * id that does not exist. */
#define DOC_MAX_PARTS 256
result_t doc_object_load(struct db_conn *c, int64_t id, struct authz_object *o,
                         struct authz_participant *parts);
/* The one check of a document action: loads the policy object of document `id` and asks
 * the policy. RES_NOT_FOUND when it does not exist or the actor may not know of it,
 * RES_FORBIDDEN when visible but not allowed. Every document feature starts with it. */
result_t doc_authorize(struct db_conn *c, const struct actor *a, enum authz_action action,
                       int64_t id);

/* Metadata, files and history of one document (AZ_DOC_READ), with the workflow's
 * "deadline", "deadline_state" (overdue | due_soon | ok | null, on the working
 * calendar), "completed_at", "participants" and "actions" (the step keys this actor may
 * take now, see the workflow section below; doc_workflow.c). Another agency's document,
 * or one the actor is not on, is RES_NOT_FOUND. Reading writes nothing: whoever shows
 * the document to a person calls doc_mark_seen first. */
result_t doc_get(struct app *app, const struct actor *a, int64_t id, json_t **out);

/* ---- lists, search, counts, tracking (doc_list.c) ---- */

#define DOC_Q_MAX      200 /* bytes of a search text */
#define DOC_Q_WORDS    8   /* words of a search text */
#define DOC_TRACK_DAYS 366 /* longest tracking period */

/* Everything a list may be narrowed by; strings as received (NULL or "" = absent), each
 * checked by doc_list (a bad one is a field error named like the API parameter). */
struct doc_filter {
    const char *direction; /* incoming (default) | outgoing | internal */
    /* all (default: every document for the agency's clerks and leaders, those the actor
     * is on for the others) | to_process | in_progress | done | for_info | overdue |
     * due_soon (docs/architecture.md, Documents: lists) */
    const char *box;
    int64_t register_id; /* 0 = any */
    int64_t year;        /* 0 = any (the register year) */
    int urgency;         /* -1 = any */
    const char *issuer;  /* issuer code, exactly, or a part of the folded issuer name */
    const char *doc_type;
    const char *received_from, *received_to; /* YYYY-MM-DD, Vietnam dates, inclusive */
    const char *state;
    int64_t handler;    /* user id: documents they are the active lead of; 0 = any */
    const char *q;      /* words of the number, symbol and subject; case and accents folded */
    const char *sort;   /* urgency (default: urgent first, newest received) | received |
                         * deadline (earliest first, none last) */
    const char *cursor; /* next_cursor of the previous page (opaque) */
    int limit;          /* 1..DOC_LIST_MAX, default 20 */
};
/* The agency's documents the actor may see, narrowed by f, in f->sort order with keyset
 * paging: *next_cursor (malloc'd, NULL on the last page) continues the list, a deep page
 * costs what the first does. RES_INVALID with field errors for a bad filter. */
result_t doc_list(struct app *app, const struct actor *a, const struct doc_filter *f,
                  struct verrs *e, json_t **out, char **next_cursor);

/* The home page's numbers for the actor: to_process, in_progress, done (received this
 * year), for_info (not opened yet), overdue, due_soon, and for clerks to_register
 * (arrived) and to_present (registered). A JSON object of integers. */
result_t doc_counts(struct app *app, const struct actor *a, json_t **out);

/* Processing tracking for the agency's leaders (AZ_DOC_TRACK): per department and per
 * person leading documents, how many are in progress, overdue, due soon, and completed
 * on time / late between from and to (YYYY-MM-DD, Vietnam dates, inclusive; default the
 * current month; at most DOC_TRACK_DAYS). Anyone else RES_FORBIDDEN. */
result_t doc_tracking(struct app *app, const struct actor *a, const char *from, const char *to,
                      struct verrs *e, json_t **out);

/* Inside the caller's write transaction: (re)writes the search words and the folded
 * issuer of document doc_id (a pending entry, below, is replaced). Re-indexing paths and
 * the backfill job call it. */
result_t doc_search_index(struct db_conn *c, int64_t doc_id);
/* The same for a document inserted in the caller's transaction, with its folded issuer
 * already in its row and no words yet: the words of number, symbol and subject wait in
 * doc_search_pending, where a search finds them, until the job doc.search_index writes
 * them in batches (doc_search_index_pending). */
result_t doc_search_index_later(struct db_conn *c, int64_t doc_id, int64_t agency_id,
                                int64_t urgency, int64_t received_at, const char *number,
                                const char *symbol, const char *subject);
/* Writes the words of pending documents, a batch of 100 per write transaction, until
 * none is left or about max are done; *indexed gets how many. The job's work, public
 * for tests and tools. */
result_t doc_search_index_pending(struct db *db, int64_t max, int64_t *indexed);
/* The folded search words of s, lower-case ASCII letters and digits, each NUL-ended in
 * out (distinct, at most max, each at most 32 bytes); returns how many. */
int doc_search_words(const char *s, char out[][33], int max);
/* The document jobs for `qlvb serve`: doc.search_backfill (indexes documents registered
 * before migration 0011) and doc.search_index (the pending words, queued by
 * registrations, and every 10 minutes). */
struct jobs;
result_t doc_jobs_register(struct jobs *q, struct app *app);

struct doc_file_data {
    char file_name[256];
    char content_type[96];
    struct buf data; /* initialised by the caller with its limit */
};
/* One file of a document (AZ_DOC_READ), checked against its hash (RES_CRYPTO when the
 * stored bytes were damaged: nothing handed out). */
result_t doc_file_get(struct app *app, const struct actor *a, int64_t doc_id, int64_t file_id,
                      struct doc_file_data *out);

/* ---- the incoming workflow (doc_workflow.c; standards.md §5, issue 11) ----
 *
 * States of an incoming document: registered → presented (trình) → assigned (giao xử
 * lý) → in_progress (the lead accepted) → completed. Who it is with at each step is a
 * doc_participant row (migration 0009): the leader presented to, the lead (chủ trì:
 * exactly one unit or person), the co-handlers (phối hợp) and the for-information
 * recipients (nhận để biết). Every step asks the policy (doc_authorize), checks the
 * state, and writes its participant rows, the document's state, a doc_history row and
 * an audit row in one tx_run.
 *
 * Action keys — doc_get's "actions" lists those the actor may take NOW (policy and
 * state machine together), and the pages render exactly those:
 *   present   a clerk presents a registered document to a leader (leader_id, note)
 *   assign    the leader presented to directs: lead, co_handlers, for_info, deadline
 *             or working_days, note
 *   change    the leader who assigned changes the assignment (assign with change)
 *   withdraw  the leader who assigned takes it back (state presented again)
 *   reassign  a leader of the unit named lead or co-handler passes it to a person of
 *             the unit (lead), with co_handlers/for_info inside the unit, a deadline not
 *             later than the unit's
 *   accept    the lead starts processing (in_progress; also implied by the lead's first
 *             comment, attachment or forward)
 *   comment   the lead or a co-handler gives an opinion (note; part_done: a co-handler's
 *             part is done)
 *   attach    the lead or a co-handler adds a working file (tệp xử lý)
 *   forward   the lead or a co-handler passes it to a colleague (user_id, role
 *             co_handler | for_info, note)
 *   return    with a reason (note): the lead to the leader (presented again), the leader
 *             to the clerks (registered again)
 *   complete  the lead reports the result (note) and completes it
 */
#define DOC_NOTE_MAX         2000 /* characters of a direction, opinion, reason, result */
#define DOC_MAX_CO_HANDLERS  30
#define DOC_MAX_FOR_INFO     100
#define DOC_MAX_WORKING_DAYS 250

/* A person (user_id) or a unit (department_id) of the agency: exactly one is set. */
struct doc_target {
    int64_t user_id;
    int64_t department_id;
};

/* The input of one step; what a step does not use is ignored (NULL / 0 = absent). */
struct doc_step_input {
    const char *note;               /* direction, opinion, reason (return), result (complete) */
    int64_t leader_id;              /* present: the leader presented to */
    int64_t user_id;                /* forward: the colleague */
    const char *role;               /* forward: co_handler (default) | for_info */
    const struct doc_target *leads; /* assign, reassign: exactly one */
    size_t nleads;
    const struct doc_target *co_handlers;
    size_t nco_handlers;
    const struct doc_target *for_info;
    size_t nfor_info;
    const char *deadline; /* 'YYYY-MM-DD', or: */
    int64_t working_days; /* 1..DOC_MAX_WORKING_DAYS working days from today (Vietnam) */
    bool has_working_days;
    bool part_done; /* comment: the co-handler's part is done */
    /* outgoing submit: the reviewers in order before the signer (user ids); return in
     * review: user_id = an earlier reviewer, 0 = the drafter */
    const int64_t *reviewers; /* NULL on submit: the draft's review_plan */
    size_t nreviewers;
    /* ask_opinion: the units asked (department ids), with deadline / working_days and
     * the question in note; answer_opinion: the answer in note */
    const int64_t *departments;
    size_t ndepartments;
    /* update (cập nhật) of an issued document, the reason in note: the corrected subject,
     * summary, due date ('YYYY-MM-DD') and page count (NULL / has_page_count false =
     * unchanged) — never the number, symbol or date, which are on the signed PDF — and
     * recipients added (as a draft's) or removed (the seq of recipients_list) */
    const char *subject, *summary, *due_date;
    int64_t page_count;
    bool has_page_count;
    const struct doc_recipient_input *recipients_add;
    size_t nrecipients_add;
    const int64_t *recipients_remove;
    size_t nrecipients_remove;
};
#define DOC_MAX_REVIEWERS 10
#define DOC_MAX_OPINIONS  10 /* units asked at once */

/* One step `action` (a key above except attach) on document `id`. RES_NOT_FOUND when
 * the actor may not know the document, RES_FORBIDDEN when the policy refuses,
 * RES_CONFLICT when the step is not possible now (e->items under "action" say why in
 * Vietnamese), RES_INVALID with field errors (nothing written). */
result_t doc_workflow_act(struct app *app, const struct actor *a, int64_t id, const char *action,
                          const struct doc_step_input *in, struct verrs *e);
/* attach: one working file (the registration's name, size and format checks; blob store
 * before the tx), with an optional note. *file_id: the new doc_file row. */
result_t doc_workflow_attach(struct app *app, const struct actor *a, int64_t id,
                             const struct doc_upload *file, const char *note, struct verrs *e,
                             int64_t *file_id);
/* A for-information recipient opened the document: their rows get seen_at (and are
 * done), with an audit row, the first time only; RES_OK and nothing written otherwise.
 * Called by whoever shows the document to a person (the API's GET, the page). */
result_t doc_mark_seen(struct app *app, const struct actor *a, int64_t id);
/* The choices of the forms (AZ_DOC_READ, then per action the actor may take now):
 * {"leaders": [...]} for present (agency and department leaders), "departments" and
 * "people" of the agency for assign/change/forward/submit, "unit_people" (the actor's unit
 * without the actor) for reassign. Each person {id, name, department_id,
 * department_name, position}; each unit {id, name}. */
result_t doc_assign_candidates(struct app *app, const struct actor *a, int64_t id, json_t **out);
/* The draft form's choices (AZ_DOC_DRAFT on the actor's agency): "leaders" (agency and
 * unit leaders, the intended signer), "people" and "departments" {id, name, abbr} of
 * the agency, "agencies" {id, code, name}: the installation's other active agencies. */
result_t doc_draft_candidates(struct app *app, const struct actor *a, json_t **out);
/* The QCVN 102 status code (standards.md §10: 01 arrived, 02 refused, 03 accepted and
 * registered, 04 assigned, 05 in progress, 06 completed) of a doc_history action, NULL
 * for the steps inside the agency that are not sent (present, comment, forward, ...). */
const char *doc_history_edxml_status(const char *action);

/* ---- outgoing documents (doc_outgoing.c; issue 12, standards.md §2, §3, §6, §9) ----
 *
 * States: draft → reviewing → approved → signed → issued. A member drafts (AZ_DOC_DRAFT);
 * the drafter uploads new versions of the main file while the draft is with them
 * (step "version", AZ_DOC_EDIT) and submits it round the circuit (step "submit" with
 * the reviewers in order; the intended signer last); each reviewer approves ("approve")
 * or returns it ("return", reason required, to the drafter or an earlier reviewer);
 * the signer's approval fixes the PDF by its hash (approved). The signer signs with their
 * personal key ("sign"): the signed PDF, then in one transaction the number of the
 * agency's outgoing register (the one restricted to the type, else the general one) in
 * the year, the symbol, the date stamped on the PDF (an incremental annotation update:
 * the signature stays valid). The clerk adds the agency signature with the seal ("seal",
 * appendices signed with number and symbol) and issues ("issue"): delivered to the
 * installation's agencies through doc_deliver_internal in the same transaction, external
 * agencies as doc_outbox rows (waiting). All steps go through doc_workflow.c's table. */
#define DOC_MAX_RECIPIENTS 100
struct doc_recipient_input {
    const char *kind;               /* agency | external | department | user */
    int64_t agency_id;              /* agency */
    const char *agency_code, *name; /* external (code required, QD20 form) */
    int64_t department_id, user_id;
};
struct doc_outgoing_input {
    const char *doc_type, *subject, *summary, *urgency, *authority;
    int64_t signer_id, reply_to_id;
    bool complete_on_issue; /* with reply_to_id: issuing completes its lead's step */
    bool normative;         /* QPPL: its own series, the year in the reference (§2) */
    int64_t replaces_id;    /* thay thế: an issued document of the agency */
    const struct doc_recipient_input *recipients;
    size_t nrecipients;
};
/* A new draft in the actor's agency with its main file (docx, odt or pdf) and
 * appendices. RES_INVALID with field errors (nothing written). */
result_t doc_outgoing_create(struct app *app, const struct actor *a,
                             const struct doc_outgoing_input *in, const struct doc_upload *files,
                             size_t nfiles, struct verrs *e, int64_t *id_out);
/* A new version of the main file (the drafter, draft with them). */
result_t doc_outgoing_version(struct app *app, const struct actor *a, int64_t id,
                              const struct doc_upload *file, const char *note, struct verrs *e);
/* The signer signs (key_id: one of their personal keys, pin), then number, date, stamp. */
result_t doc_outgoing_sign(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e);
/* The clerk's agency signature (agency key) over the signer's; PDF appendices too. */
result_t doc_outgoing_seal(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e);
/* The clerk's agency signature (agency key, text appearance "Số hóa từ bản giấy" with
 * the agency and time) on the scan of a registered paper incoming document (standards.md
 * §5, step "digitise"): a new main version (stage 'digitised'); the scan stays unchanged
 * (§14). Once only (409). */
result_t doc_digitise_sign(struct app *app, const struct actor *a, int64_t id, int64_t key_id,
                           const char *pin, struct verrs *e);
/* The outgoing register that numbers a document of type `type` in `year`: among the
 * open registers with the same `normative` flag (legal normative documents have their
 * own series, standards.md §2), the one whose doc_types lists the type, else the
 * general one of that flag (doc_types ''); *out 0 when the agency has none. */
result_t doc_outgoing_register(struct db_conn *c, int64_t agency, const char *type, bool normative,
                               int year, int64_t *out);

/* ---- review-circuit templates (doc_outgoing_circuit.c, standards.md §6) ----
 * Per agency and document type, the ordered reviewer places of a new draft's circuit
 * (the intended signer always last). A draft of that type gets its review_plan from
 * the template (doc_circuit_plan, in the draft's transaction); the drafter edits it
 * (step "plan") before submitting. */
#define DOC_MAX_CIRCUIT_STEPS DOC_MAX_REVIEWERS
struct doc_circuit_step_input {
    const char *kind; /* unit_leader | office | user | position */
    int64_t department_id, user_id, position_id;
};
/* The actor's agency's templates (its members, AZ_ORG_READ): {"templates": [{doc_type,
 * doc_type_name, steps: [{seq, kind, department_id, department_name, user_id,
 * user_name, position_id, position_name}]}]}; `doc_type` NULL = all. */
result_t doc_circuit_list(struct app *app, const struct actor *a, const char *doc_type,
                          json_t **out);
/* Replace the template of `doc_type` (the agency's administrators, AZ_ORG_MANAGE); no
 * steps = no template. RES_INVALID with field errors (nothing written). */
result_t doc_circuit_set(struct app *app, const struct actor *a, const char *doc_type,
                         const struct doc_circuit_step_input *steps, size_t n, struct verrs *e);
/* In the caller's tx: the reviewer ids of the template of `doc_type` resolved for a
 * draft by `drafter` (unit `unit`) with signer `signer` — people who cannot be found,
 * the drafter, the signer and repeats left out — as "id,id,..." into out. */
result_t doc_circuit_plan(struct db_conn *c, int64_t agency, const char *doc_type, int64_t drafter,
                          int64_t unit, int64_t signer, char *out, size_t n);
/* The agency's outbox for the exchange (the clerks, AZ_DOC_REGISTER): rows of `status`
 * (waiting (default) | sent | failed; RES_INVALID otherwise), urgent first then oldest,
 * at most 500: {id, document_id, number, symbol, subject, agency_code, name, urgency,
 * status, attempts, last_error, created_at}. */
result_t doc_outbox_list(struct app *app, const struct actor *a, const char *status, json_t **out);
/* The clerk issues: state issued, delivery inside the installation, outbox rows. */
result_t doc_outgoing_issue(struct app *app, const struct actor *a, int64_t id, struct verrs *e);

/* ---- issuing a batch (doc_issue_batch.c) ---- */

#define DOC_ISSUE_BATCH_MAX 100
struct doc_issue_item {
    int64_t id;
    result_t r;     /* doc_outgoing_issue's answer for this document */
    struct verrs e; /* its errors ("action": why not now, "recipients": a delivery) */
};
/* The clerk issues ids[0..n-1] (1..DOC_ISSUE_BATCH_MAX, distinct): urgent ones first
 * (urgency descending), then the earliest sealed, then by id; each in its own
 * transaction through doc_outgoing_issue. out[0..n-1] in that order. RES_OK once the
 * batch ran, whatever each document's answer; RES_FORBIDDEN for a non-clerk and
 * RES_INVALID (errors on "ids") before anything is issued. */
result_t doc_issue_batch(struct app *app, const struct actor *a, const int64_t *ids, size_t n,
                         struct doc_issue_item *out, struct verrs *e);
/* ---- drafts for public comment (doc_public.c; issue 12, Khánh Hòa Điều 9) ----
 *
 * The drafter or an agency leader (AZ_DOC_CONSULT) publishes an outgoing draft that is
 * not signed yet (draft, reviewing, approved) whose newest main version is a PDF: a
 * doc_consultation row with an unguessable slug, the draft's subject, a summary (the
 * draft's unless given) and that version of the file, and a deadline; history
 * `consultation_opened`, audit `doc_public_open`. The public page /public/consultations/
 * <slug> (no login) shows what was published and takes comments until the deadline; the
 * drafter may close it earlier (history `consultation_closed`, audit `doc_public_close`).
 * The comments are read by the drafter, reviewers, signer and leaders
 * (AZ_DOC_CONSULT_READ). A draft revised after a round of comments is published again
 * as the next round (a newer PDF version, a new deadline, its own slug) once no round is
 * open; earlier rounds stay readable with their comments, at most DOC_PUBLIC_ROUNDS_MAX
 * rounds. */
#define DOC_PUBLIC_SLUG_LEN    32   /* hex characters: 128 random bits */
#define DOC_PUBLIC_COMMENT_MAX 5000 /* characters of one comment */
#define DOC_PUBLIC_NAME_MAX    200
#define DOC_PUBLIC_ORG_MAX     300
#define DOC_PUBLIC_EMAIL_MAX   254
#define DOC_PUBLIC_SUMMARY_MAX 2000
#define DOC_PUBLIC_MAX_LINKS   3   /* links in one comment; more is refused as spam */
#define DOC_PUBLIC_MAX_DAYS    366 /* latest deadline from now */
#define DOC_PUBLIC_LIST_MAX    200 /* rows of the public index */
#define DOC_PUBLIC_ROUNDS_MAX  10  /* rounds of comment on one draft */

struct doc_public_input {
    /* 'YYYY-MM-DD' (open to the end of that Vietnam day) or an ISO 8601 instant; after
     * now, at most DOC_PUBLIC_MAX_DAYS ahead */
    const char *deadline;
    const char *summary; /* NULL or empty: the draft's summary */
};
/* Publishes draft `id` as its next round (1 the first time): RES_NOT_FOUND /
 * RES_FORBIDDEN from the policy, RES_INVALID with errors on deadline, summary,
 * RES_CONFLICT with an error on "action" (a round is open, the last round published the
 * newest version already, DOC_PUBLIC_ROUNDS_MAX rounds, no PDF version, not an unsigned
 * outgoing draft); nothing written on any error. The slug into slug_out. */
result_t doc_public_publish(struct app *app, const struct actor *a, int64_t id,
                            const struct doc_public_input *in, struct verrs *e,
                            char slug_out[DOC_PUBLIC_SLUG_LEN + 1]);
/* Closes the open round of draft `id` before its deadline (AZ_DOC_CONSULT);
 * RES_CONFLICT with an error on "action" when none is open. */
result_t doc_public_close(struct app *app, const struct actor *a, int64_t id, struct verrs *e);
/* Round `round` (0 = the newest) of draft `id` with its comments, newest first, ids
 * below `before` (0 = the newest), `limit` (1..DOC_LIST_MAX, default 50), next_before for
 * the next page, and "rounds" (every round without comments, newest first)
 * (AZ_DOC_CONSULT_READ). RES_NOT_FOUND when the draft was never published or has no
 * such round. */
result_t doc_public_get(struct app *app, const struct actor *a, int64_t id, int round,
                        int64_t before, int limit, json_t **out);
/* doc_get's part: "public_comment" {can_publish, can_close, can_read, needs_new_version
 * (no round open, but the newest one published the newest version), next_round,
 * consultation (the newest round: null or {round, slug, url, state open|closed|expired,
 * is_open, is_current, deadline, published_at, closed_at (ISO and _vn), published_by,
 * closed_by, comment_count, max_comments, subject, summary, file_version, comments (the
 * newest 50, for whoever may read them), comments_more}), rounds (every round so, newest
 * first)} on an outgoing document, for whoever may publish or read; absent otherwise. */
struct db_conn;
result_t doc_public_json(struct app *app, struct db_conn *c, const struct actor *a, int64_t id,
                         json_t *doc);

/* The public side: `visitor` is whoever asks (signed in or not: user_id 0 and the client
 * address); host_agency the agency of the host name (0 = the installation's own name).
 * A malformed or unknown slug, or one of another agency than the host's, is
 * RES_NOT_FOUND. */
/* {slug, round, subject, summary, doc_type_name, agency_name, state
 * open|closed|expired, is_open, deadline, published_at, closed_at (ISO and _vn),
 * comment_count, file_size, file_version, rounds [{round, slug, url, state, is_open,
 * is_this, deadline, published_at, closed_at, file_version}] newest first, open_round (that entry
 * or null)}: what was published and nothing else of the document. */
result_t doc_public_page(struct app *app, const struct actor *visitor, const char *slug,
                         int64_t host_agency, json_t **out);
/* The open rounds (of host_agency, or all), earliest deadline first, at most
 * DOC_PUBLIC_LIST_MAX: [{slug, round, subject, doc_type_name, agency_name, deadline,
 * published_at, comment_count}]. */
result_t doc_public_index(struct app *app, const struct actor *visitor, int64_t host_agency,
                          json_t **out);
/* The published version of the main file, checked against its hash. */
result_t doc_public_file(struct app *app, const struct actor *visitor, const char *slug,
                         int64_t host_agency, struct doc_file_data *out);
struct doc_public_comment_input {
    const char *name, *organisation, *email, *body; /* name and body required */
};
/* One comment from the public. RES_INVALID with errors on name, organisation, email,
 * body; RES_CONFLICT with an error on "consultation" (closed, expired, full) or "body"
 * (the same comment again from this address); RES_LOCKED with an error on "rate_limit"
 * (cfg.public_comments_per_hour in the last hour from this address); nothing written on
 * any error. */
result_t doc_public_comment(struct app *app, const struct actor *visitor, const char *slug,
                            int64_t host_agency, const struct doc_public_comment_input *in,
                            struct verrs *e);
/* The checks behind them, for the tests: a slug's form; open = state 'open' and now
 * before the deadline; how many links (http://, https://, ftp://, www.) s holds; the
 * address a rate limit counts (IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64);
 * a multi-line text cleaned (NFC, no control or bidi characters, CR LF → LF, at most one
 * empty line in a row, trimmed, at most max_chars characters; malloc'd or NULL with an
 * error on field). */
bool doc_public_slug_valid(const char *s);
bool doc_public_is_open(const char *state, int64_t deadline, int64_t now);
int doc_public_links(const char *s);
void doc_public_client_key(const char *addr, char *out, size_t size);
char *doc_public_text_clean(const char *in, const char *field, const char *label, bool required,
                            size_t max_chars, struct verrs *e);

/* ---- demo (doc_demo.c) ---- */

/* For `qlvb init --demo`: an incoming register for this year in every agency and a
 * handful of incoming documents (small generated PDFs) in the agencies with clerks;
 * then a few issued documents of UBND tỉnh (outgoing register, state issued) delivered
 * through doc_deliver_internal to Sở KH&CN and phường Trường Vinh, where they wait as
 * `arrived` for the clerk. */
result_t doc_demo_seed(struct app *app);
/* doc_demo_outgoing.c, called by doc_demo_seed: Sở KH&CN's outgoing register, drafts in
 * the review circuit and, with the demo's signing keys (demo_signing_seed; only when the
 * signer process runs), documents signed, sealed, issued, cancelled and recalled. */
result_t doc_demo_outgoing(struct app *app);

#endif
