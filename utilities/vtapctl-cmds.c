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

/* vtapctl's commands: the verbs of the TAP model, their validation and the
 * check of a whole transaction.  See vtapctl-cmds.h. */

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
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
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

/* Returns true if 'error' is nonnull, after reporting it in 'ctx' as the
 * error of 'verb' about 'field'.  Frees 'error'. */
static bool
verb_error(struct ctl_context *ctx, const char *field, char *error)
{
    if (!error) {
        return false;
    }
    if (field) {
        ctl_error(ctx, "%s: %s: %s", ctx->argv[0], field, error);
    } else {
        ctl_error(ctx, "%s: %s", ctx->argv[0], error);
    }
    free(error);
    return true;
}

/* Checks that 'name' is a valid name for a new row of 'table' that is not
 * taken yet.  Returns 0 if it may be created, 1 if it exists and --may-exist
 * was given (nothing to do), -1 after reporting an error. */
static int
check_new_name(struct ctl_context *ctx, const struct ovsdb_idl_table_class
               *table, const char *name)
{
    if (verb_error(ctx, "name", vtapdb_parse_name(name))) {
        return -1;
    }
    if (find_row(ctx, table, name)) {
        if (shash_find(&ctx->options, "--may-exist")) {
            return 1;
        }
        ctl_error(ctx, "%s: name: \"%s\": a %s with this name already "
                  "exists", ctx->argv[0], name, table->name);
        return -1;
    }
    return 0;
}

/* KEY=VALUE settings. */

/* How a KEY=VALUE setting's VALUE is parsed and written. */
enum setting_type {
    SETTING_STRING,             /* 'check' validates, VALUE is written. */
    SETTING_INTEGER,            /* 'parse' converts, the number is written. */
    SETTING_BOOLEAN,            /* "true" or "false". */
    SETTING_CUSTOM,             /* 'apply' parses and writes. */
};

/* A KEY=VALUE argument that a verb accepts.  KEY is the name of the column
 * that VALUE goes into. */
struct setting {
    const char *key;                        /* Column name. */
    enum setting_type type;
    const struct ovsdb_idl_column *column;  /* Unless SETTING_CUSTOM. */
    char *(*check)(const char *value);      /* SETTING_STRING. */
    char *(*parse)(const char *value, int64_t *);   /* SETTING_INTEGER. */
    char *(*apply)(struct ctl_context *, const struct ovsdb_idl_row *,
                   const char *value);      /* SETTING_CUSTOM. */
};

/* Writes 'atom' as the only value of 'column' in 'row'. */
static void
write_atom(const struct ovsdb_idl_row *row,
           const struct ovsdb_idl_column *column, union ovsdb_atom atom)
{
    struct ovsdb_datum datum;

    datum.n = 1;
    datum.keys = xmemdup(&atom, sizeof atom);
    datum.values = NULL;
    datum.refcnt = NULL;
    ovsdb_idl_txn_write(row, column, &datum);
}

/* Parses 'value' as 's' says and writes it into 'row'.  Returns NULL or an
 * error in the form of vtapdb_parse_*()'s. */
static char *
apply_setting(struct ctl_context *ctx, const struct setting *s,
              const struct ovsdb_idl_row *row, const char *value)
{
    union ovsdb_atom atom;
    char *error;

    switch (s->type) {
    case SETTING_STRING:
        error = s->check(value);
        atom.s = error ? NULL : ovsdb_atom_string_create(value);
        break;
    case SETTING_INTEGER:
        error = s->parse(value, &atom.integer);
        break;
    case SETTING_BOOLEAN:
        error = vtapdb_parse_bool(value, &atom.boolean);
        break;
    case SETTING_CUSTOM:
    default:
        return s->apply(ctx, row, value);
    }
    if (!error) {
        write_atom(row, s->column, atom);
    }
    return error;
}

/* Applies the KEY=VALUE arguments in 'ctx->argv', from index 'first' on,
 * to 'row', according to 'settings' (terminated by a null key).  Returns
 * false after reporting an error. */
static bool
apply_settings(struct ctl_context *ctx, int first,
               const struct setting settings[],
               const struct ovsdb_idl_row *row)
{
    for (int i = first; i < ctx->argc; i++) {
        const char *arg = ctx->argv[i];
        const char *eq = strchr(arg, '=');
        const struct setting *s;

        for (s = settings; eq && s->key; s++) {
            if (strlen(s->key) == eq - arg && !strncmp(arg, s->key,
                                                       eq - arg)) {
                break;
            }
        }
        if (!eq || !s->key) {
            struct ds keys = DS_EMPTY_INITIALIZER;

            for (s = settings; s->key; s++) {
                ds_put_format(&keys, "%s%s=", s == settings ? "" : ", ",
                              s->key);
            }
            ctl_error(ctx, "%s: \"%s\": not a setting (expected %s)",
                      ctx->argv[0], arg, ds_cstr(&keys));
            ds_destroy(&keys);
            return false;
        }

        if (verb_error(ctx, s->key, apply_setting(ctx, s, row, eq + 1))) {
            return false;
        }
    }
    return true;
}

/* Validators with the signature 'struct setting' wants. */

static char *
check_any_text(const char *s OVS_UNUSED)
{
    return NULL;
}

static char *
check_cidr(const char *s)
{
    struct vtap_cidr cidr;
    return vtap_parse_cidr(s, &cidr);
}

static char *
check_port_range(const char *s)
{
    struct vtap_port_range range;
    return vtap_parse_port_range(s, &range);
}

static char *
check_source_direction(const char *s)
{
    return vtapdb_parse_enum(s, vtapdb_source_directions);
}

/* Reports 'error', from a row checker, as the error of the current verb. */
static bool
row_error(struct ctl_context *ctx, char *error)
{
    return verb_error(ctx, NULL, error);
}

/* The "init" command. */

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* do_vtapctl() creates the global row of a transaction that writes. */
}

/* Switch commands. */

static const struct setting switch_settings[] = {
    { "bridge", SETTING_STRING, &vtaprec_switch_col_bridge,
      vtapdb_parse_bridge, NULL, NULL },
    { "openflow_remote", SETTING_STRING, &vtaprec_switch_col_openflow_remote,
      vtapdb_parse_openflow_remote, NULL, NULL },
    { "ovsdb_remote", SETTING_STRING, &vtaprec_switch_col_ovsdb_remote,
      vtapdb_parse_remote, NULL, NULL },
    { "underlay_ip", SETTING_STRING, &vtaprec_switch_col_underlay_ip,
      vtapdb_parse_ip, NULL, NULL },
    { "underlay_mtu", SETTING_INTEGER, &vtaprec_switch_col_underlay_mtu,
      NULL, vtapdb_parse_underlay_mtu, NULL },
    { "enabled", SETTING_BOOLEAN, &vtaprec_switch_col_enabled,
      NULL, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

static void
cmd_switch_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const char *role = ctx->argv[2];
    const struct vtaprec_switch *sw;

    if (check_new_name(ctx, &vtaprec_table_switch, name)) {
        return;
    }
    if (verb_error(ctx, "role", vtapdb_parse_enum(role,
                                                  vtapdb_switch_roles))) {
        return;
    }

    sw = vtaprec_switch_insert(ctx->txn);
    vtaprec_switch_set_name(sw, name);
    vtaprec_switch_set_role(sw, role);
    vtaprec_switch_set_bridge(sw, "br-int");
    if (apply_settings(ctx, 3, switch_settings, &sw->header_)) {
        row_error(ctx, vtapdb_check_switch(sw));
    }
}

/* Appends to 'ds' a description of the sources on 'sw' and the taps that
 * use it as their hub, and returns how many there are. */
/* Appends to 'ds' what uses 'sw': the sources on it and the taps it is the
 * hub of, sorted so that the message is always the same.  Returns how many
 * there are. */
static size_t
describe_switch_users(struct ctl_context *ctx,
                      const struct vtaprec_switch *sw, struct ds *ds)
{
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;
    struct svec users = SVEC_EMPTY_INITIALIZER;
    size_t n;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
        if (src->switch_ == sw) {
            svec_add_nocopy(&users, xasprintf(
                                "the source %s of tap \"%s\"",
                                src->port ? src->port : src->iface_id,
                                src->tap->name));
        }
    }
    VTAPREC_TAP_FOR_EACH (tap, ctx->idl) {
        if (tap->hub == sw) {
            svec_add_nocopy(&users, xasprintf("tap \"%s\"", tap->name));
        }
    }
    svec_sort(&users);
    for (size_t i = 0; i < users.n; i++) {
        ds_put_format(ds, "%s %s", i ? "," : "", users.names[i]);
    }
    n = users.n;
    svec_destroy(&users);
    return n;
}

static void
cmd_switch_del(struct ctl_context *ctx)
{
    const struct vtaprec_switch *sw = find_switch(ctx, ctx->argv[1]);
    struct ds users = DS_EMPTY_INITIALIZER;

    if (!sw) {
        if (!shash_find(&ctx->options, "--if-exists")) {
            ctl_error(ctx, "%s: name: \"%s\": no Switch with this name",
                      ctx->argv[0], ctx->argv[1]);
        }
        return;
    }
    if (describe_switch_users(ctx, sw, &users)) {
        ctl_error(ctx, "%s: name: \"%s\": in use by%s: delete them first",
                  ctx->argv[0], sw->name, ds_cstr(&users));
    } else {
        vtaprec_switch_delete(sw);
    }
    ds_destroy(&users);
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

/* Tap commands. */

static const struct vtaprec_tap *
tap_from_row(const struct ovsdb_idl_row *row)
{
    return CONTAINER_OF(row, struct vtaprec_tap, header_);
}

static char *
apply_tap_sampling(struct ctl_context *ctx OVS_UNUSED,
                   const struct ovsdb_idl_row *row, const char *value)
{
    double p;
    char *error = vtap_parse_probability(value, &p);

    if (!error) {
        vtaprec_tap_set_sampling(tap_from_row(row), &p, 1);
    }
    return error;
}

static char *
apply_tap_rate_limit(struct ctl_context *ctx OVS_UNUSED,
                     const struct ovsdb_idl_row *row, const char *value)
{
    const char *unit;
    int64_t rate;
    char *error = vtapdb_parse_rate_limit(value, &rate, &unit);

    if (!error) {
        vtaprec_tap_set_rate_limit(tap_from_row(row), &rate, 1);
        vtaprec_tap_set_rate_limit_unit(tap_from_row(row), unit);
    }
    return error;
}

static char *
apply_tap_hub(struct ctl_context *ctx, const struct ovsdb_idl_row *row,
              const char *value)
{
    const struct vtaprec_switch *hub = find_switch(ctx, value);

    if (!hub) {
        return xasprintf("\"%s\": no Switch with this name", value);
    }
    vtaprec_tap_set_hub(tap_from_row(row), hub);
    return NULL;
}

static char *
check_oversize(const char *s)
{
    return vtapdb_parse_enum(s, vtapdb_oversize_actions);
}

static const struct setting tap_settings[] = {
    { "vni", SETTING_INTEGER, &vtaprec_tap_col_vni,
      NULL, vtapdb_parse_vni, NULL },
    { "udp_port", SETTING_INTEGER, &vtaprec_tap_col_udp_port,
      NULL, vtapdb_parse_udp_port, NULL },
    { "snaplen", SETTING_INTEGER, &vtaprec_tap_col_snaplen,
      NULL, vtapdb_parse_snaplen, NULL },
    { "sampling", SETTING_CUSTOM, NULL, NULL, NULL, apply_tap_sampling },
    { "rate_limit", SETTING_CUSTOM, NULL, NULL, NULL, apply_tap_rate_limit },
    { "oversize", SETTING_STRING, &vtaprec_tap_col_oversize,
      check_oversize, NULL, NULL },
    { "hub", SETTING_CUSTOM, NULL, NULL, NULL, apply_tap_hub },
    { "enabled", SETTING_BOOLEAN, &vtaprec_tap_col_enabled,
      NULL, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

/* Returns the smallest VNI from 1 up that no Tap but 'self' uses, as AWS
 * picks one when a session is created without a VNI. */
static int64_t
unused_vni(struct ctl_context *ctx, const struct vtaprec_tap *self)
{
    const struct vtaprec_tap *tap;
    int64_t vni = 1;
    bool used;

    do {
        used = false;
        VTAPREC_TAP_FOR_EACH (tap, ctx->idl) {
            if (tap != self && tap->vni == vni) {
                used = true;
                vni++;
                break;
            }
        }
    } while (used);
    return vni;
}

/* Checks 'tap' against every switch: it must not send copies to the
 * underlay address of one.  Returns false after reporting an error. */
static bool
check_tap_switches(struct ctl_context *ctx, const struct vtaprec_tap *tap,
                   const char *prefix)
{
    const struct vtaprec_switch *sw;

    VTAPREC_SWITCH_FOR_EACH (sw, ctx->idl) {
        char *error = vtapdb_check_tap_switch(tap, sw);
        if (error) {
            ctl_error(ctx, "%s: %s", prefix, error);
            free(error);
            return false;
        }
    }
    return true;
}

static void
cmd_tap_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const char *dest = ctx->argv[2];
    const struct vtaprec_collector_pool *pool = NULL;
    const char *local_port = NULL;
    const struct vtaprec_tap *tap;
    int64_t port = VTAPDB_DEFAULT_UDP_PORT;

    if (check_new_name(ctx, &vtaprec_table_tap, name)) {
        return;
    }

    /* Names start with a letter or '_' and have no ':', so a destination
     * that starts with a digit or has a ':' is an address, unless it is
     * "local:PORT". */
    if (!strncmp(dest, "local:", 6)) {
        local_port = dest + 6;
        if (verb_error(ctx, "destination",
                       vtapdb_parse_port_name(local_port))) {
            return;
        }
    } else if (!isdigit((unsigned char) dest[0]) && !strchr(dest, ':')) {
        pool = find_pool(ctx, dest);
        if (!pool) {
            ctl_error(ctx, "%s: destination: \"%s\": no Collector_Pool with "
                      "this name", ctx->argv[0], dest);
            return;
        }
    } else if (verb_error(ctx, "destination", vtapdb_parse_ip(dest))) {
        return;
    }

    tap = vtaprec_tap_insert(ctx->txn);
    vtaprec_tap_set_name(tap, name);
    if (pool) {
        vtaprec_tap_set_collector_pool(tap, pool);
    } else if (local_port) {
        vtaprec_tap_set_delivery(tap, "local");
        vtaprec_tap_set_collector_port(tap, local_port);
    } else {
        vtaprec_tap_set_collector_ip(tap, dest);
    }
    vtaprec_tap_set_udp_port(tap, &port, 1);
    vtaprec_tap_set_vni(tap, unused_vni(ctx, tap));
    if (!apply_settings(ctx, 3, tap_settings, &tap->header_)) {
        return;
    }
    if (!row_error(ctx, vtapdb_check_tap(tap))) {
        check_tap_switches(ctx, tap, ctx->argv[0]);
    }
}

/* Deletes 'tap' and its sources. */
static void
delete_tap(struct ctl_context *ctx, const struct vtaprec_tap *tap)
{
    const struct vtaprec_tap_source *src;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
        if (src->tap == tap) {
            vtaprec_tap_source_delete(src);
        }
    }
    vtaprec_tap_delete(tap);
}

static void
cmd_tap_del(struct ctl_context *ctx)
{
    const struct vtaprec_tap *tap = find_tap(ctx, ctx->argv[1]);

    if (tap) {
        delete_tap(ctx, tap);
    } else if (!shash_find(&ctx->options, "--if-exists")) {
        ctl_error(ctx, "%s: name: \"%s\": no Tap with this name",
                  ctx->argv[0], ctx->argv[1]);
    }
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

/* Source commands. */

static char *
apply_source_filter(struct ctl_context *ctx, const struct ovsdb_idl_row *row,
                    const char *value)
{
    const struct vtaprec_filter *filter = find_filter(ctx, value);

    if (!filter) {
        return xasprintf("\"%s\": no Filter with this name", value);
    }
    vtaprec_tap_source_set_filter(
        CONTAINER_OF(row, struct vtaprec_tap_source, header_), filter);
    return NULL;
}

static const struct setting source_settings[] = {
    { "direction", SETTING_STRING, &vtaprec_tap_source_col_direction,
      check_source_direction, NULL, NULL },
    { "filter", SETTING_CUSTOM, NULL, NULL, NULL, apply_source_filter },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

/* The TAP SWITCH PORT arguments of source-add and source-del, looked up. */
struct source_args {
    const struct vtaprec_tap *tap;
    const struct vtaprec_switch *sw;
    const char *port;           /* Port name, or NULL. */
    const char *iface_id;       /* iface-id, or NULL. */
    const struct vtaprec_tap_source *src;   /* The source, if it exists. */
};

/* Parses the TAP SWITCH PORT arguments into 'args'.  Returns false after
 * reporting an error. */
static bool
parse_source_args(struct ctl_context *ctx, struct source_args *args)
{
    const char *port = ctx->argv[3];
    const struct vtaprec_tap_source *src;

    memset(args, 0, sizeof *args);
    args->tap = find_tap(ctx, ctx->argv[1]);
    if (!args->tap) {
        ctl_error(ctx, "%s: tap: \"%s\": no Tap with this name",
                  ctx->argv[0], ctx->argv[1]);
        return false;
    }
    args->sw = find_switch(ctx, ctx->argv[2]);
    if (!args->sw) {
        ctl_error(ctx, "%s: switch: \"%s\": no Switch with this name",
                  ctx->argv[0], ctx->argv[2]);
        return false;
    }
    if (!strncmp(port, "iface-id=", 9)) {
        args->iface_id = port + 9;
        if (verb_error(ctx, "iface_id",
                       vtapdb_parse_port_name(args->iface_id))) {
            return false;
        }
    } else {
        args->port = port;
        if (verb_error(ctx, "port", vtapdb_parse_port_name(port))) {
            return false;
        }
    }

    VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
        if (src->tap == args->tap && src->switch_ == args->sw
            && nullable_string_is_equal(src->port, args->port)
            && nullable_string_is_equal(src->iface_id, args->iface_id)) {
            args->src = src;
        }
    }
    return true;
}

static void
cmd_source_add(struct ctl_context *ctx)
{
    const struct vtaprec_tap_source *src;
    struct source_args args;

    if (!parse_source_args(ctx, &args)) {
        return;
    }
    if (args.src) {
        if (!shash_find(&ctx->options, "--may-exist")) {
            ctl_error(ctx, "%s: port: \"%s\": already a source of tap \"%s\" "
                      "on switch \"%s\"", ctx->argv[0], ctx->argv[3],
                      args.tap->name, args.sw->name);
        }
        return;
    }

    src = vtaprec_tap_source_insert(ctx->txn);
    vtaprec_tap_source_set_tap(src, args.tap);
    vtaprec_tap_source_set_switch_(src, args.sw);
    vtaprec_tap_source_set_port(src, args.port);
    vtaprec_tap_source_set_iface_id(src, args.iface_id);
    vtaprec_tap_source_set_direction(src, "both");
    if (apply_settings(ctx, 4, source_settings, &src->header_)) {
        row_error(ctx, vtapdb_check_source(src));
    }
}

static void
cmd_source_del(struct ctl_context *ctx)
{
    struct source_args args;

    if (!parse_source_args(ctx, &args)) {
        return;
    }
    if (args.src) {
        vtaprec_tap_source_delete(args.src);
    } else if (!shash_find(&ctx->options, "--if-exists")) {
        ctl_error(ctx, "%s: port: \"%s\": not a source of tap \"%s\" on "
                  "switch \"%s\"", ctx->argv[0], ctx->argv[3],
                  args.tap->name, args.sw->name);
    }
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

/* Returns the port of 'src' as source-add takes it. */
static char *
source_port(const struct vtaprec_tap_source *src)
{
    return (src->port
            ? xstrdup(src->port)
            : xasprintf("iface-id=%s", src->iface_id));
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
        add_cell(table, source_port(src));
        add_cell(table, xstrdup(src->direction));
        add_cell(table, xstrdup(src->filter ? src->filter->name : ""));
    }
    free(sources);
    ctx->table = table;
}

/* Filter commands. */

static const struct setting filter_settings[] = {
    { "description", SETTING_STRING, &vtaprec_filter_col_description,
      check_any_text, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

static void
cmd_filter_add(struct ctl_context *ctx)
{
    const struct vtaprec_filter *filter;

    if (check_new_name(ctx, &vtaprec_table_filter, ctx->argv[1])) {
        return;
    }
    filter = vtaprec_filter_insert(ctx->txn);
    vtaprec_filter_set_name(filter, ctx->argv[1]);
    if (apply_settings(ctx, 2, filter_settings, &filter->header_)) {
        row_error(ctx, vtapdb_check_filter(filter));
    }
}

static void
cmd_filter_del(struct ctl_context *ctx)
{
    const struct vtaprec_filter *filter = find_filter(ctx, ctx->argv[1]);
    const struct vtaprec_tap_source *src;

    if (!filter) {
        if (!shash_find(&ctx->options, "--if-exists")) {
            ctl_error(ctx, "%s: name: \"%s\": no Filter with this name",
                      ctx->argv[0], ctx->argv[1]);
        }
        return;
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, ctx->idl) {
        if (src->filter == filter) {
            ctl_error(ctx, "%s: name: \"%s\": in use by the source %s of "
                      "tap \"%s\"", ctx->argv[0], filter->name,
                      src->port ? src->port : src->iface_id, src->tap->name);
            return;
        }
    }
    vtaprec_filter_delete(filter);
}

static const struct setting rule_settings[] = {
    { "protocol", SETTING_INTEGER, &vtaprec_filter_rule_col_protocol,
      NULL, vtapdb_parse_protocol, NULL },
    { "src_cidr", SETTING_STRING, &vtaprec_filter_rule_col_src_cidr,
      check_cidr, NULL, NULL },
    { "dst_cidr", SETTING_STRING, &vtaprec_filter_rule_col_dst_cidr,
      check_cidr, NULL, NULL },
    { "src_port", SETTING_STRING, &vtaprec_filter_rule_col_src_port,
      check_port_range, NULL, NULL },
    { "dst_port", SETTING_STRING, &vtaprec_filter_rule_col_dst_port,
      check_port_range, NULL, NULL },
    { "description", SETTING_STRING, &vtaprec_filter_rule_col_description,
      check_any_text, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

/* The FILTER DIRECTION NUMBER arguments of rule-add and rule-del, looked
 * up. */
struct rule_args {
    const struct vtaprec_filter *filter;
    const char *direction;
    int64_t number;
    size_t index;               /* Index of the rule in 'filter->rules'. */
    bool exists;                /* Is there such a rule? */
};

/* Parses the FILTER DIRECTION NUMBER arguments into 'args'.  Returns false
 * after reporting an error. */
static bool
parse_rule_args(struct ctl_context *ctx, struct rule_args *args)
{
    memset(args, 0, sizeof *args);
    args->filter = find_filter(ctx, ctx->argv[1]);
    if (!args->filter) {
        ctl_error(ctx, "%s: filter: \"%s\": no Filter with this name",
                  ctx->argv[0], ctx->argv[1]);
        return false;
    }
    args->direction = ctx->argv[2];
    if (verb_error(ctx, "direction",
                   vtapdb_parse_enum(args->direction,
                                     vtapdb_rule_directions))
        || verb_error(ctx, "number",
                      vtapdb_parse_rule_number(ctx->argv[3],
                                               &args->number))) {
        return false;
    }
    for (size_t i = 0; i < args->filter->n_rules; i++) {
        const struct vtaprec_filter_rule *rule = args->filter->rules[i];
        if (rule->number == args->number
            && !strcmp(rule->direction, args->direction)) {
            args->index = i;
            args->exists = true;
        }
    }
    return true;
}

static void
cmd_rule_add(struct ctl_context *ctx)
{
    const struct vtaprec_filter_rule *rule;
    struct vtaprec_filter_rule **rules;
    struct rule_args args;
    size_t n;

    if (!parse_rule_args(ctx, &args)) {
        return;
    }
    if (args.exists) {
        ctl_error(ctx, "%s: number: \"%s\": filter \"%s\" already has an %s "
                  "rule with this number", ctx->argv[0], ctx->argv[3],
                  args.filter->name, args.direction);
        return;
    }
    if (verb_error(ctx, "action", vtapdb_parse_enum(ctx->argv[4],
                                                    vtapdb_rule_actions))) {
        return;
    }

    rule = vtaprec_filter_rule_insert(ctx->txn);
    vtaprec_filter_rule_set_direction(rule, args.direction);
    vtaprec_filter_rule_set_number(rule, args.number);
    vtaprec_filter_rule_set_action(rule, ctx->argv[4]);
    if (!apply_settings(ctx, 5, rule_settings, &rule->header_)
        || row_error(ctx, vtapdb_check_rule(rule))) {
        return;
    }

    n = args.filter->n_rules;
    rules = xmalloc((n + 1) * sizeof *rules);
    memcpy(rules, args.filter->rules, n * sizeof *rules);
    rules[n] = CONST_CAST(struct vtaprec_filter_rule *, rule);
    vtaprec_filter_set_rules(args.filter, rules, n + 1);
    free(rules);
}

static void
cmd_rule_del(struct ctl_context *ctx)
{
    struct vtaprec_filter_rule **rules;
    struct rule_args args;
    size_t n;

    if (!parse_rule_args(ctx, &args)) {
        return;
    }
    if (!args.exists) {
        if (!shash_find(&ctx->options, "--if-exists")) {
            ctl_error(ctx, "%s: number: \"%s\": filter \"%s\" has no %s rule "
                      "with this number", ctx->argv[0], ctx->argv[3],
                      args.filter->name, args.direction);
        }
        return;
    }

    /* The rule is not a root row: removing the reference deletes it. */
    n = args.filter->n_rules;
    rules = xmemdup(args.filter->rules, n * sizeof *rules);
    rules[args.index] = rules[n - 1];
    vtaprec_filter_set_rules(args.filter, rules, n - 1);
    free(rules);
}

/* Collector pool commands. */

/* Returns the index of member 'ip' in 'pool', or SIZE_MAX. */
static size_t
find_member(const struct vtaprec_collector_pool *pool, const char *ip)
{
    return vtapdb_find_ip(pool->key_members, pool->n_members, ip);
}

/* Sets the members of 'pool' to its current ones with member 'index'
 * replaced by 'ip' and 'weight' (or added, if 'index' is n_members), or
 * removed if 'ip' is NULL. */
static void
update_members(const struct vtaprec_collector_pool *pool, size_t index,
               const char *ip, int64_t weight)
{
    size_t n = pool->n_members;
    const char **keys = xmalloc((n + 1) * sizeof *keys);
    int64_t *values = xmalloc((n + 1) * sizeof *values);

    nullable_memcpy(keys, pool->key_members, n * sizeof *keys);
    nullable_memcpy(values, pool->value_members, n * sizeof *values);
    if (ip) {
        keys[index] = ip;
        values[index] = weight;
        n += index == n;
    } else {
        keys[index] = keys[n - 1];
        values[index] = values[n - 1];
        n--;
    }
    vtaprec_collector_pool_set_members(pool, keys, values, n);
    free(keys);
    free(values);
}

static void
cmd_collector_add(struct ctl_context *ctx)
{
    const char *ip = ctx->argv[2];
    const struct vtaprec_collector_pool *pool;
    int64_t weight = 1;
    size_t index;

    if (verb_error(ctx, "ip", vtapdb_parse_ip(ip))
        || (ctx->argc > 3
            && verb_error(ctx, "weight",
                          vtapdb_parse_weight(ctx->argv[3], &weight)))) {
        return;
    }

    pool = find_pool(ctx, ctx->argv[1]);
    if (!pool) {
        if (verb_error(ctx, "pool", vtapdb_parse_name(ctx->argv[1]))) {
            return;
        }
        pool = vtaprec_collector_pool_insert(ctx->txn);
        vtaprec_collector_pool_set_name(pool, ctx->argv[1]);
    }

    index = find_member(pool, ip);
    if (index != SIZE_MAX && !shash_find(&ctx->options, "--may-exist")) {
        ctl_error(ctx, "%s: ip: \"%s\": already a member of pool \"%s\"",
                  ctx->argv[0], ip, pool->name);
        return;
    }
    update_members(pool, index == SIZE_MAX ? pool->n_members : index,
                   ip, weight);
    if (!row_error(ctx, vtapdb_check_pool(pool))) {
        const struct vtaprec_tap *tap;

        VTAPREC_TAP_FOR_EACH (tap, ctx->idl) {
            if (tap->collector_pool == pool
                && !check_tap_switches(ctx, tap, ctx->argv[0])) {
                return;
            }
        }
    }
}

/* Returns the index of 'ip' in the down set of 'pool', or SIZE_MAX. */
static size_t
find_down(const struct vtaprec_collector_pool *pool, const char *ip)
{
    return vtapdb_find_ip(pool->down, pool->n_down, ip);
}

/* Marks member 'ip' of 'pool' down, if it is not already, or up: then
 * removes every address in the down set that is 'ip', however written. */
static void
set_member_down(const struct vtaprec_collector_pool *pool, const char *ip,
                bool down)
{
    const char **ips;
    size_t n = 0;

    if (down && find_down(pool, ip) != SIZE_MAX) {
        return;
    }
    ips = xmalloc((pool->n_down + 1) * sizeof *ips);
    for (size_t i = 0; i < pool->n_down; i++) {
        if (!vtapdb_same_ip(pool->down[i], ip)) {
            ips[n++] = pool->down[i];
        }
    }
    if (down) {
        ips[n++] = ip;
    }
    if (n != pool->n_down) {
        vtaprec_collector_pool_set_down(pool, ips, n);
    }
    free(ips);
}

/* collector-down and collector-up: POOL IP. */
static void
set_collector_state(struct ctl_context *ctx, bool down)
{
    const struct vtaprec_collector_pool *pool = find_pool(ctx, ctx->argv[1]);
    size_t index;

    if (!pool) {
        ctl_error(ctx, "%s: pool: \"%s\": no Collector_Pool with this name",
                  ctx->argv[0], ctx->argv[1]);
        return;
    }
    index = find_member(pool, ctx->argv[2]);
    if (index == SIZE_MAX) {
        ctl_error(ctx, "%s: ip: \"%s\": not a member of pool \"%s\"",
                  ctx->argv[0], ctx->argv[2], pool->name);
        return;
    }
    /* The member's own spelling, so that the down set matches it. */
    set_member_down(pool, pool->key_members[index], down);
}

static void
cmd_collector_down(struct ctl_context *ctx)
{
    set_collector_state(ctx, true);
}

static void
cmd_collector_up(struct ctl_context *ctx)
{
    set_collector_state(ctx, false);
}

static void
cmd_collector_del(struct ctl_context *ctx)
{
    const struct vtaprec_collector_pool *pool = find_pool(ctx, ctx->argv[1]);
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct vtaprec_tap *tap;

    if (!pool) {
        if (!if_exists) {
            ctl_error(ctx, "%s: pool: \"%s\": no Collector_Pool with this "
                      "name", ctx->argv[0], ctx->argv[1]);
        }
        return;
    }

    if (ctx->argc > 2) {
        size_t index = find_member(pool, ctx->argv[2]);

        if (index != SIZE_MAX) {
            set_member_down(pool, pool->key_members[index], false);
            update_members(pool, index, NULL, 0);
        } else if (!if_exists) {
            ctl_error(ctx, "%s: ip: \"%s\": not a member of pool \"%s\"",
                      ctx->argv[0], ctx->argv[2], pool->name);
        }
        return;
    }

    VTAPREC_TAP_FOR_EACH (tap, ctx->idl) {
        if (tap->collector_pool == pool) {
            ctl_error(ctx, "%s: pool: \"%s\": the destination of tap \"%s\"",
                      ctx->argv[0], pool->name, tap->name);
            return;
        }
    }
    vtaprec_collector_pool_delete(pool);
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
    char *port = source_port(src);
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
                  tap->n_udp_port ? tap->udp_port[0] : VTAPDB_DEFAULT_UDP_PORT);
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
        char *port = source_port(src);

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

        svec_add_nocopy(&members, xasprintf("%s weight %"PRId64"%s", ip,
                                            pool->value_members[i],
                                            (find_down(pool, ip) != SIZE_MAX
                                             ? " down" : "")));
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
    char *port = source_port(src);
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
        bool down = find_down(pool, ip) != SIZE_MAX;

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


/* Validation of a whole transaction. */

/* Returns true if 'row' is inserted or modified by the current
 * transaction. */
static bool
row_is_written(const struct ovsdb_idl_row *row)
{
    return row->new_datum && row->new_datum != row->old_datum;
}

/* Returns true if the current transaction inserts or modifies a row. */
static bool
txn_writes(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < vtaprec_idl_class.n_tables; i++) {
        const struct ovsdb_idl_row *row;

        for (row = ovsdb_idl_first_row(idl, &vtaprec_idl_class.tables[i]);
             row; row = ovsdb_idl_next_row(row)) {
            if (row_is_written(row)) {
                return true;
            }
        }
    }
    return false;
}

/* Checks that no two rows of 'table' have the same value in 'name_column':
 * the same string or, with 'key' (for example vtapdb_ip_key()), strings for
 * which 'key' returns the same string; a value for which it returns NULL is
 * left to the column's own check.  Returns an error message naming the
 * value, or NULL. */
static char *
check_unique(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *table,
             const struct ovsdb_idl_column *name_column,
             char *(*key)(const char *))
{
    struct sset seen = SSET_INITIALIZER(&seen);
    const struct ovsdb_idl_row *row;
    char *error = NULL;

    for (row = ovsdb_idl_first_row(idl, table); row && !error;
         row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, name_column);
        if (!datum->n) {
            continue;
        }

        const char *value = json_string(datum->keys[0].s);
        char *k = key ? key(value) : xstrdup(value);
        if (k && !sset_add(&seen, k)) {
            error = xasprintf("%s: \"%s\": two %s rows have this %s",
                              name_column->name, value, table->name,
                              name_column->name);
        }
        free(k);
    }
    sset_destroy(&seen);
    return error;
}

/* The Global row's generation, as the current transaction first read it.
 * Every writer that checks the database (vtapctl, the HTTP API) verifies it
 * before its commands run and increments it, so of two writers that read
 * the same copy of the database only the first commits: the other's commit
 * fails verification, and it runs its commands and checks again on a fresh
 * copy (TXN_TRY_AGAIN). */
struct generation {
    const struct vtaprec_global *global; /* NULL: nothing to count. */
    int64_t value;
};

/* Verifies the generation in 'idl' and remembers it in 'g'.  A database
 * whose schema predates the column (vtap-db-ctl has not converted it yet)
 * has none; a Global row that the transaction inserts starts the count. */
static void
generation_verify(struct ovsdb_idl *idl, struct generation *g)
{
    g->global = vtaprec_global_first(idl);
    if (g->global
        && !ovsdb_idl_server_has_column(idl, &vtaprec_global_col_generation)) {
        g->global = NULL;
    }
    if (g->global) {
        g->value = g->global->generation;
        vtaprec_global_verify_generation(g->global);
    }
}

/* Writes the generation after 'g' into 'idl', whatever a command wrote. */
static void
generation_claim(struct ovsdb_idl *idl, const struct generation *g)
{
    if (g->global && vtaprec_global_first(idl) == g->global) {
        vtaprec_global_set_generation(g->global, g->value + 1);
    }
}

/* Checks that no switch has more sources than its bridge can mirror: the
 * Mirror of the one too many would be refused by ovs-vswitchd, with only a
 * line in its log to say so.  Returns an error message or NULL. */
static char *
check_sources_per_switch(struct ovsdb_idl *idl)
{
    struct simap counts = SIMAP_INITIALIZER(&counts);
    const struct vtaprec_tap_source *src;
    char *error = NULL;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        const char *sw = src->switch_->name;

        if (simap_increase(&counts, sw, 1) > VTAPDB_SOURCES_PER_SWITCH_MAX
            && !error) {
            error = xasprintf("Switch \"%s\": more than %d sources, the "
                              "most Mirrors one Open vSwitch bridge takes",
                              sw, VTAPDB_SOURCES_PER_SWITCH_MAX);
        }
    }
    simap_destroy(&counts);
    return error;
}

/* Returns 'error', if nonnull, prefixed with the name of 'table' and
 * 'name', which identify the row it is about.  Frees 'error'. */
static char *
row_context(const char *table, const char *name, char *error)
{
    char *message;

    if (!error) {
        return NULL;
    }
    message = xasprintf("%s \"%s\": %s", table, name, error);
    free(error);
    return message;
}

/* Checks every row of the database as the current transaction would leave
 * it.  Returns an error message or NULL.  Any command, including the
 * generic ones (set, create, add, ...), can only commit a database that
 * passes this check. */
static char *
check_database(struct ovsdb_idl *idl)
{
    const struct vtaprec_collector_pool *pool;
    const struct vtaprec_tap_source *src;
    const struct vtaprec_filter *filter;
    const struct vtaprec_switch *sw;
    const struct vtaprec_tap *tap;
    char *error = NULL;

    error = check_unique(idl, &vtaprec_table_switch,
                         &vtaprec_switch_col_name, NULL);
    if (!error) {
        error = check_unique(idl, &vtaprec_table_switch,
                             &vtaprec_switch_col_underlay_ip, vtapdb_ip_key);
    }
    if (!error) {
        error = check_unique(idl, &vtaprec_table_tap, &vtaprec_tap_col_name,
                             NULL);
    }
    if (!error) {
        error = check_unique(idl, &vtaprec_table_filter,
                             &vtaprec_filter_col_name, NULL);
    }
    if (!error) {
        error = check_unique(idl, &vtaprec_table_collector_pool,
                             &vtaprec_collector_pool_col_name, NULL);
    }
    const struct vtaprec_global *global = vtaprec_global_first(idl);
    if (!error && global) {
        error = vtapdb_check_global(global);
        if (error) {
            char *message = xasprintf("Global: %s", error);
            free(error);
            error = message;
        }
    }
    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        error = error ? error : row_context("Switch", sw->name,
                                            vtapdb_check_switch(sw));
    }
    VTAPREC_COLLECTOR_POOL_FOR_EACH (pool, idl) {
        error = error ? error : row_context("Collector_Pool", pool->name,
                                            vtapdb_check_pool(pool));
        /* Only pools that this transaction writes: a database from before
         * collector-del cleared down marks may hold a stale one, which
         * must not block every unrelated change. */
        if (!error && row_is_written(&pool->header_)) {
            error = row_context("Collector_Pool", pool->name,
                                vtapdb_check_pool_down(pool));
        }
    }
    VTAPREC_FILTER_FOR_EACH (filter, idl) {
        error = error ? error : row_context("Filter", filter->name,
                                            vtapdb_check_filter(filter));
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        error = error ? error : row_context("Tap", tap->name,
                                            vtapdb_check_tap(tap));
        VTAPREC_SWITCH_FOR_EACH (sw, idl) {
            error = error ? error
                          : row_context("Tap", tap->name,
                                        vtapdb_check_tap_switch(tap, sw));
        }
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (!error) {
            char *port = source_port(src);
            char *name = xasprintf("%s/%s/%s", src->tap->name,
                                   src->switch_->name, port);

            error = row_context("Tap_Source", name, vtapdb_check_source(src));
            free(name);
            free(port);
        }
    }
    return error ? error : check_sources_per_switch(idl);
}

static char *command_error(const struct ctl_command *, const char *error);

/* Runs 'commands' in 'txn', a new transaction on 'idl', with 'symtab' for
 * the rows they name with --id, then checks every row of the database as the
 * transaction would leave it.  Returns NULL if 'txn' may be committed, or an
 * error message that the caller frees: then the caller must abort 'txn',
 * which changes nothing.  Sets '*try_again' instead if a command asked to be
 * run again with a fresher view of the database.  Commands that may write
 * verify the database's generation before they run and, if they pass the
 * check, claim it (struct generation), so that their commit fails, and the
 * caller runs them again, if another writer committed since the IDL read
 * what they and the check read.
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
    struct generation generation = { .global = NULL };
    struct ctl_context ctx;
    struct ctl_command *c;
    struct shash_node *node;

    *try_again = false;
    if (might_write) {
        generation_verify(idl, &generation);
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

    /* Deleting rows breaks no check, but claims the generation as any
     * write does, so that a row deleted under another writer makes that
     * writer run again, and its command tell what is missing. */
    char *error = txn_writes(idl) ? check_database(idl) : NULL;
    if (!error) {
        generation_claim(idl, &generation);
    }
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
};

static const struct ctl_command_syntax vtapctl_commands[] = {
    {"init", 0, 0, "", NULL, cmd_init, NULL, "", RW},
    {"show", 0, 0, "", NULL, cmd_show, NULL, "", RO},
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
