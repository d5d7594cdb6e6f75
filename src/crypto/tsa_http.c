/* A deliberately small HTTP/1.0 client: one request, Connection: close, the body is
 * everything after the headers (bounded), no redirects, no chunked encoding. */
#include "crypto/tsa_http.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_ANSWER (1u << 20)

static int parse_url(const char *url, char *host, size_t hs, char *port, size_t ps,
                     const char **path)
{
    const char *p, *slash, *colon;
    if (strncmp(url, "http://", 7) != 0)
        return -1;
    p = url + 7;
    slash = strchr(p, '/');
    *path = slash ? slash : "/";
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    colon = memchr(p, ':', n);
    size_t hn = colon ? (size_t)(colon - p) : n;
    if (hn == 0 || hn >= hs)
        return -1;
    memcpy(host, p, hn);
    host[hn] = '\0';
    if (colon) {
        size_t pn = n - hn - 1;
        if (pn == 0 || pn >= ps)
            return -1;
        memcpy(port, colon + 1, pn);
        port[pn] = '\0';
    } else {
        snprintf(port, ps, "80");
    }
    return strpbrk(host, " \r\n") || strpbrk(*path, " \r\n") ? -1 : 0;
}

static int connect_to(const char *host, const char *port, int timeout_ms)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int fd = -1;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

result_t tsa_http_post(void *arg, const unsigned char *req, size_t req_len, struct buf *resp)
{
    const struct tsa_http *t = arg;
    char host[256], port[16], head[1024], chunk[8192];
    const char *path;
    struct buf all = BUF_INIT(MAX_ANSWER);
    result_t r = RES_IO;
    int fd, n;

    if (!t || !t->url || parse_url(t->url, host, sizeof(host), port, sizeof(port), &path) != 0)
        return RES_INVALID;
    fd = connect_to(host, port, t->timeout_ms > 0 ? t->timeout_ms : 10000);
    if (fd < 0)
        return RES_IO;
    n = snprintf(head, sizeof(head),
                 "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/timestamp-query\r\n"
                 "Accept: application/timestamp-reply\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n",
                 path, host, req_len);
    if (n <= 0 || (size_t)n >= sizeof(head) || send_all(fd, head, (size_t)n) != 0 ||
        send_all(fd, req, req_len) != 0)
        goto out;
    for (;;) {
        ssize_t got = recv(fd, chunk, sizeof(chunk), 0);
        if (got < 0)
            goto out;
        if (got == 0)
            break;
        if (buf_append(&all, chunk, (size_t)got) != RES_OK) {
            r = RES_TOO_LARGE;
            goto out;
        }
    }
    const char *body = all.data ? strstr(all.data, "\r\n\r\n") : NULL;
    if (!body || strncmp(all.data, "HTTP/1.", 7) != 0 || all.len < 12 ||
        strncmp(all.data + 8, " 200", 4) != 0)
        goto out;
    body += 4;
    r = buf_append(resp, body, all.len - (size_t)(body - all.data));
out:
    close(fd);
    buf_release(&all);
    return r;
}
