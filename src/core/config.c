/* Configuration defaults and environment overrides (flags override both in cli/). */
#include <stdlib.h>
#include <string.h>

#include "core/app.h"
#include "util/str.h"

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    str_copy(cfg->data_dir, "data", sizeof(cfg->data_dir));
    str_copy(cfg->listen_host, "127.0.0.1", sizeof(cfg->listen_host));
    cfg->port = 8080;
    cfg->threads = 0; /* 0 = 4 per core, 16 to 64 (http/server.c) */
    cfg->max_connections = 1024;
    cfg->connection_timeout = 60;
    cfg->header_timeout = 15;
    cfg->max_body = 1024 * 1024;
    cfg->max_upload = 32L * 1024 * 1024; /* a scanned 100-page PDF is ~20 MB */
    cfg->session_idle = 8 * 3600;        /* a working day */
    cfg->session_absolute = 24 * 3600;
    cfg->lockout_threshold = 5;
    cfg->lockout_seconds = 15 * 60;
    cfg->login_addr_limit = 100; /* an office behind one NAT address still signs in */
    cfg->per_ip_connections = 128;
    cfg->body_memory = 512L * 1024 * 1024;
    cfg->max_blob = 256L * 1024 * 1024;
    cfg->blob_grace = 3600; /* longer than any transaction that puts a file */
    cfg->sign_draft_ttl = 2 * 3600;
    cfg->sweep_interval = 10 * 60;
    cfg->notify_keep_days = 90;
    cfg->job_workers = 2;
    cfg->job_tick = 30;
    cfg->doc_max_file = 30L * 1024 * 1024; /* under max_upload: one file and its metadata */
    cfg->signer_key_ttl = 300;             /* crypto/signer.h, key cache */
    cfg->public_comments_per_hour = 5;
    cfg->public_comments_max = 500;
}

static void env_int(const char *name, int *out, int min, int max)
{
    const char *v = getenv(name);
    int64_t n;
    if (v && str_to_i64(v, min, max, &n) == RES_OK)
        *out = (int)n;
}

void config_from_env(struct config *cfg)
{
    const char *v;
    if ((v = getenv("QLVB_DATA")) && *v)
        str_copy(cfg->data_dir, v, sizeof(cfg->data_dir));
    if ((v = getenv("QLVB_DB")) && *v)
        str_copy(cfg->db_url, v, sizeof(cfg->db_url));
    env_int("QLVB_THREADS", &cfg->threads, 0, 256);
    env_int("QLVB_SESSION_IDLE", &cfg->session_idle, 1, 30 * 86400);
    env_int("QLVB_SESSION_ABSOLUTE", &cfg->session_absolute, 1, 90 * 86400);
    env_int("QLVB_LOCKOUT_THRESHOLD", &cfg->lockout_threshold, 1, 1000);
    env_int("QLVB_LOCKOUT_SECONDS", &cfg->lockout_seconds, 1, 86400);
    env_int("QLVB_MAX_CONNECTIONS", &cfg->max_connections, 1, 65536);
    env_int("QLVB_CONNECTION_TIMEOUT", &cfg->connection_timeout, 1, 3600);
    env_int("QLVB_HEADER_TIMEOUT", &cfg->header_timeout, 1, 3600);
    env_int("QLVB_LOGIN_ADDR_LIMIT", &cfg->login_addr_limit, 1, 1000000);
    env_int("QLVB_PER_IP_CONNECTIONS", &cfg->per_ip_connections, 0, 65536);
    int body_mib = (int)(cfg->body_memory / (1024 * 1024));
    env_int("QLVB_BODY_MEMORY_MIB", &body_mib, 1, 1024 * 1024);
    cfg->body_memory = (long)body_mib * 1024 * 1024;
    if ((v = getenv("QLVB_BLOBS")) && *v)
        str_copy(cfg->blob_url, v, sizeof(cfg->blob_url));
    /* Short values let the tests watch expiry and sweeps happen. */
    env_int("QLVB_BLOB_GRACE", &cfg->blob_grace, 0, 30 * 86400);
    env_int("QLVB_SIGN_DRAFT_TTL", &cfg->sign_draft_ttl, 1, 7 * 86400);
    env_int("QLVB_SWEEP_INTERVAL", &cfg->sweep_interval, 1, 86400);
    env_int("QLVB_NOTIFY_KEEP_DAYS", &cfg->notify_keep_days, 1, 3650);
    env_int("QLVB_JOB_WORKERS", &cfg->job_workers, 0, 32);
    env_int("QLVB_JOB_TICK", &cfg->job_tick, 1, 3600);
    env_int("QLVB_SIGNER_KEY_TTL", &cfg->signer_key_ttl, 0, 3600);
    env_int("QLVB_PUBLIC_COMMENTS_PER_HOUR", &cfg->public_comments_per_hour, 1, 10000);
    env_int("QLVB_PUBLIC_COMMENTS_MAX", &cfg->public_comments_max, 1, 100000);
    int doc_kib = 0;
    env_int("QLVB_DOC_MAX_FILE_KIB", &doc_kib, 1, 4 * 1024 * 1024);
    if (doc_kib)
        cfg->doc_max_file = (long)doc_kib * 1024;
}
