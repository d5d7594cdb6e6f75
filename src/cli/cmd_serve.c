/* `qlvb serve`: run the web UI and API. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "core/housekeeping.h"
#include "doc/doc.h"
#include "doc/doc_notify.h"
#include "crypto/signer.h"
#include "http/http.h"
#include "jobs/jobs.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/str.h"
#include "web/render.h"
#include "web/template.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Cách dùng: qlvb serve [tùy chọn]\n"
            "  --listen HOST:PORT    địa chỉ lắng nghe (mặc định 127.0.0.1:8080; QLVB_LISTEN)\n"
            "  --data DIR            thư mục dữ liệu (mặc định ./data; QLVB_DATA)\n"
            "  --db URL              CSDL: sqlite:/đường/dẫn.db hoặc postgres://… (QLVB_DB)\n"
            "  --blobs URL           kho tệp: file:/thư/mục (mặc định file:DIR/blobs; QLVB_BLOBS;\n"
            "                        nhiều máy chủ dùng chung một thư mục)\n"
            "  --threads N           số luồng xử lý (mặc định 4 × số lõi CPU, từ 16 đến 64;\n"
            "                        QLVB_THREADS)\n"
            "  --max-body BYTES      dung lượng tối đa của một yêu cầu (mặc định 1048576)\n"
            "  --max-upload BYTES    dung lượng tối đa của tệp tải lên (PDF, edXML; mặc định "
            "33554432)\n"
            "  --session-idle SEC    phiên hết hạn khi không hoạt động (mặc định 28800)\n"
            "  --session-max SEC     thời hạn tối đa của phiên (mặc định 86400)\n"
            "  --secure-cookies      đặt cookie Secure (khi phục vụ qua HTTPS)\n"
            "  --trust-proxy         tin X-Forwarded-For từ reverse proxy\n"
            "  --job-workers N       số luồng chạy việc nền (mặc định 2, 0 = không chạy; "
            "QLVB_JOB_WORKERS)\n");
}

static bool parse_listen(const char *s, struct config *cfg)
{
    const char *colon = strrchr(s, ':');
    int64_t port;
    if (!colon || str_to_i64(colon + 1, 0, 65535, &port) != RES_OK)
        return false;
    size_t n = (size_t)(colon - s);
    if (n == 0 || n >= sizeof(cfg->listen_host))
        return false;
    if (s[0] == '[' && colon[-1] == ']') { /* [::1]:8080 */
        memcpy(cfg->listen_host, s + 1, n - 2);
        cfg->listen_host[n - 2] = '\0';
    } else {
        memcpy(cfg->listen_host, s, n);
        cfg->listen_host[n] = '\0';
    }
    cfg->port = (int)port;
    return true;
}

int cmd_serve(int argc, char **argv)
{
    struct app app = {0};
    cli_config(&app.cfg);
    const char *listen = getenv("QLVB_LISTEN");
    static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
                                         {"data", required_argument, 0, 'd'},
                                         {"db", required_argument, 0, 'b'},
                                         {"blobs", required_argument, 0, 'B'},
                                         {"threads", required_argument, 0, 't'},
                                         {"max-body", required_argument, 0, 'm'},
                                         {"max-upload", required_argument, 0, 'u'},
                                         {"session-idle", required_argument, 0, 'i'},
                                         {"session-max", required_argument, 0, 'x'},
                                         {"secure-cookies", no_argument, 0, 's'},
                                         {"trust-proxy", no_argument, 0, 'p'},
                                         {"job-workers", required_argument, 0, 'w'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    int64_t v;
    if (cli_wants_help(argc, argv)) {
        usage(stdout);
        return EXIT_OK;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen = optarg;
            break;
        case 'd':
            str_copy(app.cfg.data_dir, optarg, sizeof(app.cfg.data_dir));
            break;
        case 'b':
            str_copy(app.cfg.db_url, optarg, sizeof(app.cfg.db_url));
            break;
        case 'B':
            str_copy(app.cfg.blob_url, optarg, sizeof(app.cfg.blob_url));
            break;
        case 't':
        case 'm':
        case 'u':
        case 'i':
        case 'x':
            if (str_to_i64(optarg, 1, INT32_MAX, &v) != RES_OK) {
                fprintf(stderr, "qlvb serve: giá trị không hợp lệ: %s\n", optarg);
                return EXIT_USAGE;
            }
            if (c == 't')
                app.cfg.threads = (int)v;
            else if (c == 'm')
                app.cfg.max_body = (long)v;
            else if (c == 'u')
                app.cfg.max_upload = (long)v;
            else if (c == 'i')
                app.cfg.session_idle = (int)v;
            else
                app.cfg.session_absolute = (int)v;
            break;
        case 'w':
            if (str_to_i64(optarg, 0, 32, &v) != RES_OK) {
                fprintf(stderr, "qlvb serve: số luồng việc nền không hợp lệ: %s (0–32)\n", optarg);
                return EXIT_USAGE;
            }
            app.cfg.job_workers = (int)v;
            break;
        case 's':
            app.cfg.secure_cookies = true;
            break;
        case 'p':
            app.cfg.trust_proxy = true;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (listen && !parse_listen(listen, &app.cfg)) {
        fprintf(stderr, "qlvb serve: địa chỉ lắng nghe không hợp lệ '%s' (HOST:PORT)\n", listen);
        return EXIT_USAGE;
    }
    if (web_init() != RES_OK) {
        fprintf(stderr, "qlvb serve: lỗi mẫu giao diện (template error)\n");
        return EXIT_FAIL;
    }
    if (!cli_open(&app, false))
        return EXIT_FAIL;
    /* The signer process is forked now, before the server starts any thread; it alone
     * reads the master key that seals the signing keys stored in the database. */
    struct signer signer;
    if (!cli_start_signer(&app, &signer, "qlvb serve")) {
        cli_close(&app);
        return EXIT_FAIL;
    }
    /* Job threads start after the signer fork and with SIGTERM blocked, like the HTTP
     * threads, so the signal reaches server_run's sigwait. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct jobs_options jo;
    jobs_options_default(&jo);
    jo.workers = app.cfg.job_workers;
    jo.tick_seconds = app.cfg.job_tick;
    app.jobs = jobs_new(app.db, &jo);
    if (housekeeping_register(app.jobs, &app) != RES_OK ||
        doc_jobs_register(app.jobs, &app) != RES_OK ||
        doc_notify_register(app.jobs, &app) != RES_OK || jobs_start(app.jobs) != RES_OK) {
        fprintf(stderr, "qlvb serve: không khởi động được các luồng việc nền\n");
        jobs_free(app.jobs);
        signer_release(&signer);
        cli_close(&app);
        return EXIT_FAIL;
    }
    int rc = server_run(&app);
    jobs_stop(app.jobs); /* running handlers finish; then the database may close */
    jobs_free(app.jobs);
    app.jobs = NULL;
    app.signer = NULL;
    signer_release(&signer);
    cli_close(&app);
    tmpl_shutdown();
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
