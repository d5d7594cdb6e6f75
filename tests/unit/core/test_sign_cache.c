/* Issue 12: the core tells the signer process to forget an unlocked key (the key cache
 * of crypto/signer.h) when the key is revoked, locked by wrong PINs or refused; the PIN
 * is still checked on every signature. Real signer process (sealed mode) and the
 * throw-away PKI of scripts/test-pki.sh. */
#include <stdlib.h>
#include <unistd.h>

#include "app_fixture.h"
#include "check.h"
#include "core/demo.h"
#include "core/role.h"
#include "core/signing.h"
#include "core/signing_key.h"
#include "core/trust.h"
#include "crypto/keys.h"
#include "crypto/pki_fixture.h"
#include "crypto/signer.h"
#include "db/db.h"
#include "pdf/pdf_fixture.h"

static char data_dir[64];
static struct app app;
static struct actor sys, clerk;
static struct signer signer;
static struct buf pdf;

static result_t import_key(int64_t agency, int64_t *id)
{
    struct buf file = BUF_INIT(SIGNING_KEY_MAX_P12);
    struct verrs e = {0};
    result_t r = keys_read_file(pki_path("agency.p12"), SIGNING_KEY_MAX_P12, &file);
    struct signing_key_input in = {.agency_id = agency,
                                   .label = "Khóa thử",
                                   .p12 = (const unsigned char *)file.data,
                                   .p12_len = file.len,
                                   .pin = "123456"};
    if (r == RES_OK)
        r = signing_key_import(&app, &sys, &in, &e, id);
    buf_release(&file);
    return r;
}

static result_t sign(int64_t key_id, const char *pin)
{
    struct sign_request rq = {.key_id = key_id, .pin = pin, .file_name = "test.pdf"};
    struct verrs e = {0};
    struct buf out = BUF_INIT(4 << 20);
    result_t r =
        signing_sign_pdf(&app, &clerk, (const unsigned char *)pdf.data, pdf.len, &rq, &e, &out);
    buf_release(&out);
    return r;
}

static unsigned long entries(void)
{
    struct signer_cache_stats st;
    CHECK_INT(signer_cache_stats(&signer, &st), RES_OK);
    return st.entries;
}

static unsigned long hits(void)
{
    struct signer_cache_stats st;
    CHECK_INT(signer_cache_stats(&signer, &st), RES_OK);
    return st.hits;
}

TEST(revoked_key_is_forgotten)
{
    int64_t id = 0;
    struct verrs e = {0};
    CHECK_INT(import_key(clerk.agency_id, &id), RES_OK);
    CHECK_INT(signer_forget_all(&signer), RES_OK);
    CHECK_INT(sign(id, "123456"), RES_OK);
    unsigned long h = hits();
    CHECK_INT(sign(id, "123456"), RES_OK); /* the second signature is served from the cache */
    CHECK_INT(hits(), h + 1);
    CHECK_INT(entries(), 1);
    CHECK_INT(signing_key_revoke(&app, &sys, id, "Mất thiết bị", &e), RES_OK);
    CHECK_INT(entries(), 0);
    CHECK_INT(sign(id, "123456"), RES_INVALID); /* and the key no longer signs */
}

TEST(wrong_pin_and_lock_forget_the_key)
{
    int64_t id = 0;
    CHECK_INT(import_key(clerk.agency_id, &id), RES_OK);
    CHECK_INT(signer_forget_all(&signer), RES_OK);
    CHECK_INT(sign(id, "123456"), RES_OK);
    CHECK_INT(entries(), 1);
    /* The PIN is checked on every signature: a wrong one is refused and counted, and
     * the key is forgotten. */
    CHECK_INT(sign(id, "654321"), RES_INVALID);
    CHECK_INT(entries(), 0);
    int64_t fails = 0;
    CHECK_INT(db_one_i64(db_conn(app.db), &fails,
                         "SELECT failed_pins FROM signing_key WHERE id = $1", "i", id),
              RES_OK);
    CHECK_INT(fails, 1);
    /* Unlocked again, then locked (as another server of the cluster would record it):
     * the next attempt is refused before the signer is asked, and the key is wiped. */
    CHECK_INT(sign(id, "123456"), RES_OK);
    CHECK_INT(entries(), 1);
    CHECK_INT(db_run(db_conn(app.db), "UPDATE signing_key SET locked_until = $1 WHERE id = $2",
                     "ii", (int64_t)time(NULL) + 600, id),
              RES_OK);
    CHECK_INT(sign(id, "123456"), RES_LOCKED);
    CHECK_INT(entries(), 0);
    CHECK_INT(
        db_run(db_conn(app.db), "UPDATE signing_key SET locked_until = 0 WHERE id = $1", "i", id),
        RES_OK);
    /* Five wrong PINs lock the key here too; nothing of it stays in the signer. */
    CHECK_INT(sign(id, "123456"), RES_OK);
    for (int i = 0; i < SIGNING_KEY_PIN_TRIES; i++)
        CHECK_INT(sign(id, "000000"), RES_INVALID);
    CHECK_INT(entries(), 0);
    CHECK_INT(sign(id, "123456"), RES_LOCKED);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "signcache", false) != 0)
        return 2;
    char master[128];
    snprintf(master, sizeof(master), "%s/master.key", data_dir);
    signer_init(&signer);
    if (signer_start_sealed(&signer, master) != RES_OK)
        return 2;
    app.signer = &signer;
    struct buf file = BUF_INIT(TRUST_MAX_FILE);
    struct verrs e = {0};
    json_t *added = NULL;
    if (keys_read_file(pki_path("root.pem"), TRUST_MAX_FILE, &file) != RES_OK ||
        trust_add_certs(&app, &sys, (const unsigned char *)file.data, file.len, &e, &added) !=
            RES_OK)
        return 2;
    json_decref(added);
    buf_release(&file);
    int64_t agency = 0, user = 0;
    if (db_one_i64(db_conn(app.db), &user, "SELECT id FROM app_user WHERE login = $1", "t",
                   "040090000141") != RES_OK ||
        db_one_i64(db_conn(app.db), &agency, "SELECT agency_id FROM membership WHERE user_id = $1",
                   "i", user) != RES_OK)
        return 2;
    clerk = (struct actor){
        .user_id = user, .membership_id = 1, .agency_id = agency, .roles = ROLE_CLERK};
    snprintf(clerk.login, sizeof(clerk.login), "040090000141");
    snprintf(clerk.full_name, sizeof(clerk.full_name), "Văn thư");
    if (!make_test_pdf(1, &pdf))
        return 2;

    RUN(revoked_key_is_forgotten);
    RUN(wrong_pin_and_lock_forget_the_key);

    buf_release(&pdf);
    signer_release(&signer);
    trust_shutdown(&app);
    db_close(app.db);
    pki_cleanup();
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_sign_cache");
}
