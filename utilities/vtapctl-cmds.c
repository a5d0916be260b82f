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

/* vtapctl's commands: the verbs of the TAP model, which write through
 * lib/vtapdb-ops.h, and the commands that show the database.  See
 * vtapctl-cmds.h. */

#include <config.h>

#include "utilities/vtapctl-cmds.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "db-ctl-base.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "lib/vtapdb-ops.h"
#include "lib/vtapdb-rbac.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "stream.h"
#include "simap.h"
#include "smap.h"
#include "sset.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "vtap-field.h"

VLOG_DEFINE_THIS_MODULE(vtapctl_cmds);

/* Row lookups. */

/* Returns the row of 'table' named 'name' (or with UUID 'name'), or NULL. */
static const struct ovsdb_idl_row *
find_row(struct ctl_context *ctx, const struct ovsdb_idl_table_class *table,
         const char *name)
{
    const struct ovsdb_idl_row *row = NULL;
    char *error = ctl_get_row(ctx, table, name, false, &row);

    /* Names are unique, so there is never more than one match. */
    free(error);
    return row;
}

static const struct vtaprec_switch *
find_switch(struct ctl_context *ctx, const char *name)
{
    const struct ovsdb_idl_row *row = find_row(ctx, &vtaprec_table_switch,
                                               name);
    return row ? CONTAINER_OF(row, struct vtaprec_switch, header_) : NULL;
}

static const struct vtaprec_tap *
find_tap(struct ctl_context *ctx, const char *name)
{
    const struct ovsdb_idl_row *row = find_row(ctx, &vtaprec_table_tap, name);
    return row ? CONTAINER_OF(row, struct vtaprec_tap, header_) : NULL;
}

static const struct vtaprec_filter *
find_filter(struct ctl_context *ctx, const char *name)
{
    const struct ovsdb_idl_row *row = find_row(ctx, &vtaprec_table_filter,
                                               name);
    return row ? CONTAINER_OF(row, struct vtaprec_filter, header_) : NULL;
}

static const struct vtaprec_collector_pool *
find_pool(struct ctl_context *ctx, const char *name)
{
    const struct ovsdb_idl_row *row
        = find_row(ctx, &vtaprec_table_collector_pool, name);
    return (row
            ? CONTAINER_OF(row, struct vtaprec_collector_pool, header_)
            : NULL);
}

/* The verbs that write: each turns its words into a typed operation of
 * lib/vtapdb-ops.h, which validates and writes. */

/* Returns the flags that 'ctx''s options give an operation. */
static unsigned int
op_flags(const struct ctl_context *ctx)
{
    return ((shash_find(&ctx->options, "--may-exist") ? VTAPDB_MAY_EXIST : 0)
            | (shash_find(&ctx->options, "--if-exists")
               ? VTAPDB_IF_EXISTS : 0));
}

/* Adds the KEY=VALUE words of 'ctx', from index 'first' on, to 'op' as its
 * settings; a word without '=' becomes a setting without a value, which
 * the operation refuses. */
static void
add_settings(const struct ctl_context *ctx, int first, struct vtapdb_op *op)
{
    for (int i = first; i < ctx->argc; i++) {
        const char *arg = ctx->argv[i];
        const char *eq = strchr(arg, '=');
        char *key = eq ? xmemdup0(arg, eq - arg) : xstrdup(arg);

        vtapdb_op_add_setting(op, key, eq ? eq + 1 : NULL);
        free(key);
    }
}

/* Runs 'op' in 'ctx''s transaction and reports its error, if any, as the
 * error of the current verb.  Destroys 'op'. */
static void
run_op(struct ctl_context *ctx, struct vtapdb_op *op)
{
    struct vtapdb_error *e = vtapdb_op_execute(ctx->idl, ctx->txn, op);

    if (e) {
        ctl_error(ctx, "%s: %s", ctx->argv[0], e->message);
        vtapdb_error_destroy(e);
    }
    vtapdb_op_destroy(op);
}

/* Starts 'op' as an operation of 'type' with the flags of 'ctx' and, if
 * 'name' is nonnull, its name. */
static void
start_op(const struct ctl_context *ctx, enum vtapdb_op_type type,
         const char *name, struct vtapdb_op *op)
{
    vtapdb_op_init(op, type);
    op->flags = op_flags(ctx);
    op->name = nullable_xstrdup(name);
}

static void
cmd_init(struct ctl_context *ctx)
{
    /* do_vtapctl() creates the global row of a transaction that writes. */
    vtapdb_rbac_ensure_host_role(ctx->idl, ctx->txn);
}

/* set-connection [role=ROLE] [read-only|read-write] TARGET...: the remotes
 * that the TAP database's ovsdb-server listens on (or connects to) besides
 * its unix socket, as Connection rows, replacing those there were.  A
 * ROLE or read-only applies to the TARGETs after it. */
static void
cmd_set_connection(struct ctl_context *ctx)
{
    const struct vtaprec_global *global = vtaprec_global_first(ctx->idl);
    struct vtaprec_connection **conns = xmalloc(ctx->argc * sizeof *conns);
    const char *role = "";
    bool read_only = false;
    size_t n = 0;

    for (int i = 1; i < ctx->argc && !ctx->error; i++) {
        const char *arg = ctx->argv[i];

        if (!strncmp(arg, "role=", 5)) {
            role = arg + 5;
            if (!strcmp(role, VTAPDB_HOST_ROLE)) {
                vtapdb_rbac_ensure_host_role(ctx->idl, ctx->txn);
            }
            if (role[0] && !vtapdb_rbac_find_role(ctx->idl, role)) {
                ctl_error(ctx, "set-connection: role \"%s\": no RBAC_Role "
                          "with this name", role);
            }
        } else if (!strcmp(arg, "read-only") || !strcmp(arg, "read-write")) {
            read_only = arg[5] == 'o';
        } else if (stream_verify_name(arg) && pstream_verify_name(arg)) {
            ctl_error(ctx, "set-connection: \"%s\": not a remote (for "
                      "example pssl:6640 or ssl:192.0.2.1:6640)", arg);
        } else {
            struct vtaprec_connection *c = vtaprec_connection_insert(ctx->txn);

            vtaprec_connection_set_target(c, arg);
            vtaprec_connection_set_role(c, role);
            vtaprec_connection_set_read_only(c, read_only);
            conns[n++] = c;
        }
    }
    if (!ctx->error && !n) {
        ctl_error(ctx, "set-connection: no remote given");
    }
    if (!ctx->error) {
        vtaprec_global_set_connections(global, conns, n);
    }
    free(conns);
}

static int
compare_connections(const void *a_, const void *b_)
{
    const struct vtaprec_connection *const *a = a_;
    const struct vtaprec_connection *const *b = b_;

    return strcmp((*a)->target, (*b)->target);
}

/* get-connection: a line per remote of set-connection, sorted:
 * "read-only|read-write [role="ROLE"] TARGET". */
static void
cmd_get_connection(struct ctl_context *ctx)
{
    const struct vtaprec_global *global = vtaprec_global_first(ctx->idl);

    if (!global || !global->n_connections) {
        return;
    }

    size_t n = global->n_connections;
    struct vtaprec_connection **conns = xmemdup(global->connections,
                                                n * sizeof *conns);
    qsort(conns, n, sizeof *conns, compare_connections);
    for (size_t i = 0; i < n; i++) {
        const struct vtaprec_connection *c = conns[i];

        ds_put_cstr(&ctx->output, c->read_only ? "read-only " : "read-write ");
        if (c->role[0]) {
            ds_put_format(&ctx->output, "role=\"%s\" ", c->role);
        }
        ds_put_format(&ctx->output, "%s\n", c->target);
    }
    free(conns);
}

/* del-connection: no remote but the unix socket. */
static void
cmd_del_connection(struct ctl_context *ctx)
{
    const struct vtaprec_global *global = vtaprec_global_first(ctx->idl);

    vtaprec_global_set_connections(global, NULL, 0);
}

static void
cmd_switch_add(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_SWITCH_ADD, ctx->argv[1], &op);
    op.role = xstrdup(ctx->argv[2]);
    add_settings(ctx, 3, &op);
    run_op(ctx, &op);
}

static void
cmd_switch_del(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_SWITCH_DEL, ctx->argv[1], &op);
    run_op(ctx, &op);
}

static void
cmd_tap_add(struct ctl_context *ctx)
{
    const char *dest = ctx->argv[2];
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_TAP_ADD, ctx->argv[1], &op);
    /* Names start with a letter or '_' and have no ':', so a destination
     * that starts with a digit or has a ':' is an address, unless it is
     * "local:PORT". */
    if (!strncmp(dest, "local:", 6)) {
        op.dest_type = VTAPDB_DEST_PORT;
        dest += 6;
    } else if (!isdigit((unsigned char) dest[0]) && !strchr(dest, ':')) {
        op.dest_type = VTAPDB_DEST_POOL;
    } else {
        op.dest_type = VTAPDB_DEST_IP;
    }
    op.dest = xstrdup(dest);
    add_settings(ctx, 3, &op);
    run_op(ctx, &op);
}

static void
cmd_tap_del(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_TAP_DEL, ctx->argv[1], &op);
    run_op(ctx, &op);
}

/* source-add and source-del: TAP SWITCH PORT, where PORT is a port's name
 * or "iface-id=" and an interface's iface-id. */
static void
source_op(struct ctl_context *ctx, enum vtapdb_op_type type)
{
    const char *port = ctx->argv[3];
    struct vtapdb_op op;

    start_op(ctx, type, NULL, &op);
    op.tap = xstrdup(ctx->argv[1]);
    op.switch_name = xstrdup(ctx->argv[2]);
    if (!strncmp(port, "iface-id=", 9)) {
        op.iface_id = xstrdup(port + 9);
    } else {
        op.port = xstrdup(port);
    }
    add_settings(ctx, 4, &op);
    run_op(ctx, &op);
}

static void
cmd_source_add(struct ctl_context *ctx)
{
    source_op(ctx, VTAPDB_OP_SOURCE_ADD);
}

static void
cmd_source_del(struct ctl_context *ctx)
{
    source_op(ctx, VTAPDB_OP_SOURCE_DEL);
}

static void
cmd_filter_add(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_FILTER_ADD, ctx->argv[1], &op);
    add_settings(ctx, 2, &op);
    run_op(ctx, &op);
}

static void
cmd_filter_del(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    start_op(ctx, VTAPDB_OP_FILTER_DEL, ctx->argv[1], &op);
    run_op(ctx, &op);
}

/* rule-add and rule-del: FILTER DIRECTION NUMBER [ACTION [KEY=VALUE]...]. */
static void
rule_op(struct ctl_context *ctx, enum vtapdb_op_type type)
{
    struct vtapdb_op op;

    start_op(ctx, type, NULL, &op);
    op.filter = xstrdup(ctx->argv[1]);
    op.direction = xstrdup(ctx->argv[2]);
    op.number = xstrdup(ctx->argv[3]);
    if (ctx->argc > 4) {
        op.action = xstrdup(ctx->argv[4]);
        add_settings(ctx, 5, &op);
    }
    run_op(ctx, &op);
}

static void
cmd_rule_add(struct ctl_context *ctx)
{
    rule_op(ctx, VTAPDB_OP_RULE_ADD);
}

static void
cmd_rule_del(struct ctl_context *ctx)
{
    rule_op(ctx, VTAPDB_OP_RULE_DEL);
}

/* The collector commands: POOL IP [WEIGHT]. */
static void
member_op(struct ctl_context *ctx, enum vtapdb_op_type type,
          unsigned int flags)
{
    struct vtapdb_op op;

    start_op(ctx, type, NULL, &op);
    op.flags |= flags;
    op.pool = xstrdup(ctx->argv[1]);
    op.ip = xstrdup(ctx->argv[2]);
    op.weight = ctx->argc > 3 ? xstrdup(ctx->argv[3]) : NULL;
    run_op(ctx, &op);
}

static void
cmd_collector_add(struct ctl_context *ctx)
{
    /* vtapctl creates a pool with its first member. */
    member_op(ctx, VTAPDB_OP_MEMBER_ADD, VTAPDB_CREATE_POOL);
}

static void
cmd_collector_down(struct ctl_context *ctx)
{
    member_op(ctx, VTAPDB_OP_MEMBER_DOWN, 0);
}

static void
cmd_collector_up(struct ctl_context *ctx)
{
    member_op(ctx, VTAPDB_OP_MEMBER_UP, 0);
}

/* collector-del POOL deletes a pool, collector-del POOL IP a member. */
static void
cmd_collector_del(struct ctl_context *ctx)
{
    struct vtapdb_op op;

    if (ctx->argc > 2) {
        member_op(ctx, VTAPDB_OP_MEMBER_DEL, 0);
    } else {
        start_op(ctx, VTAPDB_OP_POOL_DEL, ctx->argv[1], &op);
        run_op(ctx, &op);
    }
}

/* Returns a new table with a column for each of 'headings', which is
 * NULL-terminated. */
static struct table *
new_table(const char *const headings[])
{
    struct table *table = xmalloc(sizeof *table);

    table_init(table);
    for (size_t i = 0; headings[i]; i++) {
        table_add_column(table, "%s", headings[i]);
    }
    return table;
}

/* Adds 'text' (taking ownership) as the next cell of the last row of
 * 'table'. */
static void
add_cell(struct table *table, char *text)
{
    table_add_cell(table)->text = text;
}

/* Returns the names of the rows of 'table', whose name column is
 * 'name_column', sorted. */
static void
sorted_names(struct ctl_context *ctx,
             const struct ovsdb_idl_table_class *table,
             const struct ovsdb_idl_column *name_column, struct svec *names)
{
    const struct ovsdb_idl_row *row;

    svec_init(names);
    for (row = ovsdb_idl_first_row(ctx->idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, name_column);
        svec_add(names, json_string(datum->keys[0].s));
    }
    svec_sort(names);
}

static void
cmd_switch_list(struct ctl_context *ctx)
{
    static const char *const headings[] = {
        "name", "role", "bridge", "underlay_ip", "enabled", "applied_cfg",
        NULL
    };
    struct table *table = new_table(headings);
    struct svec names;
    const char *name;
    size_t i;

    sorted_names(ctx, &vtaprec_table_switch, &vtaprec_switch_col_name,
                 &names);
    SVEC_FOR_EACH (i, name, &names) {
        const struct vtaprec_switch *sw = find_switch(ctx, name);

        table_add_row(table);
        add_cell(table, xstrdup(sw->name));
        add_cell(table, xstrdup(sw->role));
        add_cell(table, xstrdup(sw->bridge));
        add_cell(table, xstrdup(sw->underlay_ip ? sw->underlay_ip : ""));
        add_cell(table, xstrdup(vtapdb_switch_is_enabled(sw)
                                ? "true" : "false"));
        add_cell(table, xasprintf("%"PRId64, sw->applied_cfg));
    }
    svec_destroy(&names);
    ctx->table = table;
}

/* Returns a description of the destination of 'tap'. */
static char *
tap_destination(const struct vtaprec_tap *tap)
{
    return (tap->collector_pool
            ? xasprintf("pool %s", tap->collector_pool->name)
            : tap->collector_port
            ? xasprintf("local port %s", tap->collector_port)
            : xstrdup(tap->collector_ip ? tap->collector_ip : ""));
}

static void
cmd_tap_list(struct ctl_context *ctx)
{
    static const char *const headings[] = {
        "name", "destination", "vni", "udp_port", "hub", "sources",
        "enabled", NULL
    };
    struct table *table = new_table(headings);
    struct svec names;
    const char *name;
    size_t i;

    sorted_names(ctx, &vtaprec_table_tap, &vtaprec_tap_col_name, &names);
    SVEC_FOR_EACH (i, name, &names) {
        const struct vtaprec_tap *tap = find_tap(ctx, name);
        const struct vtaprec_tap_source *src;
        int n_sources = 0;

        VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
            n_sources += src->tap == tap;
        }
        table_add_row(table);
        add_cell(table, xstrdup(tap->name));
        add_cell(table, tap_destination(tap));
        add_cell(table, xasprintf("%"PRId64, tap->vni));
        add_cell(table, xasprintf("%"PRId64, (tap->n_udp_port
                                              ? tap->udp_port[0]
                                              : VTAPDB_DEFAULT_UDP_PORT)));
        add_cell(table, xstrdup(tap->hub ? tap->hub->name : "(direct)"));
        add_cell(table, xasprintf("%d", n_sources));
        add_cell(table, xstrdup(vtapdb_tap_is_enabled(tap)
                                ? "true" : "false"));
    }
    svec_destroy(&names);
    ctx->table = table;
}

/* Orders sources by tap, switch, then port or iface-id. */
static int
compare_sources(const void *a_, const void *b_)
{
    const struct vtaprec_tap_source *const *a = a_;
    const struct vtaprec_tap_source *const *b = b_;
    int cmp = strcmp((*a)->tap->name, (*b)->tap->name);

    if (!cmp) {
        cmp = strcmp((*a)->switch_->name, (*b)->switch_->name);
    }
    if (!cmp) {
        cmp = strcmp((*a)->port ? (*a)->port : (*a)->iface_id,
                     (*b)->port ? (*b)->port : (*b)->iface_id);
    }
    return cmp;
}

/* Returns the sources of 'tap', or of all taps if it is NULL, sorted, and
 * stores how many there are in '*n'.  The caller frees the array. */
static const struct vtaprec_tap_source **
sorted_sources(struct ctl_context *ctx, const struct vtaprec_tap *tap,
               size_t *n)
{
    const struct vtaprec_tap_source **sources = NULL;
    const struct vtaprec_tap_source *src;
    size_t allocated = 0;

    *n = 0;
    VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
        if (!tap || src->tap == tap) {
            if (*n >= allocated) {
                sources = x2nrealloc(sources, &allocated, sizeof *sources);
            }
            sources[(*n)++] = src;
        }
    }
    if (*n) {
        qsort(sources, *n, sizeof *sources, compare_sources);
    }
    return sources;
}

static void
cmd_source_list(struct ctl_context *ctx)
{
    static const char *const headings[] = {
        "tap", "switch", "port", "direction", "filter", NULL
    };
    const struct vtaprec_tap_source **sources;
    const struct vtaprec_tap *tap = NULL;
    struct table *table;
    size_t i, n;

    if (ctx->argc > 1) {
        tap = find_tap(ctx, ctx->argv[1]);
        if (!tap) {
            ctl_error(ctx, "%s: tap: \"%s\": no Tap with this name",
                      ctx->argv[0], ctx->argv[1]);
            return;
        }
    }

    table = new_table(headings);
    sources = sorted_sources(ctx, tap, &n);
    for (i = 0; i < n; i++) {
        const struct vtaprec_tap_source *src = sources[i];

        table_add_row(table);
        add_cell(table, xstrdup(src->tap->name));
        add_cell(table, xstrdup(src->switch_->name));
        add_cell(table, vtapdb_source_port(src));
        add_cell(table, xstrdup(src->direction));
        add_cell(table, xstrdup(src->filter ? src->filter->name : ""));
    }
    free(sources);
    ctx->table = table;
}

/* The "tap-stats" command: the counters that vtapd writes into the
 * statistics columns (see vtap(5)), a row per counter and place, in the
 * order that copies pass them: each source, the Tap's sources together,
 * the hub, its meter, what it delivered and each pool member. */

/* The integer map of a statistics column. */
struct counters {
    char **keys;
    const int64_t *values;
    size_t n;
};

/* Stores the value of counter 'key' of 'c' in '*value'.  Returns false if
 * vtapd has not written it. */
static bool
find_counter(const struct counters *c, const char *key, int64_t *value)
{
    for (size_t i = 0; i < c->n; i++) {
        if (!strcmp(c->keys[i], key)) {
            *value = c->values[i];
            return true;
        }
    }
    return false;
}

/* Adds to 'table' the row of counter 'stem' of tap 'tap' at 'where': the
 * values of "STEM_packets" and "STEM_bytes" in 'c', each followed by
 * 'suffix'.  Adds nothing if 'c' has neither. */
static void
add_counter_row(struct table *table, const char *tap, const char *stem,
                const char *where, const struct counters *c,
                const char *suffix)
{
    char *packets_key = xasprintf("%s_packets%s", stem, suffix);
    char *bytes_key = xasprintf("%s_bytes%s", stem, suffix);
    int64_t packets, bytes;
    bool has_packets = find_counter(c, packets_key, &packets);
    bool has_bytes = find_counter(c, bytes_key, &bytes);

    if (has_packets || has_bytes) {
        table_add_row(table);
        add_cell(table, xstrdup(tap));
        add_cell(table, xstrdup(stem));
        add_cell(table, xstrdup(where));
        add_cell(table, has_packets ? xasprintf("%"PRId64, packets)
                                    : xstrdup(""));
        add_cell(table, has_bytes ? xasprintf("%"PRId64, bytes)
                                  : xstrdup(""));
    }
    free(packets_key);
    free(bytes_key);
}

/* Adds to 'table' the rows of the counters of 'src', a source of 'tap'. */
static void
add_source_counters(struct table *table, const struct vtaprec_tap *tap,
                    const struct vtaprec_tap_source *src)
{
    struct counters c = { src->key_statistics, src->value_statistics,
                          src->n_statistics };
    char *port = vtapdb_source_port(src);
    char *where = xasprintf("%s on %s", port, src->switch_->name);

    add_counter_row(table, tap->name, "candidate", where, &c, "");
    add_counter_row(table, tap->name, "tx", where, &c, "");
    add_counter_row(table, tap->name, "meter_dropped", where, &c, "");
    add_counter_row(table, tap->name, "oversize", where, &c, "");
    free(where);
    free(port);
}

/* Adds to 'table' the rows of the counters of 'tap' and its sources. */
static void
add_tap_counters(struct ctl_context *ctx, struct table *table,
                 const struct vtaprec_tap *tap)
{
    struct counters c = { tap->key_statistics, tap->value_statistics,
                          tap->n_statistics };
    const char *hub = tap->hub ? tap->hub->name : "";
    const struct vtaprec_tap_source **sources;
    struct svec members;
    const char *key;
    size_t i, n;

    sources = sorted_sources(ctx, tap, &n);
    for (i = 0; i < n; i++) {
        add_source_counters(table, tap, sources[i]);
    }
    free(sources);

    add_counter_row(table, tap->name, "candidate", "all sources", &c, "");
    add_counter_row(table, tap->name, "hub", hub, &c, "");
    add_counter_row(table, tap->name, "meter_dropped", hub, &c, "");
    add_counter_row(table, tap->name, "delivered", hub, &c, "");

    /* Pool members from "collector_packets:IP" and "collector_bytes:IP". */
    svec_init(&members);
    for (i = 0; i < c.n; i++) {
        const char *colon = strchr(c.keys[i], ':');

        if (!strncmp(c.keys[i], "collector_packets:", 18)
            || !strncmp(c.keys[i], "collector_bytes:", 16)) {
            svec_add(&members, colon + 1);
        }
    }
    svec_sort_unique(&members);
    SVEC_FOR_EACH (i, key, &members) {
        char *suffix = xasprintf(":%s", key);

        add_counter_row(table, tap->name, "collector", key, &c, suffix);
        free(suffix);
    }
    svec_destroy(&members);
}

static void
cmd_tap_stats(struct ctl_context *ctx)
{
    static const char *const headings[] = {
        "tap", "counter", "where", "packets", "bytes", NULL
    };
    struct table *table;
    struct svec names;
    const char *name;
    size_t i;

    if (ctx->argc > 1 && !find_tap(ctx, ctx->argv[1])) {
        ctl_error(ctx, "%s: tap: \"%s\": no Tap with this name",
                  ctx->argv[0], ctx->argv[1]);
        return;
    }
    if (ctx->argc > 1) {
        svec_init(&names);
        svec_add(&names, ctx->argv[1]);
    } else {
        sorted_names(ctx, &vtaprec_table_tap, &vtaprec_tap_col_name, &names);
    }

    table = new_table(headings);
    SVEC_FOR_EACH (i, name, &names) {
        add_tap_counters(ctx, table, find_tap(ctx, name));
    }
    svec_destroy(&names);
    ctx->table = table;
}

/* The "show" command. */

/* Appends 'map', if it is not empty, to 'ds' as "LABEL: {k=v, ...}" at
 * 'indent'. */
static void
show_map(struct ds *ds, int indent, const char *label, const struct smap *map)
{
    if (!smap_is_empty(map)) {
        const struct smap_node **nodes = smap_sort(map);

        ds_put_format(ds, "%*s%s: {", indent, "", label);
        for (size_t i = 0; i < smap_count(map); i++) {
            ds_put_format(ds, "%s%s=\"%s\"", i ? ", " : "",
                          nodes[i]->key, nodes[i]->value);
        }
        ds_put_cstr(ds, "}\n");
        free(nodes);
    }
}

/* Appends the counters 'keys' and 'values', 'n' of them, if there are any,
 * to 'ds' as "statistics: {k=v, ...}" at 'indent', sorted by name. */
static void
show_counters(struct ds *ds, int indent, char **keys, const int64_t *values,
              size_t n)
{
    struct svec pairs;

    if (!n) {
        return;
    }
    svec_init(&pairs);
    for (size_t i = 0; i < n; i++) {
        svec_add_nocopy(&pairs, xasprintf("%s=%"PRId64, keys[i], values[i]));
    }
    svec_sort(&pairs);
    ds_put_format(ds, "%*sstatistics: {", indent, "");
    for (size_t i = 0; i < pairs.n; i++) {
        ds_put_format(ds, "%s%s", i ? ", " : "", pairs.names[i]);
    }
    ds_put_cstr(ds, "}\n");
    svec_destroy(&pairs);
}

static void
show_switches(struct ctl_context *ctx, const char *role)
{
    struct ds *ds = &ctx->output;
    struct svec names;
    const char *name;
    size_t i;

    sorted_names(ctx, &vtaprec_table_switch, &vtaprec_switch_col_name,
                 &names);
    SVEC_FOR_EACH (i, name, &names) {
        const struct vtaprec_switch *sw = find_switch(ctx, name);

        if (strcmp(sw->role, role)) {
            continue;
        }
        ds_put_format(ds, "%s \"%s\"\n", role[0] == 'h' ? "Hub" : "Spoke",
                      sw->name);
        ds_put_format(ds, "    bridge: %s\n", sw->bridge);
        if (sw->underlay_ip) {
            ds_put_format(ds, "    underlay_ip: %s\n", sw->underlay_ip);
        }
        if (sw->n_underlay_mtu) {
            ds_put_format(ds, "    underlay_mtu: %"PRId64"\n",
                          sw->underlay_mtu[0]);
        }
        if (sw->openflow_remote) {
            ds_put_format(ds, "    openflow_remote: \"%s\"\n",
                          sw->openflow_remote);
        }
        if (sw->ovsdb_remote) {
            ds_put_format(ds, "    ovsdb_remote: \"%s\"\n", sw->ovsdb_remote);
        }
        if (!vtapdb_switch_is_enabled(sw)) {
            ds_put_cstr(ds, "    enabled: false\n");
        }
        ds_put_format(ds, "    applied_cfg: %"PRId64"\n", sw->applied_cfg);
        show_map(ds, 4, "status", &sw->status);
    }
    svec_destroy(&names);
}

static void
show_tap(struct ctl_context *ctx, const struct vtaprec_tap *tap)
{
    const struct vtaprec_tap_source **sources;
    struct ds *ds = &ctx->output;
    char *dest = tap_destination(tap);
    size_t i, n;

    ds_put_format(ds, "Tap \"%s\"\n", tap->name);
    ds_put_format(ds, "    destination: %s\n", dest);
    free(dest);
    ds_put_format(ds, "    vni: %"PRId64"\n", tap->vni);
    ds_put_format(ds, "    udp_port: %"PRId64"\n",
                  (tap->n_udp_port ? tap->udp_port[0]
                   : VTAPDB_DEFAULT_UDP_PORT));
    ds_put_format(ds, "    delivery: %s%s%s\n", tap->hub ? "hub \"" : "direct",
                  tap->hub ? tap->hub->name : "", tap->hub ? "\"" : "");
    if (tap->n_snaplen) {
        ds_put_format(ds, "    snaplen: %"PRId64"\n", tap->snaplen[0]);
    }
    if (tap->n_sampling) {
        ds_put_format(ds, "    sampling: %.12g\n", tap->sampling[0]);
    }
    if (tap->n_rate_limit) {
        ds_put_format(ds, "    rate_limit: %"PRId64"%s\n", tap->rate_limit[0],
                      tap->rate_limit_unit ? tap->rate_limit_unit : "pps");
    }
    if (tap->oversize) {
        ds_put_format(ds, "    oversize: %s\n", tap->oversize);
    }
    if (!vtapdb_tap_is_enabled(tap)) {
        ds_put_cstr(ds, "    enabled: false\n");
    }
    show_map(ds, 4, "status", &tap->status);
    show_counters(ds, 4, tap->key_statistics, tap->value_statistics,
                  tap->n_statistics);

    sources = sorted_sources(ctx, tap, &n);
    for (i = 0; i < n; i++) {
        const struct vtaprec_tap_source *src = sources[i];
        char *port = vtapdb_source_port(src);

        ds_put_format(ds, "    Source \"%s\" on \"%s\"\n", port,
                      src->switch_->name);
        ds_put_format(ds, "        direction: %s\n", src->direction);
        if (src->filter) {
            ds_put_format(ds, "        filter: \"%s\"\n", src->filter->name);
        }
        show_map(ds, 8, "status", &src->status);
        show_counters(ds, 8, src->key_statistics, src->value_statistics,
                      src->n_statistics);
        free(port);
    }
    free(sources);
}

/* Orders filter rules by direction, then number: the order of
 * evaluation. */
static int
compare_rules(const void *a_, const void *b_)
{
    const struct vtaprec_filter_rule *const *a = a_;
    const struct vtaprec_filter_rule *const *b = b_;
    int cmp = strcmp((*a)->direction, (*b)->direction);

    return cmp ? -cmp : (*a)->number < (*b)->number ? -1
                      : (*a)->number > (*b)->number;
}

static void
show_filter(struct ctl_context *ctx, const struct vtaprec_filter *filter)
{
    struct vtaprec_filter_rule **rules;
    struct ds *ds = &ctx->output;
    size_t i, n = filter->n_rules;

    ds_put_format(ds, "Filter \"%s\"\n", filter->name);
    if (filter->description) {
        ds_put_format(ds, "    description: \"%s\"\n", filter->description);
    }
    rules = xmemdup(filter->rules, n * sizeof *rules);
    qsort(rules, n, sizeof *rules, compare_rules);
    for (i = 0; i < n; i++) {
        const struct vtaprec_filter_rule *r = rules[i];

        ds_put_format(ds, "    %s %"PRId64" %s", r->direction, r->number,
                      r->action);
        if (r->n_protocol) {
            ds_put_format(ds, " protocol=%"PRId64, r->protocol[0]);
        }
        if (r->src_cidr) {
            ds_put_format(ds, " src_cidr=%s", r->src_cidr);
        }
        if (r->dst_cidr) {
            ds_put_format(ds, " dst_cidr=%s", r->dst_cidr);
        }
        if (r->src_port) {
            ds_put_format(ds, " src_port=%s", r->src_port);
        }
        if (r->dst_port) {
            ds_put_format(ds, " dst_port=%s", r->dst_port);
        }
        ds_put_char(ds, '\n');
    }
    free(rules);
}

static void
show_pool(struct ctl_context *ctx, const struct vtaprec_collector_pool *pool)
{
    struct ds *ds = &ctx->output;
    struct svec members;
    const char *member;
    size_t i;

    ds_put_format(ds, "Collector_Pool \"%s\"\n", pool->name);
    svec_init(&members);
    for (i = 0; i < pool->n_members; i++) {
        const char *ip = pool->key_members[i];

        bool down = (vtapdb_find_ip(pool->down, pool->n_down, ip)
                     != SIZE_MAX);

        svec_add_nocopy(&members, xasprintf("%s weight %"PRId64"%s", ip,
                                            pool->value_members[i],
                                            down ? " down" : ""));
    }
    svec_sort(&members);
    SVEC_FOR_EACH (i, member, &members) {
        ds_put_format(ds, "    collector %s\n", member);
    }
    svec_destroy(&members);
}

static void
cmd_show(struct ctl_context *ctx)
{
    const struct vtaprec_global *global = vtaprec_global_first(ctx->idl);
    struct svec names;
    const char *name;
    size_t i;

    if (global) {
        ds_put_format(&ctx->output, "next_cfg: %"PRId64"\n",
                      global->next_cfg);
    }
    show_switches(ctx, "hub");
    show_switches(ctx, "spoke");

    sorted_names(ctx, &vtaprec_table_tap, &vtaprec_tap_col_name, &names);
    SVEC_FOR_EACH (i, name, &names) {
        show_tap(ctx, find_tap(ctx, name));
    }
    svec_destroy(&names);

    sorted_names(ctx, &vtaprec_table_filter, &vtaprec_filter_col_name,
                 &names);
    SVEC_FOR_EACH (i, name, &names) {
        show_filter(ctx, find_filter(ctx, name));
    }
    svec_destroy(&names);

    sorted_names(ctx, &vtaprec_table_collector_pool,
                 &vtaprec_collector_pool_col_name, &names);
    SVEC_FOR_EACH (i, name, &names) {
        show_pool(ctx, find_pool(ctx, name));
    }
    svec_destroy(&names);
}

/* The "show-dot" command: the topology as a Graphviz digraph.
 *
 * Nodes are the switches ("switch:NAME", boxes: hubs double-bordered), the
 * sources ("source:SWITCH:PORT"), the taps ("tap:NAME", notes), the
 * collector pools ("pool:NAME") and the collectors ("collector:IP" or, for
 * local delivery, "port:HUB:PORT").  Edges follow the copies: spoke to
 * source (dashed, the port is on that spoke), source to tap, tap to its hub
 * or, for direct delivery, to its destination, hub to the destination of
 * each tap that it relays (labelled with the tap's name), pool to each
 * member.  Colours give the status: green for connected switches and taps
 * and sources whose state is ok, red for errors and disconnected switches,
 * grey for disabled rows and pool members marked down, black when vtapd has
 * written no status yet. */

/* Appends 's' to 'ds' as a double-quoted Graphviz string. */
static void
dot_put_quoted(struct ds *ds, const char *s)
{
    ds_put_char(ds, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            ds_put_char(ds, '\\');
            ds_put_char(ds, *s);
        } else if (*s == '\n') {
            ds_put_cstr(ds, "\\n");
        } else {
            ds_put_char(ds, *s);
        }
    }
    ds_put_char(ds, '"');
}

/* Returns the colour of a row whose status is 'status' ("state=ok" or
 * "state=error"), or grey if it is not 'enabled'. */
static const char *
dot_state_color(const struct smap *status, bool enabled)
{
    const char *state = smap_get(status, "state");

    return (!enabled ? "grey"
            : !state ? "black"
            : !strcmp(state, "ok") ? "darkgreen"
            : "red");
}

/* Appends to 'ds' node 'id' with 'label', colour 'color' and the Graphviz
 * attributes 'attrs' (may be empty). */
static void
dot_put_node(struct ds *ds, const char *id, const char *label,
             const char *color, const char *attrs)
{
    ds_put_cstr(ds, "    ");
    dot_put_quoted(ds, id);
    ds_put_cstr(ds, " [label=");
    dot_put_quoted(ds, label);
    ds_put_format(ds, ", color=%s%s%s];\n", color, *attrs ? ", " : "",
                  attrs);
}

/* Appends to 'ds' an edge from 'tail' to 'head' with 'label' (may be NULL)
 * and the Graphviz attributes 'attrs' (may be empty). */
static void
dot_put_edge(struct ds *ds, const char *tail, const char *head,
             const char *label, const char *attrs)
{
    ds_put_cstr(ds, "    ");
    dot_put_quoted(ds, tail);
    ds_put_cstr(ds, " -> ");
    dot_put_quoted(ds, head);
    if (label || *attrs) {
        ds_put_cstr(ds, " [");
        if (label) {
            ds_put_cstr(ds, "label=");
            dot_put_quoted(ds, label);
        }
        ds_put_format(ds, "%s%s]", label && *attrs ? ", " : "", attrs);
    }
    ds_put_cstr(ds, ";\n");
}

static void
dot_put_switch(struct ds *ds, const struct vtaprec_switch *sw)
{
    const char *connected = smap_get(&sw->status, "connected");
    bool is_hub = !strcmp(sw->role, "hub");
    char *id = xasprintf("switch:%s", sw->name);
    struct ds label = DS_EMPTY_INITIALIZER;

    ds_put_format(&label, "%s %s\n%s", sw->role, sw->name, sw->bridge);
    if (sw->underlay_ip) {
        ds_put_format(&label, " %s", sw->underlay_ip);
    }
    ds_put_format(&label, "\n%s, applied_cfg %"PRId64,
                  !vtapdb_switch_is_enabled(sw) ? "disabled"
                  : !connected ? "no status"
                  : !strcmp(connected, "true") ? "connected"
                  : "not connected", sw->applied_cfg);
    dot_put_node(ds, id, ds_cstr(&label),
                 (!vtapdb_switch_is_enabled(sw) ? "grey"
                  : !connected ? "black"
                  : !strcmp(connected, "true") ? "darkgreen" : "red"),
                 is_hub ? "shape=box, peripheries=2" : "shape=box");
    ds_destroy(&label);
    free(id);
}

/* Returns the node of the destination of 'tap': its collector, its pool or
 * its hub's collector port. */
static char *
dot_tap_destination(const struct vtaprec_tap *tap)
{
    return (tap->collector_pool
            ? xasprintf("pool:%s", tap->collector_pool->name)
            : tap->collector_ip
            ? xasprintf("collector:%s", tap->collector_ip)
            : xasprintf("port:%s:%s", tap->hub ? tap->hub->name : "",
                        tap->collector_port ? tap->collector_port : ""));
}

static void
dot_put_tap(struct ds *ds, struct sset *collectors,
            const struct vtaprec_tap *tap)
{
    char *id = xasprintf("tap:%s", tap->name);
    char *dest = dot_tap_destination(tap);
    struct ds label = DS_EMPTY_INITIALIZER;
    const char *state = smap_get(&tap->status, "state");
    const char *error = smap_get(&tap->status, "error");

    ds_put_format(&label, "tap %s\nVNI %"PRId64, tap->name, tap->vni);
    if (tap->delivery && !strcmp(tap->delivery, "local")) {
        ds_put_cstr(&label, ", local delivery");
    } else {
        ds_put_format(&label, ", UDP %"PRId64,
                      (tap->n_udp_port
                       ? tap->udp_port[0] : VTAPDB_DEFAULT_UDP_PORT));
    }
    if (tap->n_sampling) {
        ds_put_format(&label, "\nsampling %.12g", tap->sampling[0]);
    }
    if (tap->n_snaplen) {
        ds_put_format(&label, "\nsnaplen %"PRId64, tap->snaplen[0]);
    }
    if (tap->n_rate_limit) {
        ds_put_format(&label, "\nrate_limit %"PRId64"%s", tap->rate_limit[0],
                      tap->rate_limit_unit ? tap->rate_limit_unit : "pps");
    }
    if (!vtapdb_tap_is_enabled(tap)) {
        ds_put_cstr(&label, "\ndisabled");
    } else if (state) {
        ds_put_format(&label, "\n%s%s%s", state, error ? ": " : "",
                      error ? error : "");
    }
    dot_put_node(ds, id, ds_cstr(&label),
                 dot_state_color(&tap->status, vtapdb_tap_is_enabled(tap)),
                 "shape=note");

    if (tap->collector_ip || (!tap->collector_pool && tap->collector_port)) {
        sset_add(collectors, dest);
    }
    if (tap->hub) {
        char *hub = xasprintf("switch:%s", tap->hub->name);

        dot_put_edge(ds, id, hub, NULL, "");
        dot_put_edge(ds, hub, dest, tap->name, "");
        free(hub);
    } else {
        dot_put_edge(ds, id, dest, "direct", "");
    }
    ds_destroy(&label);
    free(dest);
    free(id);
}

/* Appends 'src' to 'ds': the node of its port and the dashed edge from its
 * switch, unless 'ports' (the port nodes so far) has them already, and its
 * edge to its tap, coloured by its status. */
static void
dot_put_source(struct ds *ds, struct sset *ports,
               const struct vtaprec_tap_source *src)
{
    char *port = vtapdb_source_port(src);
    char *id = xasprintf("source:%s:%s", src->switch_->name, port);
    char *sw = xasprintf("switch:%s", src->switch_->name);
    char *tap = xasprintf("tap:%s", src->tap->name);
    char *color = xasprintf("color=%s", dot_state_color(&src->status, true));
    const char *error = smap_get(&src->status, "error");
    struct ds label = DS_EMPTY_INITIALIZER;

    /* A port that is the source of several taps is one node. */
    if (sset_add(ports, id)) {
        dot_put_node(ds, id, port, "black", "");
        dot_put_edge(ds, sw, id, NULL, "style=dashed, arrowhead=none");
    }
    ds_put_cstr(&label, src->direction);
    if (src->filter) {
        ds_put_format(&label, "\nfilter %s", src->filter->name);
    }
    if (error) {
        ds_put_format(&label, "\n%s", error);
    }
    dot_put_edge(ds, id, tap, ds_cstr(&label), color);
    ds_destroy(&label);
    free(color);
    free(tap);
    free(sw);
    free(id);
    free(port);
}

static void
dot_put_pool(struct ds *ds, struct sset *collectors,
             const struct vtaprec_collector_pool *pool)
{
    char *id = xasprintf("pool:%s", pool->name);
    char *label = xasprintf("pool %s", pool->name);

    dot_put_node(ds, id, label, "black", "shape=folder");
    for (size_t i = 0; i < pool->n_members; i++) {
        const char *ip = pool->key_members[i];
        char *member = xasprintf("collector:%s", ip);
        char *weight = xasprintf("weight %"PRId64, pool->value_members[i]);
        bool down = (vtapdb_find_ip(pool->down, pool->n_down, ip)
                     != SIZE_MAX);

        sset_add(collectors, member);
        dot_put_edge(ds, id, member, weight,
                     down ? "style=dashed, color=grey" : "");
        free(weight);
        free(member);
    }
    free(label);
    free(id);
}

static void
cmd_show_dot(struct ctl_context *ctx)
{
    struct ds *ds = &ctx->output;
    struct sset collectors = SSET_INITIALIZER(&collectors);
    struct sset ports = SSET_INITIALIZER(&ports);
    const char **sorted;
    const struct vtaprec_tap_source **sources;
    struct svec names;
    const char *name;
    size_t i, n;

    ds_put_cstr(ds, "digraph vtap {\n"
                "    rankdir=LR;\n"
                "    node [fontname=\"Helvetica\", fontsize=10];\n"
                "    edge [fontname=\"Helvetica\", fontsize=9];\n");

    sorted_names(ctx, &vtaprec_table_switch, &vtaprec_switch_col_name,
                 &names);
    SVEC_FOR_EACH (i, name, &names) {
        dot_put_switch(ds, find_switch(ctx, name));
    }
    svec_destroy(&names);

    sources = sorted_sources(ctx, NULL, &n);
    for (i = 0; i < n; i++) {
        dot_put_source(ds, &ports, sources[i]);
    }
    free(sources);
    sset_destroy(&ports);

    sorted_names(ctx, &vtaprec_table_tap, &vtaprec_tap_col_name, &names);
    SVEC_FOR_EACH (i, name, &names) {
        dot_put_tap(ds, &collectors, find_tap(ctx, name));
    }
    svec_destroy(&names);

    sorted_names(ctx, &vtaprec_table_collector_pool,
                 &vtaprec_collector_pool_col_name, &names);
    SVEC_FOR_EACH (i, name, &names) {
        dot_put_pool(ds, &collectors, find_pool(ctx, name));
    }
    svec_destroy(&names);

    /* Collectors last, each once, however many taps and pools use it. */
    sorted = sset_sort(&collectors);
    for (i = 0; i < sset_count(&collectors); i++) {
        dot_put_node(ds, sorted[i], strchr(sorted[i], ':') + 1, "black",
                     "shape=cylinder");
    }
    free(sorted);
    sset_destroy(&collectors);
    ds_put_cstr(ds, "}\n");
}


static char *command_error(const struct ctl_command *, const char *error);

/* Runs 'commands' in 'txn', a new transaction on 'idl', with 'symtab' for
 * the rows they name with --id, then checks every row of the database as the
 * transaction would leave it (vtapdb_txn_finish()).  Returns NULL if 'txn'
 * may be committed, or an error message that the caller frees: then the
 * caller must abort 'txn', which changes nothing.  Sets '*try_again' instead
 * if a command asked to be run again with a fresher view of the database.
 * Commands that may write run between vtapdb_txn_start() and
 * vtapdb_txn_finish(), so that their commit fails, and the caller runs them
 * again, if another writer committed since the IDL read what they and the
 * check read.
 *
 * Commands are never run as "last": partial set and map updates would not
 * show in the rows that the check reads. */
char *
vtapctl_cmds_execute(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                     struct ovsdb_symbol_table *symtab,
                     struct ctl_command *commands, size_t n_commands,
                     bool *try_again)
{
    bool might_write = ctl_might_write_to_db(commands, n_commands);
    struct vtapdb_generation generation = { .global = NULL };
    struct ctl_context ctx;
    struct ctl_command *c;
    struct shash_node *node;

    *try_again = false;
    if (might_write) {
        vtapdb_txn_start(idl, &generation);
    }
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }
    ctl_context_init(&ctx, NULL, idl, txn, symtab, NULL);
    for (c = commands; c < &commands[n_commands]; c++) {
        ctl_context_init_command(&ctx, c, false);
        if (c->syntax->run) {
            (c->syntax->run)(&ctx);
        }
        if (ctx.error) {
            char *error = command_error(c, ctx.error);

            ctl_context_done(&ctx, c);
            return error;
        }
        ctl_context_done_command(&ctx, c);

        if (ctx.try_again) {
            ctl_context_done(&ctx, NULL);
            *try_again = true;
            return NULL;
        }
    }
    ctl_context_done(&ctx, NULL);

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            return xasprintf("row id \"%s\" is referenced but never created "
                             "(e.g. with \"-- --id=%s create ...\")",
                             node->name, node->name);
        }
        if (!symbol->strong_ref) {
            VLOG_WARN("row id \"%s\" was created but no %sreference to it "
                      "was inserted, so it will not actually appear in the "
                      "database", node->name,
                      symbol->weak_ref ? "strong " : "");
        }
    }

    if (!might_write) {
        return NULL;
    }

    struct vtapdb_error *e = vtapdb_txn_finish(idl, &generation);
    char *error = e ? xstrdup(e->message) : NULL;
    vtapdb_error_destroy(e);
    return error;
}

/* How db-ctl-base's generic commands find rows by name. */
static const struct ctl_table_class tables[VTAPREC_N_TABLES] = {
    [VTAPREC_TABLE_SWITCH].row_ids[0]
    = {&vtaprec_switch_col_name, NULL, NULL},

    [VTAPREC_TABLE_TAP].row_ids[0]
    = {&vtaprec_tap_col_name, NULL, NULL},

    [VTAPREC_TABLE_FILTER].row_ids[0]
    = {&vtaprec_filter_col_name, NULL, NULL},

    [VTAPREC_TABLE_COLLECTOR_POOL].row_ids[0]
    = {&vtaprec_collector_pool_col_name, NULL, NULL},

    [VTAPREC_TABLE_RBAC_ROLE].row_ids[0]
    = {&vtaprec_rbac_role_col_name, NULL, NULL},

    [VTAPREC_TABLE_CONNECTION].row_ids[0]
    = {&vtaprec_connection_col_target, NULL, NULL},
};

static const struct ctl_command_syntax vtapctl_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"show", 0, 0, "", NULL, cmd_show, NULL, "", RO},
    {"set-connection", 1, INT_MAX,
     "[role=ROLE] [read-only|read-write] TARGET...", NULL,
     cmd_set_connection, NULL, "", RW},
    {"get-connection", 0, 0, "", NULL, cmd_get_connection, NULL, "", RO},
    {"del-connection", 0, 0, "", NULL, cmd_del_connection, NULL, "", RW},
    {"show-dot", 0, 0, "", NULL, cmd_show_dot, NULL, "", RO},

    {"switch-add", 2, INT_MAX, "SWITCH ROLE [KEY=VALUE]...", NULL,
     cmd_switch_add, NULL, "--may-exist", RW},
    {"switch-del", 1, 1, "SWITCH", NULL, cmd_switch_del, NULL, "--if-exists",
     RW},
    {"switch-list", 0, 0, "", NULL, cmd_switch_list, NULL, "", RO},

    {"tap-add", 2, INT_MAX, "TAP DESTINATION [KEY=VALUE]...", NULL,
     cmd_tap_add, NULL, "--may-exist", RW},
    {"tap-del", 1, 1, "TAP", NULL, cmd_tap_del, NULL, "--if-exists", RW},
    {"tap-list", 0, 0, "", NULL, cmd_tap_list, NULL, "", RO},
    {"tap-stats", 0, 1, "[TAP]", NULL, cmd_tap_stats, NULL, "", RO},

    {"source-add", 3, INT_MAX, "TAP SWITCH PORT [KEY=VALUE]...", NULL,
     cmd_source_add, NULL, "--may-exist", RW},
    {"source-del", 3, 3, "TAP SWITCH PORT", NULL, cmd_source_del, NULL,
     "--if-exists", RW},
    {"source-list", 0, 1, "[TAP]", NULL, cmd_source_list, NULL, "", RO},

    {"filter-add", 1, INT_MAX, "FILTER [KEY=VALUE]...", NULL, cmd_filter_add,
     NULL, "--may-exist", RW},
    {"filter-del", 1, 1, "FILTER", NULL, cmd_filter_del, NULL,
     "--if-exists", RW},
    {"rule-add", 4, INT_MAX, "FILTER DIRECTION NUMBER ACTION [KEY=VALUE]...",
     NULL, cmd_rule_add, NULL, "", RW},
    {"rule-del", 3, 3, "FILTER DIRECTION NUMBER", NULL, cmd_rule_del, NULL,
     "--if-exists", RW},

    {"collector-add", 2, 3, "POOL IP [WEIGHT]", NULL, cmd_collector_add,
     NULL, "--may-exist", RW},
    {"collector-del", 1, 2, "POOL [IP]", NULL, cmd_collector_del, NULL,
     "--if-exists", RW},
    {"collector-down", 2, 2, "POOL IP", NULL, cmd_collector_down, NULL, "",
     RW},
    {"collector-up", 2, 2, "POOL IP", NULL, cmd_collector_up, NULL, "", RW},

    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

/* Returns the error message 'error' of command 'c', which the caller
 * frees.  The errors of db-ctl-base's generic commands (any command not in
 * vtapctl_commands) come from db-ctl-base and OVSDB ("constraint violation:
 * 16777216 is not in the valid range 0 to 16777215 (inclusive)") and name
 * neither the table nor the column, so they are prefixed with the command's
 * own words, which do. */
static char *
command_error(const struct ctl_command *c, const char *error)
{
    const struct ctl_command_syntax *end
        = &vtapctl_commands[ARRAY_SIZE(vtapctl_commands)];

    if (c->syntax >= vtapctl_commands && c->syntax < end) {
        return xstrdup(error);
    }

    struct ds words = DS_EMPTY_INITIALIZER;
    for (int i = 0; i < c->argc; i++) {
        ds_put_format(&words, "%s%s", i ? " " : "", c->argv[i]);
    }
    ds_put_format(&words, ": %s", error);
    return ds_steal_cstr(&words);
}

/* Registers db-ctl-base's generic commands and vtapctl's own.  db-ctl-base
 * calls 'exit_func' from ctl_fatal(), which these commands never call. */
void
vtapctl_cmds_init(void (*exit_func)(int status))
{
    ctl_init(&vtaprec_idl_class, vtaprec_table_classes, tables, NULL,
             exit_func);
    ctl_register_commands(vtapctl_commands);
}
