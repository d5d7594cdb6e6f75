/* The blob store: content addressing, durability layout (one-level ab/<hash>, the old
 * two-level ab/cd/<hash> still read), verification on read, deduplication (also of
 * concurrent puts), unnamed and named temporaries, limits, and the sweep's rule (only
 * unreferenced files and rows older than the grace period go). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blob/blob.h"
#include "blob/blob_driver.h"
#include "check.h"
#include "db/db.h"

#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char dir[256], dbpath[300];
static struct blob_store *bs;
static struct db *db;

static void file_of(const char *hash, char *out, size_t n)
{
    snprintf(out, n, "%s/%.2s/%s", dir, hash, hash);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(fwrite(data, 1, len, f), len);
    fclose(f);
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void age(const char *path, int64_t seconds)
{
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = time(NULL) - seconds;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    CHECK_INT(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/qlvb-test-blob-%d", (int)getpid());
    snprintf(dbpath, sizeof(dbpath), "%s.db", dir);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", dir, dbpath);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    char url[320];
    snprintf(url, sizeof(url), "file:%s", dir);
    CHECK_INT(blob_open(url, 1024 * 1024, &bs), RES_OK);
    snprintf(url, sizeof(url), "sqlite:%s", dbpath);
    CHECK_INT(db_open(url, &db), RES_OK);
    CHECK_INT(db_migrate(db), RES_OK);
    struct db_conn *c = db_conn(db);
    CHECK_INT(db_exec(c, "CREATE TABLE t_doc (id INTEGER PRIMARY KEY, file_hash TEXT "
                         "REFERENCES blob(hash))"),
              RES_OK);
    CHECK_INT(db_run(c,
                     "INSERT INTO blob_ref_column (table_name, column_name) VALUES "
                     "('t_doc', 'file_hash')",
                     ""),
              RES_OK);
}

TEST(put_get_round_trip)
{
    char hash[BLOB_HASH_LEN + 1], path[600];
    CHECK_INT(blob_put(bs, "abc", 3, hash), RES_OK);
    CHECK_STR(hash, ABC_SHA256);
    file_of(hash, path, sizeof(path));
    struct stat st;
    CHECK_INT(stat(path, &st), 0); /* <dir>/ba/<hash> */
    CHECK_INT(st.st_size, 3);
    struct buf out = BUF_INIT(1024);
    CHECK_INT(blob_get(bs, hash, &out), RES_OK);
    CHECK_INT(out.len, 3);
    CHECK(memcmp(out.data, "abc", 3) == 0);
    CHECK(blob_exists(bs, hash));

    /* streaming writer in chunks gives the same name as the one-shot put */
    unsigned char big[200000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 7 + 3);
    char h1[BLOB_HASH_LEN + 1], h2[BLOB_HASH_LEN + 1];
    struct blob_writer *w = NULL;
    int64_t size = 0;
    CHECK_INT(blob_begin(bs, &w), RES_OK);
    for (size_t off = 0; off < sizeof(big); off += 30000)
        CHECK_INT(blob_write(w, big + off, sizeof(big) - off < 30000 ? sizeof(big) - off : 30000),
                  RES_OK);
    CHECK_INT(blob_finish(w, h1, &size), RES_OK);
    CHECK_INT(size, sizeof(big));
    CHECK_INT(blob_put(bs, big, sizeof(big), h2), RES_OK);
    CHECK_STR(h1, h2);

    /* streaming read hands back every byte, then a verified end */
    struct blob_reader *rd = NULL;
    CHECK_INT(blob_read_open(bs, h1, &rd, &size), RES_OK);
    CHECK_INT(size, sizeof(big));
    size_t total = 0, got = 0;
    unsigned char chunk[4096];
    result_t r;
    while ((r = blob_read(rd, chunk, sizeof(chunk), &got)) == RES_OK && got) {
        CHECK(memcmp(chunk, big + total, got) == 0);
        total += got;
    }
    CHECK_INT(r, RES_OK);
    CHECK_INT(total, sizeof(big));
    blob_read_close(rd);

    /* absent or malformed names */
    CHECK_INT(
        blob_get(bs, "0000000000000000000000000000000000000000000000000000000000000000", &out),
        RES_NOT_FOUND);
    CHECK_INT(blob_get(bs, "../../etc/passwd", &out), RES_NOT_FOUND);
    CHECK(!blob_exists(bs, "ABC"));
    buf_release(&out);
}

TEST(corrupted_file_detected)
{
    char hash[BLOB_HASH_LEN + 1], path[600];
    const char *text = "Quyết định số 12/QĐ-UBND";
    CHECK_INT(blob_put(bs, text, strlen(text), hash), RES_OK);
    file_of(hash, path, sizeof(path));
    /* same length, one byte changed: only the hash can tell */
    int fd = open(path, O_WRONLY);
    CHECK(fd >= 0);
    CHECK_INT(pwrite(fd, "X", 1, 0), 1);
    close(fd);
    struct buf out = BUF_INIT(1024);
    CHECK_INT(blob_get(bs, hash, &out), RES_CRYPTO);
    CHECK_INT(out.len, 0); /* nothing handed out */
    struct blob_reader *rd = NULL;
    char chunk[8];
    size_t got = 0;
    result_t r;
    CHECK_INT(blob_read_open(bs, hash, &rd, NULL), RES_OK);
    while ((r = blob_read(rd, chunk, sizeof(chunk), &got)) == RES_OK && got)
        ;
    CHECK_INT(r, RES_CRYPTO); /* the streaming reader fails at its end */
    blob_read_close(rd);
    /* putting the genuine bytes again repairs the stored file */
    char again[BLOB_HASH_LEN + 1];
    CHECK_INT(blob_put(bs, text, strlen(text), again), RES_OK);
    CHECK_STR(again, hash);
    CHECK_INT(blob_get(bs, hash, &out), RES_OK);
    CHECK(out.len == strlen(text) && memcmp(out.data, text, out.len) == 0);
    buf_release(&out);
    char tmpdir[400];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", dir);
    CHECK_INT(count_entries(tmpdir), 0); /* the repair's named temporary was moved */
    struct stat st;
    CHECK_INT(stat(path, &st), 0);
    CHECK_INT(st.st_nlink, 1);
}

TEST(identical_put_deduplicated)
{
    char h1[BLOB_HASH_LEN + 1], h2[BLOB_HASH_LEN + 1], path[600], d2[600];
    const char *text = "công văn gửi Sở Tài chính";
    CHECK_INT(blob_put(bs, text, strlen(text), h1), RES_OK);
    file_of(h1, path, sizeof(path));
    struct stat a, b;
    CHECK_INT(stat(path, &a), 0);
    age(path, 5000);
    CHECK_INT(blob_put(bs, text, strlen(text), h2), RES_OK);
    CHECK_STR(h1, h2);
    CHECK_INT(stat(path, &b), 0);
    CHECK_INT(a.st_ino, b.st_ino);        /* the stored file was kept, not replaced */
    CHECK(b.st_mtime > time(NULL) - 100); /* but refreshed, so a sweep keeps it */
    snprintf(d2, sizeof(d2), "%s/%.2s", dir, h1);
    CHECK_INT(count_entries(d2), 1);
}

/* Abort and the size limit leave nothing behind, with unnamed (O_TMPFILE: nothing in
 * tmp/ even while writing) and with named temporaries. */
static void temporaries_in(struct blob_store *store, const char *store_dir, bool named)
{
    char tmpdir[400], hash[BLOB_HASH_LEN + 1];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", store_dir);
    CHECK_INT(blob_put(store, "x", 1, hash), RES_OK);
    CHECK_INT(count_entries(tmpdir), 0); /* the temporary became the blob */

    struct blob_writer *w = NULL;
    CHECK_INT(blob_begin(store, &w), RES_OK);
    CHECK_INT(blob_write(w, "part", 4), RES_OK);
    CHECK_INT(count_entries(tmpdir), named ? 1 : 0);
    blob_abort(w);
    CHECK_INT(count_entries(tmpdir), 0);

    /* over the store's limit (1 MiB here): refused, nothing left behind */
    static unsigned char big[700 * 1024];
    CHECK_INT(blob_begin(store, &w), RES_OK);
    CHECK_INT(blob_write(w, big, sizeof(big)), RES_OK);
    CHECK_INT(blob_write(w, big, sizeof(big)), RES_TOO_LARGE);
    CHECK_INT(blob_finish(w, hash, NULL), RES_INVALID);
    CHECK_INT(count_entries(tmpdir), 0);
    CHECK_INT(blob_put(store, big, sizeof(big), hash), RES_OK); /* within the limit */
    static unsigned char huge[1024 * 1024 + 1];
    CHECK_INT(blob_put(store, huge, sizeof(huge), hash), RES_TOO_LARGE);
    CHECK_INT(count_entries(tmpdir), 0);
    struct buf out = BUF_INIT(2 * 1024 * 1024);
    CHECK_INT(blob_get(store, hash, &out), RES_OK);
    CHECK_INT(out.len, sizeof(big));
    buf_release(&out);
}

TEST(temporaries_cleaned_and_limit)
{
    temporaries_in(bs, dir, false);

    /* where O_TMPFILE is missing: a named temporary in tmp/, linked, then removed */
    char other[300], url[320];
    snprintf(other, sizeof(other), "%s-named", dir);
    snprintf(url, sizeof(url), "file:%s", other);
    blob_fs_named_temporaries(true);
    struct blob_store *named = NULL;
    CHECK_INT(blob_open(url, 1024 * 1024, &named), RES_OK);
    blob_fs_named_temporaries(false);
    if (!named)
        return;
    temporaries_in(named, other, true);
    /* a damaged file is replaced through the named temporary too */
    char hash[BLOB_HASH_LEN + 1], path[600];
    CHECK_INT(blob_put(named, "named path", 10, hash), RES_OK);
    snprintf(path, sizeof(path), "%s/%.2s/%s", other, hash, hash);
    write_file(path, "NAMED PATH", 10);
    CHECK_INT(blob_put(named, "named path", 10, hash), RES_OK);
    struct buf out = BUF_INIT(1024);
    CHECK_INT(blob_get(named, hash, &out), RES_OK);
    buf_release(&out);
    snprintf(path, sizeof(path), "%s/tmp", other);
    CHECK_INT(count_entries(path), 0);
    blob_close(named);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", other);
    CHECK_INT(system(cmd), 0);
}

/* A new store: the 256 fan-out directories and the layout marker exist after open, so a
 * put makes no directory. */
TEST(fanout_made_at_open)
{
    char path[600];
    int dirs = 0;
    for (int i = 0; i < 256; i++) {
        struct stat st;
        snprintf(path, sizeof(path), "%s/%02x", dir, i);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            dirs++;
    }
    CHECK_INT(dirs, 256);
    snprintf(path, sizeof(path), "%s/layout", dir);
    CHECK_INT(access(path, F_OK), 0);
    /* 256 directories, tmp/ and the marker: nothing else at the top */
    CHECK_INT(count_entries(dir), 258);
}

/* A data directory written by an older version (ab/cd/<hash>, no marker) keeps working:
 * its files are read, deduplicated, listed and swept where they are; new bytes go to
 * ab/<hash>; a damaged old file is replaced by a good copy in the new place. */
TEST(old_layout_still_read)
{
    char old[300], url[320], path[700], legacy[700], hash[BLOB_HASH_LEN + 1];
    snprintf(old, sizeof(old), "%s-old", dir);
    snprintf(url, sizeof(url), "file:%s", old);
    /* what the old driver left: ab/ and ab/cd/ made on demand, a file */
    snprintf(path, sizeof(path), "%s/ba/78", old);
    char cmd[2400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' '%s/tmp' '%s/5d/41'", old, path, old,
             old);
    CHECK_INT(system(cmd), 0);
    snprintf(legacy, sizeof(legacy), "%s/ba/78/%s", old, ABC_SHA256);
    write_file(legacy, "abc", 3);
    age(legacy, 7200);
    /* sha256("hello"), stored with other bytes (damaged) */
    const char *hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    char damaged[700];
    snprintf(damaged, sizeof(damaged), "%s/2c/f2/%s", old, hello);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/2c/f2'", old);
    CHECK_INT(system(cmd), 0);
    write_file(damaged, "HELLO", 5);

    struct blob_store *st = NULL;
    CHECK_INT(blob_open(url, 1024 * 1024, &st), RES_OK);
    if (!st)
        return;
    snprintf(path, sizeof(path), "%s/layout", old);
    CHECK(access(path, F_OK) != 0); /* not marked: it may hold the old layout */
    snprintf(path, sizeof(path), "%s/ff", old);
    CHECK_INT(access(path, F_OK), 0); /* the missing fan-out directories were made */

    struct buf out = BUF_INIT(1024);
    CHECK_INT(blob_get(st, ABC_SHA256, &out), RES_OK);
    CHECK(out.len == 3 && memcmp(out.data, "abc", 3) == 0);
    CHECK(blob_exists(st, ABC_SHA256));

    /* the same bytes again: the old file is kept (refreshed), no second copy */
    struct stat a, b;
    CHECK_INT(stat(legacy, &a), 0);
    CHECK_INT(blob_put(st, "abc", 3, hash), RES_OK);
    CHECK_STR(hash, ABC_SHA256);
    CHECK_INT(stat(legacy, &b), 0);
    CHECK_INT(a.st_ino, b.st_ino);
    CHECK(b.st_mtime > time(NULL) - 100);
    snprintf(path, sizeof(path), "%s/ba/%s", old, ABC_SHA256);
    CHECK(access(path, F_OK) != 0);

    /* new bytes: one level */
    char fresh[BLOB_HASH_LEN + 1];
    CHECK_INT(blob_put(st, "new bytes", 9, fresh), RES_OK);
    snprintf(path, sizeof(path), "%s/%.2s/%s", old, fresh, fresh);
    CHECK_INT(access(path, F_OK), 0);
    CHECK_INT(blob_get(st, fresh, &out), RES_OK);

    /* the damaged old file is detected, then replaced by a good copy at 2c/<hash> */
    CHECK_INT(blob_get(st, hello, &out), RES_CRYPTO);
    CHECK_INT(blob_put(st, "hello", 5, hash), RES_OK);
    CHECK_STR(hash, hello);
    CHECK_INT(blob_get(st, hello, &out), RES_OK);
    CHECK(out.len == 5 && memcmp(out.data, "hello", 5) == 0);
    CHECK(access(damaged, F_OK) != 0);
    snprintf(path, sizeof(path), "%s/2c/%s", old, hello);
    CHECK_INT(access(path, F_OK), 0);

    /* the sweep sees both layouts: unreferenced old files go, from either place */
    char url2[320];
    snprintf(url2, sizeof(url2), "sqlite:%s.db", old);
    struct db *odb = NULL;
    CHECK_INT(db_open(url2, &odb), RES_OK);
    CHECK_INT(db_migrate(odb), RES_OK);
    struct db_conn *c = db_conn(odb);
    age(legacy, 7200);
    snprintf(path, sizeof(path), "%s/%.2s/%s", old, fresh, fresh);
    age(path, 7200);
    struct blob_sweep_report rep;
    CHECK_INT(blob_sweep(st, c, time(NULL), 3600, &rep), RES_OK);
    CHECK_INT(rep.files_removed, 2); /* abc (old place), "new bytes" (new place) */
    CHECK_INT(rep.files_kept, 1);    /* hello: put a moment ago */
    CHECK(!blob_exists(st, ABC_SHA256));
    CHECK(!blob_exists(st, fresh));
    CHECK(blob_exists(st, hello));
    buf_release(&out);
    db_close(odb);
    blob_close(st);
    /* opened again: still not marked, still read */
    CHECK_INT(blob_open(url, 1024 * 1024, &st), RES_OK);
    CHECK(blob_exists(st, hello));
    blob_close(st);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s.db' '%s.db-wal' '%s.db-shm'", old, old, old, old);
    CHECK_INT(system(cmd), 0);
}

/* Puts of the same bytes at the same time: every one succeeds with the same name, one
 * file stays, no temporary is left. */
struct same_put {
    char hash[BLOB_HASH_LEN + 1];
    result_t r;
};

static unsigned char same_bytes[150000];

static void *put_same(void *arg)
{
    struct same_put *p = arg;
    p->r = blob_put(bs, same_bytes, sizeof(same_bytes), p->hash);
    return NULL;
}

TEST(concurrent_identical_puts)
{
    for (size_t i = 0; i < sizeof(same_bytes); i++)
        same_bytes[i] = (unsigned char)(i * 13 + 1);
    enum { N = 16 };
    pthread_t th[N];
    struct same_put res[N];
    memset(res, 0, sizeof(res));
    for (int i = 0; i < N; i++)
        CHECK_INT(pthread_create(&th[i], NULL, put_same, &res[i]), 0);
    for (int i = 0; i < N; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) {
        CHECK_INT(res[i].r, RES_OK);
        CHECK_STR(res[i].hash, res[0].hash);
    }
    char d[600];
    snprintf(d, sizeof(d), "%s/%.2s", dir, res[0].hash);
    int n = 0;
    DIR *dd = opendir(d);
    struct dirent *e;
    while (dd && (e = readdir(dd)))
        if (strcmp(e->d_name, res[0].hash) == 0)
            n++;
    if (dd)
        closedir(dd);
    CHECK_INT(n, 1);
    snprintf(d, sizeof(d), "%s/tmp", dir);
    CHECK_INT(count_entries(d), 0);
    struct buf out = BUF_INIT(sizeof(same_bytes));
    CHECK_INT(blob_get(bs, res[0].hash, &out), RES_OK);
    CHECK(out.len == sizeof(same_bytes) && memcmp(out.data, same_bytes, out.len) == 0);
    buf_release(&out);
}

TEST(reference_in_rolled_back_transaction)
{
    struct db_conn *c = db_conn(db);
    char hash[BLOB_HASH_LEN + 1];
    int64_t n = -1;
    CHECK_INT(blob_put(bs, "rolled back", 11, hash), RES_OK);
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(blob_ref(c, hash, 11), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO t_doc (file_hash) VALUES ($1)", "t", hash), RES_OK);
    CHECK_INT(db_rollback(c), RES_OK);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM blob WHERE hash = $1", "t", hash), RES_OK);
    CHECK_INT(n, 0);
    /* a reference to a blob row that does not exist is refused by the foreign key */
    CHECK_INT(db_run(c, "INSERT INTO t_doc (file_hash) VALUES ($1)", "t", hash), RES_CONFLICT);
    CHECK_INT(blob_ref(c, "not-a-hash", 1), RES_INVALID);
}

TEST(sweep_removes_only_unreferenced_and_old)
{
    struct db_conn *c = db_conn(db);
    char used[BLOB_HASH_LEN + 1], unused[BLOB_HASH_LEN + 1], fresh[BLOB_HASH_LEN + 1],
        orphan[BLOB_HASH_LEN + 1], path[600], tmpfile[600];
    int64_t now = time(NULL), n = 0;
    /* start from a clean store: earlier tests left files */
    struct blob_sweep_report rep;
    CHECK_INT(blob_sweep(bs, c, now + 100000, 0, &rep), RES_OK);

    CHECK_INT(blob_put(bs, "referenced", 10, used), RES_OK);
    CHECK_INT(blob_put(bs, "no longer used", 14, unused), RES_OK);
    CHECK_INT(blob_put(bs, "put a moment ago", 16, fresh), RES_OK);
    CHECK_INT(blob_put(bs, "row never written", 17, orphan), RES_OK);
    CHECK_INT(db_begin(c), RES_OK);
    CHECK_INT(blob_ref(c, used, 10), RES_OK);
    CHECK_INT(db_run(c, "INSERT INTO t_doc (file_hash) VALUES ($1)", "t", used), RES_OK);
    CHECK_INT(blob_ref(c, unused, 14), RES_OK);
    CHECK_INT(db_commit(c), RES_OK);
    CHECK_INT(db_run(c, "UPDATE blob SET last_ref_at = $1", "i", now - 7200), RES_OK);
    const char *old[] = {used, unused, orphan};
    for (int i = 0; i < 3; i++) {
        file_of(old[i], path, sizeof(path));
        age(path, 7200);
    }
    snprintf(tmpfile, sizeof(tmpfile), "%s/tmp/abandoned.tmp", dir);
    FILE *f = fopen(tmpfile, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    age(tmpfile, 7200);

    CHECK_INT(blob_sweep(bs, c, now, 3600, &rep), RES_OK);
    CHECK_INT(rep.rows_removed, 1);  /* `unused` */
    CHECK_INT(rep.files_removed, 2); /* `unused`, `orphan` */
    CHECK_INT(rep.tmp_removed, 1);
    CHECK(blob_exists(bs, used));
    CHECK(blob_exists(bs, fresh)); /* within the grace period: its transaction may be open */
    CHECK(!blob_exists(bs, unused));
    CHECK(!blob_exists(bs, orphan));
    CHECK(access(tmpfile, F_OK) != 0);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM blob", ""), RES_OK);
    CHECK_INT(n, 1);

    /* once the row that used it goes, the blob goes after the grace period */
    CHECK_INT(db_run(c, "DELETE FROM t_doc", ""), RES_OK);
    CHECK_INT(blob_sweep(bs, c, now, 3600, &rep), RES_OK);
    CHECK_INT(rep.rows_removed, 1);
    CHECK_INT(rep.files_removed, 1);
    CHECK(!blob_exists(bs, used));
    CHECK(blob_exists(bs, fresh));
}

TEST(sweep_refuses_bad_registry)
{
    struct db_conn *c = db_conn(db);
    struct blob_sweep_report rep;
    int64_t n = 0;
    CHECK_INT(db_run(c, "INSERT INTO blob_ref_column VALUES ('t_doc; DROP TABLE blob', 'x')", ""),
              RES_OK);
    CHECK_INT(blob_sweep(bs, c, time(NULL) + 100000, 0, &rep), RES_INTERNAL);
    CHECK_INT(db_one_i64(c, &n, "SELECT COUNT(*) FROM blob_ref_column", ""), RES_OK);
    CHECK(n >= 2); /* nothing ran */
    CHECK_INT(db_run(c, "DELETE FROM blob_ref_column WHERE column_name = 'x'", ""), RES_OK);
}

/* Sizes around the direct-I/O block (4096) and chunk (256 KiB), through a store that
 * writes past the page cache where the filesystem allows it and one that is made to
 * write through it: the same hashes, the same bytes read back, each file exactly its
 * size on disk (the last partial block written through the page cache), nothing left
 * in tmp/. */
static void sizes_in(struct blob_store *store, const char *root, char hashes[][BLOB_HASH_LEN + 1])
{
    static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 262143, 262144, 262145, 600001};
    enum { N = sizeof(sizes) / sizeof(sizes[0]) };
    static unsigned char data[600001];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    for (int k = 0; k < N; k++) {
        data[0] = (unsigned char)k; /* every size its own bytes */
        /* written in uneven pieces, as an upload arrives */
        struct blob_writer *w = NULL;
        CHECK_INT(blob_begin(store, &w), RES_OK);
        if (!w)
            return;
        for (size_t off = 0, step = 1000; off < sizes[k]; off += step, step = step * 3 % 70001 + 1)
            CHECK_INT(blob_write(w, data + off, step < sizes[k] - off ? step : sizes[k] - off),
                      RES_OK);
        int64_t size = -1;
        CHECK_INT(blob_finish(w, hashes[k], &size), RES_OK);
        CHECK_INT(size, (int64_t)sizes[k]);
        struct buf out = BUF_INIT(1024 * 1024);
        CHECK_INT(blob_get(store, hashes[k], &out), RES_OK);
        CHECK_INT(out.len, sizes[k]);
        CHECK(out.len == sizes[k] && (sizes[k] == 0 || memcmp(out.data, data, sizes[k]) == 0));
        buf_release(&out);
        char path[700];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%.2s/%s", root, hashes[k], hashes[k]);
        CHECK_INT(stat(path, &st), 0);
        CHECK_INT(st.st_size, (long long)sizes[k]);
    }
    char tmp[700];
    snprintf(tmp, sizeof(tmp), "%s/tmp", root);
    CHECK_INT(count_entries(tmp), 0);
}

TEST(direct_and_buffered_writes)
{
    char direct[9][BLOB_HASH_LEN + 1], buffered[9][BLOB_HASH_LEN + 1];
    sizes_in(bs, dir, direct);
    char other[300], url[320];
    snprintf(other, sizeof(other), "%s-buffered", dir);
    snprintf(url, sizeof(url), "file:%s", other);
    blob_fs_buffered_writes(true);
    struct blob_store *store = NULL;
    CHECK_INT(blob_open(url, 1024 * 1024, &store), RES_OK);
    blob_fs_buffered_writes(false);
    if (!store)
        return;
    sizes_in(store, other, buffered);
    for (int k = 0; k < 9; k++)
        CHECK_STR(direct[k], buffered[k]);
    blob_close(store);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", other);
    CHECK_INT(system(cmd), 0);
}

int main(void)
{
    setup();
    RUN(fanout_made_at_open);
    RUN(put_get_round_trip);
    RUN(corrupted_file_detected);
    RUN(identical_put_deduplicated);
    RUN(temporaries_cleaned_and_limit);
    RUN(direct_and_buffered_writes);
    RUN(old_layout_still_read);
    RUN(concurrent_identical_puts);
    RUN(reference_in_rolled_back_transaction);
    RUN(sweep_removes_only_unreferenced_and_old);
    RUN(sweep_refuses_bad_registry);
    blob_close(bs);
    db_close(db);
    char cmd[1400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s' '%s-wal' '%s-shm'", dir, dbpath, dbpath, dbpath);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    return CHECK_DONE("test_blob");
}
