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

#ifndef VTAPDB_OPS_H
#define VTAPDB_OPS_H 1

/* Typed operations on the TAP database: the one write path.
 *
 * Every change to the TAP model, whether a user makes it with vtapctl's
 * verbs or with vtapd's HTTP API, is a list of 'struct vtapdb_op' run in one
 * OVSDB transaction:
 *
 *     vtapdb_txn_start(idl, &gen);
 *     for each op:
 *         error = vtapdb_op_execute(idl, txn, &op);      (stop on error)
 *     error = vtapdb_txn_finish(idl, &gen);
 *     then commit 'txn', or abort it after an error.
 *
 * An operation names the objects it is about and carries the values a user
 * wrote as text; it validates them with db/vtapdb-check.h's parsers, so
 * that every value has one notation everywhere.  vtapdb_txn_finish() then
 * checks every row of the database as the transaction would leave it (the
 * checks that span rows, such as unique names and underlay addresses,
 * included), and claims the database's generation, so that of two writers
 * that read the same copy only the first commits (see vtapdb_txn_start()).
 *
 * Errors are 'struct vtapdb_error': a code that a caller turns into its own
 * kind of status (vtapd into HTTP statuses), the field and the value that
 * the error is about, and a message for people. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openvswitch/compiler.h"

struct ds;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct vtaprec_global;
struct vtaprec_tap_source;

/* The kinds of error an operation meets. */
enum vtapdb_error_code {
    VTAPDB_ERR_INVALID,         /* A value, or a combination, is not valid. */
    VTAPDB_ERR_NOT_FOUND,       /* A named object does not exist. */
    VTAPDB_ERR_CONFLICT,        /* It clashes with an object that exists. */
    VTAPDB_ERR_IN_USE,          /* Other objects use what it would delete. */
};

const char *vtapdb_error_code_name(enum vtapdb_error_code);

/* An error, which the caller frees with vtapdb_error_destroy(). */
struct vtapdb_error {
    enum vtapdb_error_code code;
    char *field;            /* The field or column it is about, or NULL. */
    char *value;            /* The value it is about, or NULL. */
    char *message;          /* For people, e.g. "vni: \"x\": not a VNI". */
};

struct vtapdb_error *vtapdb_error_create(enum vtapdb_error_code,
                                         const char *field,
                                         const char *value,
                                         const char *format, ...)
    OVS_PRINTF_FORMAT(4, 5);
void vtapdb_error_destroy(struct vtapdb_error *);

/* The operations. */
enum vtapdb_op_type {
    VTAPDB_OP_SWITCH_ADD,       /* name, role, settings. */
    VTAPDB_OP_SWITCH_DEL,       /* name. */
    VTAPDB_OP_TAP_ADD,          /* name, dest_type, dest, settings. */
    VTAPDB_OP_TAP_DEL,          /* name. */
    VTAPDB_OP_SOURCE_ADD,       /* tap, switch_name, port or iface_id,
                                 * settings. */
    VTAPDB_OP_SOURCE_DEL,       /* tap, switch_name, port or iface_id. */
    VTAPDB_OP_FILTER_ADD,       /* name, settings. */
    VTAPDB_OP_FILTER_DEL,       /* name. */
    VTAPDB_OP_RULE_ADD,         /* filter, direction, number, action,
                                 * settings. */
    VTAPDB_OP_RULE_DEL,         /* filter, direction, number. */
    VTAPDB_OP_POOL_ADD,         /* name: a pool that does not exist yet. */
    VTAPDB_OP_POOL_DEL,         /* name. */
    VTAPDB_OP_MEMBER_ADD,       /* pool, ip, weight (may be NULL). */
    VTAPDB_OP_MEMBER_DEL,       /* pool, ip. */
    VTAPDB_OP_MEMBER_DOWN,      /* pool, ip. */
    VTAPDB_OP_MEMBER_UP,        /* pool, ip. */
};

/* Where a Tap sends its copies. */
enum vtapdb_destination {
    VTAPDB_DEST_IP,             /* A collector's address. */
    VTAPDB_DEST_POOL,           /* A Collector_Pool, by name. */
    VTAPDB_DEST_PORT,           /* A port on the hub ("local" delivery). */
};

/* Flags of an operation. */
enum {
    VTAPDB_MAY_EXIST = 1 << 0,  /* An add of what exists does nothing. */
    VTAPDB_IF_EXISTS = 1 << 1,  /* A delete of what is missing does nothing. */
    VTAPDB_CREATE_POOL = 1 << 2 /* MEMBER_ADD creates a missing pool. */
};

/* A setting: the value of an optional column, which a KEY=VALUE word on
 * vtapctl's command line or a member of an HTTP request's body gives. */
struct vtapdb_setting {
    char *key;                  /* The column's name. */
    char *value;                /* NULL: the word had no '=' (an error). */
};

/* An operation.  Which members it reads depends on its type (see enum
 * vtapdb_op_type); the others are NULL.  Every string is owned. */
struct vtapdb_op {
    enum vtapdb_op_type type;
    unsigned int flags;         /* VTAPDB_*. */

    char *name;                 /* Switch, Tap, Filter or pool name. */
    char *role;                 /* A switch's role. */
    enum vtapdb_destination dest_type;  /* A Tap's destination. */
    char *dest;                 /* The address, pool or port. */

    char *tap;                  /* A source's Tap. */
    char *switch_name;          /* A source's Switch. */
    char *port;                 /* A source's port name, or... */
    char *iface_id;             /* ...its interface's iface-id. */

    char *filter;               /* A rule's Filter. */
    char *direction;            /* A rule's direction. */
    char *number;               /* A rule's number. */
    char *action;               /* A rule's action. */

    char *pool;                 /* A member's pool. */
    char *ip;                   /* A member's address. */
    char *weight;               /* A member's weight, or NULL for 1. */

    struct vtapdb_setting *settings;
    size_t n_settings;
};

void vtapdb_op_init(struct vtapdb_op *, enum vtapdb_op_type);
void vtapdb_op_destroy(struct vtapdb_op *);
void vtapdb_op_add_setting(struct vtapdb_op *, const char *key,
                           const char *value);
void vtapdb_op_format(const struct vtapdb_op *, struct ds *);

struct vtapdb_error *vtapdb_op_execute(struct ovsdb_idl *,
                                       struct ovsdb_idl_txn *,
                                       const struct vtapdb_op *)
    OVS_WARN_UNUSED_RESULT;

/* The Global row's generation, as a transaction first read it. */
struct vtapdb_generation {
    const struct vtaprec_global *global; /* NULL: nothing to count. */
    int64_t value;              /* Its generation when first read. */
};

void vtapdb_txn_start(struct ovsdb_idl *, struct vtapdb_generation *);
struct vtapdb_error *vtapdb_txn_finish(struct ovsdb_idl *,
                                       const struct vtapdb_generation *)
    OVS_WARN_UNUSED_RESULT;

char *vtapdb_txn_error_message(const char *idl_error);
bool vtapdb_txn_error_is(const char *idl_error, const char *name);
char *vtapdb_source_port(const struct vtaprec_tap_source *);

#endif /* lib/vtapdb-ops.h */
