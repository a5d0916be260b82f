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

/* Typed operations on the TAP database.  See vtapdb-ops.h. */

#include <config.h>

#include "lib/vtapdb-ops.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "simap.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "uuid.h"
#include "vtap-field.h"

/* Errors. */

/* Returns the name of 'code' as vtapd's HTTP API spells it in its error
 * bodies. */
const char *
vtapdb_error_code_name(enum vtapdb_error_code code)
{
    switch (code) {
    case VTAPDB_ERR_INVALID:
        return "invalid";
    case VTAPDB_ERR_NOT_FOUND:
        return "not_found";
    case VTAPDB_ERR_CONFLICT:
        return "conflict";
    case VTAPDB_ERR_IN_USE:
        return "in_use";
    }
    OVS_NOT_REACHED();
}

/* Returns a new error with 'code' about 'field' and 'value' (either may be
 * NULL), whose message is 'format'. */
struct vtapdb_error *
vtapdb_error_create(enum vtapdb_error_code code, const char *field,
                    const char *value, const char *format, ...)
{
    struct vtapdb_error *e = xmalloc(sizeof *e);
    va_list args;

    e->code = code;
    e->field = nullable_xstrdup(field);
    e->value = nullable_xstrdup(value);
    va_start(args, format);
    e->message = xvasprintf(format, args);
    va_end(args);
    return e;
}

/* Frees 'e', which may be NULL. */
void
vtapdb_error_destroy(struct vtapdb_error *e)
{
    if (e) {
        free(e->field);
        free(e->value);
        free(e->message);
        free(e);
    }
}

/* Returns an INVALID error about 'field' and 'value' from 'parse_error',
 * an error of a vtapdb_parse_*() function (which it frees), or NULL if
 * 'parse_error' is NULL. */
static struct vtapdb_error *
invalid(const char *field, const char *value, char *parse_error)
{
    struct vtapdb_error *e;

    if (!parse_error) {
        return NULL;
    }
    e = vtapdb_error_create(VTAPDB_ERR_INVALID, field, value, "%s: %s",
                            field, parse_error);
    free(parse_error);
    return e;
}

/* Returns an error with 'code' from 'message', an error of a
 * vtapdb_check_*() function or a check of this module, of the form
 * "FIELD: \"VALUE\": what is wrong", possibly after the name of a row
 * ("Tap \"t1\": FIELD: ..."), from which the field and the value are
 * taken.  Frees 'message'.  Returns NULL if 'message' is NULL. */
static struct vtapdb_error *
from_check(enum vtapdb_error_code code, char *message)
{
    struct vtapdb_error *e;
    const char *p;

    if (!message) {
        return NULL;
    }
    e = vtapdb_error_create(code, NULL, NULL, "%s", message);
    free(message);

    /* Skip a row's name, a word and a quoted name. */
    p = e->message;
    const char *q = strstr(p, " \"");
    const char *colon = strchr(p, ':');
    if (q && colon && q < colon) {
        const char *end = strstr(q + 2, "\": ");
        if (end) {
            p = end + 3;
        }
    }

    /* FIELD: "VALUE": or FIELD: */
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
    if (n && !strncmp(p + n, ": ", 2)) {
        const char *value = p + n + 2;
        const char *end = value[0] == '"' ? strstr(value + 1, "\": ") : NULL;

        e->field = xmemdup0(p, n);
        e->value = end ? xmemdup0(value + 1, end - value - 1) : NULL;
    }
    return e;
}

/* Row lookups. */

/* Returns the only row of 'table' whose UUID starts with 'prefix', or
 * NULL if none or several do. */
static const struct ovsdb_idl_row *
find_row_by_uuid_prefix(struct ovsdb_idl *idl,
                        const struct ovsdb_idl_table_class *table,
                        const char *prefix)
{
    const struct ovsdb_idl_row *row, *found = NULL;

    for (row = ovsdb_idl_first_row(idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        if (uuid_is_partial_match(&row->uuid, prefix)) {
            if (found) {
                return NULL;
            }
            found = row;
        }
    }
    return found;
}

/* Returns the row of 'table' that 'id' names, as vtapctl's generic
 * commands (db-ctl-base's ctl_get_row()) find it: by its whole UUID, as
 * "." if it is the table's only row, by its 'name_column', or by the first
 * 4 or more digits of its UUID if no other row's start the same way.
 * Returns NULL if none. */
static const struct ovsdb_idl_row *
find_row(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *table,
         const struct ovsdb_idl_column *name_column, const char *id)
{
    const struct ovsdb_idl_row *row;
    struct uuid uuid;

    if (uuid_from_string(&uuid, id)) {
        row = ovsdb_idl_get_row_for_uuid(idl, table, &uuid);
        if (row) {
            return row;
        }
    }
    if (!strcmp(id, ".")) {
        row = ovsdb_idl_first_row(idl, table);
        return row && !ovsdb_idl_next_row(row) ? row : NULL;
    }
    for (row = ovsdb_idl_first_row(idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, name_column);
        if (datum->n && !strcmp(json_string(datum->keys[0].s), id)) {
            return row;
        }
    }
    return (uuid_is_partial_string(id) >= 4
            ? find_row_by_uuid_prefix(idl, table, id)
            : NULL);
}

/* find_row() for each table with a name. */
static const struct vtaprec_switch *
find_switch(struct ovsdb_idl *idl, const char *name)
{
    const struct ovsdb_idl_row *row
        = find_row(idl, &vtaprec_table_switch, &vtaprec_switch_col_name,
                   name);
    return row ? CONTAINER_OF(row, struct vtaprec_switch, header_) : NULL;
}

static const struct vtaprec_tap *
find_tap(struct ovsdb_idl *idl, const char *name)
{
    const struct ovsdb_idl_row *row
        = find_row(idl, &vtaprec_table_tap, &vtaprec_tap_col_name, name);
    return row ? CONTAINER_OF(row, struct vtaprec_tap, header_) : NULL;
}

static const struct vtaprec_filter *
find_filter(struct ovsdb_idl *idl, const char *name)
{
    const struct ovsdb_idl_row *row
        = find_row(idl, &vtaprec_table_filter, &vtaprec_filter_col_name,
                   name);
    return row ? CONTAINER_OF(row, struct vtaprec_filter, header_) : NULL;
}

static const struct vtaprec_collector_pool *
find_pool(struct ovsdb_idl *idl, const char *name)
{
    const struct ovsdb_idl_row *row
        = find_row(idl, &vtaprec_table_collector_pool,
                   &vtaprec_collector_pool_col_name, name);
    return (row
            ? CONTAINER_OF(row, struct vtaprec_collector_pool, header_)
            : NULL);
}

/* Returns a NOT_FOUND error for 'field', whose value 'name' names no row
 * of 'table'. */
static struct vtapdb_error *
no_such(const char *field, const char *name, const char *table)
{
    return vtapdb_error_create(VTAPDB_ERR_NOT_FOUND, field, name,
                               "%s: \"%s\": no %s with this name",
                               field, name, table);
}

/* Checks that 'name' is a valid name for a new row of 'table' that is not
 * taken yet.  Returns NULL and sets '*exists' to false if the row may be
 * created; returns NULL and sets '*exists' if it exists and 'flags' has
 * VTAPDB_MAY_EXIST (nothing to do); returns an error otherwise. */
static struct vtapdb_error *
check_new_name(struct ovsdb_idl *idl,
               const struct ovsdb_idl_table_class *table,
               const struct ovsdb_idl_column *name_column,
               const char *name, unsigned int flags, bool *exists)
{
    struct vtapdb_error *e = invalid("name", name, vtapdb_parse_name(name));

    *exists = false;
    if (!e && find_row(idl, table, name_column, name)) {
        if (flags & VTAPDB_MAY_EXIST) {
            *exists = true;
        } else {
            e = vtapdb_error_create(VTAPDB_ERR_CONFLICT, "name", name,
                                    "name: \"%s\": a %s with this name "
                                    "already exists", name, table->name);
        }
    }
    return e;
}

/* Settings. */

/* How a setting's value is parsed and written. */
enum setting_type {
    SETTING_STRING,             /* 'check' validates, the value is written. */
    SETTING_INTEGER,            /* 'parse' converts, the number is written. */
    SETTING_BOOLEAN,            /* "true" or "false". */
    SETTING_CUSTOM,             /* 'apply' parses and writes. */
};

/* A setting that an operation accepts.  Its key is the name of the column
 * that its value goes into. */
struct setting {
    const char *key;                        /* Column name. */
    enum setting_type type;                 /* How it is parsed. */
    const struct ovsdb_idl_column *column;  /* Unless SETTING_CUSTOM. */
    char *(*check)(const char *value);      /* SETTING_STRING. */
    char *(*parse)(const char *value, int64_t *);   /* SETTING_INTEGER. */
    struct vtapdb_error *(*apply)(struct ovsdb_idl *,
                                  const struct ovsdb_idl_row *,
                                  const char *value);  /* SETTING_CUSTOM. */
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

/* Parses 'value' as 's' says and writes it into 'row'. */
static struct vtapdb_error *
apply_setting(struct ovsdb_idl *idl, const struct setting *s,
              const struct ovsdb_idl_row *row, const char *value)
{
    union ovsdb_atom atom;
    char *error;

    switch (s->type) {
    case SETTING_STRING:
        error = s->check ? s->check(value) : NULL;
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
        return s->apply(idl, row, value);
    }
    if (!error) {
        write_atom(row, s->column, atom);
    }
    return invalid(s->key, value, error);
}

/* Returns the error for 'setting', which is none of 'settings'. */
static struct vtapdb_error *
unknown_setting(const struct vtapdb_setting *setting,
                const struct setting settings[])
{
    struct ds keys = DS_EMPTY_INITIALIZER;
    struct vtapdb_error *e;

    for (const struct setting *s = settings; s->key; s++) {
        ds_put_format(&keys, "%s%s=", s == settings ? "" : ", ", s->key);
    }
    e = vtapdb_error_create(VTAPDB_ERR_INVALID, setting->key, setting->value,
                            "\"%s%s%s\": not a setting (expected %s)",
                            setting->key, setting->value ? "=" : "",
                            setting->value ? setting->value : "",
                            ds_cstr(&keys));
    ds_destroy(&keys);
    return e;
}

/* Applies the settings of 'op', in order, to 'row', according to
 * 'settings' (terminated by a null key). */
static struct vtapdb_error *
apply_settings(struct ovsdb_idl *idl, const struct vtapdb_op *op,
               const struct setting settings[],
               const struct ovsdb_idl_row *row)
{
    for (size_t i = 0; i < op->n_settings; i++) {
        const struct vtapdb_setting *setting = &op->settings[i];
        const struct setting *s;
        struct vtapdb_error *e;

        for (s = settings; setting->value && s->key; s++) {
            if (!strcmp(s->key, setting->key)) {
                break;
            }
        }
        if (!setting->value || !s->key) {
            return unknown_setting(setting, settings);
        }
        e = apply_setting(idl, s, row, setting->value);
        if (e) {
            return e;
        }
    }
    return NULL;
}

/* Validators with the signature 'struct setting' wants. */

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

static char *
check_oversize(const char *s)
{
    return vtapdb_parse_enum(s, vtapdb_oversize_actions);
}

/* Switches. */

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

/* SWITCH_ADD: a Switch row named 'op->name' with role 'op->role'. */
static struct vtapdb_error *
switch_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
           const struct vtapdb_op *op)
{
    const struct vtaprec_switch *sw;
    struct vtapdb_error *e;
    bool exists;

    e = check_new_name(idl, &vtaprec_table_switch, &vtaprec_switch_col_name,
                       op->name, op->flags, &exists);
    if (e || exists) {
        return e;
    }
    e = invalid("role", op->role,
                vtapdb_parse_enum(op->role, vtapdb_switch_roles));
    if (e) {
        return e;
    }

    sw = vtaprec_switch_insert(txn);
    vtaprec_switch_set_name(sw, op->name);
    vtaprec_switch_set_role(sw, op->role);
    vtaprec_switch_set_bridge(sw, "br-int");
    e = apply_settings(idl, op, switch_settings, &sw->header_);
    return e ? e : from_check(VTAPDB_ERR_INVALID, vtapdb_check_switch(sw));
}

/* Returns what uses 'sw' (the sources on it and the taps it is the hub
 * of), sorted so that the message is always the same, as ", A, B...", or
 * NULL if nothing does. */
static char *
describe_switch_users(struct ovsdb_idl *idl, const struct vtaprec_switch *sw)
{
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;
    struct svec users = SVEC_EMPTY_INITIALIZER;
    struct ds ds = DS_EMPTY_INITIALIZER;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (src->switch_ == sw) {
            svec_add_nocopy(&users, xasprintf(
                                "the source %s of tap \"%s\"",
                                src->port ? src->port : src->iface_id,
                                src->tap->name));
        }
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        if (tap->hub == sw) {
            svec_add_nocopy(&users, xasprintf("tap \"%s\"", tap->name));
        }
    }
    svec_sort(&users);
    for (size_t i = 0; i < users.n; i++) {
        ds_put_format(&ds, "%s %s", i ? "," : "", users.names[i]);
    }
    svec_destroy(&users);
    return ds.length ? ds_steal_cstr(&ds) : NULL;
}

/* SWITCH_DEL: deletes Switch 'op->name', which nothing may use. */
static struct vtapdb_error *
switch_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    const struct vtaprec_switch *sw = find_switch(idl, op->name);
    struct vtapdb_error *e = NULL;
    char *users;

    if (!sw) {
        return (op->flags & VTAPDB_IF_EXISTS ? NULL
                : no_such("name", op->name, "Switch"));
    }
    users = describe_switch_users(idl, sw);
    if (users) {
        e = vtapdb_error_create(VTAPDB_ERR_IN_USE, "name", sw->name,
                                "name: \"%s\": in use by%s: delete them "
                                "first", sw->name, users);
        free(users);
    } else {
        vtaprec_switch_delete(sw);
    }
    return e;
}

/* Taps. */

static const struct vtaprec_tap *
tap_from_row(const struct ovsdb_idl_row *row)
{
    return CONTAINER_OF(row, struct vtaprec_tap, header_);
}

/* The settings of a Tap that need more than a parser: each parses
 * 'value' and writes it into Tap row 'row'. */
static struct vtapdb_error *
apply_tap_sampling(struct ovsdb_idl *idl OVS_UNUSED,
                   const struct ovsdb_idl_row *row, const char *value)
{
    double p;
    char *error = vtap_parse_probability(value, &p);

    if (!error) {
        vtaprec_tap_set_sampling(tap_from_row(row), &p, 1);
    }
    return invalid("sampling", value, error);
}

static struct vtapdb_error *
apply_tap_rate_limit(struct ovsdb_idl *idl OVS_UNUSED,
                     const struct ovsdb_idl_row *row, const char *value)
{
    const char *unit;
    int64_t rate;
    char *error = vtapdb_parse_rate_limit(value, &rate, &unit);

    if (!error) {
        vtaprec_tap_set_rate_limit(tap_from_row(row), &rate, 1);
        vtaprec_tap_set_rate_limit_unit(tap_from_row(row), unit);
    }
    return invalid("rate_limit", value, error);
}

static struct vtapdb_error *
apply_tap_hub(struct ovsdb_idl *idl, const struct ovsdb_idl_row *row,
              const char *value)
{
    const struct vtaprec_switch *hub = find_switch(idl, value);

    if (!hub) {
        return no_such("hub", value, "Switch");
    }
    vtaprec_tap_set_hub(tap_from_row(row), hub);
    return NULL;
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
unused_vni(struct ovsdb_idl *idl, const struct vtaprec_tap *self)
{
    const struct vtaprec_tap *tap;
    int64_t vni = 1;
    bool used;

    do {
        used = false;
        VTAPREC_TAP_FOR_EACH (tap, idl) {
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
 * underlay address of one. */
static struct vtapdb_error *
check_tap_switches(struct ovsdb_idl *idl, const struct vtaprec_tap *tap)
{
    const struct vtaprec_switch *sw;

    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        char *error = vtapdb_check_tap_switch(tap, sw);
        if (error) {
            return from_check(VTAPDB_ERR_INVALID, error);
        }
    }
    return NULL;
}

/* Checks the destination of tap-add 'op'.  Stores its pool, if it is one,
 * in '*poolp'.  Errors name the column that the destination goes into. */
static struct vtapdb_error *
check_destination(struct ovsdb_idl *idl, const struct vtapdb_op *op,
                  const struct vtaprec_collector_pool **poolp)
{
    struct vtapdb_error *e;

    *poolp = NULL;
    switch (op->dest_type) {
    case VTAPDB_DEST_PORT:
        return invalid("collector_port", op->dest,
                       vtapdb_parse_port_name(op->dest));
    case VTAPDB_DEST_POOL:
        e = invalid("collector_pool", op->dest,
                    vtapdb_parse_name(op->dest));
        if (!e) {
            *poolp = find_pool(idl, op->dest);
            e = *poolp ? NULL : no_such("collector_pool", op->dest,
                                        "Collector_Pool");
        }
        return e;
    case VTAPDB_DEST_IP:
    default:
        return invalid("collector_ip", op->dest, vtapdb_parse_ip(op->dest));
    }
}

/* TAP_ADD: a Tap named 'op->name' to 'op->dest', with a VNI of its own
 * unless a setting gives one. */
static struct vtapdb_error *
tap_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
        const struct vtapdb_op *op)
{
    const struct vtaprec_collector_pool *pool = NULL;
    const struct vtaprec_tap *tap;
    int64_t port = VTAPDB_DEFAULT_UDP_PORT;
    struct vtapdb_error *e;
    bool exists;

    e = check_new_name(idl, &vtaprec_table_tap, &vtaprec_tap_col_name,
                       op->name, op->flags, &exists);
    if (!e && !exists) {
        e = check_destination(idl, op, &pool);
    }
    if (e || exists) {
        return e;
    }

    tap = vtaprec_tap_insert(txn);
    vtaprec_tap_set_name(tap, op->name);
    if (pool) {
        vtaprec_tap_set_collector_pool(tap, pool);
    } else if (op->dest_type == VTAPDB_DEST_PORT) {
        vtaprec_tap_set_delivery(tap, "local");
        vtaprec_tap_set_collector_port(tap, op->dest);
    } else {
        vtaprec_tap_set_collector_ip(tap, op->dest);
    }
    vtaprec_tap_set_udp_port(tap, &port, 1);
    vtaprec_tap_set_vni(tap, unused_vni(idl, tap));
    e = apply_settings(idl, op, tap_settings, &tap->header_);
    if (!e) {
        e = from_check(VTAPDB_ERR_INVALID, vtapdb_check_tap(tap));
    }
    return e ? e : check_tap_switches(idl, tap);
}

/* TAP_DEL: deletes Tap 'op->name' and its sources. */
static struct vtapdb_error *
tap_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    const struct vtaprec_tap *tap = find_tap(idl, op->name);
    const struct vtaprec_tap_source *src;

    if (!tap) {
        return (op->flags & VTAPDB_IF_EXISTS ? NULL
                : no_such("name", op->name, "Tap"));
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (src->tap == tap) {
            vtaprec_tap_source_delete(src);
        }
    }
    vtaprec_tap_delete(tap);
    return NULL;
}

/* Sources. */

static struct vtapdb_error *
apply_source_filter(struct ovsdb_idl *idl, const struct ovsdb_idl_row *row,
                    const char *value)
{
    const struct vtaprec_filter *filter = find_filter(idl, value);

    if (!filter) {
        return no_such("filter", value, "Filter");
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

/* The source that an operation names, looked up. */
struct source_key {
    const struct vtaprec_tap *tap;          /* Its Tap. */
    const struct vtaprec_switch *sw;        /* Its Switch. */
    const struct vtaprec_tap_source *src;   /* The source, if it exists. */
    char *text;                 /* Its port as vtapctl takes it. */
};

/* The field of a source operation 'op' that names its port, and its
 * value. */
static const char *
source_field(const struct vtapdb_op *op)
{
    return op->port ? "port" : "iface_id";
}

static const char *
source_value(const struct vtapdb_op *op)
{
    return op->port ? op->port : op->iface_id;
}

/* Looks up the tap, the switch and the source of 'op' into 'key'.  The
 * caller frees 'key->text' on success. */
static struct vtapdb_error *
lookup_source(struct ovsdb_idl *idl, const struct vtapdb_op *op,
              struct source_key *key)
{
    const struct vtaprec_tap_source *src;
    struct vtapdb_error *e;

    memset(key, 0, sizeof *key);
    key->tap = find_tap(idl, op->tap);
    if (!key->tap) {
        return no_such("tap", op->tap, "Tap");
    }
    key->sw = find_switch(idl, op->switch_name);
    if (!key->sw) {
        return no_such("switch", op->switch_name, "Switch");
    }
    e = (op->port
         ? invalid("port", op->port, vtapdb_parse_source_port(op->port))
         : invalid("iface_id", op->iface_id,
                   vtapdb_parse_port_name(op->iface_id)));
    if (e) {
        return e;
    }

    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (src->tap == key->tap && src->switch_ == key->sw
            && nullable_string_is_equal(src->port, op->port)
            && nullable_string_is_equal(src->iface_id, op->iface_id)) {
            key->src = src;
        }
    }
    key->text = (op->port ? xstrdup(op->port)
                 : xasprintf("iface-id=%s", op->iface_id));
    return NULL;
}

/* SOURCE_ADD: a source of Tap 'op->tap' on switch 'op->switch_name'. */
static struct vtapdb_error *
source_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
           const struct vtapdb_op *op)
{
    const struct vtaprec_tap_source *src;
    struct vtapdb_error *e;
    struct source_key key;

    e = lookup_source(idl, op, &key);
    if (e) {
        return e;
    }
    if (key.src) {
        if (!(op->flags & VTAPDB_MAY_EXIST)) {
            e = vtapdb_error_create(VTAPDB_ERR_CONFLICT, source_field(op),
                                    source_value(op),
                                    "port: \"%s\": already a source of tap "
                                    "\"%s\" on switch \"%s\"", key.text,
                                    key.tap->name, key.sw->name);
        }
        free(key.text);
        return e;
    }
    free(key.text);

    src = vtaprec_tap_source_insert(txn);
    vtaprec_tap_source_set_tap(src, key.tap);
    vtaprec_tap_source_set_switch_(src, key.sw);
    vtaprec_tap_source_set_port(src, op->port);
    vtaprec_tap_source_set_iface_id(src, op->iface_id);
    vtaprec_tap_source_set_direction(src, "both");
    e = apply_settings(idl, op, source_settings, &src->header_);
    return e ? e : from_check(VTAPDB_ERR_INVALID, vtapdb_check_source(src));
}

/* SOURCE_DEL: deletes the source that 'op' names. */
static struct vtapdb_error *
source_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    struct vtapdb_error *e;
    struct source_key key;

    e = lookup_source(idl, op, &key);
    if (e) {
        return e;
    }
    if (key.src) {
        vtaprec_tap_source_delete(key.src);
    } else if (!(op->flags & VTAPDB_IF_EXISTS)) {
        e = vtapdb_error_create(VTAPDB_ERR_NOT_FOUND, source_field(op),
                                source_value(op),
                                "port: \"%s\": not a source of tap \"%s\" "
                                "on switch \"%s\"", key.text, key.tap->name,
                                key.sw->name);
    }
    free(key.text);
    return e;
}

/* Filters and their rules. */

static const struct setting filter_settings[] = {
    { "description", SETTING_STRING, &vtaprec_filter_col_description,
      NULL, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

/* FILTER_ADD: a Filter named 'op->name', without rules. */
static struct vtapdb_error *
filter_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
           const struct vtapdb_op *op)
{
    const struct vtaprec_filter *filter;
    struct vtapdb_error *e;
    bool exists;

    e = check_new_name(idl, &vtaprec_table_filter, &vtaprec_filter_col_name,
                       op->name, op->flags, &exists);
    if (e || exists) {
        return e;
    }
    filter = vtaprec_filter_insert(txn);
    vtaprec_filter_set_name(filter, op->name);
    e = apply_settings(idl, op, filter_settings, &filter->header_);
    return e ? e : from_check(VTAPDB_ERR_INVALID,
                              vtapdb_check_filter(filter));
}

/* FILTER_DEL: deletes Filter 'op->name', which no source may use. */
static struct vtapdb_error *
filter_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    const struct vtaprec_filter *filter = find_filter(idl, op->name);
    const struct vtaprec_tap_source *src;

    if (!filter) {
        return (op->flags & VTAPDB_IF_EXISTS ? NULL
                : no_such("name", op->name, "Filter"));
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (src->filter == filter) {
            return vtapdb_error_create(
                VTAPDB_ERR_IN_USE, "name", filter->name,
                "name: \"%s\": in use by the source %s of tap \"%s\"",
                filter->name, src->port ? src->port : src->iface_id,
                src->tap->name);
        }
    }
    vtaprec_filter_delete(filter);
    return NULL;
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
      NULL, NULL, NULL },
    { NULL, 0, NULL, NULL, NULL, NULL },
};

/* The rule that an operation names, looked up. */
struct rule_key {
    const struct vtaprec_filter *filter;    /* Its Filter. */
    int64_t number;             /* Its number, parsed. */
    size_t index;               /* Index of the rule in 'filter->rules'. */
    bool exists;                /* Is there such a rule? */
};

/* Looks up the filter and the rule that rule operation 'op' names into
 * 'key'. */
static struct vtapdb_error *
lookup_rule(struct ovsdb_idl *idl, const struct vtapdb_op *op,
            struct rule_key *key)
{
    struct vtapdb_error *e;

    memset(key, 0, sizeof *key);
    key->filter = find_filter(idl, op->filter);
    if (!key->filter) {
        return no_such("filter", op->filter, "Filter");
    }
    e = invalid("direction", op->direction,
                vtapdb_parse_enum(op->direction, vtapdb_rule_directions));
    if (!e) {
        e = invalid("number", op->number,
                    vtapdb_parse_rule_number(op->number, &key->number));
    }
    if (e) {
        return e;
    }
    for (size_t i = 0; i < key->filter->n_rules; i++) {
        const struct vtaprec_filter_rule *rule = key->filter->rules[i];
        if (rule->number == key->number
            && !strcmp(rule->direction, op->direction)) {
            key->index = i;
            key->exists = true;
        }
    }
    return NULL;
}

/* RULE_ADD: a rule of Filter 'op->filter'. */
static struct vtapdb_error *
rule_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
         const struct vtapdb_op *op)
{
    const struct vtaprec_filter_rule *rule;
    struct vtaprec_filter_rule **rules;
    struct vtapdb_error *e;
    struct rule_key key;
    size_t n;

    e = lookup_rule(idl, op, &key);
    if (e) {
        return e;
    }
    if (key.exists) {
        return vtapdb_error_create(VTAPDB_ERR_CONFLICT, "number", op->number,
                                   "number: \"%s\": filter \"%s\" already "
                                   "has an %s rule with this number",
                                   op->number, key.filter->name,
                                   op->direction);
    }
    e = invalid("action", op->action,
                vtapdb_parse_enum(op->action, vtapdb_rule_actions));
    if (e) {
        return e;
    }

    rule = vtaprec_filter_rule_insert(txn);
    vtaprec_filter_rule_set_direction(rule, op->direction);
    vtaprec_filter_rule_set_number(rule, key.number);
    vtaprec_filter_rule_set_action(rule, op->action);
    e = apply_settings(idl, op, rule_settings, &rule->header_);
    if (!e) {
        e = from_check(VTAPDB_ERR_INVALID, vtapdb_check_rule(rule));
    }
    if (e) {
        return e;
    }

    n = key.filter->n_rules;
    rules = xmalloc((n + 1) * sizeof *rules);
    nullable_memcpy(rules, key.filter->rules, n * sizeof *rules);
    rules[n] = CONST_CAST(struct vtaprec_filter_rule *, rule);
    vtaprec_filter_set_rules(key.filter, rules, n + 1);
    free(rules);
    return NULL;
}

/* RULE_DEL: deletes the rule that 'op' names. */
static struct vtapdb_error *
rule_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    struct vtaprec_filter_rule **rules;
    struct vtapdb_error *e;
    struct rule_key key;
    size_t n;

    e = lookup_rule(idl, op, &key);
    if (e) {
        return e;
    }
    if (!key.exists) {
        return (op->flags & VTAPDB_IF_EXISTS ? NULL
                : vtapdb_error_create(VTAPDB_ERR_NOT_FOUND, "number",
                                      op->number, "number: \"%s\": filter "
                                      "\"%s\" has no %s rule with this "
                                      "number", op->number, key.filter->name,
                                      op->direction));
    }

    /* The rule is not a root row: removing the reference deletes it. */
    n = key.filter->n_rules;
    rules = xmemdup(key.filter->rules, n * sizeof *rules);
    rules[key.index] = rules[n - 1];
    vtaprec_filter_set_rules(key.filter, rules, n - 1);
    free(rules);
    return NULL;
}

/* Collector pools and their members. */

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

static struct vtapdb_error *
pool_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
         const struct vtapdb_op *op)
{
    const struct vtaprec_collector_pool *pool;
    struct vtapdb_error *e;
    bool exists;

    e = check_new_name(idl, &vtaprec_table_collector_pool,
                       &vtaprec_collector_pool_col_name, op->name, op->flags,
                       &exists);
    if (!e && !exists) {
        /* Its members come with MEMBER_ADD operations in the same
         * transaction: vtapdb_txn_finish() refuses a pool without one. */
        pool = vtaprec_collector_pool_insert(txn);
        vtaprec_collector_pool_set_name(pool, op->name);
    }
    return e;
}

/* Looks up the pool of member operation 'op', or creates it if 'op' says
 * so. */
static struct vtapdb_error *
lookup_pool(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
            const struct vtapdb_op *op,
            const struct vtaprec_collector_pool **poolp)
{
    struct vtapdb_error *e;

    *poolp = find_pool(idl, op->pool);
    if (*poolp) {
        return NULL;
    } else if (!(op->flags & VTAPDB_CREATE_POOL)) {
        return no_such("pool", op->pool, "Collector_Pool");
    }
    e = invalid("pool", op->pool, vtapdb_parse_name(op->pool));
    if (!e) {
        *poolp = vtaprec_collector_pool_insert(txn);
        vtaprec_collector_pool_set_name(*poolp, op->pool);
    }
    return e;
}

/* MEMBER_ADD: member 'op->ip' of pool 'op->pool' with 'op->weight' (or
 * 1); with VTAPDB_MAY_EXIST, an existing member takes the new weight. */
static struct vtapdb_error *
member_add(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
           const struct vtapdb_op *op)
{
    const struct vtaprec_collector_pool *pool;
    const struct vtaprec_tap *tap;
    struct vtapdb_error *e;
    int64_t weight = 1;
    size_t index;

    e = invalid("ip", op->ip, vtapdb_parse_ip(op->ip));
    if (!e && op->weight) {
        e = invalid("weight", op->weight,
                    vtapdb_parse_weight(op->weight, &weight));
    }
    if (!e) {
        e = lookup_pool(idl, txn, op, &pool);
    }
    if (e) {
        return e;
    }

    index = find_member(pool, op->ip);
    if (index != SIZE_MAX && !(op->flags & VTAPDB_MAY_EXIST)) {
        return vtapdb_error_create(VTAPDB_ERR_CONFLICT, "ip", op->ip,
                                   "ip: \"%s\": already a member of pool "
                                   "\"%s\"", op->ip, pool->name);
    }
    update_members(pool, index == SIZE_MAX ? pool->n_members : index,
                   op->ip, weight);
    e = from_check(VTAPDB_ERR_INVALID, vtapdb_check_pool(pool));
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        if (!e && tap->collector_pool == pool) {
            e = check_tap_switches(idl, tap);
        }
    }
    return e;
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

/* Looks up the pool and the member of 'op' into '*poolp' and '*indexp'.
 * With VTAPDB_IF_EXISTS, a missing one is no error: then '*poolp' is NULL
 * or '*indexp' is SIZE_MAX. */
static struct vtapdb_error *
lookup_member(struct ovsdb_idl *idl, const struct vtapdb_op *op,
              const struct vtaprec_collector_pool **poolp, size_t *indexp)
{
    bool if_exists = op->flags & VTAPDB_IF_EXISTS;

    *indexp = SIZE_MAX;
    *poolp = find_pool(idl, op->pool);
    if (!*poolp) {
        return if_exists ? NULL : no_such("pool", op->pool,
                                          "Collector_Pool");
    }
    *indexp = find_member(*poolp, op->ip);
    if (*indexp == SIZE_MAX && !if_exists) {
        return vtapdb_error_create(VTAPDB_ERR_NOT_FOUND, "ip", op->ip,
                                   "ip: \"%s\": not a member of pool \"%s\"",
                                   op->ip, (*poolp)->name);
    }
    return NULL;
}

/* MEMBER_DOWN and MEMBER_UP. */
static struct vtapdb_error *
set_member_state(struct ovsdb_idl *idl, const struct vtapdb_op *op,
                 bool down)
{
    const struct vtaprec_collector_pool *pool;
    size_t index;
    struct vtapdb_error *e = lookup_member(idl, op, &pool, &index);

    if (!e && index != SIZE_MAX) {
        /* The member's own spelling, so that the down set matches it. */
        set_member_down(pool, pool->key_members[index], down);
    }
    return e;
}

/* MEMBER_DEL: removes member 'op->ip' from pool 'op->pool', and its down
 * mark. */
static struct vtapdb_error *
member_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    const struct vtaprec_collector_pool *pool;
    size_t index;
    struct vtapdb_error *e = lookup_member(idl, op, &pool, &index);

    if (!e && index != SIZE_MAX) {
        set_member_down(pool, pool->key_members[index], false);
        update_members(pool, index, NULL, 0);
    }
    return e;
}

/* POOL_DEL: deletes pool 'op->name', which no Tap may send to. */
static struct vtapdb_error *
pool_del(struct ovsdb_idl *idl, const struct vtapdb_op *op)
{
    const struct vtaprec_collector_pool *pool = find_pool(idl, op->name);
    const struct vtaprec_tap *tap;

    if (!pool) {
        return (op->flags & VTAPDB_IF_EXISTS ? NULL
                : no_such("pool", op->name, "Collector_Pool"));
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        if (tap->collector_pool == pool) {
            return vtapdb_error_create(VTAPDB_ERR_IN_USE, "pool", pool->name,
                                       "pool: \"%s\": the destination of tap "
                                       "\"%s\"", pool->name, tap->name);
        }
    }
    vtaprec_collector_pool_delete(pool);
    return NULL;
}

/* Operations. */

/* Initializes 'op' as an operation of 'type' with nothing set. */
void
vtapdb_op_init(struct vtapdb_op *op, enum vtapdb_op_type type)
{
    memset(op, 0, sizeof *op);
    op->type = type;
}

/* Frees what 'op' holds. */
void
vtapdb_op_destroy(struct vtapdb_op *op)
{
    if (!op) {
        return;
    }
    char **strings[] = {
        &op->name, &op->role, &op->dest, &op->tap, &op->switch_name,
        &op->port, &op->iface_id, &op->filter, &op->direction, &op->number,
        &op->action, &op->pool, &op->ip, &op->weight,
    };
    for (size_t i = 0; i < ARRAY_SIZE(strings); i++) {
        free(*strings[i]);
    }
    for (size_t i = 0; i < op->n_settings; i++) {
        free(op->settings[i].key);
        free(op->settings[i].value);
    }
    free(op->settings);
}

/* Appends setting 'key' with 'value' (NULL for a word without '=') to
 * 'op'. */
void
vtapdb_op_add_setting(struct vtapdb_op *op, const char *key,
                      const char *value)
{
    op->settings = xrealloc(op->settings,
                            (op->n_settings + 1) * sizeof *op->settings);
    op->settings[op->n_settings].key = xstrdup(key);
    op->settings[op->n_settings].value = nullable_xstrdup(value);
    op->n_settings++;
}

/* vtapctl's verb for each operation. */
static const char *const verbs[] = {
    [VTAPDB_OP_SWITCH_ADD] = "switch-add",
    [VTAPDB_OP_SWITCH_DEL] = "switch-del",
    [VTAPDB_OP_TAP_ADD] = "tap-add",
    [VTAPDB_OP_TAP_DEL] = "tap-del",
    [VTAPDB_OP_SOURCE_ADD] = "source-add",
    [VTAPDB_OP_SOURCE_DEL] = "source-del",
    [VTAPDB_OP_FILTER_ADD] = "filter-add",
    [VTAPDB_OP_FILTER_DEL] = "filter-del",
    [VTAPDB_OP_RULE_ADD] = "rule-add",
    [VTAPDB_OP_RULE_DEL] = "rule-del",
    [VTAPDB_OP_POOL_ADD] = "pool-add",
    [VTAPDB_OP_POOL_DEL] = "collector-del",
    [VTAPDB_OP_MEMBER_ADD] = "collector-add",
    [VTAPDB_OP_MEMBER_DEL] = "collector-del",
    [VTAPDB_OP_MEMBER_DOWN] = "collector-down",
    [VTAPDB_OP_MEMBER_UP] = "collector-up",
};

/* Appends ' ' and 'word' to 'ds', if 'word' is nonnull. */
static void
put_word(struct ds *ds, const char *word)
{
    if (word) {
        ds_put_format(ds, " %s", word);
    }
}

/* Appends 'op' to 'ds' as the vtapctl command that does the same (but for
 * POOL_ADD, which vtapctl's collector-add does on the way), for logs and
 * tests. */
void
vtapdb_op_format(const struct vtapdb_op *op, struct ds *ds)
{
    ds_put_cstr(ds, verbs[op->type]);
    if (op->flags & VTAPDB_MAY_EXIST) {
        ds_put_cstr(ds, " --may-exist");
    }
    if (op->flags & VTAPDB_IF_EXISTS) {
        ds_put_cstr(ds, " --if-exists");
    }
    put_word(ds, op->name);
    put_word(ds, op->role);
    if (op->dest) {
        ds_put_format(ds, " %s%s",
                      op->dest_type == VTAPDB_DEST_PORT ? "local:" : "",
                      op->dest);
    }
    put_word(ds, op->tap);
    put_word(ds, op->switch_name);
    put_word(ds, op->port);
    if (op->iface_id) {
        ds_put_format(ds, " iface-id=%s", op->iface_id);
    }
    put_word(ds, op->filter);
    put_word(ds, op->direction);
    put_word(ds, op->number);
    put_word(ds, op->action);
    put_word(ds, op->pool);
    put_word(ds, op->ip);
    put_word(ds, op->weight);
    for (size_t i = 0; i < op->n_settings; i++) {
        ds_put_format(ds, " %s%s%s", op->settings[i].key,
                      op->settings[i].value ? "=" : "",
                      op->settings[i].value ? op->settings[i].value : "");
    }
}

/* Runs 'op' in 'txn', a transaction on 'idl'.  Returns NULL on success,
 * otherwise an error, which the caller frees: then the caller must abort
 * 'txn', which may hold part of what 'op' wrote. */
struct vtapdb_error *
vtapdb_op_execute(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
                  const struct vtapdb_op *op)
{
    switch (op->type) {
    case VTAPDB_OP_SWITCH_ADD:
        return switch_add(idl, txn, op);
    case VTAPDB_OP_SWITCH_DEL:
        return switch_del(idl, op);
    case VTAPDB_OP_TAP_ADD:
        return tap_add(idl, txn, op);
    case VTAPDB_OP_TAP_DEL:
        return tap_del(idl, op);
    case VTAPDB_OP_SOURCE_ADD:
        return source_add(idl, txn, op);
    case VTAPDB_OP_SOURCE_DEL:
        return source_del(idl, op);
    case VTAPDB_OP_FILTER_ADD:
        return filter_add(idl, txn, op);
    case VTAPDB_OP_FILTER_DEL:
        return filter_del(idl, op);
    case VTAPDB_OP_RULE_ADD:
        return rule_add(idl, txn, op);
    case VTAPDB_OP_RULE_DEL:
        return rule_del(idl, op);
    case VTAPDB_OP_POOL_ADD:
        return pool_add(idl, txn, op);
    case VTAPDB_OP_POOL_DEL:
        return pool_del(idl, op);
    case VTAPDB_OP_MEMBER_ADD:
        return member_add(idl, txn, op);
    case VTAPDB_OP_MEMBER_DEL:
        return member_del(idl, op);
    case VTAPDB_OP_MEMBER_DOWN:
        return set_member_state(idl, op, true);
    case VTAPDB_OP_MEMBER_UP:
        return set_member_state(idl, op, false);
    }
    OVS_NOT_REACHED();
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
 * left to the column's own check. */
static struct vtapdb_error *
check_unique(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *table,
             const struct ovsdb_idl_column *name_column,
             char *(*key)(const char *))
{
    struct sset seen = SSET_INITIALIZER(&seen);
    const struct ovsdb_idl_row *row;
    struct vtapdb_error *e = NULL;

    for (row = ovsdb_idl_first_row(idl, table); row && !e;
         row = ovsdb_idl_next_row(row)) {
        const struct ovsdb_datum *datum = ovsdb_idl_read(row, name_column);
        if (!datum->n) {
            continue;
        }

        const char *value = json_string(datum->keys[0].s);
        char *k = key ? key(value) : xstrdup(value);
        if (k && !sset_add(&seen, k)) {
            e = vtapdb_error_create(VTAPDB_ERR_CONFLICT, name_column->name,
                                    value, "%s: \"%s\": two %s rows have "
                                    "this %s", name_column->name, value,
                                    table->name, name_column->name);
        }
        free(k);
    }
    sset_destroy(&seen);
    return e;
}

/* Checks that no switch has more sources than its bridge can mirror: the
 * Mirror of the one too many would be refused by ovs-vswitchd, with only a
 * line in its log to say so. */
static struct vtapdb_error *
check_sources_per_switch(struct ovsdb_idl *idl)
{
    struct simap counts = SIMAP_INITIALIZER(&counts);
    const struct vtaprec_tap_source *src;
    struct vtapdb_error *e = NULL;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        const char *sw = src->switch_->name;

        if (simap_increase(&counts, sw, 1) > VTAPDB_SOURCES_PER_SWITCH_MAX
            && !e) {
            e = vtapdb_error_create(VTAPDB_ERR_CONFLICT, "switch", sw,
                                    "Switch \"%s\": more than %d sources, "
                                    "the most Mirrors one Open vSwitch "
                                    "bridge takes", sw,
                                    VTAPDB_SOURCES_PER_SWITCH_MAX);
        }
    }
    simap_destroy(&counts);
    return e;
}

/* Returns the error of a row checker, 'error', about the row of 'table'
 * called 'name' (NULL for the Global row), or NULL if 'error' is NULL.
 * Frees 'error'. */
static struct vtapdb_error *
row_error(const char *table, const char *name, char *error)
{
    char *message;

    if (!error) {
        return NULL;
    }
    message = (name
               ? xasprintf("%s \"%s\": %s", table, name, error)
               : xasprintf("%s: %s", table, error));
    free(error);
    return from_check(VTAPDB_ERR_INVALID, message);
}

/* Sets 'E', if it is still NULL, to the error of row checker call 'CHECK'
 * about the row of 'TABLE' called 'NAME'.  Once there is an error, no
 * further check runs. */
#define CHECK_ROW(E, TABLE, NAME, CHECK)                        \
    do {                                                        \
        if (!(E)) {                                             \
            (E) = row_error(TABLE, NAME, CHECK);                \
        }                                                       \
    } while (0)

/* Checks the rows of every table but Tap_Source's. */
static struct vtapdb_error *
check_rows(struct ovsdb_idl *idl)
{
    const struct vtaprec_global *global = vtaprec_global_first(idl);
    const struct vtaprec_collector_pool *pool;
    const struct vtaprec_filter *filter;
    const struct vtaprec_switch *sw;
    const struct vtaprec_tap *tap;
    struct vtapdb_error *e = NULL;

    if (global) {
        CHECK_ROW(e, "Global", NULL, vtapdb_check_global(global));
    }
    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        CHECK_ROW(e, "Switch", sw->name, vtapdb_check_switch(sw));
    }
    VTAPREC_COLLECTOR_POOL_FOR_EACH (pool, idl) {
        CHECK_ROW(e, "Collector_Pool", pool->name, vtapdb_check_pool(pool));
        /* Only pools that this transaction writes: a database from before
         * collector-del cleared down marks may hold a stale one, which
         * must not block every unrelated change. */
        if (row_is_written(&pool->header_)) {
            CHECK_ROW(e, "Collector_Pool", pool->name,
                      vtapdb_check_pool_down(pool));
        }
    }
    VTAPREC_FILTER_FOR_EACH (filter, idl) {
        CHECK_ROW(e, "Filter", filter->name, vtapdb_check_filter(filter));
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        CHECK_ROW(e, "Tap", tap->name, vtapdb_check_tap(tap));
        VTAPREC_SWITCH_FOR_EACH (sw, idl) {
            CHECK_ROW(e, "Tap", tap->name, vtapdb_check_tap_switch(tap, sw));
        }
    }
    return e;
}

/* Checks the sources. */
static struct vtapdb_error *
check_sources(struct ovsdb_idl *idl)
{
    const struct vtaprec_tap_source *src;
    struct vtapdb_error *e = NULL;

    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (e) {
            break;
        }
        char *port = vtapdb_source_port(src);
        char *name = xasprintf("%s/%s/%s", src->tap->name,
                               src->switch_->name, port);
        CHECK_ROW(e, "Tap_Source", name, vtapdb_check_source(src));
        free(name);
        free(port);
    }
    return e ? e : check_sources_per_switch(idl);
}

/* Checks every row of the database as the current transaction would leave
 * it: any change, including those of db-ctl-base's generic commands (set,
 * create, add, ...) in vtapctl, can only commit a database that passes. */
static struct vtapdb_error *
check_database(struct ovsdb_idl *idl)
{
    static const struct {
        const struct ovsdb_idl_table_class *table;
        const struct ovsdb_idl_column *column;
        char *(*key)(const char *);
    } unique[] = {
        { &vtaprec_table_switch, &vtaprec_switch_col_name, NULL },
        { &vtaprec_table_switch, &vtaprec_switch_col_underlay_ip,
          vtapdb_ip_key },
        { &vtaprec_table_tap, &vtaprec_tap_col_name, NULL },
        { &vtaprec_table_filter, &vtaprec_filter_col_name, NULL },
        { &vtaprec_table_collector_pool, &vtaprec_collector_pool_col_name,
          NULL },
    };
    struct vtapdb_error *e = NULL;

    for (size_t i = 0; !e && i < ARRAY_SIZE(unique); i++) {
        e = check_unique(idl, unique[i].table, unique[i].column,
                         unique[i].key);
    }
    if (!e) {
        e = check_rows(idl);
    }
    return e ? e : check_sources(idl);
}

/* Starts writing in a transaction on 'idl': verifies the Global row's
 * generation and remembers it in 'g'.  Every writer that checks the
 * database (vtapctl, the HTTP API) does so before its operations run, and
 * vtapdb_txn_finish() increments it, so of two writers that read the same
 * copy of the database only the first commits: the other's commit fails
 * verification, and it runs its operations and checks again on a fresh
 * copy (TXN_TRY_AGAIN).  Every check that spans rows (unique names and
 * addresses, one VNI per hub, what a delete would leave dangling) reads a
 * copy that this verification covers.
 *
 * A database whose schema predates the column (vtap-db-ctl has not
 * converted it yet) has none; a Global row that the transaction inserts
 * starts the count. */
void
vtapdb_txn_start(struct ovsdb_idl *idl, struct vtapdb_generation *g)
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

/* Brings up to date, in the transaction open on 'idl', the names that the
 * database keeps beside two references for OVSDB RBAC, which authorizes a
 * client for a row by a string column of the row: a source's switch_name
 * and a Tap's hub_name (see lib/vtapdb-rbac.h).  Every writer goes through
 * here, so a renamed switch renames them, and a database converted from
 * before they existed gets them at its first write.  Costs the number of
 * sources and Taps. */
static void
derive_names(struct ovsdb_idl *idl)
{
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;

    if (!ovsdb_idl_server_has_column(idl,
                                     &vtaprec_tap_source_col_switch_name)) {
        return;
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        const char *name = src->switch_ ? src->switch_->name : "";
        if (strcmp(src->switch_name, name)) {
            vtaprec_tap_source_set_switch_name(src, name);
        }
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        const char *name = tap->hub ? tap->hub->name : "";
        if (strcmp(tap->hub_name, name)) {
            vtaprec_tap_set_hub_name(tap, name);
        }
    }
}

/* Finishes writing in the transaction on 'idl' that vtapdb_txn_start()
 * started with 'g': checks every row as the transaction would leave it
 * and, if they pass, claims the generation.  Returns NULL if the caller
 * may commit, otherwise an error that the caller frees, after which it
 * must abort the transaction.
 *
 * Deleting rows breaks no check, but claims the generation as any write
 * does, so that a row deleted under another writer makes that writer run
 * again, and its operations tell what is missing. */
struct vtapdb_error *
vtapdb_txn_finish(struct ovsdb_idl *idl, const struct vtapdb_generation *g)
{
    struct vtapdb_error *e = NULL;

    if (txn_writes(idl)) {
        derive_names(idl);
        e = check_database(idl);
    }

    if (!e && g->global && vtaprec_global_first(idl) == g->global) {
        vtaprec_global_set_generation(g->global, g->value + 1);
    }
    return e;
}

/* Parses 'idl_error', the error of a failed transaction as the IDL gives
 * it, into '*json', and stores in '*error' and '*details' the members of
 * an error the database returned ({"error": ..., "details": ...}), each
 * NULL if absent or not a string.  The caller destroys '*json'. */
static void
parse_txn_error(const char *idl_error, struct json **json,
                const char **error, const char **details)
{
    *json = idl_error ? json_from_string(idl_error) : NULL;
    *error = *details = NULL;
    if (*json && (*json)->type == JSON_OBJECT) {
        const struct json *e = shash_find_data(json_object(*json), "error");
        const struct json *d = shash_find_data(json_object(*json),
                                               "details");

        *error = e && e->type == JSON_STRING ? json_string(e) : NULL;
        *details = d && d->type == JSON_STRING ? json_string(d) : NULL;
    }
}

/* Returns, in a string that the caller frees, what the error of a failed
 * transaction says for people: for an error the database returned (which
 * the IDL gives as its JSON object), "ERROR: DETAILS", such as "permission
 * error: RBAC rules for client ... prohibit ..."; otherwise 'idl_error'
 * itself, or "error" if it is NULL. */
char *
vtapdb_txn_error_message(const char *idl_error)
{
    const char *error, *details;
    struct json *json;
    char *message;

    parse_txn_error(idl_error, &json, &error, &details);
    if (error) {
        message = (details ? xasprintf("%s: %s", error, details)
                   : xstrdup(error));
    } else {
        message = xstrdup(idl_error ? idl_error : "error");
    }
    json_destroy(json);
    return message;
}

/* Returns true if 'idl_error', the error of a failed transaction, is an
 * error the database returned with the name 'name' (for example
 * "permission error"). */
bool
vtapdb_txn_error_is(const char *idl_error, const char *name)
{
    const char *error, *details;
    struct json *json;

    parse_txn_error(idl_error, &json, &error, &details);
    bool is = error && !strcmp(error, name);
    json_destroy(json);
    return is;
}

/* Returns the port of 'src' as vtapctl's source-add takes it: its name, or
 * "iface-id=" and its iface-id. */
char *
vtapdb_source_port(const struct vtaprec_tap_source *src)
{
    return (src->port
            ? xstrdup(src->port)
            : xasprintf("iface-id=%s", src->iface_id));
}
