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

#ifndef VTAPD_REST_H
#define VTAPD_REST_H 1

/* vtapd's REST API: from an HTTP method, a path and a JSON body to what the
 * request asks for.
 *
 * A GET names an object (or a list) that the HTTP thread shows from its
 * snapshot.  A POST or a DELETE becomes a list of typed operations
 * (lib/vtapdb-ops.h), which the main thread runs in one transaction, as
 * vtapctl's verbs run the same operations, so that a request gets the same
 * validation as the same change made with vtapctl.  This module only
 * checks what the operations cannot see: the path, the method, the body's
 * syntax, its field names and their JSON types; and it turns the
 * operations' error codes into HTTP statuses.  Pure: no I/O, no IDL. */

#include <stdbool.h>
#include <stddef.h>

#include "controller/vtapd-snapshot.h"
#include "openvswitch/compiler.h"
#include "svec.h"

/* The HTTP methods the API knows. */
enum vtapd_rest_method {
    VTAPD_REST_GET,
    VTAPD_REST_POST,
    VTAPD_REST_DELETE,
    VTAPD_REST_OTHER
};

/* Part of an object that a path names below it. */
enum vtapd_rest_sub {
    VTAPD_REST_SUB_NONE,
    VTAPD_REST_SUB_RULES,       /* A filter's rules, by "DIRECTION/NUMBER". */
    VTAPD_REST_SUB_MEMBERS,     /* A collector pool's members, by IP. */
};

/* What a request asks for. */
struct vtapd_rest_op {
    bool write;                 /* POST or DELETE? */

    /* The object that a GET shows or that a POST returns: an object of
     * 'collection' ('key' NULL for the whole collection), or its
     * sub-collection 'sub' ('sub_key' NULL for all of it). */
    enum vtapd_collection collection;
    char *key;
    enum vtapd_rest_sub sub;
    char *sub_key;

    /* For a write: the operations to run, in one transaction, and the
     * status to answer on success (201 with the object, or 204). */
    struct vtapdb_op *ops;
    size_t n_ops;
    int success_status;
};

void vtapd_rest_op_init(struct vtapd_rest_op *);
void vtapd_rest_op_destroy(struct vtapd_rest_op *);

int vtapd_rest_parse(enum vtapd_rest_method, const struct svec *segments,
                     const char *body, struct vtapd_rest_op *,
                     char **errorp)
    OVS_WARN_UNUSED_RESULT;

struct json;
const struct json *vtapd_rest_lookup(const struct vtapd_snapshot *,
                                     const struct vtapd_rest_op *,
                                     char **errorp);

struct vtapdb_error;
int vtapd_rest_error_status(const struct vtapd_rest_op *,
                            const struct vtapdb_error *);

char *vtapd_rest_error_body(int status, const char *message);
bool vtapd_rest_authorized(const char *authorization, const char *token);
char *vtapd_rest_op_error_body(const struct vtapdb_error *);

#endif /* vtapd-rest.h */
