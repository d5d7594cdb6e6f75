/* The server's listening socket and its accept thread (server.c): every new connection
 * goes to the next worker daemon in turn, within the server-wide connection limits. */
#ifndef QLVB_HTTP_ACCEPT_H
#define QLVB_HTTP_ACCEPT_H

#include <microhttpd.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "util/result.h"

/* Binds and listens on sa, then accepts on a thread of its own, handing connections
 * round-robin to daemons[0..n) (started with MHD_USE_NO_LISTEN_SOCKET). At most
 * max_connections at once and per_ip from one address (0: no such limit); others are
 * closed at once. *port: the port bound (sa may say 0). One acceptor per process. */
result_t acceptor_start(const struct sockaddr *sa, socklen_t len, struct MHD_Daemon **daemons,
                        int n, unsigned max_connections, unsigned per_ip, unsigned *port);
/* Stops accepting and closes the listening socket; open connections stay. */
void acceptor_stop(void);
/* From the daemons' connection notifications: a connection's address is remembered in
 * *socket_ctx when it starts and its count released when it closes. */
void acceptor_connection_started(struct MHD_Connection *conn, void **socket_ctx);
void acceptor_connection_closed(void **socket_ctx);

#endif
