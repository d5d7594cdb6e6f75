/* The signature verification report ("Kiểm tra chữ ký số"): for a PDF or an edXML
 * package, every signature with who signed, when, whether the signed bytes are intact,
 * whether the document changed afterwards, whether the certificate chains to a trusted
 * root and was valid at signing time — as JSON for the API, the web page and, later,
 * the record kept with every received document (standards.md §5). Each signature and
 * the whole file carry a verdict and Vietnamese badges so every page that shows a
 * document can display the same words. */
#ifndef QLVB_CORE_SIGCHECK_H
#define QLVB_CORE_SIGCHECK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/certstore.h"
#include "util/result.h"

#define SIGCHECK_MAX_FILE (64u << 20)

/* What kind of file the bytes are: "pdf", "edxml" (XML), or "unknown". */
const char *sigcheck_detect(const unsigned char *data, size_t len);

/* Builds the report. trust may be empty (nothing is then trusted); now is the time of
 * the check (0: clock_now()). RES_OK whenever the file was examined, including files
 * that are unsigned or unreadable (the report says so); *report is a new object:
 *   {kind, file_name, size, sha256, checked_at, verdict, verdict_text, verdict_class,
 *    signatures: [{index, field?, signer, organization, issuer, serial, signing_time,
 *                  time_source, valid, verdict_text, badges: [{class, text}], notes:[...],
 *                  ...}]}
 * verdict is "valid" (signed, every signature valid), "invalid", "unsigned" or
 * "unreadable"; classes are "ok", "warn", "bad" (CSS badge classes). */
result_t sigcheck_report(const unsigned char *data, size_t len, const char *file_name,
                         const struct certstore *trust, int64_t now, json_t **report);

#endif
