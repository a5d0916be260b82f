/*
 * Copyright (c) 2026 The ovs-vtap developers.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#include <config.h>
#include "controller/vtapd-http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "controller/vtapd-api.h"
#include "controller/vtapd-metrics.h"
#include "controller/vtapd-rest.h"
#include "controller/vtapd-snapshot.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/list.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovs-thread.h"
#include "ovsdb-idl.h"
#include "seq.h"
#include "socket-util.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(vtapd_http);

/* The largest request body the API reads.  A larger one gets a 413 with a
 * JSON body; one larger than MAX_BODY_EVHTTP is refused by evhttp itself,
 * before it reads it all, with evhttp's own 413. */
#define MAX_BODY (64 * 1024)
#define MAX_BODY_EVHTTP (1024 * 1024)

/* The largest request line and headers evhttp accepts. */
#define MAX_HEADERS (16 * 1024)

/* At most this many writes wait for the main thread; more get a 503. */
#define MAX_QUEUED 64

/* Seconds evhttp waits for a slow client. */
#define TIMEOUT 30

/* A write that the HTTP thread hands to the main thread, and back. */
struct http_request {
    struct ovs_list node;       /* In 'requests' or 'replies'. */
    struct evhttp_request *req; /* Touched only by the HTTP thread. */
    struct vtapd_rest_op op;
    char *comment;              /* For the database's log. */
    int status;                 /* Set by the main thread. */
    char *body;                 /* Set by the main thread, may be NULL. */
};

struct vtapd_http {
    char *address;              /* Where it listens, as IP:PORT. */
    SSL_CTX *ssl_ctx;           /* With HTTPS, else NULL. */
    char *token;                /* Writes need it as a bearer token. */
    struct event_base *base;
    struct evhttp *evhttp;
    struct event *reply_event;  /* Activated when 'replies' has some. */
    pthread_t thread;

    struct ovs_mutex mutex;
    struct vtapd_snapshot *snapshot OVS_GUARDED;
    struct ovs_list requests OVS_GUARDED;  /* To the main thread. */
    size_t n_requests OVS_GUARDED;
    struct ovs_list replies OVS_GUARDED;   /* To the HTTP thread. */
    struct seq *request_seq;    /* Changes when 'requests' gets one. */

    /* Main thread only. */
    uint64_t request_seqno;     /* 'request_seq' when last looked at. */
    unsigned int idl_seqno;     /* IDL seqno of the last snapshot. */
    bool connected;             /* Connection state of the last snapshot. */
    bool published;             /* Has a snapshot been published yet? */
    struct http_request *current;   /* The write in progress, if any. */
    struct vtapd_api_write *write;  /* Its progress. */
};

static void *http_thread_main(void *);
static void handle_request(struct evhttp_request *, void *);
static void send_replies(evutil_socket_t, short, void *);
static unixctl_cb_func vtapd_http_unixctl_address;

/* Parses 'address', [IP:]PORT, into 'ip' and '*port'.  IP may be an IPv6
 * address in brackets.  Without IP, the loopback address.  Returns NULL or
 * an error message. */
static char *
parse_address(const char *address, char **ip, int *port)
{
    const char *colon = strrchr(address, ':');
    const char *port_s = colon ? colon + 1 : address;

    *ip = NULL;
    if (!str_to_int(port_s, 10, port) || *port < 0 || *port > 65535) {
        return xasprintf("--http=%s: \"%s\" is not a TCP port", address,
                         port_s);
    }
    if (!colon) {
        *ip = xstrdup("127.0.0.1");
    } else if (address[0] == '[' && colon > address && colon[-1] == ']') {
        *ip = xmemdup0(address + 1, colon - address - 2);
    } else {
        *ip = xmemdup0(address, colon - address);
    }
    return NULL;
}

/* Returns "IP:PORT" (or "[IP]:PORT") for the socket bound by 'handle'. */
static char *
bound_address(struct evhttp_bound_socket *handle)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (getsockname(evhttp_bound_socket_get_fd(handle),
                    (struct sockaddr *) &ss, &len)) {
        return xstrdup("(unknown)");
    }
    ss_format_address(&ss, &s);
    ds_put_format(&s, ":%"PRIu16, ss_get_port(&ss));
    return ds_steal_cstr(&s);
}

/* Returns true if 'ip' is a loopback address. */
static bool
is_loopback(const char *ip)
{
    struct in6_addr in6;
    struct in_addr in4;

    return ((inet_pton(AF_INET, ip, &in4) == 1
             && (ntohl(in4.s_addr) >> 24) == 127)
            || (inet_pton(AF_INET6, ip, &in6) == 1
                && IN6_IS_ADDR_LOOPBACK(&in6))
            || !strcmp(ip, "localhost"));
}

/* Tells libevent, once, to use pthreads locks, so that the main thread may
 * activate an event of the HTTP thread's base. */
static void
use_pthreads_once(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;

    if (ovsthread_once_start(&once)) {
        if (evthread_use_pthreads()) {
            ovs_fatal(0, "libevent: cannot use pthreads");
        }
        ovsthread_once_done(&once);
    }
}

/* Returns an error message for what failed in OpenSSL, said by 'format',
 * with the reasons OpenSSL queued, which it clears. */
static char * OVS_PRINTF_FORMAT(1, 2)
ssl_error(const char *format, ...)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    unsigned long e;
    va_list args;

    va_start(args, format);
    ds_put_format_valist(&s, format, args);
    va_end(args);
    while ((e = ERR_get_error()) != 0) {
        char buf[256];

        ERR_error_string_n(e, buf, sizeof buf);
        ds_put_format(&s, ": %s", buf);
    }
    return ds_steal_cstr(&s);
}

/* Makes in '*ctxp' the TLS context of the HTTPS server of 'o': TLS 1.2 or
 * later, its key and certificate, and, with a CA, clients' certificates
 * required.  Returns NULL or an error message. */
static char *
make_ssl_ctx(const struct vtapd_http_options *o, SSL_CTX **ctxp)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    char *error = NULL;

    if (!ctx) {
        error = ssl_error("--http: cannot create a TLS context");
    } else if (!SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
        error = ssl_error("--http: cannot require TLS 1.2");
    } else if (SSL_CTX_use_certificate_chain_file(ctx, o->certificate) != 1) {
        error = ssl_error("--http-certificate=%s: cannot use it",
                          o->certificate);
    } else if (SSL_CTX_use_PrivateKey_file(ctx, o->private_key,
                                           SSL_FILETYPE_PEM) != 1
               || SSL_CTX_check_private_key(ctx) != 1) {
        error = ssl_error("--http-private-key=%s: cannot use it with the "
                          "certificate", o->private_key);
    } else if (o->ca_cert
               && SSL_CTX_load_verify_locations(ctx, o->ca_cert,
                                                NULL) != 1) {
        error = ssl_error("--http-ca-cert=%s: cannot use it", o->ca_cert);
    }
    if (error) {
        SSL_CTX_free(ctx);
        *ctxp = NULL;
        return error;
    }
    if (o->ca_cert) {
        /* Without a session ID context, OpenSSL fails the handshake of a
         * client that resumes a session (curl does, within a process). */
        static const unsigned char sid_ctx[] = "vtapd-http";

        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER
                                | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
        SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof sid_ctx - 1);
    }
    *ctxp = ctx;
    return NULL;
}

/* evhttp's callback for a new connection's bufferevent, with HTTPS: one
 * that accepts a TLS handshake on it.  (Returning NULL would make evhttp
 * use a plain socket, so it never does.) */
static struct bufferevent *
make_ssl_bufferevent(struct event_base *base, void *h_)
{
    struct vtapd_http *h = h_;
    SSL *ssl = SSL_new(h->ssl_ctx);
    struct bufferevent *bev;

    if (!ssl) {
        out_of_memory();
    }
    bev = bufferevent_openssl_socket_new(base, -1, ssl,
                                         BUFFEREVENT_SSL_ACCEPTING,
                                         BEV_OPT_CLOSE_ON_FREE);
    if (!bev) {
        out_of_memory();
    }
    return bev;
}

/* Reads into '*tokenp' the token in the first line of 'file', without
 * surrounding white space.  Returns NULL or an error message. */
static char *
read_token(const char *file, char **tokenp)
{
    FILE *stream = fopen(file, "r");
    struct ds line = DS_EMPTY_INITIALIZER;
    char *error = NULL;

    *tokenp = NULL;
    if (!stream) {
        return xasprintf("--http-token-file=%s: cannot open it (%s)", file,
                         ovs_strerror(errno));
    }
    if (ds_get_line(&line, stream)) {
        ds_clear(&line);
    }
    fclose(stream);

    const char *token = line.string ? line.string : "";
    token += strspn(token, " \t");
    size_t n = strcspn(token, " \t\r\n");
    if (!n) {
        error = xasprintf("--http-token-file=%s: no token in its first "
                          "line", file);
    } else {
        *tokenp = xmemdup0(token, n);
    }
    ds_destroy(&line);
    return error;
}

/* Sets up, on 'h', what 'o' asks for beyond the address: HTTPS and the
 * token.  Returns NULL or an error message. */
static char *
set_security(struct vtapd_http *h, const struct vtapd_http_options *o)
{
    char *error;

    if (!o->private_key != !o->certificate) {
        return xstrdup("--http-private-key and --http-certificate go "
                       "together");
    } else if (o->ca_cert && !o->certificate) {
        return xstrdup("--http-ca-cert needs --http-private-key and "
                       "--http-certificate");
    }
    if (o->certificate) {
        error = make_ssl_ctx(o, &h->ssl_ctx);
        if (error) {
            return error;
        }
        evhttp_set_bevcb(h->evhttp, make_ssl_bufferevent, h);
    }
    return o->token_file ? read_token(o->token_file, &h->token) : NULL;
}

/* Binds the HTTP server as 'o' says and starts its thread.  Returns NULL
 * and stores the server in '*httpp', or returns an error message. */
char *
vtapd_http_create(const struct vtapd_http_options *o,
                  struct vtapd_http **httpp)
{
    const char *address = o->address;
    struct evhttp_bound_socket *handle;
    struct vtapd_http *h;
    char *ip, *error;
    int port;

    *httpp = NULL;
    error = parse_address(address, &ip, &port);
    if (error) {
        return error;
    }

    use_pthreads_once();
    h = xzalloc(sizeof *h);
    h->base = event_base_new();
    h->evhttp = h->base ? evhttp_new(h->base) : NULL;
    if (!h->evhttp) {
        error = xstrdup("libevent: cannot create an HTTP server");
        goto out_free;
    }
    error = set_security(h, o);
    if (error) {
        goto out_free;
    }
    handle = evhttp_bind_socket_with_handle(h->evhttp, ip, port);
    if (!handle) {
        error = xasprintf("--http=%s: cannot listen on %s port %d (%s)",
                          address, ip, port, ovs_strerror(errno));
        goto out_free;
    }
    h->address = bound_address(handle);
    if (!is_loopback(ip) && (!h->ssl_ctx || (!h->token && !o->ca_cert))) {
        VLOG_WARN("HTTP API on %s, which is not a loopback address, %s: "
                  "anyone who reaches it can %s", h->address,
                  (!h->ssl_ctx ? "without TLS"
                   : "without a token or client certificates"),
                  (h->token
                   ? "read the token on the way, then change the TAP database"
                   : "change the TAP database"));
    }

    evhttp_set_max_body_size(h->evhttp, MAX_BODY_EVHTTP);
    evhttp_set_max_headers_size(h->evhttp, MAX_HEADERS);
    evhttp_set_timeout(h->evhttp, TIMEOUT);
    /* Every method reaches handle_request(), which answers one it does
     * not take with a JSON 405. */
    evhttp_set_allowed_methods(h->evhttp,
                               EVHTTP_REQ_GET | EVHTTP_REQ_POST
                               | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT
                               | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS
                               | EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT
                               | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(h->evhttp, handle_request, h);
    h->reply_event = event_new(h->base, -1, 0, send_replies, h);

    ovs_mutex_init(&h->mutex);
    ovs_list_init(&h->requests);
    ovs_list_init(&h->replies);
    h->request_seq = seq_create();
    h->request_seqno = seq_read(h->request_seq);

    VLOG_INFO("HTTP API listening on %s%s%s%s", h->address,
              h->ssl_ctx ? ", HTTPS" : "",
              o->ca_cert ? ", client certificates required" : "",
              h->token ? ", writes need the token" : "");
    unixctl_command_register("vtapd/http-address", "", 0, 0,
                             vtapd_http_unixctl_address, h);
    h->thread = ovs_thread_create("vtapd_http", http_thread_main, h);
    free(ip);
    *httpp = h;
    return NULL;

out_free:
    if (h->evhttp) {
        evhttp_free(h->evhttp);
    }
    if (h->base) {
        event_base_free(h->base);
    }
    SSL_CTX_free(h->ssl_ctx);
    free(h->token);
    free(h);
    free(ip);
    return error;
}

/* vtapd/http-address: where the HTTP API listens, e.g. for the tests,
 * which let the kernel choose the port. */
static void
vtapd_http_unixctl_address(struct unixctl_conn *conn, int argc OVS_UNUSED,
                           const char *argv[] OVS_UNUSED, void *h_)
{
    struct vtapd_http *h = h_;

    unixctl_command_reply(conn, h->address);
}

/* The HTTP thread: evhttp's event loop, until vtapd_http_destroy() breaks
 * it. */
static void *
http_thread_main(void *h_)
{
    struct vtapd_http *h = h_;

    event_base_dispatch(h->base);
    return NULL;
}

/* The HTTP thread. */

/* Sends 'status' with JSON 'body' (NULL for none), which it frees. */
static void
send_json(struct evhttp_request *req, int status, char *body)
{
    struct evbuffer *buf = evbuffer_new();

    if (body) {
        evhttp_add_header(evhttp_request_get_output_headers(req),
                          "Content-Type", "application/json");
        evbuffer_add(buf, body, strlen(body));
        evbuffer_add(buf, "\n", 1);
    }
    evhttp_send_reply(req, status, NULL, buf);
    evbuffer_free(buf);
    free(body);
}

/* Sends 'status' with the JSON error body for 'message'. */
static void
send_error(struct evhttp_request *req, int status, const char *message)
{
    send_json(req, status, vtapd_rest_error_body(status, message));
}

/* Returns the snapshot the main thread last published, with a reference
 * that the caller drops, or NULL if there is none yet. */
static struct vtapd_snapshot *
get_snapshot(struct vtapd_http *h)
{
    struct vtapd_snapshot *snap;

    ovs_mutex_lock(&h->mutex);
    snap = vtapd_snapshot_ref(h->snapshot);
    ovs_mutex_unlock(&h->mutex);
    return snap;
}

/* /healthz: 200 while vtapd runs connected to the TAP database, 503
 * otherwise. */
static void
serve_healthz(struct vtapd_http *h, struct evhttp_request *req)
{
    struct vtapd_snapshot *snap = get_snapshot(h);
    bool ok = snap && snap->connected;
    struct json *json = json_object_create();

    json_object_put_string(json, "status", ok ? "ok" : "unavailable");
    json_object_put_string(json, "database",
                           ok ? "connected" : "disconnected");
    send_json(req, ok ? 200 : 503, json_to_string(json, JSSF_SORT));
    json_destroy(json);
    vtapd_snapshot_unref(snap);
}

/* /metrics, from the snapshot, in Prometheus's text format. */
static void
serve_metrics(struct vtapd_http *h, struct evhttp_request *req)
{
    struct vtapd_snapshot *snap = get_snapshot(h);
    struct evbuffer *buf;
    struct ds s;

    if (!snap) {
        send_error(req, 503, "vtapd: starting");
        return;
    }
    ds_init(&s);
    vtapd_metrics_format(snap, &s);
    vtapd_snapshot_unref(snap);

    buf = evbuffer_new();
    evbuffer_add(buf, s.string, s.length);
    evhttp_add_header(evhttp_request_get_output_headers(req),
                      "Content-Type", VTAPD_METRICS_CONTENT_TYPE);
    evhttp_send_reply(req, 200, "OK", buf);
    evbuffer_free(buf);
    ds_destroy(&s);
}

/* A GET of the REST API, from the snapshot. */
static void
serve_get(struct vtapd_http *h, struct evhttp_request *req,
          const struct vtapd_rest_op *op)
{
    struct vtapd_snapshot *snap = get_snapshot(h);
    const struct json *json;
    char *error;

    if (!snap) {
        send_error(req, 503, "vtapd: starting");
        return;
    }
    json = vtapd_rest_lookup(snap, op, &error);
    if (json) {
        send_json(req, 200, json_to_string(json, JSSF_SORT));
    } else {
        send_error(req, 404, error);
        free(error);
    }
    vtapd_snapshot_unref(snap);
}

/* Hands write 'r' to the main thread. */
static void
queue_write(struct vtapd_http *h, struct http_request *r)
{
    bool full;

    ovs_mutex_lock(&h->mutex);
    full = h->n_requests >= MAX_QUEUED;
    if (!full) {
        ovs_list_push_back(&h->requests, &r->node);
        h->n_requests++;
    }
    ovs_mutex_unlock(&h->mutex);

    if (full) {
        send_error(r->req, 503, "vtapd: too many requests in progress");
        vtapd_rest_op_destroy(&r->op);
        free(r->comment);
        free(r);
    } else {
        seq_change(h->request_seq);
    }
}

/* Returns the API's method for that of 'req'.  HEAD is a GET whose body
 * evhttp leaves out. */
static enum vtapd_rest_method
get_method(struct evhttp_request *req)
{
    switch (evhttp_request_get_command(req)) {
    case EVHTTP_REQ_GET:
    case EVHTTP_REQ_HEAD:
        return VTAPD_REST_GET;
    case EVHTTP_REQ_POST:
        return VTAPD_REST_POST;
    case EVHTTP_REQ_DELETE:
        return VTAPD_REST_DELETE;
    case EVHTTP_REQ_PUT:
    case EVHTTP_REQ_OPTIONS:
    case EVHTTP_REQ_TRACE:
    case EVHTTP_REQ_CONNECT:
    case EVHTTP_REQ_PATCH:
    default:
        return VTAPD_REST_OTHER;
    }
}

/* Splits 'path' into its percent-decoded segments.  Returns NULL or an
 * error message. */
static char *
split_path(const char *path, struct svec *segments)
{
    char *copy;

    if (path[0] != '/') {
        return xstrdup("path: must start with /");
    }
    copy = xstrdup(path + 1);
    /* Empty segments stay: "/v1//taps" names nothing. */
    for (char *seg = copy, *end; seg; seg = end ? end + 1 : NULL) {
        size_t size;
        char *decoded;

        end = strchr(seg, '/');
        if (end) {
            *end = '\0';
        }
        decoded = evhttp_uridecode(seg, 0, &size);
        if (!decoded || strlen(decoded) != size) {
            free(decoded);
            free(copy);
            return xstrdup("path: not a valid path");
        }
        svec_add_nocopy(segments, decoded);
    }
    free(copy);
    return NULL;
}

/* Reads the body of 'req' into '*bodyp' (NULL if empty).  Returns 0 or the
 * HTTP status of an error, with its message in '*errorp'. */
static int
read_body(struct evhttp_request *req, char **bodyp, char **errorp)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t size = evbuffer_get_length(in);
    char *body;

    *bodyp = NULL;
    if (!size) {
        return 0;
    }
    if (size > MAX_BODY) {
        *errorp = xasprintf("body: %"PRIuSIZE" bytes, more than the %d "
                            "allowed", size, MAX_BODY);
        return 413;
    }
    body = xmalloc(size + 1);
    evbuffer_copyout(in, body, size);
    body[size] = '\0';
    if (memchr(body, '\0', size)) {
        free(body);
        *errorp = xstrdup("body: contains a null byte");
        return 400;
    }
    *bodyp = body;
    return 0;
}

/* Returns true if 'req' says its body is JSON. */
static bool
is_json(struct evhttp_request *req)
{
    const char *type = evhttp_find_header(evhttp_request_get_input_headers(
                                              req), "Content-Type");
    size_t len = strlen("application/json");

    return (type && !strncasecmp(type, "application/json", len)
            && (!type[len] || type[len] == ';' || type[len] == ' '));
}

/* Handles a REST API request for 'path'. */
static void
serve_api(struct vtapd_http *h, struct evhttp_request *req,
          const char *path)
{
    enum vtapd_rest_method method = get_method(req);
    struct svec segments = SVEC_EMPTY_INITIALIZER;
    struct http_request *r = xzalloc(sizeof *r);
    char *body = NULL, *error;
    int status;

    vtapd_rest_op_init(&r->op);
    error = split_path(path, &segments);
    status = error ? 404 : read_body(req, &body, &error);
    if (!status && method == VTAPD_REST_POST && !is_json(req)) {
        error = xstrdup("Content-Type: must be application/json");
        status = 415;
    }
    if (!status) {
        status = vtapd_rest_parse(method, &segments, body, &r->op, &error);
    }
    if (status) {
        send_error(req, status, error);
        free(error);
    } else if (!r->op.write) {
        serve_get(h, req, &r->op);
    } else {
        r->req = req;
        r->comment = xasprintf("vtapd: HTTP %s %s",
                               method == VTAPD_REST_POST ? "POST" : "DELETE",
                               path);
        queue_write(h, r);
        r = NULL;
    }
    if (r) {
        vtapd_rest_op_destroy(&r->op);
        free(r);
    }
    svec_destroy(&segments);
    free(body);
}

/* Answers 'req', for 'path', a write without the right bearer token, with
 * a 401 that says which scheme to use, and logs it. */
static void
refuse_unauthorized(struct evhttp_request *req, const char *path)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct evhttp_connection *conn = evhttp_request_get_connection(req);
    const char *peer = NULL;
    uint16_t port = 0;

    if (conn) {
        char *host;

        evhttp_connection_get_peer(conn, &host, &port);
        peer = host;
    }
    VLOG_INFO_RL(&rl, "HTTP write to %s from %s:%"PRIu16" refused: no "
                 "valid bearer token", path, peer ? peer : "?", port);
    evhttp_add_header(evhttp_request_get_output_headers(req),
                      "WWW-Authenticate", "Bearer realm=\"vtapd\"");
    send_error(req, 401, "Authorization: a valid bearer token is needed "
               "to write");
}

/* evhttp's callback for every request. */
static void
handle_request(struct evhttp_request *req, void *h_)
{
    struct vtapd_http *h = h_;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    enum vtapd_rest_method method = get_method(req);

    if (!path || !path[0]) {
        send_error(req, 400, "path: missing");
    } else if (h->token && method != VTAPD_REST_GET
               && !vtapd_rest_authorized(
                   evhttp_find_header(evhttp_request_get_input_headers(req),
                                      "Authorization"), h->token)) {
        refuse_unauthorized(req, path);
    } else if (!strcmp(path, "/healthz") || !strcmp(path, "/metrics")) {
        if (method != VTAPD_REST_GET) {
            send_error(req, 405, "method: not allowed here (allowed: GET)");
        } else if (path[1] == 'h') {
            serve_healthz(h, req);
        } else {
            serve_metrics(h, req);
        }
    } else {
        serve_api(h, req, path);
    }
}

/* Sends the answers that the main thread has handed back. */
static void
send_replies(evutil_socket_t fd OVS_UNUSED, short what OVS_UNUSED, void *h_)
{
    struct vtapd_http *h = h_;
    struct ovs_list replies;
    struct http_request *r;

    ovs_mutex_lock(&h->mutex);
    ovs_list_move(&replies, &h->replies);
    ovs_list_init(&h->replies);
    ovs_mutex_unlock(&h->mutex);

    LIST_FOR_EACH_POP (r, node, &replies) {
        /* evhttp keeps a request whose client went away until it is
         * answered, and then frees it. */
        send_json(r->req, r->status, r->body);
        vtapd_rest_op_destroy(&r->op);
        free(r->comment);
        free(r);
    }
}

/* The main thread. */

/* Publishes a new snapshot of 'idl', the API's own IDL, if the TAP database
 * or the connections to it changed since the last one.  vtapd's own writes
 * of status and statistics reach 'idl' as any change does.  The snapshot is
 * connected (for /healthz) if 'idl' and vtapd's IDL, as
 * 'tapdb_connected' tells, both are.  A write's open transaction never
 * shows here: committing it takes its changes back out of the IDL's copy
 * until the database sends them. */
static void
publish_snapshot(struct vtapd_http *h, struct ovsdb_idl *idl,
                 bool tapdb_connected)
{
    bool connected = (tapdb_connected
                      && ovsdb_idl_is_connected(idl)
                      && ovsdb_idl_has_ever_connected(idl));
    unsigned int seqno = ovsdb_idl_get_seqno(idl);
    struct vtapd_snapshot *old;

    if (h->published && seqno == h->idl_seqno
        && connected == h->connected) {
        return;
    }
    h->published = true;
    h->idl_seqno = seqno;
    h->connected = connected;

    struct vtapd_snapshot *snap = vtapd_api_snapshot(idl, connected);
    ovs_mutex_lock(&h->mutex);
    old = h->snapshot;
    h->snapshot = snap;
    ovs_mutex_unlock(&h->mutex);
    /* The HTTP thread may still hold it: it frees it with its last
     * reference. */
    vtapd_snapshot_unref(old);
}

/* Hands the answer to the current write back to the HTTP thread, after
 * publishing a snapshot of 'idl' with the write's change, so that a client
 * that GETs after its write is answered sees it. */
static void
reply_current(struct vtapd_http *h, struct ovsdb_idl *idl, int status,
              char *body, bool tapdb_connected)
{
    struct http_request *r = h->current;

    vtapd_api_write_destroy(h->write);
    h->write = NULL;
    h->current = NULL;
    publish_snapshot(h, idl, tapdb_connected);

    r->status = status;
    r->body = body;
    ovs_mutex_lock(&h->mutex);
    ovs_list_push_back(&h->replies, &r->node);
    ovs_mutex_unlock(&h->mutex);
    event_active(h->reply_event, 0, 0);
}

/* Makes progress on the writes, one at a time: the IDL can have only one
 * transaction at a time. */
static void
run_writes(struct vtapd_http *h, struct ovsdb_idl *idl, bool tapdb_connected)
{
    h->request_seqno = seq_read(h->request_seq);
    for (;;) {
        int status;
        char *body;

        if (!h->write) {
            ovs_mutex_lock(&h->mutex);
            if (!ovs_list_is_empty(&h->requests)) {
                h->current = CONTAINER_OF(ovs_list_pop_front(&h->requests),
                                          struct http_request, node);
                h->n_requests--;
            }
            ovs_mutex_unlock(&h->mutex);
            if (!h->current) {
                return;
            }
            h->write = vtapd_api_write_start(idl, &h->current->op,
                                             h->current->comment);
        }
        if (!vtapd_api_write_run(h->write, &status, &body)) {
            return;
        }
        reply_current(h, idl, status, body, tapdb_connected);
    }
}

/* Publishes a new snapshot if the database changed, and runs the writes
 * that the HTTP thread has handed over, one at a time, on 'idl', the HTTP
 * API's own IDL, so that neither its reads nor its writes ever wait for
 * vtapd's (or make vtapd wait).  'tapdb_connected' tells whether vtapd's
 * own IDL is connected to the TAP database. */
void
vtapd_http_run(struct vtapd_http *h, struct ovsdb_idl *idl,
               bool tapdb_connected)
{
    if (h) {
        publish_snapshot(h, idl, tapdb_connected);
        run_writes(h, idl, tapdb_connected);
    }
}

/* Arranges for poll_block() to wake when vtapd_http_run() has work: a
 * write's commit made progress, or a write was queued. */
void
vtapd_http_wait(struct vtapd_http *h)
{
    if (!h) {
        return;
    }
    if (h->write) {
        vtapd_api_write_wait(h->write);
    } else {
        /* vtapd_http_run() read the seq before it took the queued writes,
         * so one queued since wakes it. */
        seq_wait(h->request_seq, h->request_seqno);
    }
}

/* Stops the HTTP thread and frees 'h', which may be null.  Writes still
 * queued are dropped unanswered: their connections close. */
void
vtapd_http_destroy(struct vtapd_http *h)
{
    struct http_request *r;

    if (!h) {
        return;
    }
    event_base_loopbreak(h->base);
    xpthread_join(h->thread, NULL);

    if (h->current) {
        vtapd_rest_op_destroy(&h->current->op);
        free(h->current->comment);
        free(h->current);
    }
    vtapd_api_write_destroy(h->write);
    LIST_FOR_EACH_POP (r, node, &h->requests) {
        vtapd_rest_op_destroy(&r->op);
        free(r->comment);
        free(r);
    }
    LIST_FOR_EACH_POP (r, node, &h->replies) {
        free(r->body);
        vtapd_rest_op_destroy(&r->op);
        free(r->comment);
        free(r);
    }
    event_free(h->reply_event);
    evhttp_free(h->evhttp);
    event_base_free(h->base);
    SSL_CTX_free(h->ssl_ctx);
    free(h->token);
    vtapd_snapshot_unref(h->snapshot);
    seq_destroy(h->request_seq);
    ovs_mutex_destroy(&h->mutex);
    free(h->address);
    free(h);
}
