/* edXML packages (QCVN 102:2016, standards.md §10): an in-memory model independent of
 * XML, a hardened tolerant parser that fills it, and a builder that writes canonical
 * packages. Strict where a mistake changes meaning, tolerant where real senders err. */
#ifndef QLVB_EDXML_H
#define QLVB_EDXML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/result.h"

#define EDXML_NS "http://www.mic.gov.vn/TBT/QCVN_102_2016"

enum edxml_kind { EDXML_DOCUMENT = 0, EDXML_STATUS = 1 };

/* From / To / OrganIdList entries. Every string may be NULL (absent). */
struct edxml_organ {
    char *organ_id, *organization_in_charge, *organ_name, *organ_add, *email, *telephone, *fax,
        *website;
};

struct edxml_code {
    char *number;   /* CodeNumber: "7816"; non-numeric accepted with a warning */
    char *notation; /* CodeNotation: "VPCP-TTĐT" */
};

struct edxml_response_for {
    char *organ_id, *code, *promulgation_date, *document_id;
};

struct edxml_staff {
    char *department, *staff, *mobile, *email;
};

struct edxml_trace {
    char *organ_id, *timestamp;
};

struct edxml_receiver {
    char *organ_id;
    int receiver_type; /* -1 when absent */
};

struct edxml_replacement {
    char *document_id;
    char **organ_ids;
    size_t n_organ_ids;
};

/* BussinessDocType (standards.md §10). */
enum edxml_business_type {
    EDXML_BIZ_NEW = 0,
    EDXML_BIZ_REVOKE = 1,
    EDXML_BIZ_UPDATE = 2,
    EDXML_BIZ_REPLACE = 3,
};

struct edxml_business {
    bool present;
    char *document_id; /* optional */
    enum edxml_business_type doc_type;
    char *reason;
    int paper; /* 0/1, -1 absent */
    /* update (2): BussinessDocumentInfo */
    char *document_info, *document_receiver;
    struct edxml_receiver *receivers;
    size_t n_receivers;
    /* replace (3): ReplacementInfoList */
    struct edxml_replacement *replacements;
    size_t n_replacements;
    bool has_staff;
    struct edxml_staff staff;
};

/* SteeringType: partners use 0–2 or 1–3 for the same meanings, so only the wire value
 * is stored; the mapping to a meaning belongs to the exchange-partner configuration. */
enum edxml_steering {
    EDXML_STEERING_ABSENT = -1,
    EDXML_STEERING_0 = 0,
    EDXML_STEERING_1 = 1,
    EDXML_STEERING_2 = 2,
    EDXML_STEERING_3 = 3,
};

/* Business status codes of a status package (standards.md §10). */
enum edxml_status_code {
    EDXML_STATUS_NONE = 0,
    EDXML_STATUS_ARRIVED = 1,        /* 01 đã đến */
    EDXML_STATUS_REFUSED = 2,        /* 02 từ chối */
    EDXML_STATUS_ACCEPTED = 3,       /* 03 tiếp nhận */
    EDXML_STATUS_ASSIGNED = 4,       /* 04 phân công */
    EDXML_STATUS_IN_PROGRESS = 5,    /* 05 đang xử lý */
    EDXML_STATUS_COMPLETED = 6,      /* 06 hoàn thành */
    EDXML_STATUS_TAKE_BACK = 13,     /* 13 lấy lại */
    EDXML_STATUS_CHANGE_AGREED = 15, /* 15 đồng ý cập nhật / lấy lại */
    EDXML_STATUS_CHANGE_REFUSED = 16 /* 16 từ chối cập nhật / lấy lại */
};

/* Manifest entry (edXMLBody/edXMLManifest/Reference). */
struct edxml_reference {
    char *content_id, *content_type, *description, *attachment_name;
};

/* One attachment: metadata plus the unzipped bytes (NULL when a sink consumed them). */
struct edxml_attachment {
    char *content_id; /* "cid:..." */
    char *name;       /* AttachmentName */
    char *description;
    char *content_type;
    char *zip_entry; /* file name inside the zip (parse only) */
    const unsigned char *data;
    size_t len;
    bool owns_data; /* data is malloc'd and freed by edxml_package_release */
};

struct edxml_package {
    struct arena arena; /* every string of the package */
    enum edxml_kind kind;
    struct edxml_organ from;
    struct edxml_organ *to;
    size_t n_to;
    struct edxml_response_for *response_for;
    size_t n_response_for;
    struct edxml_trace *traces;
    size_t n_traces;
    bool has_signature; /* a Signature element was present (not verified here) */
    /* document package */
    char *document_id;
    struct edxml_code code;
    char *place, *promulgation_date;
    char *type, *type_detail, *type_name;
    char *subject, *content;
    char *signer_competence, *signer_position, *signer_full_name;
    char *due_date;
    char **to_places;
    size_t n_to_places;
    int priority; /* 0 Thường .. 4 Hỏa tốc hẹn giờ; -1 absent */
    char *sphere_of_promulgation, *typer_notation, *promulgation_amount, *page_amount, *direction;
    char **appendixes;
    size_t n_appendixes;
    enum edxml_steering steering;
    struct edxml_business business;
    struct edxml_reference *refs;
    size_t n_refs;
    struct edxml_attachment *attachments;
    size_t n_attachments;
    /* status package */
    bool has_staff;
    struct edxml_staff staff;
    enum edxml_status_code status_code;
    char *description, *timestamp;
};

void edxml_package_init(struct edxml_package *p, enum edxml_kind kind);
void edxml_package_release(struct edxml_package *p);
/* Copies s into the package arena (NULL stays NULL). */
char *edxml_strdup(struct edxml_package *p, const char *s);
/* Appends a zeroed element to an arena-backed array and returns it. */
struct edxml_organ *edxml_add_to(struct edxml_package *p);
struct edxml_response_for *edxml_add_response_for(struct edxml_package *p);
struct edxml_trace *edxml_add_trace(struct edxml_package *p);
struct edxml_reference *edxml_add_reference(struct edxml_package *p);
struct edxml_attachment *edxml_add_attachment(struct edxml_package *p);
struct edxml_receiver *edxml_add_receiver(struct edxml_package *p);
struct edxml_replacement *edxml_add_replacement(struct edxml_package *p);
void edxml_add_string(struct edxml_package *p, char ***arr, size_t *n, const char *s);

/* --- validation (edxml_validate.c) ----------------------------------------------- */

/* Agency code AAA.BB.CC.XNN (standards.md §1, QD20). */
bool edxml_agency_code_valid(const char *s);
/* yyyy/MM/dd with a real calendar date. */
bool edxml_date_valid(const char *s);
/* yyyy/MM/dd HH:mm:ss */
bool edxml_timestamp_valid(const char *s);
/* <agency code>,<yyyy/MM/dd>,<number>/<symbol> (standards.md §1); on failure why
 * (Vietnamese) is written to why. */
bool edxml_document_id_valid(const char *s, char *why, size_t whysize);

/* --- status codes (edxml_status.c) ------------------------------------------------ */

/* "01".."16" → code; EDXML_STATUS_NONE if unknown. */
enum edxml_status_code edxml_status_from_wire(const char *s);
/* Two-digit wire form ("03"); NULL if unknown. */
const char *edxml_status_wire(enum edxml_status_code c);
/* Vietnamese description ("Đã đến"); NULL if unknown. */
const char *edxml_status_label(enum edxml_status_code c);
/* All known codes, for tests and UIs. */
extern const enum edxml_status_code edxml_status_all[];
extern const size_t edxml_status_count;

/* --- parsing (edxml_parse.c) ------------------------------------------------------- */

struct edxml_limits {
    size_t max_package;     /* bytes of the whole package */
    size_t max_attachment;  /* unzipped bytes of one attachment */
    size_t max_total;       /* unzipped bytes of all attachments */
    size_t max_attachments; /* number of attachments */
    size_t max_ratio;       /* unzipped / zipped size (zip bombs) */
    unsigned max_depth;     /* element nesting */
    size_t max_text;        /* bytes of one text field other than attachments */
};
void edxml_limits_default(struct edxml_limits *l);

/* Receives an attachment's unzipped bytes in chunks as they are inflated, so a large
 * file never sits in memory whole. Return RES_OK to continue. */
typedef result_t (*edxml_sink_fn)(void *ctx, const struct edxml_attachment *att,
                                  const unsigned char *chunk, size_t n);

struct edxml_parse_opts {
    struct edxml_limits limits;
    edxml_sink_fn sink; /* NULL: keep bytes in attachment.data */
    void *sink_ctx;
};
void edxml_parse_opts_default(struct edxml_parse_opts *o);

/* What the parser noticed: warnings for accepted flaws, the refusal reason otherwise.
 * Messages are Vietnamese and start with the element path. */
struct edxml_issues {
    char **warnings;
    size_t n_warnings;
    char *error; /* NULL if accepted */
};
void edxml_issues_init(struct edxml_issues *is);
void edxml_issues_release(struct edxml_issues *is);
void edxml_issues_warn(struct edxml_issues *is, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records the first error only; later ones are usually consequences. */
void edxml_issues_fail(struct edxml_issues *is, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses a package. On RES_OK pkg is filled (kind set from the content) and is->warnings
 * lists accepted flaws; otherwise is->error says why (RES_INVALID, RES_TOO_LARGE).
 * pkg must be initialised; release it in every case. opts may be NULL. */
result_t edxml_parse(const char *data, size_t len, const struct edxml_parse_opts *opts,
                     struct edxml_package *pkg, struct edxml_issues *is);
result_t edxml_parse_file(const char *path, const struct edxml_parse_opts *opts,
                          struct edxml_package *pkg, struct edxml_issues *is);

/* --- building (edxml_build.c) ------------------------------------------------------ */

/* Writes the canonical package (namespace and prefixes as in the official samples).
 * Refuses a model that the parser would refuse; why gets the reason. */
result_t edxml_build(const struct edxml_package *pkg, struct buf *out, char *why, size_t whysize);

/* --- attachments (edxml_attach.c) ------------------------------------------------- */

/* Zips data as one deflated entry called name (in memory). */
result_t edxml_zip(const char *name, const unsigned char *data, size_t len, struct buf *out);
/* Inflates a one-entry zip with zip-bomb checks on declared and actual sizes; bytes go
 * to sink in chunks, or into *out (malloc'd) when sink is NULL. */
result_t edxml_unzip(const unsigned char *zip, size_t zlen, const struct edxml_limits *lim,
                     size_t already_total, struct edxml_attachment *att, edxml_sink_fn sink,
                     void *sink_ctx, unsigned char **out, size_t *outlen, char **entry_name,
                     char *why, size_t whysize);

/* --- signing (edxml_sign.c) ------------------------------------------------------ */

struct xmldsig_key;
/* Reads a package (hardened, keeping white space) and adds an enveloped XML-DSig
 * signature as the last child of edXMLEnvelope/edXMLHeader. Refuses a package that
 * already carries an XML-DSig signature. */
result_t edxml_sign(const char *data, size_t len, const struct xmldsig_key *k, struct buf *out,
                    char *why, size_t whysize);
result_t edxml_sign_file(const char *path, const struct xmldsig_key *k, struct buf *out, char *why,
                         size_t whysize);

/* --- JSON (edxml_json.c) ----------------------------------------------------------- */

struct json_t;
/* The package as JSON (attachments with size and sha256, not their bytes). */
struct json_t *edxml_to_json(const struct edxml_package *pkg);
/* Fills pkg from the JSON description used by `qlvb edxml build`; attachment "file"
 * paths are relative to base_dir. */
result_t edxml_from_json(struct json_t *j, const char *base_dir, struct edxml_package *pkg,
                         char *why, size_t whysize);

#endif
