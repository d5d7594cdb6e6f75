/* Names for result_t values, for logs and machine-readable errors. */
#include "util/result.h"

const char *result_name(result_t r)
{
    switch (r) {
    case RES_OK:
        return "ok";
    case RES_ROW:
        return "row";
    case RES_DONE:
        return "done";
    case RES_INVALID:
        return "invalid";
    case RES_NOT_FOUND:
        return "not_found";
    case RES_CONFLICT:
        return "conflict";
    case RES_UNAUTHENTICATED:
        return "unauthenticated";
    case RES_FORBIDDEN:
        return "forbidden";
    case RES_LOCKED:
        return "locked";
    case RES_TOO_LARGE:
        return "too_large";
    case RES_BUSY:
        return "busy";
    case RES_RECONNECT:
        return "reconnect";
    case RES_IO:
        return "io";
    case RES_DB:
        return "db";
    case RES_CRYPTO:
        return "crypto";
    case RES_UNSUPPORTED:
        return "unsupported";
    case RES_INTERNAL:
        return "internal";
    }
    return "unknown";
}
