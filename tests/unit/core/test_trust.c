/* The trust store and its snapshot cache, with the throw-away PKI of
 * scripts/test-pki.sh: what is added verifies, what is removed stops verifying, a
 * borrowed snapshot stays usable after the store changed, a second server (another
 * struct app on the same database) follows through the generation number, files in
 * <data>/trust/ are picked up, and readers race writers without harm (run under ASan
 * with `make test SANITIZE=1`). */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/trust.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "db/db.h"
#include "util/clock.h"

static char data_dir[64];
static struct app app, app2;
static struct actor sys;

static void open_app(struct app *a)
{
    char url[200];
    memset(a, 0, sizeof(*a));
    config_defaults(&a->cfg);
    snprintf(a->cfg.data_dir, sizeof(a->cfg.data_dir), "%s", data_dir);
    snprintf(url, sizeof(url), "sqlite:%s/qlvb.db", data_dir);
    CHECK_INT(db_open(url, &a->db), RES_OK);
    CHECK_INT(db_migrate(a->db), RES_OK);
}

static void close_app(struct app *a)
{
    trust_shutdown(a);
    db_close(a->db);
}

static result_t add_file(result_t (*add)(struct app *, const struct actor *, const unsigned char *,
                                         size_t, struct verrs *, json_t **),
                         const char *name, struct verrs *e, json_t **added)
{
    struct buf b = BUF_INIT(TRUST_MAX_FILE);
    memset(e, 0, sizeof(*e));
    CHECK_INT(keys_read_file(pki_path(name), TRUST_MAX_FILE, &b), RES_OK);
    result_t r = add(&app, &sys, (const unsigned char *)b.data, b.len, e, added);
    buf_release(&b);
    return r;
}

static X509 *load_cert(const char *name)
{
    STACK_OF(X509) *st = NULL;
    CHECK_INT(keys_load_certs_pem(pki_path(name), &st), RES_OK);
    X509 *x = sk_X509_shift(st);
    sk_X509_pop_free(st, X509_free);
    return x;
}

static enum cert_status verdict(const struct certstore *cs, X509 *leaf)
{
    struct cert_check chk;
    CHECK_INT(certstore_verify(cs, leaf, NULL, clock_now(), &chk), RES_OK);
    return chk.status;
}

static enum cert_status verdict_now(struct app *a, X509 *leaf)
{
    const struct certstore *cs = trust_acquire(a);
    enum cert_status s = verdict(cs, leaf);
    trust_release(a, cs);
    return s;
}

static int64_t id_of(json_t *added, size_t i)
{
    return json_integer_value(json_object_get(json_array_get(added, i), "id"));
}

TEST(store_follows_changes)
{
    X509 *person = load_cert("person.pem"), *revoked = load_cert("revoked.pem");
    struct verrs e;
    json_t *added = NULL;

    CHECK_INT(verdict_now(&app, person), CERT_UNTRUSTED);
    const struct certstore *empty = trust_acquire(&app);
    const struct certstore *again = trust_acquire(&app);
    CHECK(empty == again); /* nothing changed: the cached snapshot */
    trust_release(&app, again);

    CHECK_INT(add_file(trust_add_certs, "root.pem", &e, &added), RES_OK);
    CHECK_INT(json_array_size(added), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(added, 0), "kind")), "root");
    json_decref(added);
    CHECK_INT(verdict_now(&app, person), CERT_UNTRUSTED); /* the issuing CA is missing */
    CHECK_INT(verdict(empty, person), CERT_UNTRUSTED);    /* the old snapshot is unchanged */
    trust_release(&app, empty);

    CHECK_INT(add_file(trust_add_certs, "inter.pem", &e, &added), RES_OK);
    int64_t inter_id = id_of(added, 0);
    CHECK_STR(json_string_value(json_object_get(json_array_get(added, 0), "kind")), "intermediate");
    json_decref(added);
    CHECK_INT(verdict_now(&app, person), CERT_OK);
    CHECK_INT(verdict_now(&app, revoked), CERT_OK); /* no CRL yet */
    CHECK_INT(verdict_now(&app2, person), CERT_OK); /* the other server follows */

    CHECK_INT(add_file(trust_add_crl, "inter.crl.pem", &e, &added), RES_OK);
    CHECK_INT(json_integer_value(json_object_get(json_array_get(added, 0), "entries")), 1);
    json_decref(added);
    CHECK_INT(verdict_now(&app, revoked), CERT_REVOKED);
    CHECK_INT(verdict_now(&app2, revoked), CERT_REVOKED);

    /* A borrowed snapshot outlives a removal. */
    const struct certstore *held = trust_acquire(&app);
    CHECK_INT(trust_remove_cert(&app, &sys, inter_id), RES_OK);
    CHECK_INT(verdict_now(&app, person), CERT_UNTRUSTED);
    CHECK_INT(verdict(held, person), CERT_OK);
    trust_release(&app, held);
    CHECK_INT(trust_remove_cert(&app, &sys, inter_id), RES_OK); /* again: nothing to do */
    CHECK_INT(trust_remove_cert(&app, &sys, 999999), RES_NOT_FOUND);

    /* Re-adding reactivates the same row. */
    CHECK_INT(add_file(trust_add_certs, "inter.pem", &e, &added), RES_OK);
    CHECK_INT(id_of(added, 0), inter_id);
    json_decref(added);
    CHECK_INT(verdict_now(&app2, person), CERT_OK);
    X509_free(person);
    X509_free(revoked);
}

TEST(refusals)
{
    struct verrs e;
    json_t *added = NULL;
    CHECK_INT(add_file(trust_add_certs, "root.pem", &e, &added), RES_CONFLICT);
    CHECK_STR(e.items[0].field, "file");
    CHECK(strstr(e.items[0].message, "đã có"));
    CHECK_INT(add_file(trust_add_certs, "person.pem", &e, &added), RES_INVALID);
    CHECK(strstr(e.items[0].message, "(CA)"));
    CHECK_INT(add_file(trust_add_certs, "inter.crl.pem", &e, &added), RES_INVALID);
    CHECK_INT(add_file(trust_add_crl, "stranger-root.pem", &e, &added), RES_INVALID);
    CHECK_INT(add_file(trust_add_crl, "inter.crl.pem", &e, &added), RES_CONFLICT);
    memset(&e, 0, sizeof(e));
    CHECK_INT(trust_add_certs(&app, &sys, (const unsigned char *)"", 0, &e, &added), RES_INVALID);
    CHECK(strstr(e.items[0].message, "Chưa chọn tệp"));

    /* Only system administrators change the store; anyone signed in reads it. */
    struct actor admin = {.user_id = 7, .membership_id = 3, .agency_id = 2, .roles = ~0u};
    memset(&e, 0, sizeof(e));
    CHECK_INT(trust_add_certs(&app, &admin, (const unsigned char *)"x", 1, &e, &added),
              RES_FORBIDDEN);
    CHECK_INT(trust_remove_crl(&app, &admin, 1), RES_FORBIDDEN);
    json_t *list = NULL;
    CHECK_INT(trust_list(&app, &admin, &list), RES_OK);
    CHECK_INT(json_array_size(json_object_get(list, "certificates")), 2);
    CHECK_INT(json_array_size(json_object_get(list, "crls")), 1);
    json_decref(list);
}

TEST(directory_files_are_picked_up)
{
    X509 *stranger = load_cert("stranger.pem");
    CHECK_INT(verdict_now(&app, stranger), CERT_UNTRUSTED);
    char dir[128], cmd[400];
    snprintf(dir, sizeof(dir), "%s/trust", data_dir);
    CHECK(mkdir(dir, 0700) == 0);
    snprintf(cmd, sizeof(cmd), "cp %s %s/", pki_path("stranger-root.pem"), dir);
    CHECK(system(cmd) == 0);
    CHECK_INT(verdict_now(&app, stranger), CERT_OK);
    json_t *list = NULL;
    CHECK_INT(trust_list(&app, &sys, &list), RES_OK);
    size_t i, files = 0;
    json_t *c;
    json_array_foreach(json_object_get(list, "certificates"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "source")), "file") == 0) {
            files++;
            CHECK(strstr(json_string_value(json_object_get(c, "subject")), "Stranger Root"));
        }
    }
    CHECK_INT(files, 1);
    json_decref(list);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    CHECK_INT(verdict_now(&app, stranger), CERT_UNTRUSTED);
    X509_free(stranger);
}

/* Readers verify while a writer keeps adding and removing the issuing CA. */
static X509 *race_leaf;
static int race_stop;
static int race_bad;

static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; !__atomic_load_n(&race_stop, __ATOMIC_RELAXED) && i < 100000; i++) {
        const struct certstore *cs = trust_acquire(&app);
        struct cert_check chk;
        if (certstore_verify(cs, race_leaf, NULL, clock_now(), &chk) != RES_OK ||
            (chk.status != CERT_OK && chk.status != CERT_UNTRUSTED))
            __atomic_add_fetch(&race_bad, 1, __ATOMIC_RELAXED);
        trust_release(&app, cs);
    }
    return NULL;
}

TEST(readers_race_writers)
{
    race_leaf = load_cert("person.pem");
    pthread_t t[4];
    for (int k = 0; k < 4; k++)
        pthread_create(&t[k], NULL, reader, NULL);
    json_t *list = NULL;
    CHECK_INT(trust_list(&app, &sys, &list), RES_OK);
    int64_t inter_id = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(list, "certificates"), i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "kind")), "intermediate") == 0)
            inter_id = json_integer_value(json_object_get(c, "id"));
    }
    json_decref(list);
    CHECK(inter_id > 0);
    for (int round = 0; round < 15; round++) {
        struct verrs e;
        json_t *added = NULL;
        CHECK_INT(trust_remove_cert(&app, &sys, inter_id), RES_OK);
        CHECK_INT(add_file(trust_add_certs, "inter.pem", &e, &added), RES_OK);
        json_decref(added);
    }
    __atomic_store_n(&race_stop, 1, __ATOMIC_RELAXED);
    for (int k = 0; k < 4; k++)
        pthread_join(t[k], NULL);
    CHECK_INT(race_bad, 0);
    CHECK_INT(verdict_now(&app, race_leaf), CERT_OK);
    X509_free(race_leaf);
}

int main(void)
{
    snprintf(data_dir, sizeof(data_dir), "/tmp/qlvb-trust-XXXXXX");
    if (!mkdtemp(data_dir))
        return 2;
    sys.system = true;
    snprintf(sys.login, sizeof(sys.login), "system");
    open_app(&app);
    open_app(&app2);
    RUN(store_follows_changes);
    RUN(refusals);
    RUN(directory_files_are_picked_up);
    RUN(readers_race_writers);
    close_app(&app2);
    close_app(&app);
    pki_cleanup();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_trust");
}
