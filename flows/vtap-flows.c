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
#include "flows/vtap-flows.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "mirror-filter.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofpbuf.h"
#include "packets.h"
#include "util.h"

/* Returns the cookie of the flows that come from the row with 'uuid': the
 * mark of vtapd's cookie space and the first 32 bits of the UUID, so that a
 * flow leads back to its definition. */
uint64_t
vtap_cookie(const struct uuid *uuid)
{
    return VTAP_COOKIE_MARK | uuid->parts[0];
}

/* Returns the name of the tunnel port that carries the copies of the Tap
 * with 'uuid' from a spoke, short enough for any datapath's port names. */
char *
vtap_tap_tunnel_name(const struct uuid *tap)
{
    return xasprintf("vt%08"PRIx32, tap->parts[0]);
}

/* Returns the name of the Mirror row of the Tap_Source with 'uuid'. */
char *
vtap_source_mirror_name(const struct uuid *source)
{
    return xasprintf("vtap-%08"PRIx32, source->parts[0]);
}

static void
add_problem(struct vtap_switch_state *state, const struct uuid *row,
            char *message)
{
    state->problems = xrealloc(state->problems,
                               (state->n_problems + 1)
                               * sizeof *state->problems);
    state->problems[state->n_problems].row = *row;
    state->problems[state->n_problems].message = message;
    state->n_problems++;
}

/* Returns the port of 'sw' that 'source' names, or NULL. */
static const struct vtap_port_fact *
find_source_port(const struct vtap_switch_def *sw,
                 const struct vtap_source_def *source)
{
    for (size_t i = 0; i < sw->n_ports; i++) {
        const struct vtap_port_fact *p = &sw->ports[i];

        if (source->port
            ? !strcmp(p->name, source->port)
            : p->iface_id && !strcmp(p->iface_id, source->iface_id)) {
            return p;
        }
    }
    return NULL;
}

static const struct vtap_port_fact *
find_port_by_name(const struct vtap_switch_def *sw, const char *name)
{
    for (size_t i = 0; i < sw->n_ports; i++) {
        if (!strcmp(sw->ports[i].name, name)) {
            return &sw->ports[i];
        }
    }
    return NULL;
}

/* Returns true if a port of interface 'type' cannot be a source: copies of
 * what a tunnel or patch port carries would include other copies. */
static bool
port_type_loops(const char *type)
{
    static const char *const types[] = {
        "vxlan", "geneve", "gre", "ip6gre", "erspan", "ip6erspan", "stt",
        "lisp", "gtpu", "bareudp", "srv6", "patch",
    };

    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (type && !strcmp(type, types[i])) {
            return true;
        }
    }
    return false;
}

/* Adds to 'state' the tunnel 'name' unless it holds one already. */
static void
add_tunnel(struct vtap_switch_state *state, const char *name,
           const char *remote_ip, const char *key, uint16_t dst_port)
{
    for (size_t i = 0; i < state->n_tunnels; i++) {
        if (!strcmp(state->tunnels[i].name, name)) {
            return;
        }
    }
    state->tunnels = xrealloc(state->tunnels,
                              (state->n_tunnels + 1) * sizeof *state->tunnels);
    struct vtap_tunnel *t = &state->tunnels[state->n_tunnels++];
    t->name = xstrdup(name);
    t->remote_ip = xstrdup(remote_ip);
    t->key = xstrdup(key);
    t->dst_port = dst_port;
}

static int
compare_rules(const void *a_, const void *b_)
{
    const struct mirror_filter_rule *a = a_, *b = b_;

    if (a->directions != b->directions) {
        return a->directions < b->directions ? -1 : 1;
    }
    return (int) a->number - (int) b->number;
}

/* Fills in the filter rules of 'm', a Mirror selecting 'directions', from
 * 'filter'.  Rule numbers are unique only within a direction, and a Mirror's
 * directions have classifiers of their own, so the rules are renumbered:
 * egress rules first, then ingress ones, each in their own order.  A filter
 * with no rule for the Mirror's directions copies nothing. */
static void
mirror_set_rules(struct vtap_mirror *m, const struct vtap_filter_def *filter,
                 enum vtap_direction directions)
{
    unsigned int wanted = 0;

    if (!filter) {
        return;
    }
    if (directions & VTAP_DIR_EGRESS) {
        wanted |= MIRROR_FILTER_FROM_PORT;
    }
    if (directions & VTAP_DIR_INGRESS) {
        wanted |= MIRROR_FILTER_TO_PORT;
    }

    struct mirror_filter_rule *rules = xmalloc((filter->n_rules + 1)
                                               * sizeof *rules);
    size_t n = 0;
    for (size_t i = 0; i < filter->n_rules; i++) {
        if (filter->rules[i].directions & wanted) {
            rules[n++] = filter->rules[i];
        }
    }
    qsort(rules, n, sizeof *rules, compare_rules);
    if (!n) {
        /* An empty map would mean "no filter", which copies everything. */
        memset(&rules[0], 0, sizeof rules[0]);
        rules[0].proto = -1;
        rules[0].directions = wanted;
        n = 1;
    }

    m->rule_numbers = xmalloc(n * sizeof *m->rule_numbers);
    m->rules = xmalloc(n * sizeof *m->rules);
    for (size_t i = 0; i < n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;

        mirror_filter_rule_format(&rules[i], &s);
        m->rule_numbers[i] = i + 1;
        m->rules[i] = ds_steal_cstr(&s);
    }
    m->n_rules = n;
    free(rules);
}

/* Adds the Mirror of 'source', whose port on this switch is 'port', output
 * to 'tunnel'. */
static void
add_mirror(struct vtap_switch_state *state,
           const struct vtap_source_def *source, const char *port,
           const char *tunnel)
{
    const struct vtap_tap_def *tap = source->tap;

    state->mirrors = xrealloc(state->mirrors,
                              (state->n_mirrors + 1) * sizeof *state->mirrors);
    struct vtap_mirror *m = &state->mirrors[state->n_mirrors++];
    memset(m, 0, sizeof *m);
    m->name = vtap_source_mirror_name(&source->uuid);
    m->source = source->uuid;
    if (source->direction & VTAP_DIR_EGRESS) {
        m->select_src_port = xstrdup(port);
    }
    if (source->direction & VTAP_DIR_INGRESS) {
        m->select_dst_port = xstrdup(port);
    }
    m->output_port = xstrdup(tunnel);
    m->snaplen = tap->snaplen;
    m->sample_probability = tap->sampling;
    mirror_set_rules(m, source->filter, source->direction);
}

/* Adds to 'state' what 'source' needs on its spoke 'sw', or the problem
 * that keeps it from working. */
static void
compute_source(struct vtap_switch_state *state,
               const struct vtap_switch_def *sw,
               const struct vtap_source_def *source)
{
    const struct vtap_tap_def *tap = source->tap;
    const struct vtap_port_fact *port;

    if (sw->is_hub) {
        add_problem(state, &source->uuid,
                    xasprintf("switch %s is a hub: its ports cannot be "
                              "sources", sw->name));
        return;
    }
    port = find_source_port(sw, source);
    if (!port) {
        add_problem(state, &source->uuid,
                    source->port
                    ? xasprintf("no port %s on switch %s", source->port,
                                sw->name)
                    : xasprintf("no port with iface-id %s on switch %s",
                                source->iface_id, sw->name));
        return;
    }
    if (port_type_loops(port->type)) {
        add_problem(state, &source->uuid,
                    xasprintf("port %s on switch %s is a %s port: its "
                              "copies would loop", port->name, sw->name,
                              port->type));
        return;
    }

    const char *remote_ip = tap->hub ? tap->hub->underlay_ip
                                     : tap->collector_ip;
    if (!remote_ip) {
        add_problem(state, &source->uuid,
                    tap->hub
                    ? xasprintf("hub %s has no underlay_ip", tap->hub->name)
                    : xasprintf("tap %s has no collector", tap->name));
        return;
    }

    char *tunnel = vtap_tap_tunnel_name(&tap->uuid);
    char *key = xasprintf("%"PRIu32, tap->vni);
    add_tunnel(state, tunnel, remote_ip, key,
               tap->hub ? VTAP_VXLAN_PORT : tap->udp_port);
    add_mirror(state, source, port->name, tunnel);
    free(key);
    free(tunnel);
}

/* Returns the OpenFlow port number of port 'name' on 'sw', or OFPP_NONE if
 * it has none yet. */
static ofp_port_t
port_ofport(const struct vtap_switch_def *sw, const char *name)
{
    const struct vtap_port_fact *p = find_port_by_name(sw, name);
    return p ? p->ofport : OFPP_NONE;
}

/* Sets 'field' to the address 'ip' (IPv4 or IPv6) in 'ofpacts', with
 * 'v4_field' or 'v6_field'.  Returns false if 'ip' is not an address. */
static bool
put_set_address(struct ofpbuf *ofpacts, const char *ip,
                enum mf_field_id v4_field, enum mf_field_id v6_field)
{
    union mf_value value;

    memset(&value, 0, sizeof value);
    if (inet_pton(AF_INET, ip, &value.be32) == 1) {
        ofpact_put_set_field(ofpacts, mf_from_id(v4_field), &value, NULL);
    } else if (inet_pton(AF_INET6, ip, &value.ipv6) == 1) {
        ofpact_put_set_field(ofpacts, mf_from_id(v6_field), &value, NULL);
    } else {
        return false;
    }
    return true;
}

/* Adds the hub flow of 'tap': its copies, which arrive on the hub's input
 * tunnel with its VNI, go to its collector through tunnel 'out_name', or
 * back out of the input tunnel if 'out_name' is NULL. */
static void
add_hub_flow(struct vtap_switch_state *state, const struct vtap_switch_def *sw,
             const struct vtap_tap_def *tap, const char *out_name)
{
    ofp_port_t in = port_ofport(sw, VTAP_HUB_IN_PORT);
    ofp_port_t out = out_name ? port_ofport(sw, out_name) : OFPP_IN_PORT;
    struct ofpbuf ofpacts;

    if (in == OFPP_NONE || out == OFPP_NONE) {
        /* The ports are being created: the flow follows once they have
         * numbers. */
        return;
    }

    ofpbuf_init(&ofpacts, 64);
    if (!put_set_address(&ofpacts, tap->collector_ip, MFF_TUN_DST,
                         MFF_TUN_IPV6_DST)) {
        add_problem(state, &tap->uuid,
                    xasprintf("collector %s is not an IP address",
                              tap->collector_ip));
        ofpbuf_uninit(&ofpacts);
        return;
    }
    ofpact_put_OUTPUT(&ofpacts)->port = out;

    state->flows = xrealloc(state->flows,
                            (state->n_flows + 1) * sizeof *state->flows);
    struct vtap_flow *f = &state->flows[state->n_flows++];
    f->table_id = VTAP_HUB_TABLE;
    f->priority = VTAP_HUB_PRIORITY;
    f->cookie = vtap_cookie(&tap->uuid);
    match_init_catchall(&f->match);
    match_set_in_port(&f->match, in);
    match_set_tun_id(&f->match, htonll(tap->vni));
    f->ofpacts_len = ofpacts.size;
    f->ofpacts = ofpbuf_steal_data(&ofpacts);
}

/* Returns the enabled Tap delivered through 'sw' that uses 'vni' and comes
 * first by name, or NULL. */
static const struct vtap_tap_def *
first_tap_with_vni(const struct vtap_input *input,
                   const struct vtap_switch_def *sw, uint32_t vni)
{
    const struct vtap_tap_def *first = NULL;

    for (size_t i = 0; i < input->n_taps; i++) {
        const struct vtap_tap_def *t = &input->taps[i];

        if (t->enabled && t->hub == sw && t->vni == vni
            && (!first || strcmp(t->name, first->name) < 0)) {
            first = t;
        }
    }
    return first;
}

/* Adds to 'state' what the hub 'sw' needs for 'tap', delivered through it. */
static void
compute_hub_tap(struct vtap_switch_state *state,
                const struct vtap_input *input,
                const struct vtap_switch_def *sw,
                const struct vtap_tap_def *tap)
{
    const struct vtap_tap_def *first = first_tap_with_vni(input, sw,
                                                          tap->vni);
    if (first != tap) {
        add_problem(state, &tap->uuid,
                    xasprintf("VNI %"PRIu32" is also used by tap %s on hub "
                              "%s: copies cannot be told apart", tap->vni,
                              first->name, sw->name));
        return;
    }
    if (!tap->collector_ip) {
        add_problem(state, &tap->uuid,
                    xasprintf("tap %s has no collector", tap->name));
        return;
    }

    /* ovs-vswitchd refuses a second tunnel port configured exactly like
     * the input one ("File exists"): copies to the collector port that the
     * input tunnel uses leave through the input tunnel itself. */
    char *out_name = NULL;
    add_tunnel(state, VTAP_HUB_IN_PORT, "flow", "flow", VTAP_VXLAN_PORT);
    if (tap->udp_port != VTAP_VXLAN_PORT) {
        out_name = xasprintf(VTAP_HUB_OUT_PREFIX"%"PRIu16, tap->udp_port);
        add_tunnel(state, out_name, "flow", "flow", tap->udp_port);
    }
    add_hub_flow(state, sw, tap, out_name);
    free(out_name);
}

static int
compare_tunnels(const void *a_, const void *b_)
{
    const struct vtap_tunnel *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

static int
compare_mirrors(const void *a_, const void *b_)
{
    const struct vtap_mirror *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

static int
compare_flows(const void *a_, const void *b_)
{
    const struct vtap_flow *a = a_, *b = b_;
    return a->cookie < b->cookie ? -1 : a->cookie > b->cookie;
}

/* Computes into 'state' what switch 'sw' must hold for the definitions in
 * 'input'.  Disabled Taps contribute nothing. */
void
vtap_compute_switch(const struct vtap_input *input,
                    const struct vtap_switch_def *sw,
                    struct vtap_switch_state *state)
{
    memset(state, 0, sizeof *state);

    for (size_t i = 0; i < input->n_sources; i++) {
        const struct vtap_source_def *s = &input->sources[i];

        if (s->sw == sw && s->tap->enabled) {
            compute_source(state, sw, s);
        }
    }
    if (sw->is_hub) {
        for (size_t i = 0; i < input->n_taps; i++) {
            const struct vtap_tap_def *t = &input->taps[i];

            if (t->enabled && t->hub == sw) {
                compute_hub_tap(state, input, sw, t);
            }
        }
    }

    qsort(state->tunnels, state->n_tunnels, sizeof *state->tunnels,
          compare_tunnels);
    qsort(state->mirrors, state->n_mirrors, sizeof *state->mirrors,
          compare_mirrors);
    qsort(state->flows, state->n_flows, sizeof *state->flows, compare_flows);
}

/* Frees what 'state' holds (not 'state' itself). */
void
vtap_switch_state_destroy(struct vtap_switch_state *state)
{
    if (!state) {
        return;
    }
    for (size_t i = 0; i < state->n_tunnels; i++) {
        free(state->tunnels[i].name);
        free(state->tunnels[i].remote_ip);
        free(state->tunnels[i].key);
    }
    free(state->tunnels);
    for (size_t i = 0; i < state->n_mirrors; i++) {
        struct vtap_mirror *m = &state->mirrors[i];

        free(m->name);
        free(m->select_src_port);
        free(m->select_dst_port);
        free(m->output_port);
        for (size_t j = 0; j < m->n_rules; j++) {
            free(m->rules[j]);
        }
        free(m->rules);
        free(m->rule_numbers);
    }
    free(state->mirrors);
    for (size_t i = 0; i < state->n_flows; i++) {
        free(state->flows[i].ofpacts);
    }
    free(state->flows);
    for (size_t i = 0; i < state->n_problems; i++) {
        free(state->problems[i].message);
    }
    free(state->problems);
    memset(state, 0, sizeof *state);
}
