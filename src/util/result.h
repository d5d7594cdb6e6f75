/* The one result vocabulary of qlvb: every fallible function returns a result_t.
 * Names are stable; result_name() gives the English identifier for logs and the
 * HTTP layer maps them to status codes (http/response.c). */
#ifndef QLVB_RESULT_H
#define QLVB_RESULT_H

typedef enum result {
    RES_OK = 0,
    RES_ROW,             /* db: a row is available */
    RES_DONE,            /* db: no more rows */
    RES_INVALID,         /* input fails validation */
    RES_NOT_FOUND,       /* object does not exist (or is not visible) */
    RES_CONFLICT,        /* uniqueness or state conflict */
    RES_UNAUTHENTICATED, /* no valid session */
    RES_FORBIDDEN,       /* authenticated but not allowed */
    RES_LOCKED,          /* account locked or disabled */
    RES_TOO_LARGE,       /* a size or count limit was exceeded */
    RES_BUSY,            /* transient contention: retry */
    RES_RECONNECT,       /* db connection lost: reconnect and retry */
    RES_IO,              /* file or socket error */
    RES_DB,              /* database error */
    RES_CRYPTO,          /* cryptographic failure */
    RES_UNSUPPORTED,     /* feature or format not supported */
    RES_INTERNAL,        /* bug or unexpected state */
} result_t;

const char *result_name(result_t r);

#endif
