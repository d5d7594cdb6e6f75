/* Signing through the real signer process (sealed mode) with the throw-away PKI of
 * scripts/test-pki.sh: a signed PDF is handed out only when its document_sign audit row
 * was written, and a wrong PIN is either counted (with its row) or reported as an error
 * (audit failures injected with audit_fail_next). */
#include <stdlib.h>
#include <unistd.h>

#include "app_fixture.h"
#include "check.h"
#include "core/audit.h"
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
static int64_t key_id;

static int64_t one(const char *sql)
{
    int64_t v = -1;
    CHECK_INT(db_one_i64(db_conn(app.db), &v, sql, "i", key_id), RES_OK);
    return v;
}

static result_t sign(const struct buf *pdf, const char *pin, struct verrs *e, struct buf *out)
{
    struct sign_request rq = {.key_id = key_id, .pin = pin, .file_name = "test.pdf"};
    memset(e, 0, sizeof(*e));
    buf_release(out); /* the signing code initialises its output buffer */
    return signing_sign_pdf(&app, &clerk, (const unsigned char *)pdf->data, pdf->len, &rq, e, out);
}

#define SIGN_ROWS "SELECT COUNT(*) FROM audit_log WHERE action = 'document_sign' AND $1 = $1"

TEST(no_document_without_its_audit_row)
{
    struct buf pdf = BUF_INIT(1 << 20), out = BUF_INIT(4 << 20);
    struct verrs e;
    CHECK(make_test_pdf(1, &pdf));
    audit_fail_next(1, RES_DB);
    CHECK_INT(sign(&pdf, "123456", &e, &out), RES_DB);
    CHECK_INT(out.len, 0); /* nothing to hand out */
    CHECK_INT(one(SIGN_ROWS), 0);
    CHECK_INT(one("SELECT last_used_at FROM signing_key WHERE id = $1"), 0);

    CHECK_INT(sign(&pdf, "123456", &e, &out), RES_OK);
    CHECK(out.len > pdf.len);
    CHECK(memcmp(out.data, "%PDF", 4) == 0);
    CHECK_INT(one(SIGN_ROWS), 1);
    CHECK(one("SELECT last_used_at FROM signing_key WHERE id = $1") > 0);
    buf_release(&pdf);
    buf_release(&out);
}

TEST(wrong_pin_counted_or_error)
{
    struct buf pdf = BUF_INIT(1 << 20), out = BUF_INIT(4 << 20);
    struct verrs e;
    CHECK(make_test_pdf(1, &pdf));
    audit_fail_next(1, RES_DB);
    CHECK_INT(sign(&pdf, "000000", &e, &out), RES_DB); /* not a plain "wrong PIN" */
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1"), 0);
    CHECK_INT(sign(&pdf, "000000", &e, &out), RES_INVALID);
    CHECK_INT(e.count, 1);
    CHECK_STR(e.items[0].field, "pin");
    CHECK_INT(out.len, 0);
    CHECK_INT(one("SELECT failed_pins FROM signing_key WHERE id = $1"), 1);
    CHECK_INT(one("SELECT COUNT(*) FROM audit_log WHERE action = 'signing_key_pin_failed' AND "
                  "object_id = CAST($1 AS TEXT)"),
              1);
    buf_release(&pdf);
    buf_release(&out);
}

int main(void)
{
    if (app_fixture_open(&app, &sys, data_dir, sizeof(data_dir), "signaudit", false) != 0)
        return 2;
    char master[128];
    snprintf(master, sizeof(master), "%s/master.key", data_dir);

    struct signer signer;
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
    buf_release(&file); /* keys_read_file initialises it again */
    int64_t agency = 0, user = 0;
    if (db_one_i64(db_conn(app.db), &user, "SELECT id FROM app_user WHERE login = $1", "t",
                   "040090000141") != RES_OK ||
        db_one_i64(db_conn(app.db), &agency, "SELECT agency_id FROM membership WHERE user_id = $1",
                   "i", user) != RES_OK)
        return 2;
    if (keys_read_file(pki_path("agency.p12"), SIGNING_KEY_MAX_P12, &file) != RES_OK)
        return 2;
    struct signing_key_input in = {.agency_id = agency,
                                   .label = "Khóa thử",
                                   .p12 = (const unsigned char *)file.data,
                                   .p12_len = file.len,
                                   .pin = "123456"};
    if (signing_key_import(&app, &sys, &in, &e, &key_id) != RES_OK || key_id <= 0)
        return 2;
    buf_release(&file);
    clerk = (struct actor){
        .user_id = user, .membership_id = 1, .agency_id = agency, .roles = ROLE_CLERK};
    snprintf(clerk.login, sizeof(clerk.login), "040090000141");
    snprintf(clerk.full_name, sizeof(clerk.full_name), "Văn thư");

    RUN(no_document_without_its_audit_row);
    RUN(wrong_pin_counted_or_error);

    signer_release(&signer);
    trust_shutdown(&app);
    db_close(app.db);
    pki_cleanup();
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", data_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup of %s failed\n", data_dir);
    return CHECK_DONE("test_sign_audit");
}
