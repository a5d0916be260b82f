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
#include "controller/vtapd-diff.h"

#include <string.h>
#include "flows/vtap-flows.h"
#include "hash.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* Returns the hash of the key of 'f': its table, priority and match. */
static uint32_t
flow_hash(const struct vtap_flow *f)
{
    return minimatch_hash(&f->match, hash_2words(f->table_id, f->priority));
}

/* Returns true if 'a' and 'b' are the same OpenFlow flow: the same table,
 * priority and match, which a *_STRICT flow-mod names. */
static bool
same_flow(const struct vtap_flow *a, const struct vtap_flow *b)
{
    return (a->table_id == b->table_id
            && a->priority == b->priority
            && minimatch_equal(&a->match, &b->match));
}

void
vtapd_flow_table_init(struct vtapd_flow_table *t)
{
    hmap_init(&t->flows);
}

/* Frees the flows of 't' and 't''s memory (not 't' itself). */
void
vtapd_flow_table_destroy(struct vtapd_flow_table *t)
{
    vtapd_flow_table_clear(t);
    hmap_destroy(&t->flows);
}

/* Removes and frees every flow of 't'. */
void
vtapd_flow_table_clear(struct vtapd_flow_table *t)
{
    struct vtapd_flow_node *n;

    HMAP_FOR_EACH_POP (n, node, &t->flows) {
        minimatch_destroy(&n->flow->match);
        free(n->flow->ofpacts);
        free(n->flow);
        free(n);
    }
}

/* Exchanges the flows of 'a' and 'b'. */
void
vtapd_flow_table_swap(struct vtapd_flow_table *a, struct vtapd_flow_table *b)
{
    hmap_swap(&a->flows, &b->flows);
}

size_t
vtapd_flow_table_count(const struct vtapd_flow_table *t)
{
    return hmap_count(&t->flows);
}

static struct vtapd_flow_node *
flow_table_find__(const struct vtapd_flow_table *t, const struct vtap_flow *f,
                  uint32_t hash)
{
    struct vtapd_flow_node *n;

    HMAP_FOR_EACH_WITH_HASH (n, node, hash, &t->flows) {
        if (same_flow(n->flow, f)) {
            return n;
        }
    }
    return NULL;
}

/* Returns the flow of 't' that is the same OpenFlow flow as 'f' (same
 * table, priority and match), or NULL. */
const struct vtap_flow *
vtapd_flow_table_find(const struct vtapd_flow_table *t,
                      const struct vtap_flow *f)
{
    struct vtapd_flow_node *n = flow_table_find__(t, f, flow_hash(f));
    return n ? n->flow : NULL;
}

/* Adds to 't' a copy of 'f', which replaces the same OpenFlow flow if 't'
 * holds it, as an OpenFlow ADD does. */
void
vtapd_flow_table_add(struct vtapd_flow_table *t, const struct vtap_flow *f)
{
    uint32_t hash = flow_hash(f);
    struct vtapd_flow_node *n = flow_table_find__(t, f, hash);
    struct vtap_flow *copy = xmemdup(f, sizeof *f);

    minimatch_clone(&copy->match, &f->match);
    copy->ofpacts = xmemdup(f->ofpacts, f->ofpacts_len);
    if (n) {
        minimatch_destroy(&n->flow->match);
        free(n->flow->ofpacts);
        free(n->flow);
    } else {
        n = xmalloc(sizeof *n);
        hmap_insert(&t->flows, &n->node, hash);
    }
    n->flow = copy;
}

static void
add_op(struct vtapd_flow_op **ops, size_t *n, size_t *allocated,
       enum vtapd_flow_op_type type, const struct vtap_flow *flow)
{
    if (*n >= *allocated) {
        *ops = x2nrealloc(*ops, allocated, sizeof **ops);
    }
    (*ops)[*n].type = type;
    (*ops)[*n].flow = flow;
    (*n)++;
}

/* Computes the flow-mods that turn the flows in 'installed' into the
 * 'n_desired' flows in 'desired': deletions first, then additions and
 * modifications in the order of 'desired'.  A flow is the same flow in both
 * if its table, priority and match are.  A flow whose actions differ is
 * modified: both sides' actions must have been normalised
 * (vtapd_normalize_instructions()).  A flow whose cookie differs is added
 * again, which replaces it: a modification cannot change a cookie in
 * OpenFlow 1.1 and later.  Stores a newly allocated array in '*ops' (NULL
 * if none) and returns its length.  The operations point into 'desired' and
 * 'installed'.  Costs the number of flows on both sides. */
size_t
vtapd_diff_flows(const struct vtap_flow *desired, size_t n_desired,
                 const struct vtapd_flow_table *installed,
                 struct vtapd_flow_op **ops)
{
    struct vtapd_flow_table wanted;
    struct vtapd_flow_node *nodes = xmalloc(MAX(n_desired, 1)
                                            * sizeof *nodes);
    size_t n = 0, allocated = 0;
    const struct vtap_flow *f;
    struct vtapd_flow_node *node;

    *ops = NULL;
    hmap_init(&wanted.flows);
    for (size_t i = 0; i < n_desired; i++) {
        nodes[i].flow = CONST_CAST(struct vtap_flow *, &desired[i]);
        hmap_insert(&wanted.flows, &nodes[i].node, flow_hash(&desired[i]));
    }
    VTAPD_FLOW_TABLE_FOR_EACH (f, node, installed) {
        if (!flow_table_find__(&wanted, f, node->node.hash)) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_DELETE, f);
        }
    }
    for (size_t i = 0; i < n_desired; i++) {
        const struct vtap_flow *d = &desired[i];
        const struct vtapd_flow_node *have
            = flow_table_find__(installed, d, nodes[i].node.hash);

        if (!have || have->flow->cookie != d->cookie) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_ADD, d);
        } else if (!ofpacts_equal(have->flow->ofpacts,
                                  have->flow->ofpacts_len,
                                  d->ofpacts, d->ofpacts_len)) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_MODIFY, d);
        }
    }
    hmap_destroy(&wanted.flows);
    free(nodes);
    return n;
}

/* Replaces the 'ofpacts' and 'len' that 'put' encodes into and 'pull'
 * decodes from OpenFlow 'version' by the result of that round trip.  The
 * decoding goes into zeroed memory, grown until it fits: OVS's decoders
 * leave padding as they find it, and padding must compare equal too.
 * Returns false, leaving them as they are, if they do not decode. */
static bool
normalize(struct ofpact **ofpacts, size_t *len, enum ofp_version version,
          void (*put)(const struct ofpact[], size_t, struct ofpbuf *,
                      enum ofp_version),
          enum ofperr (*pull)(struct ofpbuf *, unsigned int,
                              enum ofp_version, const struct vl_mff_map *,
                              uint64_t *, struct ofpbuf *))
{
    struct ofpbuf openflow;
    size_t size;

    ofpbuf_init(&openflow, 64);
    put(*ofpacts, *len, &openflow, version);
    for (size = MAX(256, 4 * openflow.size); ; size *= 2) {
        struct ofpbuf wire = ofpbuf_const_initializer(openflow.data,
                                                      openflow.size);
        void *zeroed = xzalloc(size);
        struct ofpbuf decoded;
        enum ofperr error;
        bool fits;

        ofpbuf_use_stub(&decoded, zeroed, size);
        error = pull(&wire, wire.size, version, NULL, NULL, &decoded);
        fits = decoded.base == zeroed;
        if (!error && fits) {
            free(*ofpacts);
            *len = decoded.size;
            *ofpacts = xmemdup(decoded.data, decoded.size);
        }
        ofpbuf_uninit(&decoded);
        free(zeroed);
        if (error || fits) {
            ofpbuf_uninit(&openflow);
            return !error;
        }
    }
}

static void
put_instructions(const struct ofpact ofpacts[], size_t len,
                 struct ofpbuf *openflow, enum ofp_version version)
{
    ofpacts_put_openflow_instructions(ofpacts, len, openflow, version);
}

static void
put_actions(const struct ofpact ofpacts[], size_t len,
            struct ofpbuf *openflow, enum ofp_version version)
{
    ofpacts_put_openflow_actions(ofpacts, len, openflow, version);
}

/* Replaces a flow's actions, 'ofpacts' of 'len' bytes, by what a switch
 * that speaks OpenFlow 'version' would show of them in a dump: equal
 * actions, however they were built, become equal bytes.  Returns false,
 * changing nothing, if the switch could not take them. */
bool
vtapd_normalize_instructions(struct ofpact **ofpacts, size_t *len,
                             enum ofp_version version)
{
    return normalize(ofpacts, len, version, put_instructions,
                     ofpacts_pull_openflow_instructions);
}

/* As vtapd_normalize_instructions(), for the actions of a group's
 * bucket. */
bool
vtapd_normalize_actions(struct ofpact **ofpacts, size_t *len,
                        enum ofp_version version)
{
    return normalize(ofpacts, len, version, put_actions,
                     ofpacts_pull_openflow_actions);
}

/* The ID and equality of the elements of sorted arrays of groups or
 * meters, for diff_by_id(). */
struct id_class {
    size_t size;                /* sizeof an element. */
    uint32_t (*id)(const void *);
    bool (*equal)(const void *desired, const void *installed);
};

static void
add_id_op(struct vtapd_id_op **ops, size_t *n, size_t *allocated,
          enum vtapd_id_op_type type, size_t index)
{
    if (*n >= *allocated) {
        *ops = x2nrealloc(*ops, allocated, sizeof **ops);
    }
    (*ops)[*n].type = type;
    (*ops)[*n].index = index;
    (*n)++;
}

/* Computes the operations that turn 'installed' into 'desired', both sorted
 * by ID: additions and modifications in ID order, then deletions.  Stores
 * a newly allocated array in '*ops' (NULL if none) and returns its
 * length. */
static size_t
diff_by_id(const struct id_class *class,
           const void *desired_, size_t n_desired,
           const void *installed_, size_t n_installed,
           struct vtapd_id_op **ops)
{
    const char *desired = desired_, *installed = installed_;
    size_t n = 0, allocated = 0, i = 0, j = 0;
    size_t *deletes = xmalloc(MAX(n_installed, 1) * sizeof *deletes);
    size_t n_deletes = 0;

    *ops = NULL;
    while (i < n_desired || j < n_installed) {
        const void *d = i < n_desired ? desired + i * class->size : NULL;
        const void *h = j < n_installed ? installed + j * class->size : NULL;

        if (d && (!h || class->id(d) < class->id(h))) {
            add_id_op(ops, &n, &allocated, VTAPD_ID_ADD, i++);
        } else if (!d || class->id(h) < class->id(d)) {
            deletes[n_deletes++] = j++;
        } else {
            if (!class->equal(d, h)) {
                add_id_op(ops, &n, &allocated, VTAPD_ID_MODIFY, i);
            }
            i++;
            j++;
        }
    }
    for (size_t k = 0; k < n_deletes; k++) {
        add_id_op(ops, &n, &allocated, VTAPD_ID_DELETE, deletes[k]);
    }
    free(deletes);
    return n;
}

static uint32_t
group_id(const void *g)
{
    return ((const struct vtap_group *) g)->group_id;
}

static bool
group_equal(const void *desired, const void *installed)
{
    return vtap_group_equal(desired, installed);
}

/* Computes the group-mods that turn the groups a switch holds, 'installed',
 * into the groups it must hold, 'desired', both sorted by ID.  See
 * diff_by_id() for '*ops'. */
size_t
vtapd_diff_groups(const struct vtap_group *desired, size_t n_desired,
                  const struct vtap_group *installed, size_t n_installed,
                  struct vtapd_id_op **ops)
{
    static const struct id_class class = {
        sizeof *desired, group_id, group_equal,
    };
    return diff_by_id(&class, desired, n_desired, installed, n_installed,
                      ops);
}

static uint32_t
meter_id(const void *m)
{
    return ((const struct vtap_meter *) m)->meter_id;
}

static bool
meter_equal(const void *desired, const void *installed)
{
    return vtap_meter_equal(desired, installed);
}

/* Computes the meter-mods that turn the meters a switch holds, 'installed',
 * into the meters it must hold, 'desired', both sorted by ID.  See
 * diff_by_id() for '*ops'. */
size_t
vtapd_diff_meters(const struct vtap_meter *desired, size_t n_desired,
                  const struct vtap_meter *installed, size_t n_installed,
                  struct vtapd_id_op **ops)
{
    static const struct id_class class = {
        sizeof *desired, meter_id, meter_equal,
    };
    return diff_by_id(&class, desired, n_desired, installed, n_installed,
                      ops);
}
