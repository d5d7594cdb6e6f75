/* Text at the edge: UTF-8 validation, NFC normalisation (TCVN 6909:2001, standards.md
 * §11) and Vietnamese search folding (case and diacritics, đ → d). */
#ifndef QLVB_TEXT_H
#define QLVB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/result.h"

/* True if s[0..n) is well-formed UTF-8 without NUL or C0 controls other than
 * tab, LF and CR. */
bool text_valid_utf8(const char *s, size_t n);
/* NFC-normalised copy (malloc'd) or NULL if s is not valid UTF-8. */
char *text_nfc(const char *s);
/* Upper case with the diacritics kept ("Ủy ban nhân dân tỉnh" → "ỦY BAN NHÂN DÂN TỈNH"),
 * NFC; malloc'd or NULL if s is not valid UTF-8. */
char *text_upper(const char *s);
/* Lowercase, diacritics removed, đ → d, NFC; malloc'd or NULL if invalid. */
char *text_fold(const char *s);
/* Number of code points (not bytes); -1 if invalid. */
long text_length(const char *s);
/* True if s has at least one letter and no lower-case letter ("PHÓ CHỦ TỊCH", "KT. GIÁM
 * ĐỐC"); false for invalid UTF-8. Combining marks of decomposed text are ignored. */
bool text_is_upper(const char *s);
/* What a one-line field (a name, a label) must not contain: TEXT_CONTROL for a control
 * character (C0 other than tab, LF and CR, which are white space; DEL; C1 such as U+0085),
 * TEXT_BIDI for a bidirectional formatting character (U+061C, U+200E/F, U+202A–U+202E,
 * U+2066–U+2069), which can make a name display as another; TEXT_SAFE when there is none or s is
 * not valid UTF-8 (checked elsewhere). */
enum text_unsafe { TEXT_SAFE = 0, TEXT_CONTROL, TEXT_BIDI };
enum text_unsafe text_unsafe_char(const char *s);
/* Collapses runs of white space to one space and trims both ends, in place. */
void text_squeeze(char *s);
/* The same for text written in paragraphs (a direction, a comment, a reason): spaces and
 * tabs squeezed inside each line, every line trimmed, CR LF and CR made LF, at most one
 * empty line in a row, no empty line at either end. In place. */
void text_squeeze_lines(char *s);
/* Folds to ASCII lowercase letters and digits only (for host labels: "Sở KH&CN" →
 * "sokhcn"); out must hold strlen(s)+1 bytes. */
void text_ascii_slug(const char *s, char *out, size_t outsize);

/* The longest prefix of s[0..n) of at most max bytes that ends on a character
 * boundary, and where it can on a grapheme-cluster boundary: "ệ" written as e + U+0323
 * + U+0302 is never cut after the "e". Returns its length (n when the whole fits). An
 * invalid byte ends the prefix before it; a single cluster longer than max is cut
 * between its code points. */
size_t text_cut(const char *s, size_t n, size_t max);

/* A LIKE pattern "%<folded q>%" with %, _ and \\ escaped (use with ESCAPE '\\'),
 * for accent-insensitive "contains" search; out gets "" when q is empty. */
void text_like_contains(const char *q, char *out, size_t outsize);

#endif
