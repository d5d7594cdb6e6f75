/* The blob store alone (issue 11 "Benchmark"): T threads each putting different 100 KB
 * files through blob_put for D seconds, into a fresh store (or one already holding
 * files). Not a test; not built by make:
 *
 *   make -j2 build/libqlvb.a
 *   cc -O2 -D_GNU_SOURCE -Isrc bench/blob_put.c build/libqlvb.a -o /tmp/blob_put \
 *      $(make -s --eval 'libs: ; @echo $(PKG_LIBS)' libs)
 *   /tmp/blob_put DIR [threads=8] [seconds=5] [size=102400]
 *
 * Prints puts/s, the mean and p50/p99 put latency, and CPU seconds (user, system). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "blob/blob.h"
#include "util/str.h"

static struct blob_store *bs;
static size_t size = 102400;
static double seconds = 5;
static atomic_long seq;

struct worker {
    double *lat;
    size_t n, cap;
    int failed;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *run(void *arg)
{
    struct worker *w = arg;
    unsigned char *data = malloc(size);
    for (size_t i = 0; i < size; i++)
        data[i] = (unsigned char)(i * 31 + 7);
    double end = now() + seconds;
    char hash[BLOB_HASH_LEN + 1];
    while (now() < end) {
        long n = atomic_fetch_add(&seq, 1);
        memcpy(data, &n, sizeof(n)); /* every file different */
        double t0 = now();
        if (blob_put(bs, data, size, hash) != RES_OK)
            w->failed++;
        if (w->n == w->cap) {
            w->cap = w->cap ? 2 * w->cap : 1024;
            w->lat = realloc(w->lat, w->cap * sizeof(*w->lat));
        }
        w->lat[w->n++] = now() - t0;
    }
    free(data);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR [threads] [seconds] [size]\n", argv[0]);
        return 2;
    }
    int64_t t = 8, secs = 0, sz = 0;
    if ((argc > 2 && str_to_i64(argv[2], 1, 256, &t) != RES_OK) ||
        (argc > 3 && str_to_i64(argv[3], 1, 3600, &secs) != RES_OK) ||
        (argc > 4 && str_to_i64(argv[4], (int64_t)sizeof(long), 1 << 30, &sz) != RES_OK)) {
        fprintf(stderr, "threads 1–256, seconds 1–3600, size 8 B–1 GiB\n");
        return 2;
    }
    int threads = (int)t;
    if (secs)
        seconds = (double)secs;
    if (sz)
        size = (size_t)sz;
    double o0 = now();
    if (blob_open(argv[1], 0, &bs) != RES_OK)
        return 1;
    double opened = now() - o0;
    pthread_t th[256];
    struct worker w[256];
    memset(w, 0, sizeof(w));
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, run, &w[i]);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double el = now() - t0;
    getrusage(RUSAGE_SELF, &r1);
    size_t n = 0;
    int failed = 0;
    for (int i = 0; i < threads; i++)
        n += w[i].n, failed += w[i].failed;
    double *all = malloc((n ? n : 1) * sizeof(*all)), sum = 0;
    size_t k = 0;
    for (int i = 0; i < threads; i++)
        for (size_t j = 0; j < w[i].n; j++)
            sum += all[k++] = w[i].lat[j];
    qsort(all, n, sizeof(*all), cmp);
    double us = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6;
    double sy = (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    printf("threads %d, %zu bytes: %zu puts in %.1f s = %.0f/s; latency mean %.2f ms, p50 %.2f, "
           "p99 %.2f; CPU per put %.0f us user + %.0f us system; failed %d; open %.1f ms\n",
           threads, size, n, el, (double)n / el, n ? sum / (double)n * 1e3 : 0,
           n ? all[n / 2] * 1e3 : 0, n ? all[n * 99 / 100] * 1e3 : 0, n ? us / (double)n * 1e6 : 0,
           n ? sy / (double)n * 1e6 : 0, failed, opened * 1e3);
    blob_close(bs);
    return failed ? 1 : 0;
}
