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
#include "controller/vtapd-deps.h"

#include <string.h>
#include "flows/vtap-flows.h"
#include "hash.h"
#include "hmapx.h"
#include "util.h"
#include "uuid.h"

/* A row that owners read, with its owners. */
struct vtapd_dep_row {
    struct hmap_node node;      /* In vtapd_deps's 'rows', by UUID. */
    struct uuid uuid;
    struct hmapx owners;        /* Of the owners' opaque pointers. */
};

/* An owner, with the rows it read. */
struct vtapd_dep_owner {
    struct hmap_node node;      /* In vtapd_deps's 'owners', by pointer. */
    const void *owner;
    struct uuid *rows;          /* Without duplicates. */
    size_t n_rows;
};

void
vtapd_deps_init(struct vtapd_deps *deps)
{
    hmap_init(&deps->rows);
    hmap_init(&deps->owners);
}

void
vtapd_deps_destroy(struct vtapd_deps *deps)
{
    struct vtapd_dep_owner *o;
    struct vtapd_dep_row *r;

    HMAP_FOR_EACH_POP (o, node, &deps->owners) {
        free(o->rows);
        free(o);
    }
    hmap_destroy(&deps->owners);
    HMAP_FOR_EACH_POP (r, node, &deps->rows) {
        hmapx_destroy(&r->owners);
        free(r);
    }
    hmap_destroy(&deps->rows);
}

static struct vtapd_dep_row *
find_row(const struct vtapd_deps *deps, const struct uuid *uuid)
{
    struct vtapd_dep_row *r;

    HMAP_FOR_EACH_WITH_HASH (r, node, uuid_hash(uuid), &deps->rows) {
        if (uuid_equals(&r->uuid, uuid)) {
            return r;
        }
    }
    return NULL;
}

static struct vtapd_dep_owner *
find_owner(const struct vtapd_deps *deps, const void *owner)
{
    struct vtapd_dep_owner *o;

    HMAP_FOR_EACH_WITH_HASH (o, node, hash_pointer(owner, 0),
                             &deps->owners) {
        if (o->owner == owner) {
            return o;
        }
    }
    return NULL;
}

/* Forgets that 'owner' read anything. */
void
vtapd_deps_remove(struct vtapd_deps *deps, void *owner)
{
    struct vtapd_dep_owner *o = find_owner(deps, owner);

    if (!o) {
        return;
    }
    for (size_t i = 0; i < o->n_rows; i++) {
        struct vtapd_dep_row *r = find_row(deps, &o->rows[i]);

        if (r) {
            hmapx_find_and_delete(&r->owners, owner);
            if (hmapx_is_empty(&r->owners)) {
                hmap_remove(&deps->rows, &r->node);
                hmapx_destroy(&r->owners);
                free(r);
            }
        }
    }
    hmap_remove(&deps->owners, &o->node);
    free(o->rows);
    free(o);
}

/* Records that 'owner' read the 'n_rows' rows in 'rows' (duplicates
 * allowed), and nothing else: this replaces what it read before.  Costs
 * the number of rows it read before and now. */
void
vtapd_deps_set(struct vtapd_deps *deps, void *owner,
               const struct uuid *rows, size_t n_rows)
{
    struct vtapd_dep_owner *o = xzalloc(sizeof *o);

    vtapd_deps_remove(deps, owner);
    o->owner = owner;
    o->rows = xmalloc(MAX(n_rows, 1) * sizeof *o->rows);
    for (size_t i = 0; i < n_rows; i++) {
        struct vtapd_dep_row *r = find_row(deps, &rows[i]);

        if (!r) {
            r = xzalloc(sizeof *r);
            r->uuid = rows[i];
            hmapx_init(&r->owners);
            hmap_insert(&deps->rows, &r->node, uuid_hash(&rows[i]));
        }
        if (hmapx_add(&r->owners, owner)) {
            o->rows[o->n_rows++] = rows[i];
        }
    }
    hmap_insert(&deps->owners, &o->node, hash_pointer(owner, 0));
}

/* Adds to 'owners' every owner that read 'row'. */
void
vtapd_deps_mark(const struct vtapd_deps *deps, const struct uuid *row,
                struct hmapx *owners)
{
    const struct vtapd_dep_row *r = find_row(deps, row);
    struct hmapx_node *node;

    if (r) {
        HMAPX_FOR_EACH (node, &r->owners) {
            hmapx_add(owners, node->data);
        }
    }
}

/* Returns how many rows 'owner' read. */
size_t
vtapd_deps_count(const struct vtapd_deps *deps, const void *owner)
{
    const struct vtapd_dep_owner *o = find_owner(deps, owner);
    return o ? o->n_rows : 0;
}

/* A growable array of UUIDs. */
struct uuid_list {
    struct uuid *uuids;
    size_t n;
    size_t allocated;
};

static void
uuid_list_add(struct uuid_list *list, const struct uuid *uuid)
{
    if (list->n >= list->allocated) {
        list->uuids = x2nrealloc(list->uuids, &list->allocated,
                                 sizeof *list->uuids);
    }
    list->uuids[list->n++] = *uuid;
}

/* Adds to 'list' the rows that Tap 'tap' brings into a computation: the
 * Tap, its hub, and if 'with_pool' (on its hub: a spoke reads only whether
 * the Tap has a pool) its pool. */
static void
add_tap_rows(struct uuid_list *list, const struct vtap_tap_def *tap,
             bool with_pool)
{
    uuid_list_add(list, &tap->uuid);
    if (tap->hub) {
        uuid_list_add(list, &tap->hub->uuid);
    }
    if (with_pool && tap->pool_name) {
        uuid_list_add(list, &tap->pool_uuid);
    }
}

/* Stores in '*rows' (a new array) and '*n_rows' the TAP database rows that
 * the translation of 'input' for switch 'sw' reads: the sources on 'sw',
 * with their Taps, filters and rules and those Taps' hubs, and, if 'sw' is
 * a hub, the Taps delivered through it with their pools (and so its
 * own row, as their hub: a change to it is the switch's own change
 * anyway). */
void
vtapd_deps_of_input(const struct vtap_input *input,
                    const struct vtap_switch_def *sw,
                    struct uuid **rows, size_t *n_rows)
{
    struct uuid_list list = { NULL, 0, 0 };

    for (size_t i = 0; i < input->n_sources; i++) {
        const struct vtap_source_def *s = &input->sources[i];

        if (s->sw != sw) {
            continue;
        }
        uuid_list_add(&list, &s->uuid);
        add_tap_rows(&list, s->tap, false);
        if (s->filter) {
            uuid_list_add(&list, &s->filter->uuid);
            for (size_t j = 0; s->filter->rule_uuids
                               && j < s->filter->n_rules; j++) {
                uuid_list_add(&list, &s->filter->rule_uuids[j]);
            }
        }
    }
    if (sw->is_hub) {
        for (size_t i = 0; i < input->n_taps; i++) {
            if (input->taps[i].hub == sw) {
                add_tap_rows(&list, &input->taps[i], true);
            }
        }
    }
    *rows = list.uuids;
    *n_rows = list.n;
}
