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
#include "hash.h"
#include "openvswitch/ofp-group.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"

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
add_problem__(struct vtap_switch_state *state, const struct uuid *row,
              char *message, bool warning)
{
    state->problems = xrealloc(state->problems,
                               (state->n_problems + 1)
                               * sizeof *state->problems);
    state->problems[state->n_problems].row = *row;
    state->problems[state->n_problems].message = message;
    state->problems[state->n_problems].warning = warning;
    state->n_problems++;
}

static void
add_problem(struct vtap_switch_state *state, const struct uuid *row,
            char *message)
{
    add_problem__(state, row, message, false);
}

/* Adds to 'state' a warning about 'row', which works nevertheless. */
static void
add_warning(struct vtap_switch_state *state, const struct uuid *row,
            char *message)
{
    add_problem__(state, row, message, true);
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

/* Returns the MTU of 'sw''s underlay. */
static int
underlay_mtu(const struct vtap_switch_def *sw)
{
    return sw->underlay_mtu ? sw->underlay_mtu : VTAP_DEFAULT_UNDERLAY_MTU;
}

/* Returns what VXLAN to address 'ip' adds to a frame within the MTU. */
static int
vxlan_overhead(const char *ip)
{
    return (ip && strchr(ip, ':') ? VTAP_VXLAN_OVERHEAD_IPV6
            : VTAP_VXLAN_OVERHEAD_IPV4);
}

/* Returns the longest copy of a frame that reaches 'tap''s destination
 * whole, from spoke 'sw' over 'remote_ip' (the hub's or the collector's
 * address), and, with a hub that re-encapsulates, on from the hub, whose
 * tunnels to collectors are of its own underlay's address family: each
 * VXLAN hop must carry it within its underlay's MTU. */
static int
max_copy_len(const struct vtap_switch_def *sw, const struct vtap_tap_def *tap,
             const char *remote_ip)
{
    int len = underlay_mtu(sw) - vxlan_overhead(remote_ip);

    if (tap->hub && tap->delivery == VTAP_DELIVERY_VXLAN) {
        len = MIN(len, (underlay_mtu(tap->hub)
                        - vxlan_overhead(tap->hub->underlay_ip)));
    }
    return len;
}

/* Returns the longest frame that 'port' carries, or 0 if unknown. */
static int
port_longest_frame(const struct vtap_port_fact *port)
{
    return port->mtu ? port->mtu + VTAP_FRAME_OVERHEAD : 0;
}

/* Warns, in 'state', if copies of frames that 'port' can carry may not fit
 * the underlay: longer than 'max_len' after 'tap''s snaplen, and dropped. */
static void
check_copy_len(struct vtap_switch_state *state,
               const struct vtap_source_def *source,
               const struct vtap_port_fact *port, int max_len)
{
    const struct vtap_tap_def *tap = source->tap;
    int longest = port_longest_frame(port);

    if (longest > max_len && !tap->truncate_oversize
        && (!tap->snaplen || tap->snaplen > max_len)) {
        add_warning(state, &source->uuid,
                    xasprintf("copies of frames longer than %d bytes (port "
                              "%s's MTU allows %d, with a VLAN tag) do not "
                              "fit the underlay MTU and are dropped, counted "
                              "as oversize; set the tap's oversize=truncate "
                              "or a snaplen of at most %d", max_len,
                              port->name, longest, max_len));
    }
}

/* Adds the Mirror of 'source', whose port on this switch is 'port', output
 * to 'tunnel', whose copies may be at most 'max_len' bytes long.  If every
 * frame the port carries fits, or the Tap's snaplen makes every copy fit,
 * the Mirror has no longest copy, and the datapath checks no length. */
static void
add_mirror(struct vtap_switch_state *state,
           const struct vtap_source_def *source,
           const struct vtap_port_fact *port, const char *tunnel,
           int max_len)
{
    const struct vtap_tap_def *tap = source->tap;

    state->mirrors = xrealloc(state->mirrors,
                              (state->n_mirrors + 1) * sizeof *state->mirrors);
    struct vtap_mirror *m = &state->mirrors[state->n_mirrors++];
    memset(m, 0, sizeof *m);
    m->name = vtap_source_mirror_name(&source->uuid);
    m->source = source->uuid;
    if (source->direction & VTAP_DIR_EGRESS) {
        m->select_src_port = xstrdup(port->name);
    }
    if (source->direction & VTAP_DIR_INGRESS) {
        m->select_dst_port = xstrdup(port->name);
    }
    m->output_port = xstrdup(tunnel);
    m->snaplen = tap->snaplen;
    m->sample_probability = tap->sampling;
    /* The spoke caps each source's copies at the Tap's rate, so that the
     * underlay never carries more copies than the hub would let through
     * (the hub's meter caps the Tap's sources together). */
    m->rate_limit = tap->rate_limit;
    m->rate_kbps = tap->rate_unit == VTAP_RATE_KBPS;
    int longest = port_longest_frame(port);
    bool fits = ((longest && longest <= max_len)
                 || (tap->snaplen && tap->snaplen <= max_len));
    m->max_copy_len = fits ? 0 : max_len;
    m->truncate_oversize = tap->truncate_oversize;
    mirror_set_rules(m, source->filter, source->direction);
}

/* Returns what of 'tap''s settings only a hub can do, or NULL if it has a
 * hub or needs none.  A spoke's Mirror sends to one address and limits
 * its own copies only: a pool, local delivery and a rate limit of the whole
 * Tap belong to the hub's pipeline. */
static const char *
direct_delivery_lacks(const struct vtap_tap_def *tap)
{
    return (tap->hub ? NULL
            : tap->delivery == VTAP_DELIVERY_LOCAL ? "local delivery"
            : tap->pool_name ? "a collector pool"
            : tap->rate_limit ? "a rate limit"
            : NULL);
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

    const char *needs_hub = direct_delivery_lacks(tap);
    if (needs_hub) {
        add_problem(state, &source->uuid,
                    xasprintf("tap %s has no hub, which %s needs", tap->name,
                              needs_hub));
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
    int max_len = max_copy_len(sw, tap, remote_ip);
    add_mirror(state, source, port, tunnel, max_len);
    check_copy_len(state, source, port, max_len);
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

/* Appends to 'ofpacts' the actions that send a copy to collector 'ip' in
 * VXLAN through port 'out' (the Tap's VNI is the copy's tunnel ID already,
 * from the input tunnel).  Returns false if 'ip' is not an address. */
static bool
put_vxlan_output(struct ofpbuf *ofpacts, const char *ip, ofp_port_t out)
{
    if (!put_set_address(ofpacts, ip, MFF_TUN_DST, MFF_TUN_IPV6_DST)) {
        return false;
    }
    ofpact_put_OUTPUT(ofpacts)->port = out;
    return true;
}

/* Returns true if 'id' is a group or meter ID in vtapd's space. */
bool
vtap_is_owned_id(uint32_t id)
{
    return (id & VTAP_GROUP_MASK) == VTAP_GROUP_MARK;
}

/* Stores in 'fields' the fields a hub's select group hashes: the inner
 * 5-tuple, IPv4 or IPv6, so that the copies of one flow go to one member.
 * Fields whose prerequisites a packet lacks are left out of its hash. */
void
vtap_group_fields(struct field_array *fields)
{
    static const enum mf_field_id ids[] = {
        MFF_ETH_TYPE, MFF_IPV4_SRC, MFF_IPV4_DST, MFF_IPV6_SRC, MFF_IPV6_DST,
        MFF_IP_PROTO, MFF_TCP_SRC, MFF_TCP_DST, MFF_UDP_SRC, MFF_UDP_DST,
        MFF_SCTP_SRC, MFF_SCTP_DST,
    };

    memset(fields, 0, sizeof *fields);
    for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
        const struct mf_field *mf = mf_from_id(ids[i]);
        union mf_value mask;

        memset(&mask, 0xff, mf->n_bytes);
        field_array_set(ids[i], &mask, fields);
    }
}

static unsigned int
gcd(unsigned int a, unsigned int b)
{
    while (b) {
        unsigned int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Stores in 'n_buckets[i]' how many buckets the member 'pool[i]' gets: its
 * weight divided by the weights' greatest common divisor, scaled down if
 * the total would exceed VTAP_MAX_BUCKETS; 0 if it is down.  Members that
 * are down count in the divisor and the scale, so that marking one down or
 * up changes no other member's buckets.  Returns the total. */
static size_t
apportion_buckets(const struct vtap_collector_def *pool, size_t n_pool,
                  unsigned int *n_buckets)
{
    unsigned int divisor = 0;
    size_t total = 0;

    for (size_t i = 0; i < n_pool; i++) {
        divisor = gcd(pool[i].weight, divisor);
    }
    for (size_t i = 0; i < n_pool; i++) {
        n_buckets[i] = pool[i].weight / divisor;
        total += n_buckets[i];
    }
    if (total > VTAP_MAX_BUCKETS) {
        for (size_t i = 0; i < n_pool; i++) {
            unsigned int n = ((uint64_t) n_buckets[i] * VTAP_MAX_BUCKETS
                              + total / 2) / total;
            n_buckets[i] = MAX(n, 1);
        }
    }

    total = 0;
    for (size_t i = 0; i < n_pool; i++) {
        if (pool[i].down) {
            n_buckets[i] = 0;
        }
        total += n_buckets[i];
    }
    return total;
}

/* Returns the ID of the 'replica'th bucket of collector 'ip': a hash, so
 * that a member keeps its buckets, and so its flows, when others come and
 * go (the "hash" selection method is rendezvous hashing over bucket IDs). */
static uint32_t
bucket_id(const char *ip, unsigned int replica)
{
    return hash_string(ip, replica) % (OFPG15_BUCKET_MAX + 1);
}

static int
compare_buckets(const void *a_, const void *b_)
{
    const struct vtap_bucket *a = a_, *b = b_;
    return a->bucket_id < b->bucket_id ? -1 : a->bucket_id > b->bucket_id;
}

/* Returns true if 'g' has a bucket with 'id'. */
static bool
group_has_bucket(const struct vtap_group *g, uint32_t id)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (g->buckets[i].bucket_id == id) {
            return true;
        }
    }
    return false;
}

/* Adds to 'state' the select group 'group_id' that spreads the copies of
 * 'tap' over its pool, each member's buckets sending through port 'out'.
 * Returns false, with a problem added, if a member is not an address. */
static bool
add_hub_group(struct vtap_switch_state *state, const struct vtap_tap_def *tap,
              uint32_t group_id, ofp_port_t out)
{
    unsigned int *n_buckets = xcalloc(MAX(tap->n_pool, 1),
                                      sizeof *n_buckets);
    size_t total = apportion_buckets(tap->pool, tap->n_pool, n_buckets);
    struct vtap_group g = {
        .group_id = group_id,
        .tap = tap->uuid,
        .buckets = xcalloc(MAX(total, 1), sizeof *g.buckets),
    };
    bool ok = true;

    for (size_t i = 0; ok && i < tap->n_pool; i++) {
        for (unsigned int r = 0; r < n_buckets[i]; r++) {
            struct vtap_bucket *b = &g.buckets[g.n_buckets];
            struct ofpbuf ofpacts;
            uint32_t id = bucket_id(tap->pool[i].ip, r);

            /* IDs must be unique within the group: a collision of hashes
             * takes the next free ID. */
            while (group_has_bucket(&g, id)) {
                id = (id + 1) % (OFPG15_BUCKET_MAX + 1);
            }
            ofpbuf_init(&ofpacts, 32);
            if (!put_vxlan_output(&ofpacts, tap->pool[i].ip, out)) {
                add_problem(state, &tap->uuid,
                            xasprintf("collector %s of pool %s is not an IP "
                                      "address", tap->pool[i].ip,
                                      tap->pool_name));
                ofpbuf_uninit(&ofpacts);
                ok = false;
                break;
            }
            b->bucket_id = id;
            b->collector = xstrdup(tap->pool[i].ip);
            b->ofpacts_len = ofpacts.size;
            b->ofpacts = ofpbuf_steal_data(&ofpacts);
            g.n_buckets++;
        }
    }
    free(n_buckets);
    if (!ok) {
        vtap_group_destroy(&g);
        return false;
    }
    if (!total) {
        add_problem(state, &tap->uuid,
                    xasprintf("pool %s has no member up: the hub drops the "
                              "copies", tap->pool_name));
    }
    qsort(g.buckets, g.n_buckets, sizeof *g.buckets, compare_buckets);
    state->groups = xrealloc(state->groups,
                             (state->n_groups + 1) * sizeof *state->groups);
    state->groups[state->n_groups++] = g;
    return true;
}

/* Adds to 'state' the meter 'meter_id' of 'tap''s rate limit. */
static void
add_hub_meter(struct vtap_switch_state *state, const struct vtap_tap_def *tap,
              uint32_t meter_id)
{
    state->meters = xrealloc(state->meters,
                             (state->n_meters + 1) * sizeof *state->meters);
    state->meters[state->n_meters++] = (struct vtap_meter) {
        .meter_id = meter_id,
        .tap = tap->uuid,
        .rate = tap->rate_limit,
        .kbps = tap->rate_unit == VTAP_RATE_KBPS,
        .burst = tap->rate_limit,
    };
}

/* Appends to 'ofpacts' the delivery of 'tap''s copies on hub 'sw': to the
 * pool's group 'id' or to its collector through port 'out', or onto its
 * local collector port.  Returns false, with a problem added, if that
 * cannot be done (yet: a port may still lack its number). */
static bool
put_delivery(struct vtap_switch_state *state,
             const struct vtap_switch_def *sw, const struct vtap_tap_def *tap,
             uint32_t id, ofp_port_t out, struct ofpbuf *ofpacts)
{
    if (tap->delivery == VTAP_DELIVERY_LOCAL) {
        ofp_port_t port = port_ofport(sw, tap->collector_port);

        if (!find_port_by_name(sw, tap->collector_port)) {
            add_problem(state, &tap->uuid,
                        xasprintf("no port %s on hub %s", tap->collector_port,
                                  sw->name));
            return false;
        } else if (port == OFPP_NONE) {
            return false;
        }
        ofpact_put_OUTPUT(ofpacts)->port = port;
    } else if (tap->pool) {
        if (!add_hub_group(state, tap, id, out)) {
            return false;
        }
        ofpact_put_GROUP(ofpacts)->group_id = id;
    } else if (!put_vxlan_output(ofpacts, tap->collector_ip, out)) {
        add_problem(state, &tap->uuid,
                    xasprintf("collector %s is not an IP address",
                              tap->collector_ip));
        return false;
    }
    return true;
}

/* Adds the hub flow of 'tap': its copies, which arrive on the hub's input
 * tunnel with its VNI, pass its meter, if it has a rate limit, and go to
 * their collector through tunnel 'out_name' (or back out of the input
 * tunnel if 'out_name' is NULL), or to its pool's group, or onto its local
 * collector port.  'id' is the Tap's group and meter ID. */
static void
add_hub_flow(struct vtap_switch_state *state, const struct vtap_switch_def *sw,
             const struct vtap_tap_def *tap, const char *out_name,
             uint32_t id)
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
    if (tap->rate_limit) {
        /* First: OpenFlow 1.3 and 1.4 carry a meter as an instruction that
         * precedes the actions. */
        ofpact_put_METER(&ofpacts)->meter_id = id;
    }
    if (!put_delivery(state, sw, tap, id, out, &ofpacts)) {
        ofpbuf_uninit(&ofpacts);
        return;
    }
    if (tap->rate_limit) {
        add_hub_meter(state, tap, id);
    }

    state->flows = xrealloc(state->flows,
                            (state->n_flows + 1) * sizeof *state->flows);
    struct vtap_flow *f = &state->flows[state->n_flows++];
    f->table_id = VTAP_HUB_TABLE;
    f->priority = VTAP_HUB_PRIORITY;
    f->cookie = vtap_cookie(&tap->uuid);
    struct match match;
    match_init_catchall(&match);
    match_set_in_port(&match, in);
    match_set_tun_id(&match, htonll(tap->vni));
    minimatch_init(&f->match, &match);
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

/* Returns the group and meter ID of 'tap' on a hub: VTAP_GROUP_MARK and
 * the low bits of its UUID, or the next ID that 'used' (sorted, 'n_used'
 * entries) does not hold. */
static uint32_t
pick_id(const struct vtap_tap_def *tap, const uint32_t *used, size_t n_used)
{
    uint32_t id = VTAP_GROUP_MARK | (tap->uuid.parts[0] & ~VTAP_GROUP_MASK);

    for (size_t i = 0; i < n_used; i++) {
        if (used[i] == id) {
            id = VTAP_GROUP_MARK | ((id + 1) & ~VTAP_GROUP_MASK);
            i = -1;             /* Look again from the start. */
        }
    }
    return id;
}

/* Adds to 'state' what the hub 'sw' needs for 'tap', delivered through it. */
static void
compute_hub_tap(struct vtap_switch_state *state,
                const struct vtap_input *input,
                const struct vtap_switch_def *sw,
                const struct vtap_tap_def *tap, uint32_t id)
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

    add_tunnel(state, VTAP_HUB_IN_PORT, "flow", "flow", VTAP_VXLAN_PORT);
    if (tap->delivery == VTAP_DELIVERY_LOCAL) {
        if (!tap->collector_port) {
            add_problem(state, &tap->uuid,
                        xasprintf("tap %s has local delivery but no "
                                  "collector_port", tap->name));
            return;
        }
        add_hub_flow(state, sw, tap, NULL, id);
        return;
    }
    if (!tap->collector_ip && !tap->pool_name) {
        add_problem(state, &tap->uuid,
                    xasprintf("tap %s has no collector", tap->name));
        return;
    }

    /* ovs-vswitchd refuses a second tunnel port configured exactly like
     * the input one ("File exists"): copies to the collector port that the
     * input tunnel uses leave through the input tunnel itself. */
    char *out_name = NULL;
    if (tap->udp_port != VTAP_VXLAN_PORT) {
        out_name = xasprintf(VTAP_HUB_OUT_PREFIX"%"PRIu16, tap->udp_port);
        add_tunnel(state, out_name, "flow", "flow", tap->udp_port);
    }
    add_hub_flow(state, sw, tap, out_name, id);
    free(out_name);
}

/* Adds to 'state' a flow per tunnel port of hub 'sw' that drops the copies
 * no Tap's flow takes (of an unknown VNI, or a disabled Tap's): a hub
 * bridge in standalone mode would flood them with NORMAL, to local
 * collector ports among others. */
static void
add_hub_drop_flows(struct vtap_switch_state *state,
                   const struct vtap_switch_def *sw)
{
    for (size_t i = 0; i < state->n_tunnels; i++) {
        ofp_port_t port = port_ofport(sw, state->tunnels[i].name);

        if (port == OFPP_NONE) {
            continue;
        }
        state->flows = xrealloc(state->flows,
                                (state->n_flows + 1) * sizeof *state->flows);
        struct vtap_flow *f = &state->flows[state->n_flows++];
        f->table_id = VTAP_HUB_TABLE;
        f->priority = VTAP_HUB_DROP_PRIORITY;
        f->cookie = VTAP_COOKIE_MARK;
        struct match match;
        match_init_catchall(&match);
        match_set_in_port(&match, port);
        minimatch_init(&f->match, &match);
        f->ofpacts = NULL;
        f->ofpacts_len = 0;
    }
}

static int
compare_taps_by_uuid(const void *a_, const void *b_)
{
    const struct vtap_tap_def *const *a = a_, *const *b = b_;
    return uuid_compare_3way(&(*a)->uuid, &(*b)->uuid);
}

/* Adds to 'state' what hub 'sw' needs for the enabled Taps delivered
 * through it.  A Tap whose 'id' is 0 takes a group and meter ID here, in
 * the order of the Taps' UUIDs, so that the same definitions always give
 * the same IDs; vtapd gives each Tap an ID of its own that it keeps (see
 * controller/vtapd-ids.h), and then the order does not matter. */
static void
compute_hub(struct vtap_switch_state *state, const struct vtap_input *input,
            const struct vtap_switch_def *sw)
{
    const struct vtap_tap_def **taps = xmalloc(MAX(input->n_taps, 1)
                                               * sizeof *taps);
    uint32_t *ids = xmalloc(MAX(input->n_taps, 1) * sizeof *ids);
    size_t n = 0;

    for (size_t i = 0; i < input->n_taps; i++) {
        if (input->taps[i].enabled && input->taps[i].hub == sw) {
            taps[n++] = &input->taps[i];
        }
    }
    qsort(taps, n, sizeof *taps, compare_taps_by_uuid);
    for (size_t i = 0; i < n; i++) {
        ids[i] = taps[i]->id ? taps[i]->id : pick_id(taps[i], ids, i);
        compute_hub_tap(state, input, sw, taps[i], ids[i]);
    }
    free(ids);
    free(taps);
    add_hub_drop_flows(state, sw);
}

static int
compare_groups(const void *a_, const void *b_)
{
    const struct vtap_group *a = a_, *b = b_;
    return a->group_id < b->group_id ? -1 : a->group_id > b->group_id;
}

static int
compare_meters(const void *a_, const void *b_)
{
    const struct vtap_meter *a = a_, *b = b_;
    return a->meter_id < b->meter_id ? -1 : a->meter_id > b->meter_id;
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
        compute_hub(state, input, sw);
    }

    qsort(state->tunnels, state->n_tunnels, sizeof *state->tunnels,
          compare_tunnels);
    qsort(state->mirrors, state->n_mirrors, sizeof *state->mirrors,
          compare_mirrors);
    qsort(state->flows, state->n_flows, sizeof *state->flows, compare_flows);
    qsort(state->groups, state->n_groups, sizeof *state->groups,
          compare_groups);
    qsort(state->meters, state->n_meters, sizeof *state->meters,
          compare_meters);
}

/* Frees what 'g' holds (not 'g' itself). */
void
vtap_group_destroy(struct vtap_group *g)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        free(g->buckets[i].collector);
        free(g->buckets[i].ofpacts);
    }
    free(g->buckets);
    g->buckets = NULL;
    g->n_buckets = 0;
}

/* Returns true if 'a' and 'b' have the same ID and buckets, and neither
 * has other properties than vtapd gives (their Taps and the buckets'
 * collector names are not compared: a switch knows neither).  Actions are
 * compared as bytes: the caller normalises them first if they may have been
 * built differently (vtapd's vtapd_normalize_actions()). */
bool
vtap_group_equal(const struct vtap_group *a, const struct vtap_group *b)
{
    if (a->group_id != b->group_id || a->n_buckets != b->n_buckets
        || a->other_props || b->other_props) {
        return false;
    }
    for (size_t i = 0; i < a->n_buckets; i++) {
        const struct vtap_bucket *x = &a->buckets[i], *y = &b->buckets[i];

        if (x->bucket_id != y->bucket_id
            || !ofpacts_equal(x->ofpacts, x->ofpacts_len,
                              y->ofpacts, y->ofpacts_len)) {
            return false;
        }
    }
    return true;
}

/* Returns true if 'a' and 'b' have the same ID, unit, rate and burst. */
bool
vtap_meter_equal(const struct vtap_meter *a, const struct vtap_meter *b)
{
    return (a->meter_id == b->meter_id && a->rate == b->rate
            && a->kbps == b->kbps && a->burst == b->burst);
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
        minimatch_destroy(&state->flows[i].match);
        free(state->flows[i].ofpacts);
    }
    free(state->flows);
    for (size_t i = 0; i < state->n_groups; i++) {
        vtap_group_destroy(&state->groups[i]);
    }
    free(state->groups);
    free(state->meters);
    for (size_t i = 0; i < state->n_problems; i++) {
        free(state->problems[i].message);
    }
    free(state->problems);
    memset(state, 0, sizeof *state);
}
