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
#include "controller/vtapd-api.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "controller/vtapd-rest.h"
#include "controller/vtapd-snapshot.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "lib/vtapdb-ops.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "smap.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(vtapd_api);

/* How often a write is tried again when the database changed under it. */
#define MAX_TRIES 5

/* Snapshots. */

/* Puts string 'value' into 'object' as 'name', unless it is null. */
static void
put_string(struct json *object, const char *name, const char *value)
{
    if (value) {
        json_object_put_string(object, name, value);
    }
}

/* Puts 'map' into 'object' as 'name', a JSON object. */
static void
put_map(struct json *object, const char *name, const struct smap *map)
{
    json_object_put(object, name, smap_to_json(map));
}

/* Puts the map of 'n' 'keys' to integer 'values' into 'object' as
 * 'name'. */
static void
put_int_map(struct json *object, const char *name, char **keys,
            const int64_t *values, size_t n)
{
    struct json *json = json_object_create();

    for (size_t i = 0; i < n; i++) {
        json_object_put(json, keys[i], json_integer_create(values[i]));
    }
    json_object_put(object, name, json);
}

/* Stores the map of 'n' 'keys' to integer 'values' into 'smap', which
 * this initializes. */
static void
int_map_to_smap(char **keys, const int64_t *values, size_t n,
                struct smap *smap)
{
    smap_init(smap);
    for (size_t i = 0; i < n; i++) {
        smap_add_format(smap, keys[i], "%"PRId64, values[i]);
    }
}

/* Orders JSON objects by their "name", or else their "id", for qsort(). */
static int
compare_names(const void *a_, const void *b_)
{
    const struct json *const *a = a_;
    const struct json *const *b = b_;
    const struct json *an = shash_find_data(json_object(*a), "name");
    const struct json *bn = shash_find_data(json_object(*b), "name");

    if (!an) {
        an = shash_find_data(json_object(*a), "id");
        bn = shash_find_data(json_object(*b), "id");
    }
    return strcmp(json_string(an), json_string(bn));
}

/* Sorts the objects of JSON array 'array' by "name" or else "id", so that
 * lists do not depend on hash order. */
static void
sort_objects(struct json *array)
{
    if (array->array.n) {
        qsort(array->array.elems, array->array.n, sizeof *array->array.elems,
              compare_names);
    }
}

/* Returns 'sw' as the API shows a switch. */
static struct json *
switch_to_json(const struct vtaprec_switch *sw)
{
    struct json *json = json_object_create();

    json_object_put_string(json, "name", sw->name);
    json_object_put_string(json, "role", sw->role);
    json_object_put_string(json, "bridge", sw->bridge);
    put_string(json, "openflow_remote", sw->openflow_remote);
    put_string(json, "ovsdb_remote", sw->ovsdb_remote);
    put_string(json, "underlay_ip", sw->underlay_ip);
    json_object_put(json, "enabled",
                    json_boolean_create(vtapdb_switch_is_enabled(sw)));
    json_object_put(json, "applied_cfg",
                    json_integer_create(sw->applied_cfg));
    put_map(json, "status", &sw->status);
    return json;
}

/* Returns 'tap' as the API shows a tap. */
static struct json *
tap_to_json(const struct vtaprec_tap *tap)
{
    struct json *json = json_object_create();

    json_object_put_string(json, "name", tap->name);
    put_string(json, "collector_ip", tap->collector_ip);
    if (tap->collector_pool) {
        json_object_put_string(json, "collector_pool",
                               tap->collector_pool->name);
    }
    json_object_put(json, "vni", json_integer_create(tap->vni));
    if (tap->n_udp_port) {
        json_object_put(json, "udp_port",
                        json_integer_create(tap->udp_port[0]));
    }
    if (tap->n_snaplen) {
        json_object_put(json, "snaplen", json_integer_create(tap->snaplen[0]));
    }
    json_object_put(json, "sampling",
                    json_real_create(tap->n_sampling ? tap->sampling[0] : 1));
    if (tap->n_rate_limit) {
        json_object_put_format(json, "rate_limit", "%"PRId64"%s",
                               tap->rate_limit[0],
                               (tap->rate_limit_unit ? tap->rate_limit_unit
                                : ""));
    }
    if (tap->hub) {
        json_object_put_string(json, "hub", tap->hub->name);
    }
    put_string(json, "delivery", tap->delivery);
    put_string(json, "collector_port", tap->collector_port);
    json_object_put(json, "enabled",
                    json_boolean_create(vtapdb_tap_is_enabled(tap)));
    put_map(json, "status", &tap->status);
    put_int_map(json, "statistics", tap->key_statistics,
                tap->value_statistics, tap->n_statistics);
    return json;
}

/* Returns the id of 'src' in the REST API: TAP/SWITCH/PORT, with PORT
 * written as source-add takes it. */
static char *
source_id(const struct vtaprec_tap_source *src)
{
    return xasprintf("%s/%s/%s%s", src->tap->name, src->switch_->name,
                     src->port ? "" : "iface-id=",
                     src->port ? src->port : src->iface_id);
}

/* Returns 'src' as the API shows a source. */
static struct json *
source_to_json(const struct vtaprec_tap_source *src)
{
    struct json *json = json_object_create();

    json_object_put(json, "id", json_string_create_nocopy(source_id(src)));
    json_object_put_string(json, "tap", src->tap->name);
    json_object_put_string(json, "switch", src->switch_->name);
    put_string(json, "port", src->port);
    put_string(json, "iface_id", src->iface_id);
    json_object_put_string(json, "direction", src->direction);
    if (src->filter) {
        json_object_put_string(json, "filter", src->filter->name);
    }
    put_map(json, "status", &src->status);
    put_int_map(json, "statistics", src->key_statistics,
                src->value_statistics, src->n_statistics);
    return json;
}

/* Returns 'rule' as the API shows a rule, with its id DIRECTION/NUMBER. */
static struct json *
rule_to_json(const struct vtaprec_filter_rule *rule)
{
    struct json *json = json_object_create();

    json_object_put_format(json, "id", "%s/%"PRId64, rule->direction,
                           rule->number);
    json_object_put_string(json, "direction", rule->direction);
    json_object_put(json, "number", json_integer_create(rule->number));
    json_object_put_string(json, "action", rule->action);
    if (rule->n_protocol) {
        json_object_put(json, "protocol",
                        json_integer_create(rule->protocol[0]));
    }
    put_string(json, "src_cidr", rule->src_cidr);
    put_string(json, "dst_cidr", rule->dst_cidr);
    put_string(json, "src_port", rule->src_port);
    put_string(json, "dst_port", rule->dst_port);
    put_string(json, "description", rule->description);
    return json;
}

/* Returns 'filter' as the API shows a filter, with its rules sorted. */
static struct json *
filter_to_json(const struct vtaprec_filter *filter)
{
    struct json *json = json_object_create();
    struct json *rules = json_array_create_empty();

    json_object_put_string(json, "name", filter->name);
    put_string(json, "description", filter->description);
    for (size_t i = 0; i < filter->n_rules; i++) {
        json_array_add(rules, rule_to_json(filter->rules[i]));
    }
    sort_objects(rules);
    json_object_put(json, "rules", rules);
    return json;
}

/* Returns 'pool' as the API shows a collector pool, with its members
 * in the database's order (sorted by IP as a string). */
static struct json *
pool_to_json(const struct vtaprec_collector_pool *pool)
{
    struct json *json = json_object_create();
    struct json *members = json_array_create_empty();

    json_object_put_string(json, "name", pool->name);
    for (size_t i = 0; i < pool->n_members; i++) {
        struct json *member = json_object_create();
        bool down = vtapdb_find_ip(pool->down, pool->n_down,
                                   pool->key_members[i]) != SIZE_MAX;

        json_object_put_string(member, "ip", pool->key_members[i]);
        json_object_put(member, "weight",
                        json_integer_create(pool->value_members[i]));
        json_object_put(member, "down", json_boolean_create(down));
        json_array_add(members, member);
    }
    json_object_put(json, "members", members);
    return json;
}

/* Fills in the REST API's collections of 'snap' from 'idl'. */
static void
build_collections(struct vtapd_snapshot *snap, struct ovsdb_idl *idl)
{
    struct json **c = snap->collections;
    const struct vtaprec_collector_pool *pool;
    const struct vtaprec_tap_source *src;
    const struct vtaprec_filter *filter;
    const struct vtaprec_switch *sw;
    const struct vtaprec_tap *tap;

    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        json_array_add(c[VTAPD_SWITCHES], switch_to_json(sw));
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        json_array_add(c[VTAPD_TAPS], tap_to_json(tap));
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        if (src->tap && src->switch_) {
            json_array_add(c[VTAPD_SOURCES], source_to_json(src));
        }
    }
    VTAPREC_FILTER_FOR_EACH (filter, idl) {
        json_array_add(c[VTAPD_FILTERS], filter_to_json(filter));
    }
    VTAPREC_COLLECTOR_POOL_FOR_EACH (pool, idl) {
        json_array_add(c[VTAPD_POOLS], pool_to_json(pool));
    }
    for (size_t i = 0; i < VTAPD_N_COLLECTIONS; i++) {
        sort_objects(c[i]);
    }
}

/* Returns the id of Tap_Source 'row', or "" if it lacks its tap or switch
 * (the IDL may show a row before the rows it refers to). */
static char *
safe_source_id(const struct ovsdb_idl_row *row)
{
    const struct vtaprec_tap_source *src
        = CONTAINER_OF(row, struct vtaprec_tap_source, header_);

    return src->tap && src->switch_ ? source_id(src) : xstrdup("");
}

/* Comparators of IDL rows by name, and of sources by tap, switch, then
 * port or iface-id, for qsort(). */
static int
compare_switch_rows(const void *a_, const void *b_)
{
    const struct ovsdb_idl_row *const *a = a_, *const *b = b_;
    return strcmp(CONTAINER_OF(*a, struct vtaprec_switch, header_)->name,
                  CONTAINER_OF(*b, struct vtaprec_switch, header_)->name);
}

static int
compare_tap_rows(const void *a_, const void *b_)
{
    const struct ovsdb_idl_row *const *a = a_, *const *b = b_;
    return strcmp(CONTAINER_OF(*a, struct vtaprec_tap, header_)->name,
                  CONTAINER_OF(*b, struct vtaprec_tap, header_)->name);
}

static int
compare_source_rows(const void *a_, const void *b_)
{
    const struct ovsdb_idl_row *const *a = a_, *const *b = b_;
    char *a_id = safe_source_id(*a), *b_id = safe_source_id(*b);
    int cmp = strcmp(a_id, b_id);

    free(a_id);
    free(b_id);
    return cmp;
}

/* Returns the rows of 'table' in 'idl', sorted with 'compare', and stores
 * how many there are in '*n'.  The caller frees the array.  Sorted, so
 * that /metrics does not depend on hash order. */
static const struct ovsdb_idl_row **
sorted_rows(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *table,
            int (*compare)(const void *, const void *), size_t *n)
{
    const struct ovsdb_idl_row **rows = NULL;
    const struct ovsdb_idl_row *row;
    size_t allocated = 0;

    *n = 0;
    for (row = ovsdb_idl_first_row(idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        if (*n >= allocated) {
            rows = x2nrealloc(rows, &allocated, sizeof *rows);
        }
        rows[(*n)++] = row;
    }
    if (*n) {
        qsort(rows, *n, sizeof *rows, compare);
    }
    return rows;
}

/* Fills in the metrics' rows of 'snap' from 'idl'. */
static void
build_metrics_rows(struct vtapd_snapshot *snap, struct ovsdb_idl *idl)
{
    const struct ovsdb_idl_row **rows;
    size_t n;

    rows = sorted_rows(idl, &vtaprec_table_switch, compare_switch_rows, &n);
    snap->switches = xcalloc(n, sizeof *snap->switches);
    for (size_t i = 0; i < n; i++) {
        const struct vtaprec_switch *sw
            = CONTAINER_OF(rows[i], struct vtaprec_switch, header_);
        struct vtapd_snapshot_switch *s = &snap->switches[snap->n_switches++];

        s->name = xstrdup(sw->name);
        s->enabled = vtapdb_switch_is_enabled(sw);
        s->applied_cfg = sw->applied_cfg;
        smap_clone(&s->status, &sw->status);
    }
    free(rows);

    rows = sorted_rows(idl, &vtaprec_table_tap, compare_tap_rows, &n);
    snap->taps = xcalloc(n, sizeof *snap->taps);
    for (size_t i = 0; i < n; i++) {
        const struct vtaprec_tap *tap
            = CONTAINER_OF(rows[i], struct vtaprec_tap, header_);
        struct vtapd_snapshot_tap *t = &snap->taps[snap->n_taps++];

        t->name = xstrdup(tap->name);
        smap_clone(&t->status, &tap->status);
        int_map_to_smap(tap->key_statistics, tap->value_statistics,
                        tap->n_statistics, &t->statistics);
    }
    free(rows);

    rows = sorted_rows(idl, &vtaprec_table_tap_source, compare_source_rows,
                       &n);
    snap->sources = xcalloc(n, sizeof *snap->sources);
    for (size_t i = 0; i < n; i++) {
        const struct vtaprec_tap_source *src
            = CONTAINER_OF(rows[i], struct vtaprec_tap_source, header_);
        struct vtapd_snapshot_source *s;

        if (!src->tap || !src->switch_) {
            continue;
        }
        s = &snap->sources[snap->n_sources++];
        s->tap = xstrdup(src->tap->name);
        s->sw = xstrdup(src->switch_->name);
        s->port = nullable_xstrdup(src->port);
        s->iface_id = nullable_xstrdup(src->iface_id);
        int_map_to_smap(src->key_statistics, src->value_statistics,
                        src->n_statistics, &s->statistics);
    }
    free(rows);
}

/* Returns a new snapshot of the TAP database in 'idl', 'connected' or
 * not, with one reference. */
struct vtapd_snapshot *
vtapd_api_snapshot(struct ovsdb_idl *idl, bool connected)
{
    const struct vtaprec_global *global = vtaprec_global_first(idl);
    struct vtapd_snapshot *snap = vtapd_snapshot_create();

    snap->connected = connected;
    snap->has_global = global != NULL;
    snap->next_cfg = global ? global->next_cfg : 0;
    build_collections(snap, idl);
    build_metrics_rows(snap, idl);
    return snap;
}

/* Writes. */

struct vtapd_api_write {
    struct ovsdb_idl *idl;
    const struct vtapd_rest_op *op;    /* Owned by the caller. */
    char *comment;
    struct ovsdb_idl_txn *txn;  /* While the commit is in progress. */
    int tries;                  /* Transactions started so far. */
    bool waiting;               /* Waiting for a fresher view to retry? */
    unsigned int run_seqno;     /* IDL seqno when the commands last ran. */
};

/* Starts to run the write that 'op' asks for, which must stay valid until
 * the write is destroyed, on 'idl', with 'comment' in the database's
 * log. */
struct vtapd_api_write *
vtapd_api_write_start(struct ovsdb_idl *idl, const struct vtapd_rest_op *op,
                      const char *comment)
{
    struct vtapd_api_write *w = xzalloc(sizeof *w);

    w->idl = idl;
    w->op = op;
    w->comment = xstrdup(comment);
    return w;
}

/* Runs the operations of 'w' in 'txn', a new transaction, and checks the
 * database as they would leave it.  Returns NULL if 'txn' may be
 * committed, otherwise an error. */
static struct vtapdb_error *
run_ops(struct vtapd_api_write *w, struct ovsdb_idl_txn *txn)
{
    const struct vtapd_rest_op *op = w->op;
    struct vtapdb_generation generation;
    struct ds words = DS_EMPTY_INITIALIZER;

    vtapdb_txn_start(w->idl, &generation);
    for (size_t i = 0; i < op->n_ops; i++) {
        struct vtapdb_error *e = vtapdb_op_execute(w->idl, txn,
                                                   &op->ops[i]);
        if (e) {
            ds_destroy(&words);
            return e;
        }
        if (VLOG_IS_DBG_ENABLED()) {
            ds_put_cstr(&words, i ? " -- " : "");
            vtapdb_op_format(&op->ops[i], &words);
        }
    }
    VLOG_DBG("%s: %s", w->comment, ds_cstr(&words));
    ds_destroy(&words);
    return vtapdb_txn_finish(w->idl, &generation);
}

/* Runs the operations of 'w' in a new transaction and commits it.  Returns
 * NULL if the commit has started, otherwise an error. */
static struct vtapdb_error *
start_txn(struct vtapd_api_write *w)
{
    struct vtapdb_error *e;

    /* A retry waits for a view newer than this one.  The database sends
     * the change that made a commit fail before its answer, so by then the
     * IDL may have it already: then the retry runs at once. */
    w->run_seqno = ovsdb_idl_get_seqno(w->idl);
    w->txn = ovsdb_idl_txn_create(w->idl);
    ovsdb_idl_txn_add_comment(w->txn, "%s", w->comment);
    /* As vtapctl does, the first transaction that writes creates the
     * global row. */
    if (!vtaprec_global_first(w->idl)) {
        vtaprec_global_insert(w->txn);
    }
    e = run_ops(w, w->txn);
    if (e) {
        ovsdb_idl_txn_abort(w->txn);
        ovsdb_idl_txn_destroy(w->txn);
        w->txn = NULL;
        return e;
    }
    ovsdb_idl_txn_commit(w->txn);
    return NULL;
}

/* The answer to a write that 'w' committed with 'status': stores the HTTP
 * status in '*http_status' and the body, or NULL, in '*body'.  Returns
 * false if the write must be tried again. */
static bool
finish_txn(struct vtapd_api_write *w, enum ovsdb_idl_txn_status status,
           int *http_status, char **body)
{
    const char *txn_error = ovsdb_idl_txn_get_error(w->txn);
    char *message = NULL;

    switch (status) {
    case TXN_SUCCESS:
    case TXN_UNCHANGED:
        *http_status = w->op->success_status;
        if (*http_status == 201) {
            /* What a GET would show of the new object: the database has
             * sent the update before its reply to the transaction. */
            struct vtapd_snapshot *snap = vtapd_api_snapshot(w->idl, true);
            char *lookup_error;
            const struct json *object = vtapd_rest_lookup(snap, w->op,
                                                          &lookup_error);
            if (object) {
                *body = json_to_string(object, JSSF_SORT);
            } else {
                /* Another writer deleted it at once: it was created all
                 * the same, and there is nothing to show. */
                VLOG_INFO("%s: created, then deleted by another writer "
                          "(%s)", w->comment, lookup_error);
                free(lookup_error);
            }
            vtapd_snapshot_unref(snap);
        }
        break;

    case TXN_TRY_AGAIN:
        return false;

    case TXN_ERROR:
        /* The database refused what the validation let through: another
         * client's change conflicts with this one, or the database's
         * access control does not let vtapd's connection write (a vtapd
         * per host whose remote has the role vtapd-host). */
        *http_status = (vtapdb_txn_error_is(txn_error, "permission error")
                        ? 403 : 409);
        char *reason = vtapdb_txn_error_message(txn_error);
        message = xasprintf("commit: %s", reason);
        free(reason);
        break;

    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
    case TXN_ABORTED:
    case TXN_NOT_LOCKED:
    default:
        *http_status = 500;
        message = xasprintf("commit: %s",
                            ovsdb_idl_txn_status_to_string(status));
        break;
    }
    if (message) {
        free(*body);
        *body = vtapd_rest_error_body(*http_status, message);
        free(message);
    }
    return true;
}

/* Makes progress on write 'w'.  Returns false while it is in progress, or
 * true when it is done, with the HTTP status to answer in '*status' and the
 * body in '*body' (NULL for none), which the caller frees. */
bool
vtapd_api_write_run(struct vtapd_api_write *w, int *status, char **body)
{
    *body = NULL;
    for (;;) {
        enum ovsdb_idl_txn_status txn_status;
        struct vtapdb_error *e;

        if (!w->txn) {
            /* The database changed under the last try: wait until the IDL
             * has the change before running the commands again. */
            if (w->waiting
                && ovsdb_idl_get_seqno(w->idl) == w->run_seqno
                && ovsdb_idl_is_connected(w->idl)) {
                return false;
            }
            w->waiting = false;
            if (!ovsdb_idl_is_connected(w->idl)) {
                *status = 503;
                *body = vtapd_rest_error_body(*status,
                                              "database: not connected to "
                                              "the TAP database");
                return true;
            } else if (w->tries++ >= MAX_TRIES) {
                *status = 503;
                *body = vtapd_rest_error_body(*status,
                                              "database: other writers "
                                              "changed the TAP database "
                                              "under this write, try after "
                                              "try; send it again");
                return true;
            }
            e = start_txn(w);
            if (e) {
                *status = vtapd_rest_error_status(w->op, e);
                *body = vtapd_rest_op_error_body(e);
                vtapdb_error_destroy(e);
                return true;
            }
        }

        txn_status = ovsdb_idl_txn_commit(w->txn);
        if (txn_status == TXN_INCOMPLETE) {
            return false;
        }
        if (finish_txn(w, txn_status, status, body)) {
            ovsdb_idl_txn_destroy(w->txn);
            w->txn = NULL;
            return true;
        }
        ovsdb_idl_txn_destroy(w->txn);
        w->txn = NULL;
        w->waiting = true;
    }
}

/* Arranges for poll_block() to wake when write 'w' can make progress. */
void
vtapd_api_write_wait(struct vtapd_api_write *w)
{
    if (w && w->txn) {
        ovsdb_idl_txn_wait(w->txn);
    }
}

/* Frees 'w', which may be null, aborting its transaction if it is still
 * open: the database then never applies it. */
void
vtapd_api_write_destroy(struct vtapd_api_write *w)
{
    if (w) {
        if (w->txn) {
            ovsdb_idl_txn_abort(w->txn);
            ovsdb_idl_txn_destroy(w->txn);
        }
        free(w->comment);
        free(w);
    }
}
