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
#include "controller/vtapd-input.h"

#include <string.h>
#include "controller/vtapd-diff.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "hash.h"
#include "mirror-filter.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd_input);

/* The TAP database's indexes that the input is found through. */
static struct ovsdb_idl_index *sources_by_switch;
static struct ovsdb_idl_index *taps_by_hub;

/* Creates the indexes on the TAP database's IDL 'idl' that
 * vtapd_input_build() needs.  Call once, before the IDL first runs. */
void
vtapd_input_register(struct ovsdb_idl *idl)
{
    sources_by_switch = ovsdb_idl_index_create1(
        idl, &vtaprec_tap_source_col_switch_);
    taps_by_hub = ovsdb_idl_index_create1(idl, &vtaprec_tap_col_hub);
}

/* A set of rows, each with its position in the order it was added. */
struct row_set {
    struct hmap map;            /* Of struct row_set_node, by pointer. */
    const void **rows;          /* In the order they were added. */
    size_t n;
    size_t allocated;
};

struct row_set_node {
    struct hmap_node node;
    const void *row;
    size_t index;               /* Into 'rows'. */
};

static void
row_set_init(struct row_set *set)
{
    hmap_init(&set->map);
    set->rows = NULL;
    set->n = set->allocated = 0;
}

static void
row_set_destroy(struct row_set *set)
{
    struct row_set_node *n;

    HMAP_FOR_EACH_POP (n, node, &set->map) {
        free(n);
    }
    hmap_destroy(&set->map);
    free(set->rows);
}

/* Returns the position of 'row' in 'set', or SIZE_MAX. */
static size_t
row_set_find(const struct row_set *set, const void *row)
{
    const struct row_set_node *n;

    HMAP_FOR_EACH_WITH_HASH (n, node, hash_pointer(row, 0), &set->map) {
        if (n->row == row) {
            return n->index;
        }
    }
    return SIZE_MAX;
}

/* Adds 'row' to 'set' unless it is there (or NULL). */
static void
row_set_add(struct row_set *set, const void *row)
{
    if (!row || row_set_find(set, row) != SIZE_MAX) {
        return;
    }
    struct row_set_node *n = xmalloc(sizeof *n);
    n->row = row;
    n->index = set->n;
    hmap_insert(&set->map, &n->node, hash_pointer(row, 0));
    if (set->n >= set->allocated) {
        set->rows = x2nrealloc(set->rows, &set->allocated, sizeof *set->rows);
    }
    set->rows[set->n++] = row;
}

/* The rows one switch's input is made of, gathered before the input's
 * arrays are allocated, so that their elements never move. */
struct gathered {
    struct row_set sources;     /* Tap_Source rows on the switch. */
    struct row_set taps;        /* Their Taps, and a hub's own. */
    struct row_set filters;     /* The sources' filters. */
    struct row_set hubs;        /* The Taps' hubs, but the switch. */
};

/* Gathers into 'g' the rows that the input for Switch row 'row' is made
 * of. */
static void
gather(struct gathered *g, const struct vtaprec_switch *row)
{
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;

    row_set_init(&g->sources);
    row_set_init(&g->taps);
    row_set_init(&g->filters);
    row_set_init(&g->hubs);

    struct vtaprec_tap_source *src_key
        = vtaprec_tap_source_index_init_row(sources_by_switch);
    vtaprec_tap_source_index_set_switch_(src_key, row);
    VTAPREC_TAP_SOURCE_FOR_EACH_EQUAL (src, src_key, sources_by_switch) {
        row_set_add(&g->sources, src);
        row_set_add(&g->taps, src->tap);
        row_set_add(&g->filters, src->filter);
    }
    vtaprec_tap_source_index_destroy_row(src_key);

    if (!strcmp(row->role, "hub")) {
        struct vtaprec_tap *tap_key = vtaprec_tap_index_init_row(taps_by_hub);
        vtaprec_tap_index_set_hub(tap_key, row);
        VTAPREC_TAP_FOR_EACH_EQUAL (tap, tap_key, taps_by_hub) {
            row_set_add(&g->taps, tap);
        }
        vtaprec_tap_index_destroy_row(tap_key);
    }
    for (size_t i = 0; i < g->taps.n; i++) {
        tap = g->taps.rows[i];
        if (tap->hub && tap->hub != row) {
            row_set_add(&g->hubs, tap->hub);
        }
    }
}

static void
gathered_destroy(struct gathered *g)
{
    row_set_destroy(&g->sources);
    row_set_destroy(&g->taps);
    row_set_destroy(&g->filters);
    row_set_destroy(&g->hubs);
}

static void
fill_switch(struct vtap_switch_def *def, const struct vtaprec_switch *row)
{
    def->uuid = row->header_.uuid;
    def->name = row->name;
    def->is_hub = !strcmp(row->role, "hub");
    def->underlay_ip = row->underlay_ip;
    def->underlay_mtu = row->n_underlay_mtu ? row->underlay_mtu[0] : 0;
}

/* Returns the definition of Switch row 'row' in 'input', or NULL. */
static const struct vtap_switch_def *
input_switch(const struct vtapd_input *input, const struct gathered *g,
             const struct vtaprec_switch *row)
{
    size_t i;

    if (!row) {
        return NULL;
    } else if (uuid_equals(&row->header_.uuid, &input->sw->uuid)) {
        return input->sw;
    }
    i = row_set_find(&g->hubs, row);
    return i != SIZE_MAX ? &input->switches[i + 1] : NULL;
}

/* Fills in filter 'i' of 'input' from Filter row 'row'.  Returns false if
 * one of its rules is bad. */
static bool
fill_filter(struct vtapd_input *input, size_t i,
            const struct vtaprec_filter *row)
{
    struct mirror_filter_rule *rules = xcalloc(row->n_rules + 1,
                                               sizeof *rules);
    struct uuid *uuids = xcalloc(row->n_rules + 1, sizeof *uuids);
    bool ok = true;

    for (size_t j = 0; j < row->n_rules; j++) {
        const struct vtaprec_filter_rule *r = row->rules[j];
        char *error = vtapdb_rule_to_mirror_filter(r, &rules[j]);

        uuids[j] = r->header_.uuid;
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

            VLOG_WARN_RL(&rl, "filter %s: rule %"PRId64": %s",
                         row->name, r->number, error);
            free(error);
            ok = false;
        }
    }
    input->rules[i] = rules;
    input->rule_uuids[i] = uuids;
    input->filters[i] = (struct vtap_filter_def) {
        .uuid = row->header_.uuid,
        .name = row->name,
        .rules = rules,
        .rule_uuids = uuids,
        .n_rules = row->n_rules,
    };
    return ok;
}

/* Makes 'tap' deliver to the members of 'pool', which it stores in a new
 * array '*members'. */
static void
fill_pool(struct vtap_tap_def *tap, const struct vtaprec_collector_pool *pool,
          struct vtap_collector_def **members)
{
    *members = xcalloc(MAX(pool->n_members, 1), sizeof **members);
    for (size_t i = 0; i < pool->n_members; i++) {
        (*members)[i] = (struct vtap_collector_def) {
            .ip = pool->key_members[i],
            .weight = pool->value_members[i],
            .down = vtapdb_find_ip(pool->down, pool->n_down,
                                   pool->key_members[i]) != SIZE_MAX,
        };
    }
    tap->pool_name = pool->name;
    tap->pool_uuid = pool->header_.uuid;
    tap->pool = *members;
    tap->n_pool = pool->n_members;
}

/* Fills in Tap 'i' of 'input' from Tap row 'row'. */
static void
fill_tap(struct vtapd_input *input, const struct gathered *g, size_t i,
         const struct vtaprec_tap *row)
{
    struct vtap_tap_def *tap = &input->taps[i];

    tap->uuid = row->header_.uuid;
    tap->name = row->name;
    tap->collector_ip = row->collector_ip;
    tap->udp_port = (row->n_udp_port ? row->udp_port[0]
                     : VTAPDB_DEFAULT_UDP_PORT);
    tap->vni = row->vni;
    tap->snaplen = row->n_snaplen ? row->snaplen[0] : 0;
    tap->sampling = row->n_sampling ? row->sampling[0] : 1.0;
    tap->hub = input_switch(input, g, row->hub);
    tap->enabled = vtapdb_tap_is_enabled(row);
    tap->delivery = (row->delivery && !strcmp(row->delivery, "local")
                     ? VTAP_DELIVERY_LOCAL : VTAP_DELIVERY_VXLAN);
    tap->collector_port = row->collector_port;
    tap->truncate_oversize = !row->oversize || strcmp(row->oversize, "drop");
    if (row->n_rate_limit) {
        tap->rate_limit = MIN(row->rate_limit[0], UINT32_MAX);
        tap->rate_unit = (row->rate_limit_unit
                          && !strcmp(row->rate_limit_unit, "kbps")
                          ? VTAP_RATE_KBPS : VTAP_RATE_PPS);
    }
    if (row->collector_pool) {
        fill_pool(tap, row->collector_pool, &input->pools[i]);
    }
}

/* Returns the direction that a Tap_Source's 'direction' column names. */
enum vtap_direction
vtapd_parse_direction(const char *s)
{
    return (!strcmp(s, "ingress") ? VTAP_DIR_INGRESS
            : !strcmp(s, "egress") ? VTAP_DIR_EGRESS
            : VTAP_DIR_BOTH);
}

/* Records that the source with 'uuid' is left out of the input, and why
 * ('message', which it takes). */
static void
add_problem(struct vtapd_input *input, const struct uuid *uuid,
            char *message)
{
    input->problems = xrealloc(input->problems,
                               (input->n_problems + 1)
                               * sizeof *input->problems);
    input->problems[input->n_problems++] = (struct vtap_problem) {
        .row = *uuid,
        .message = message,
    };
}

/* Records that leaving out the source with 'uuid' read it and its filter
 * 'filter' with every rule. */
static void
add_left_out_reads(struct vtapd_input *input, const struct uuid *uuid,
                   const struct vtap_filter_def *filter)
{
    size_t n = input->n_left_out_reads + 2 + filter->n_rules;

    input->left_out_reads = xrealloc(input->left_out_reads,
                                     n * sizeof *input->left_out_reads);
    input->left_out_reads[input->n_left_out_reads++] = *uuid;
    input->left_out_reads[input->n_left_out_reads++] = filter->uuid;
    for (size_t i = 0; i < filter->n_rules; i++) {
        input->left_out_reads[input->n_left_out_reads++]
            = filter->rule_uuids[i];
    }
}

/* Adds to 'input' the source in Tap_Source row 'row', unless its filter
 * has a bad rule. */
static void
fill_source(struct vtapd_input *input, const struct gathered *g,
            const bool *filter_ok, const struct vtaprec_tap_source *row)
{
    size_t f = row->filter ? row_set_find(&g->filters, row->filter)
                           : SIZE_MAX;
    struct vtap_source_def *s = &input->sources[input->in.n_sources];

    if (f != SIZE_MAX && !filter_ok[f]) {
        add_problem(input, &row->header_.uuid,
                    xasprintf("filter %s has a bad rule", row->filter->name));
        add_left_out_reads(input, &row->header_.uuid, &input->filters[f]);
        return;
    }
    *s = (struct vtap_source_def) {
        .uuid = row->header_.uuid,
        .tap = &input->taps[row_set_find(&g->taps, row->tap)],
        .sw = input->sw,
        .port = row->port,
        .iface_id = row->iface_id,
        .direction = vtapd_parse_direction(row->direction),
        .filter = f != SIZE_MAX ? &input->filters[f] : NULL,
    };
    input->in.n_sources++;
}

/* Builds into 'input' what the translation reads to compute Switch row
 * 'row' of the TAP database, whose bridge has the 'n_ports' ports
 * in 'ports' (which 'input' points to, and which must outlive it). */
void
vtapd_input_build(struct vtapd_input *input,
                  const struct vtaprec_switch *row,
                  const struct vtap_port_fact *ports, size_t n_ports)
{
    struct gathered g;

    memset(input, 0, sizeof *input);
    gather(&g, row);

    input->n_switches = g.hubs.n + 1;
    input->switches = xcalloc(input->n_switches, sizeof *input->switches);
    input->sw = &input->switches[0];
    fill_switch(input->sw, row);
    input->sw->ports = ports;
    input->sw->n_ports = n_ports;
    for (size_t i = 0; i < g.hubs.n; i++) {
        fill_switch(&input->switches[i + 1], g.hubs.rows[i]);
    }

    input->n_filters = g.filters.n;
    input->filters = xcalloc(MAX(g.filters.n, 1), sizeof *input->filters);
    input->rules = xcalloc(MAX(g.filters.n, 1), sizeof *input->rules);
    input->rule_uuids = xcalloc(MAX(g.filters.n, 1),
                                sizeof *input->rule_uuids);
    bool *filter_ok = xcalloc(MAX(g.filters.n, 1), sizeof *filter_ok);
    for (size_t i = 0; i < g.filters.n; i++) {
        filter_ok[i] = fill_filter(input, i, g.filters.rows[i]);
    }

    input->taps = xcalloc(MAX(g.taps.n, 1), sizeof *input->taps);
    input->pools = xcalloc(MAX(g.taps.n, 1), sizeof *input->pools);
    for (size_t i = 0; i < g.taps.n; i++) {
        fill_tap(input, &g, i, g.taps.rows[i]);
    }
    input->in.taps = input->taps;
    input->in.n_taps = g.taps.n;

    input->sources = xcalloc(MAX(g.sources.n, 1), sizeof *input->sources);
    for (size_t i = 0; i < g.sources.n; i++) {
        fill_source(input, &g, filter_ok, g.sources.rows[i]);
    }
    input->in.sources = input->sources;

    free(filter_ok);
    gathered_destroy(&g);
}

/* Frees what 'input' holds (not 'input' itself, nor the ports it points
 * to). */
void
vtapd_input_destroy(struct vtapd_input *input)
{
    for (size_t i = 0; i < input->n_filters; i++) {
        free(input->rules[i]);
        free(input->rule_uuids[i]);
    }
    free(input->rules);
    free(input->rule_uuids);
    free(input->filters);
    for (size_t i = 0; i < input->in.n_taps; i++) {
        free(input->pools[i]);
    }
    free(input->pools);
    free(input->taps);
    free(input->sources);
    free(input->switches);
    for (size_t i = 0; i < input->n_problems; i++) {
        free(input->problems[i].message);
    }
    free(input->problems);
    free(input->left_out_reads);
    memset(input, 0, sizeof *input);
}
