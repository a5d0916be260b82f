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
#include "controller/vtapd-status.h"

#include <stdlib.h>
#include <string.h>
#include "controller/vtapd-counters.h"
#include "controller/vtapd-switch.h"
#include "db/vtap-idl.h"
#include "flows/vtap-flows.h"
#include "hash.h"
#include "hmapx.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "util.h"
#include "uuid.h"

/* The problems one owner (a switch) last reported. */
struct owner_problems {
    struct hmap_node node;      /* In 'owners', by pointer. */
    const void *owner;
    char *name;                 /* To order the owners of one row. */
    struct vtap_problem *problems; /* Owned, with their messages. */
    size_t n;
};

/* The owners that report problems of one row. */
struct row_owners {
    struct hmap_node node;      /* In 'rows', by UUID. */
    struct uuid row;
    struct hmapx owners;        /* Of struct owner_problems. */
};

/* A row whose status may need writing. */
struct touched_row {
    struct hmap_node node;      /* In 'touched', by UUID. */
    struct uuid row;
};

static struct hmap owners = HMAP_INITIALIZER(&owners);
static struct hmap rows = HMAP_INITIALIZER(&rows);
static struct hmap touched = HMAP_INITIALIZER(&touched);

/* How this vtapd finds the switches it programs, by Switch row UUID, and
 * whether it programs only some (a vtapd per host): then it writes the
 * status and statistics of only its own rows (see vtapd_status_init()). */
static struct vtapd_switch *(*find_switch)(const struct uuid *);
static bool per_host;
static bool all_touched;        /* Look at every row's status. */

static struct owner_problems *
find_owner(const void *owner)
{
    struct owner_problems *op;

    HMAP_FOR_EACH_WITH_HASH (op, node, hash_pointer(owner, 0), &owners) {
        if (op->owner == owner) {
            return op;
        }
    }
    return NULL;
}

static struct row_owners *
find_row(const struct uuid *row)
{
    struct row_owners *ro;

    HMAP_FOR_EACH_WITH_HASH (ro, node, uuid_hash(row), &rows) {
        if (uuid_equals(&ro->row, row)) {
            return ro;
        }
    }
    return NULL;
}

/* Records that the status of Tap or Tap_Source row 'row' may need
 * writing. */
void
vtapd_status_touch(const struct uuid *row)
{
    struct touched_row *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, uuid_hash(row), &touched) {
        if (uuid_equals(&t->row, row)) {
            return;
        }
    }
    t = xmalloc(sizeof *t);
    t->row = *row;
    hmap_insert(&touched, &t->node, uuid_hash(row));
}

/* Records that every row's status may need writing: after a write that
 * failed, say. */
void
vtapd_status_touch_all(void)
{
    all_touched = true;
}

/* Returns true if some row's status may need writing. */
bool
vtapd_status_is_due(void)
{
    return all_touched || !hmap_is_empty(&touched);
}

/* Returns true if 'a' and 'b', 'n' problems each, are the same. */
static bool
problems_equal(const struct vtap_problem *a, const struct vtap_problem *b,
               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!uuid_equals(&a[i].row, &b[i].row)
            || strcmp(a[i].message, b[i].message)
            || a[i].warning != b[i].warning) {
            return false;
        }
    }
    return true;
}

/* Forgets the problems 'op' reported, touching their rows, and frees
 * them. */
static void
owner_problems_clear(struct owner_problems *op)
{
    for (size_t i = 0; i < op->n; i++) {
        struct row_owners *ro = find_row(&op->problems[i].row);

        vtapd_status_touch(&op->problems[i].row);
        if (ro) {
            hmapx_find_and_delete(&ro->owners, op);
            if (hmapx_is_empty(&ro->owners)) {
                hmap_remove(&rows, &ro->node);
                hmapx_destroy(&ro->owners);
                free(ro);
            }
        }
        free(op->problems[i].message);
    }
    free(op->problems);
    op->problems = NULL;
    op->n = 0;
}

/* Records that 'owner' (named 'owner_name') now reports the 'n' problems
 * in 'problems' (which it copies), and no other.  Rows whose problems
 * change are touched. */
void
vtapd_status_set_problems(const void *owner, const char *owner_name,
                          const struct vtap_problem *problems, size_t n)
{
    struct owner_problems *op = find_owner(owner);

    if (!op) {
        if (!n) {
            return;
        }
        op = xzalloc(sizeof *op);
        op->owner = owner;
        op->name = xstrdup(owner_name);
        hmap_insert(&owners, &op->node, hash_pointer(owner, 0));
    } else if (op->n == n && problems_equal(op->problems, problems, n)) {
        return;
    }

    owner_problems_clear(op);
    op->problems = xmalloc(MAX(n, 1) * sizeof *op->problems);
    for (size_t i = 0; i < n; i++) {
        struct row_owners *ro = find_row(&problems[i].row);

        op->problems[i].row = problems[i].row;
        op->problems[i].message = xstrdup(problems[i].message);
        op->problems[i].warning = problems[i].warning;
        vtapd_status_touch(&problems[i].row);
        if (!ro) {
            ro = xzalloc(sizeof *ro);
            ro->row = problems[i].row;
            hmapx_init(&ro->owners);
            hmap_insert(&rows, &ro->node, uuid_hash(&ro->row));
        }
        hmapx_add(&ro->owners, op);
    }
    op->n = n;
}

/* Forgets every problem 'owner' reported: it is gone. */
void
vtapd_status_forget(const void *owner)
{
    struct owner_problems *op = find_owner(owner);

    if (op) {
        owner_problems_clear(op);
        hmap_remove(&owners, &op->node);
        free(op->name);
        free(op);
    }
}

static int
compare_owner_names(const void *a_, const void *b_)
{
    const struct owner_problems *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Appends to 's' the problems reported of 'row' that are warnings, if
 * 'warnings', or errors otherwise, separated by "; ", owners in name order.
 * Returns false if there are none. */
static bool
format_problems(const struct uuid *row, bool warnings, struct ds *s)
{
    const struct row_owners *ro = find_row(row);
    const struct owner_problems **ops;
    struct hmapx_node *node;
    size_t n = 0;

    if (!ro) {
        return false;
    }
    ops = xmalloc(hmapx_count(&ro->owners) * sizeof *ops);
    HMAPX_FOR_EACH (node, &ro->owners) {
        ops[n++] = node->data;
    }
    qsort(ops, n, sizeof *ops, compare_owner_names);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < ops[i]->n; j++) {
            if (uuid_equals(&ops[i]->problems[j].row, row)
                && ops[i]->problems[j].warning == warnings) {
                ds_put_format(s, "%s%s", s->length ? "; " : "",
                              ops[i]->problems[j].message);
            }
        }
    }
    free(ops);
    return s->length > 0;
}

/* Writes into 'column', the status column of Tap or Tap_Source row 'row',
 * whose value is now 'old', its problems, unless it says so already: its
 * errors, which make its state "error", and its warnings.  Returns true if
 * it wrote. */
static bool
write_row_status(const struct ovsdb_idl_row *row, const struct smap *old,
                 const struct ovsdb_idl_column *column)
{
    struct smap status = SMAP_INITIALIZER(&status);
    struct ds problems = DS_EMPTY_INITIALIZER;
    bool changed;

    if (format_problems(&row->uuid, false, &problems)) {
        smap_add(&status, "state", "error");
        smap_add(&status, "error", ds_cstr(&problems));
    } else {
        smap_add(&status, "state", "ok");
    }
    ds_clear(&problems);
    if (format_problems(&row->uuid, true, &problems)) {
        smap_add(&status, "warning", ds_cstr(&problems));
    }
    changed = !smap_equal(&status, old);
    if (changed) {
        struct ovsdb_datum datum;

        ovsdb_datum_from_smap(&datum, &status);
        ovsdb_idl_txn_write(row, column, &datum);
    }
    ds_destroy(&problems);
    smap_destroy(&status);
    return changed;
}

/* Tells this module how to find the switches this vtapd programs, and
 * whether it programs only some of the TAP database's, as a vtapd per host
 * does.  Then every vtapd writes only its own rows: a source's status and
 * statistics are written by the vtapd of its switch, a Tap's by the vtapd
 * of its hub, and a Tap without a hub's by none. */
void
vtapd_status_init(struct vtapd_switch *(*find)(const struct uuid *),
                  bool only_some)
{
    find_switch = find;
    per_host = only_some;
}

/* Returns true if this vtapd writes the status and statistics of 'tap'. */
static bool
writes_tap(const struct vtaprec_tap *tap)
{
    return !per_host || (tap->hub && find_switch(&tap->hub->header_.uuid));
}

/* Returns true if this vtapd writes the status and statistics of 'src'. */
static bool
writes_source(const struct vtaprec_tap_source *src)
{
    return !per_host || (src->switch_
                          && find_switch(&src->switch_->header_.uuid));
}

/* Writes the status of the Tap or Tap_Source row of 'idl' with 'uuid', if
 * there is one, it is this vtapd's to write, and its status changed.
 * Returns true if it wrote. */
static bool
write_status_of(struct ovsdb_idl *idl, const struct uuid *uuid)
{
    const struct vtaprec_tap *tap = vtaprec_tap_get_for_uuid(idl, uuid);
    const struct vtaprec_tap_source *src;

    if (tap) {
        return writes_tap(tap) && write_row_status(&tap->header_,
                                                   &tap->status,
                                                   &vtaprec_tap_col_status);
    }
    src = vtaprec_tap_source_get_for_uuid(idl, uuid);
    return (src && writes_source(src)
            && write_row_status(&src->header_, &src->status,
                                &vtaprec_tap_source_col_status));
}

/* Writes, in the transaction open on 'idl', the status of every Tap and
 * Tap_Source row touched since the last call whose status changed.
 * Returns true if it wrote anything. */
bool
vtapd_status_write_rows(struct ovsdb_idl *idl)
{
    struct touched_row *t;
    bool changed = false;

    if (all_touched) {
        const struct vtaprec_tap_source *src;
        const struct vtaprec_tap *tap;

        VTAPREC_TAP_FOR_EACH (tap, idl) {
            changed |= write_status_of(idl, &tap->header_.uuid);
        }
        VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
            changed |= write_status_of(idl, &src->header_.uuid);
        }
        all_touched = false;
    }
    HMAP_FOR_EACH_POP (t, node, &touched) {
        changed |= write_status_of(idl, &t->row);
        free(t);
    }
    return changed;
}

/* Writes, in the transaction open on the IDL of Switch row 'row', the
 * applied_cfg and status of its switch 'sw' where they changed.  Returns
 * true if it wrote anything. */
bool
vtapd_status_write_switch(const struct vtaprec_switch *row,
                          const struct vtapd_switch *sw)
{
    int64_t applied = vtapd_switch_get_applied_cfg(sw);
    struct smap status = SMAP_INITIALIZER(&status);
    bool changed = false;

    if (applied > row->applied_cfg) {
        vtaprec_switch_set_applied_cfg(row, applied);
        changed = true;
    }
    vtapd_switch_get_status(sw, &status);
    if (!smap_equal(&status, &row->status)) {
        vtaprec_switch_set_status(row, &status);
        changed = true;
    }
    smap_destroy(&status);
    return changed;
}

/* Writes into the statistics column of 'row', a Tap or Tap_Source row, the
 * counters 'c', unless it holds them already.  Returns true if it wrote. */
static bool
update_statistics(const struct ovsdb_idl_row *row, char **old_keys,
                  const int64_t *old_values, size_t n_old,
                  const struct vtapd_counters *c,
                  void (*set)(const struct ovsdb_idl_row *, const char **,
                              const int64_t *, size_t))
{
    const char **keys;
    int64_t *values;
    size_t n;

    if (vtapd_counters_equal(c, old_keys, old_values, n_old)) {
        return false;
    }
    n = vtapd_counters_to_arrays(c, &keys, &values);
    set(row, keys, values, n);
    free(keys);
    free(values);
    return true;
}

static void
set_tap_statistics(const struct ovsdb_idl_row *row, const char **keys,
                   const int64_t *values, size_t n)
{
    vtaprec_tap_set_statistics(CONTAINER_OF(row, struct vtaprec_tap,
                                            header_), keys, values, n);
}

static void
set_source_statistics(const struct ovsdb_idl_row *row, const char **keys,
                      const int64_t *values, size_t n)
{
    vtaprec_tap_source_set_statistics(
        CONTAINER_OF(row, struct vtaprec_tap_source, header_), keys, values,
        n);
}

/* Adds the counter 'name' of 'from', if it has one, to 'to'. */
static void
add_counter(struct vtapd_counters *to, const struct vtapd_counters *from,
            const char *name)
{
    int64_t value;

    if (vtapd_counters_get(from, name, &value)) {
        vtapd_counters_add(to, name, value);
    }
}

/* Adds to 'c' the counters of 'src' that another vtapd (of the source's
 * host) wrote into its statistics column. */
static void
get_written_counters(const struct vtaprec_tap_source *src,
                     struct vtapd_counters *c)
{
    for (size_t i = 0; i < src->n_statistics; i++) {
        vtapd_counters_add(c, src->key_statistics[i],
                           src->value_statistics[i]);
    }
}

/* Writes, in the transaction open on 'idl', to the statistics columns of
 * the Taps and Tap_Sources what the switches counted, where it changed.  A
 * Tap's candidates are the sum of its sources' (for a source on another
 * vtapd's switch, what that vtapd wrote); the rest comes from its hub.
 * Returns true if it wrote anything.  Costs the number of rows. */
bool
vtapd_status_write_statistics(struct ovsdb_idl *idl)
{
    struct hmap by_tap = HMAP_INITIALIZER(&by_tap);
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;
    bool changed = false;

    VTAPREC_TAP_FOR_EACH (tap, idl) {
        struct vtapd_counters *c = vtapd_row_counters_get(
            &by_tap, &tap->header_.uuid);
        struct vtapd_switch *hub = (tap->hub
                                    ? find_switch(&tap->hub->header_.uuid)
                                    : NULL);
        if (hub) {
            vtapd_switch_tap_counters(hub, &tap->header_.uuid, c);
        }
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        /* A hub's vtapd per host monitors the sources of its Taps, but not
         * their switches. */
        const struct vtaprec_switch *sw = src->switch_;
        struct vtapd_switch *spoke = sw ? find_switch(&sw->header_.uuid)
                                        : NULL;
        struct vtapd_counters *sum = vtapd_row_counters_find(
            &by_tap, &src->tap->header_.uuid);
        struct vtapd_counters c;

        vtapd_counters_init(&c);
        if (spoke) {
            vtapd_switch_source_counters(spoke, &src->header_.uuid, &c);
        } else if (per_host) {
            get_written_counters(src, &c);
        }
        if (writes_source(src)) {
            changed |= update_statistics(&src->header_, src->key_statistics,
                                         src->value_statistics,
                                         src->n_statistics, &c,
                                         set_source_statistics);
        }
        if (sum) {
            add_counter(sum, &c, "candidate_packets");
            add_counter(sum, &c, "candidate_bytes");
        }
        vtapd_counters_destroy(&c);
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        const struct vtapd_counters *c = vtapd_row_counters_find(
            &by_tap, &tap->header_.uuid);

        if (writes_tap(tap)) {
            changed |= update_statistics(&tap->header_, tap->key_statistics,
                                         tap->value_statistics,
                                         tap->n_statistics, c,
                                         set_tap_statistics);
        }
    }
    vtapd_row_counters_destroy(&by_tap);
    return changed;
}
