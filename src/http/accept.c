/* The listening socket and the way a connection reaches a worker (http/accept.h).
 *
 * libmicrohttpd's own thread pool lets every worker wait on the listening socket; the
 * first one to wake accepts up to ten pending connections in a row, so a burst of new
 * connections (a proxy opening its pool, 32 benchmark clients) lands on a few workers
 * while the others idle, and each worker serves its connections one request at a time.
 * With 32 clients registering documents, 4 to 18 of 32 workers got connections, and
 * throughput followed that count (bench/register.sh). Here one thread accepts and hands
 * each connection to the next worker in turn (`MHD_add_connection` to a daemon of its
 * own, one per worker, without a listening socket); the connection limits MHD kept per
 * daemon are kept here for the whole server: at most max_connections at once, at most
 * per_ip from one address (0: no per-address limit, behind a trusted proxy). A refused
 * connection is closed at once, as MHD did. */
#include "http/accept.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/addr_table.h"
#include "util/log.h"

static struct {
    pthread_mutex_t lock;
    struct MHD_Daemon **daemons;
    int ndaemons;
    unsigned next;
    int fd;      /* the listening socket */
    int wake[2]; /* a pipe: acceptor_stop writes to it */
    pthread_t thread;
    bool running;
    unsigned max_connections, per_ip, open;
    /* The addresses with connections open (at most max_connections of them), with
     * per_ip set; an address leaves it with its last connection. */
    struct addr_table addrs;
} acc = {.lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1, .wake = {-1, -1}};

static void key_of(const struct sockaddr *sa, struct addr_key *k)
{
    memset(k, 0, sizeof(*k));
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        k->bytes[10] = k->bytes[11] = 0xff;
        memcpy(k->bytes + 12, &in->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        memcpy(k->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    }
}

/* Counts a new connection from k, or refuses it (false). */
static bool admit(const struct addr_key *k)
{
    pthread_mutex_lock(&acc.lock);
    bool ok = acc.open < acc.max_connections;
    unsigned *n = ok && acc.per_ip ? addr_table_slot(&acc.addrs, k, true) : NULL;
    if (ok && acc.per_ip)
        ok = n && *n < acc.per_ip;
    if (ok) {
        acc.open++;
        if (n)
            (*n)++;
    }
    pthread_mutex_unlock(&acc.lock);
    return ok;
}

static void release(const struct addr_key *k)
{
    pthread_mutex_lock(&acc.lock);
    if (acc.open)
        acc.open--;
    unsigned *n = acc.per_ip ? addr_table_slot(&acc.addrs, k, false) : NULL;
    if (n && *n && --*n == 0)
        addr_table_remove(&acc.addrs, k);
    pthread_mutex_unlock(&acc.lock);
}

static void *accept_loop(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = acc.fd, .events = POLLIN},
                              {.fd = acc.wake[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            log_error("msg=\"accept loop: poll failed\" err=\"%s\"", strerror(errno));
            return NULL;
        }
        if (p[1].revents)
            return NULL; /* acceptor_stop */
        if (!(p[0].revents & POLLIN))
            continue;
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept4(acc.fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                log_warn("msg=\"accept failed\" err=\"%s\"", strerror(errno));
                usleep(10000); /* the connection stays queued; retry once something closed */
            }
            continue; /* EAGAIN (another wake-up took it), ECONNABORTED, EINTR */
        }
        struct addr_key k;
        key_of((struct sockaddr *)&ss, &k);
        if (!admit(&k)) {
            close(fd);
            continue;
        }
        struct MHD_Daemon *d = acc.daemons[acc.next++ % (unsigned)acc.ndaemons];
        /* MHD closes the socket when it refuses it; its STARTED notification
         * (acceptor_connection_started) follows an accepted one. */
        if (MHD_add_connection(d, fd, (struct sockaddr *)&ss, len) != MHD_YES)
            release(&k);
    }
}

result_t acceptor_start(const struct sockaddr *sa, socklen_t len, struct MHD_Daemon **daemons,
                        int n, unsigned max_connections, unsigned per_ip, unsigned *port)
{
    acc.daemons = daemons;
    acc.ndaemons = n;
    acc.max_connections = max_connections;
    acc.per_ip = per_ip;
    acc.open = 0;
    addr_table_free(&acc.addrs);
    if (per_ip && !addr_table_init(&acc.addrs, max_connections)) {
        log_error("msg=\"cannot listen: out of memory\"");
        return RES_INTERNAL;
    }
    int one = 1;
    acc.fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (acc.fd < 0 || setsockopt(acc.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        (sa->sa_family == AF_INET6 &&
         setsockopt(acc.fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
        bind(acc.fd, sa, len) != 0 || listen(acc.fd, 1024) != 0 || pipe(acc.wake) != 0) {
        log_error("msg=\"cannot listen\" err=\"%s\"", strerror(errno));
        acceptor_stop();
        return RES_IO;
    }
    struct sockaddr_storage bound;
    socklen_t blen = sizeof(bound);
    *port = 0;
    if (getsockname(acc.fd, (struct sockaddr *)&bound, &blen) == 0)
        *port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                  : ((struct sockaddr_in *)&bound)->sin_port);
    if (pthread_create(&acc.thread, NULL, accept_loop, NULL) != 0) {
        acceptor_stop();
        return RES_INTERNAL;
    }
    acc.running = true;
    return RES_OK;
}

void acceptor_stop(void)
{
    if (acc.running) {
        ssize_t w = write(acc.wake[1], "x", 1);
        (void)w;
        pthread_join(acc.thread, NULL);
        acc.running = false;
    }
    for (int i = 0; i < 2; i++)
        if (acc.wake[i] >= 0) {
            close(acc.wake[i]);
            acc.wake[i] = -1;
        }
    if (acc.fd >= 0) {
        close(acc.fd);
        acc.fd = -1;
    }
}

void acceptor_connection_started(struct MHD_Connection *conn, void **socket_ctx)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct addr_key *k = malloc(sizeof(*k));
    if (k && ci && ci->client_addr)
        key_of(ci->client_addr, k);
    else if (k)
        memset(k, 0, sizeof(*k));
    *socket_ctx = k; /* NULL if out of memory: the count stays taken (one slot lost) */
}

void acceptor_connection_closed(void **socket_ctx)
{
    struct addr_key *k = *socket_ctx;
    if (!k)
        return;
    release(k);
    free(k);
    *socket_ctx = NULL;
}
