/* The application context every layer shares: configuration and the database.
 * Created once by `qlvb serve` (or a CLI command) and read-only afterwards, except
 * for caches that guard themselves (trust). */
#ifndef QLVB_APP_H
#define QLVB_APP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct blob_store;
struct db;
struct jobs;
struct signer;
struct trust_cache;

struct config {
    char data_dir[PATH_MAX];
    char db_url[PATH_MAX + 16];
    char listen_host[64];
    int port;
    int threads;
    int max_connections;
    int connection_timeout; /* seconds of inactivity before a connection is closed */
    int header_timeout;     /* seconds a new or idle connection may take to send headers */
    long max_body;          /* bytes; larger bodies get 413 */
    long max_upload;        /* bytes, on routes that take documents (PDF, edXML) */
    int session_idle;       /* seconds */
    int session_absolute;   /* seconds */
    int lockout_threshold;  /* failed logins before a temporary lock */
    int lockout_seconds;
    int login_addr_limit;   /* failed logins per client address per window (login_addr) */
    int per_ip_connections; /* open connections per client address; 0 = no limit */
    long body_memory;       /* bytes all request bodies in flight may hold together */
    bool secure_cookies;    /* set when served over TLS (or behind a TLS proxy) */
    bool trust_proxy;       /* honour X-Forwarded-For / X-Forwarded-Proto */
    /* Blobs and background jobs (blob/blob.h, jobs/jobs.h). */
    char blob_url[PATH_MAX + 16]; /* "file:<dir>"; empty = file:<data_dir>/blobs */
    long max_blob;                /* bytes of one stored file */
    int blob_grace;               /* seconds an unreferenced file is kept */
    int sign_draft_ttl;           /* seconds a signing draft lives */
    int sweep_interval;           /* seconds between the periodic sweeps */
    int job_workers;              /* worker threads of `qlvb serve` */
    int job_tick;                 /* seconds between scheduler ticks */
    long doc_max_file;            /* bytes of one document file (main or appendix) */
    int signer_key_ttl;           /* seconds the signer keeps an unlocked key; 0: never */
    int notify_keep_days;         /* read notifications are deleted after this many days */
    /* Drafts for public comment (doc/doc_public.c): comments one client address may send
     * in an hour (across every consultation), and comments one draft takes in all. */
    int public_comments_per_hour;
    int public_comments_max;
};

struct app {
    struct config cfg;
    struct db *db;
    struct signer *signer;     /* the key-holding process (sealed keys); NULL: no signing */
    struct trust_cache *trust; /* see core/trust.h */
    struct blob_store *blobs;  /* opened by cli_open; NULL: no file storage */
    struct jobs *jobs;         /* worker threads, only while `qlvb serve` runs */
};

void config_defaults(struct config *cfg);
/* Reads QLVB_* environment variables over the defaults. */
void config_from_env(struct config *cfg);

#endif
