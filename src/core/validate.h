/* Validators for identifiers and text fields (standards.md §1, §12). */
#ifndef QLVB_VALIDATE_H
#define QLVB_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/verr.h"

/* 12-digit citizen identity number (CCCD): digits only; the first three digits are a
 * province code (001–096), the fourth the century/sex digit (0–9). */
bool citizen_id_valid(const char *s);
/* QD20 agency code AAA.BB.CC.XNN: 3 digits, 2, 2, a letter A–Z and 2 digits. */
bool agency_code_valid(const char *s);
/* Symbol abbreviation: letters (Vietnamese allowed, e.g. "QĐ"), digits, '&', max 20. */
bool abbr_valid(const char *s);
bool email_valid(const char *s);
bool phone_valid(const char *s);

/* Normalises a text field in place semantics: NFC, white space squeezed, length
 * checked in code points. Returns a malloc'd clean copy, or NULL after adding a
 * Vietnamese message to errs (invalid UTF-8, required but empty, too long). */
char *field_clean(const char *in, const char *field, const char *label, bool required,
                  size_t max_chars, struct verrs *errs);
/* field_clean for text written in paragraphs (a direction, a comment, a reason): the
 * line breaks are kept (text_squeeze_lines), everything else as field_clean. */
char *field_clean_text(const char *in, const char *field, const char *label, bool required,
                       size_t max_chars, struct verrs *errs);

#endif
