/* Minimal unit-test harness: TEST() functions, CHECK macros, and a main that prints
 * "<binary>: N passed, N failed" (counted per test function) for tests/run.sh. */
#ifndef QLVB_CHECK_H
#define QLVB_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures_;
static int check_passed_, check_failed_;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            check_failures_++;                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) {                                                                            \
            check_failures_++;                                                                     \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); \
        }                                                                                          \
    } while (0)

#define CHECK_STR(a, b)                                                                       \
    do {                                                                                      \
        const char *a_ = (a), *b_ = (b);                                                      \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                              \
            check_failures_++;                                                                \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                  \
        }                                                                                     \
    } while (0)

#define TEST(name) static void name(void)

#define RUN(name)                                \
    do {                                         \
        int before_ = check_failures_;           \
        name();                                  \
        if (check_failures_ == before_)          \
            check_passed_++;                     \
        else {                                   \
            check_failed_++;                     \
            fprintf(stderr, "FAIL %s\n", #name); \
        }                                        \
    } while (0)

#define CHECK_DONE(progname)                                                         \
    (printf("%s: %d passed, %d failed\n", (progname), check_passed_, check_failed_), \
     check_failed_ ? 1 : 0)

#endif
