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

#ifndef VTAPD_HTTP_H
#define VTAPD_HTTP_H 1

/* vtapd's HTTP server: /healthz, /metrics and the REST API (docs/http-api.md)
 * with libevent's evhttp, on a thread of its own.
 *
 * The HTTP thread and the main thread share only two things, under one
 * mutex: the snapshot of the TAP database that the main thread last
 * published (controller/vtapd-snapshot.h), from which the HTTP thread
 * answers every GET, and two queues: the writes that the HTTP thread hands
 * to the main thread (woken with seq_change()), and their answers, which
 * the main thread hands back (waking the HTTP thread with event_active()).
 * Neither thread polls.
 *
 * The main thread calls vtapd_http_run() and vtapd_http_wait() on each
 * pass of its poll loop. */

#include <stdbool.h>
#include <stdint.h>

#include "openvswitch/compiler.h"

struct ovsdb_idl;
struct vtapd_http;

/* How the HTTP API listens and whom it lets in. */
struct vtapd_http_options {
    const char *address;        /* [IP:]PORT. */

    /* HTTPS, if both are set: the server's private key and certificate
     * (chain), PEM files. */
    const char *private_key;
    const char *certificate;

    /* If set, a PEM file of CA certificates: a client must present a
     * certificate signed by one of them, or the handshake fails. */
    const char *ca_cert;

    /* If set, a file whose first line is a token: a write (any method but
     * GET and HEAD) must carry "Authorization: Bearer TOKEN", or gets a
     * 401 and changes nothing. */
    const char *token_file;
};

char *vtapd_http_create(const struct vtapd_http_options *,
                        struct vtapd_http **)
    OVS_WARN_UNUSED_RESULT;
void vtapd_http_run(struct vtapd_http *, struct ovsdb_idl *,
                    bool tapdb_connected);
void vtapd_http_wait(struct vtapd_http *);
void vtapd_http_destroy(struct vtapd_http *);

#endif /* vtapd-http.h */
