/* The HTTP layer: one request context per request (arena-backed), input helpers that
 * validate at the edge (UTF-8, NFC, limits), and response builders (HTML, JSON,
 * problem+json, redirects, cookies). Handlers receive a struct req and fill its
 * response; server.c queues it once the whole request has been read. */
#ifndef QLVB_HTTP_H
#define QLVB_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/verr.h"
#include "http/multipart.h"
#include "util/arena.h"
#include "util/buf.h"

struct MHD_Connection;

#define REQ_MAX_PARAMS  4
#define REQ_MAX_HEADERS 16
#define REQ_MAX_FORM    64
#define REQ_MAX_FILES   24    /* a document: its main file and up to 20 appendices */
#define REQ_MAX_FIELD   65536 /* bytes of one text field */

struct kv {
    const char *key;
    const char *value;
};

struct req {
    struct arena arena;
    struct app *app;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    char id[17]; /* request id, also sent as X-Request-Id */
    double start_ms;
    char client_addr[64];

    /* body: in memory (counted against cfg.body_memory), or, past BODY_SPILL bytes,
     * in an unlinked temporary file that is mapped once the body is complete */
    struct buf body;
    long body_limit; /* max_body, or max_upload on RT_UPLOAD routes */
    bool body_too_large;
    bool body_busy;      /* bodies in flight hold too much memory: 503 */
    size_t body_counted; /* bytes of this body counted against the memory cap */
    bool body_spilled;   /* the body went to the temporary file body_fd */
    int body_fd;
    size_t body_file_len; /* bytes written to body_fd */
    void *body_map;       /* the mapped file, once req_body() asked for it */
    bool identified;      /* host agency and session resolved (once per request) */
    result_t ident_res;
    bool is_api; /* /api/... : errors as problem+json */

    /* route parameters (":id") */
    struct kv params[REQ_MAX_PARAMS];
    int nparams;

    /* parsed form (application/x-www-form-urlencoded or multipart/form-data), lazily */
    bool form_parsed;
    bool form_bad;
    const char *form_error; /* why form_bad, in Vietnamese */
    struct kv form[REQ_MAX_FORM];
    int nform;
    struct mp_part files[REQ_MAX_FILES]; /* multipart parts that carry a file name */
    int nfiles;
    json_t *json; /* parsed JSON body, lazily; freed with the arena */

    /* authentication */
    bool authed;
    bool bearer; /* authenticated by Authorization: Bearer */
    struct actor actor;
    char csrf[65];
    int64_t host_agency_id;

    /* response */
    int status;
    const char *content_type;
    struct buf out;
    struct kv headers[REQ_MAX_HEADERS];
    int nheaders;
    bool responded;
    /* The response may be shown in a frame of this site's own pages (frame-ancestors
     * 'self', X-Frame-Options SAMEORIGIN instead of 'none'/DENY): set only by a handler
     * that serves a file for the document page's viewer. */
    bool frame_same_origin;
};

/* ---- input ---- */
/* The whole request body (memory or the mapped temporary file); *len 0 when empty. */
const unsigned char *req_body(struct req *r, size_t *len);
const char *req_header(struct req *r, const char *name);
const char *req_cookie(struct req *r, const char *name);
/* Query parameter, validated UTF-8 and NFC-normalised; NULL if absent or invalid. */
const char *req_query(struct req *r, const char *name);
const char *req_param(struct req *r, const char *name);
/* Route parameter as a positive id; 0 if not a valid id. */
int64_t req_param_id(struct req *r, const char *name);
/* The agency an admin request acts on (API and pages alike): the session's agency, or
 * for system administrators an explicit ?agency_id=. */
int64_t req_target_agency(struct req *r);
/* Form field (NFC); NULL if absent. req_form_bad() tells whether the body was invalid. */
const char *req_form(struct req *r, const char *name);
int req_form_all(struct req *r, const char *name, const char **out, int max);
bool req_form_bad(struct req *r);
/* Each field and file part of a form not named in known (NULL-terminated) is an error
 * on "body", in json_unknown_members' words; true when there was one. API routes only:
 * a page's form may carry its buttons' names. */
bool req_form_unknown(struct req *r, const char *const *known, struct verrs *e);
/* req_form_unknown answered: 422 with the errors on "body"; true when it answered. */
bool resp_form_unknown(struct req *r, const char *const *known);
/* Why the form could not be read (Vietnamese), NULL when it could. */
const char *req_form_error(struct req *r);
/* A file of a multipart form; NULL when absent or empty (no file chosen). */
const struct mp_part *req_file(struct req *r, const char *name);
/* The uploaded document of an API call: the multipart file `field`, or the raw body
 * when the Content-Type is neither a form nor JSON (application/pdf, ...). NULL if
 * nothing was sent. */
const struct mp_part *req_upload(struct req *r, const char *field);
/* Parsed JSON object body with every string NFC-normalised. On failure responds
 * 400/415 itself and returns NULL. */
json_t *req_json(struct req *r);
/* req_json, but an empty body without a Content-Type is {} (a step that needs nothing). */
json_t *req_json_or_empty(struct req *r);
/* Fetches a string member of a JSON object; NULL if absent or not a string. */
const char *json_str(json_t *o, const char *key);
/* Members of an API body, checked: absent or null is NULL / 0 / false; a member of another
 * type adds a precise error on its key (errors.<key>) and reads as absent. */
const char *json_member_str(json_t *o, const char *key, struct verrs *e);
int64_t json_member_int(json_t *o, const char *key, struct verrs *e);
int64_t json_member_id(json_t *o, const char *key, struct verrs *e); /* ≥ 1 */
bool json_member_bool(json_t *o, const char *key, struct verrs *e);
/* Each member of o not named in known (NULL-terminated) is a typo: an error on "body". */
void json_unknown_members(json_t *o, const char *const *known, struct verrs *e);
/* The same on a JSON object that came in a form field (errors.<field>: "metadata"). */
void json_unknown_members_at(json_t *o, const char *const *known, const char *field,
                             struct verrs *e);

/* ---- output ---- */
void resp_header(struct req *r, const char *name, const char *value);
void resp_cookie(struct req *r, const char *name, const char *value, long max_age, bool http_only);
void resp_text(struct req *r, int status, const char *content_type, const char *body, size_t len);
void resp_json(struct req *r, int status, json_t *body); /* steals the reference */
void resp_redirect(struct req *r, const char *location);
/* A file download (Content-Disposition: attachment with an ASCII fallback name and the
 * UTF-8 name in filename*); inline=true lets the browser show it. */
void resp_file(struct req *r, const char *content_type, const char *filename, bool inline_,
               const void *data, size_t len);
/* RFC 9457 problem details; Vietnamese title and detail; field errors optional. */
void resp_problem(struct req *r, int status, const char *type, const char *title,
                  const char *detail, const struct verrs *errs);
/* A Vietnamese error response fitting the request: problem+json for the API, an
 * HTML error page for the web (through the renderer installed below). */
void resp_error(struct req *r, int status, const char *title, const char *detail);
/* The HTML error page is the web layer's: it installs its renderer at start-up
 * (web_init), before any request thread runs, so http never depends on web. Without
 * one, web requests get the title and detail as plain text. */
typedef void (*resp_html_error_fn)(struct req *r, int status, const char *title,
                                   const char *detail);
void resp_set_html_error(resp_html_error_fn fn);
/* 200 {key: list} when res is RES_OK (the list is stolen), else the error for res.
 * Store the core call's result first: argument evaluation order is unspecified. */
void resp_list(struct req *r, result_t res, const char *key, json_t *list);
/* Maps a core result to an HTTP error response. */
void resp_result(struct req *r, result_t res);

/* ---- server ---- */
struct server_options {
    const char *host;
    int port;
    int threads;
};
/* Runs until SIGTERM/SIGINT; finishes in-flight requests before returning. */
int server_run(struct app *app);
/* The fd of the listening socket bound by server_run (for tests and logs). */

#endif
