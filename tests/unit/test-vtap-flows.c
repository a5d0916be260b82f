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

/* Unit tests for flows/vtap-flows.c: TAP definitions in, what each switch
 * must hold out. */

#include <config.h>
#include "flows/vtap-flows.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "mirror-filter.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-port.h"
#include "util.h"
#include "uuid.h"

/* The switches of every test: two spokes and a hub, with their ports. */
static const struct vtap_port_fact spoke1_ports[] = {
    { "vm1", "iface-vm1", "", 1, 0 },
    { "vm2", "iface-vm2", "", 2, 0 },
    { "vx-other", NULL, "vxlan", 3, 0 },
    { "patch-tun", NULL, "patch", 4, 0 },
};
static const struct vtap_port_fact spoke2_ports[] = {
    { "vm5", "iface-vm5", "", 1, 0 },
};
static const struct vtap_port_fact hub_ports[] = {
    { VTAP_HUB_IN_PORT, NULL, "vxlan", 1, 0 },
    { VTAP_HUB_OUT_PREFIX "4790", NULL, "vxlan", 2, 0 },
    { VTAP_HUB_OUT_PREFIX "6081", NULL, "vxlan", OFPP_NONE, 0 },
};

static const struct vtap_switch_def spoke1 = {
    .name = "spoke1", .is_hub = false, .underlay_ip = "172.31.255.1",
    .ports = spoke1_ports, .n_ports = ARRAY_SIZE(spoke1_ports),
};
static const struct vtap_switch_def spoke2 = {
    .name = "spoke2", .is_hub = false, .underlay_ip = "172.31.255.2",
    .ports = spoke2_ports, .n_ports = ARRAY_SIZE(spoke2_ports),
};
static const struct vtap_switch_def hub = {
    .name = "hub", .is_hub = true, .underlay_ip = "172.31.255.10",
    .ports = hub_ports, .n_ports = ARRAY_SIZE(hub_ports),
};

/* Returns a UUID whose first 32 bits are 'n'. */
static struct uuid
uuid_n(uint32_t n)
{
    struct uuid u = { .parts = { n, 0x11111111, 0x22222222, 0x33333333 } };
    return u;
}

/* Returns a Tap numbered 'n' with VNI 'vni', to 172.31.255.100 through the
 * hub. */
static struct vtap_tap_def
tap_n(uint32_t n, const char *name, uint32_t vni)
{
    struct vtap_tap_def tap = {
        .uuid = uuid_n(n), .name = name, .collector_ip = "172.31.255.100",
        .udp_port = 4789, .vni = vni, .sampling = 1, .hub = &hub,
        .enabled = true,
    };
    return tap;
}

static struct vtap_source_def
source_n(uint32_t n, const struct vtap_tap_def *tap,
         const struct vtap_switch_def *sw, const char *port,
         enum vtap_direction direction)
{
    struct vtap_source_def s = {
        .uuid = uuid_n(n), .tap = tap, .sw = sw, .port = port,
        .direction = direction,
    };
    return s;
}

/* Returns 'flow' as "table=T,priority=P,cookie=C,MATCH actions=ACTIONS", for
 * the caller to free(). */
static char *
flow_to_string(const struct vtap_flow *flow)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ofpact_format_params fp = { .s = &s };

    ds_put_format(&s, "table=%"PRIu8",priority=%"PRIu16",cookie=%#"PRIx64",",
                  flow->table_id, flow->priority, flow->cookie);
    minimatch_format(&flow->match, NULL, NULL, &s, OFP_DEFAULT_PRIORITY);
    ds_put_cstr(&s, " actions=");
    ofpacts_format(flow->ofpacts, flow->ofpacts_len, &fp);
    return ds_steal_cstr(&s);
}

/* Returns the 'i'th flow of a Tap in 'state', a hub's: after the hub's drop
 * flows, which have the smallest cookie. */
static const struct vtap_flow *
tap_flow(const struct vtap_switch_state *state, size_t i)
{
    size_t n_drop = 0;

    while (n_drop < state->n_flows
           && state->flows[n_drop].priority == VTAP_HUB_DROP_PRIORITY) {
        n_drop++;
    }
    assert_true(n_drop + i < state->n_flows);
    return &state->flows[n_drop + i];
}

static void
assert_tunnel(const struct vtap_tunnel *t, const char *name,
              const char *remote_ip, const char *key, uint16_t dst_port)
{
    assert_string_equal(t->name, name);
    assert_string_equal(t->remote_ip, remote_ip);
    assert_string_equal(t->key, key);
    assert_int_equal(t->dst_port, dst_port);
}

static void
assert_problem(const struct vtap_switch_state *state, const struct uuid *row,
               const char *message)
{
    for (size_t i = 0; i < state->n_problems; i++) {
        if (uuid_equals(&state->problems[i].row, row)
            && !strcmp(state->problems[i].message, message)) {
            return;
        }
    }
    fail_msg("no problem \"%s\" (%"PRIuSIZE" problems, first \"%s\")",
             message, state->n_problems,
             state->n_problems ? state->problems[0].message : "");
}

static void
test_two_taps_on_one_source(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "all", 100),
        tap_n(0xaaaa0002, "sampled", 200),
    };
    taps[1].sampling = 0.01;
    taps[1].snaplen = 128;
    struct vtap_source_def sources[] = {
        source_n(0xbbbb0001, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(0xbbbb0002, &taps[1], &spoke1, "vm1", VTAP_DIR_EGRESS),
    };
    struct vtap_input input = { taps, 2, sources, 2 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_problems, 0);
    assert_int_equal(state.n_flows, 0);

    /* A tunnel per Tap, to the hub, with the Tap's VNI. */
    assert_int_equal(state.n_tunnels, 2);
    assert_tunnel(&state.tunnels[0], "vtaaaa0001", "172.31.255.10", "100",
                  4789);
    assert_tunnel(&state.tunnels[1], "vtaaaa0002", "172.31.255.10", "200",
                  4789);

    /* A Mirror per source. */
    assert_int_equal(state.n_mirrors, 2);
    const struct vtap_mirror *m = &state.mirrors[0];
    assert_string_equal(m->name, "vtap-bbbb0001");
    assert_true(uuid_equals(&m->source, &sources[0].uuid));
    assert_string_equal(m->select_src_port, "vm1");
    assert_string_equal(m->select_dst_port, "vm1");
    assert_string_equal(m->output_port, "vtaaaa0001");
    assert_int_equal(m->snaplen, 0);
    assert_true(m->sample_probability == 1);
    assert_int_equal(m->n_rules, 0);

    m = &state.mirrors[1];
    assert_string_equal(m->name, "vtap-bbbb0002");
    assert_string_equal(m->select_src_port, "vm1");
    assert_null(m->select_dst_port);
    assert_string_equal(m->output_port, "vtaaaa0002");
    assert_int_equal(m->snaplen, 128);
    assert_true(m->sample_probability == 0.01);
    vtap_switch_state_destroy(&state);
}

static void
test_tap_across_spokes_and_hub(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    struct vtap_source_def sources[] = {
        source_n(1, &taps[0], &spoke1, "vm1", VTAP_DIR_INGRESS),
        source_n(2, &taps[0], &spoke1, "vm2", VTAP_DIR_BOTH),
        source_n(3, &taps[0], &spoke2, NULL, VTAP_DIR_BOTH),
    };
    sources[2].iface_id = "iface-vm5";
    struct vtap_input input = { taps, 1, sources, 3 };
    struct vtap_switch_state state;

    /* spoke1: one tunnel shared by its two sources. */
    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_tunnels, 1);
    assert_int_equal(state.n_mirrors, 2);
    assert_null(state.mirrors[0].select_src_port);
    assert_string_equal(state.mirrors[0].select_dst_port, "vm1");
    assert_string_equal(state.mirrors[1].select_src_port, "vm2");
    vtap_switch_state_destroy(&state);

    /* spoke2: the port found by its iface-id. */
    vtap_compute_switch(&input, &spoke2, &state);
    assert_int_equal(state.n_problems, 0);
    assert_int_equal(state.n_mirrors, 1);
    assert_string_equal(state.mirrors[0].select_src_port, "vm5");
    assert_tunnel(&state.tunnels[0], "vtaaaa0001", "172.31.255.10", "100",
                  4789);
    vtap_switch_state_destroy(&state);

    /* The hub: one tunnel that receives the copies and, since the
     * collector listens on the same UDP port, sends them on (ovs-vswitchd
     * would refuse a second tunnel configured like it), and the Tap's
     * flow. */
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_problems, 0);
    assert_int_equal(state.n_mirrors, 0);
    assert_int_equal(state.n_tunnels, 1);
    assert_tunnel(&state.tunnels[0], "vtap-in", "flow", "flow", 4789);
    assert_int_equal(state.n_flows, 2);
    char *s = flow_to_string(&state.flows[0]);
    assert_string_equal(s, "table=0,priority=100,cookie=0x7674000000000000,"
                        "in_port=1 actions=drop");
    free(s);
    s = flow_to_string(tap_flow(&state, 0));
    assert_string_equal(s, "table=0,priority=1000,cookie=0x76740000aaaa0001,"
                        "tun_id=0x64,in_port=1 "
                        "actions=set_field:172.31.255.100->tun_dst,"
                        "IN_PORT");
    free(s);
    vtap_switch_state_destroy(&state);
}

static void
test_direct_delivery(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "direct", 7) };
    taps[0].hub = NULL;
    taps[0].udp_port = 6081;
    taps[0].collector_ip = "2001:db8::100";
    struct vtap_source_def sources[] = {
        source_n(1, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
    };
    struct vtap_input input = { taps, 1, sources, 1 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &spoke1, &state);
    assert_tunnel(&state.tunnels[0], "vtaaaa0001", "2001:db8::100", "7",
                  6081);
    vtap_switch_state_destroy(&state);

    /* Nothing on the hub. */
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_tunnels + state.n_mirrors + state.n_flows
                     + state.n_problems, 0);
    vtap_switch_state_destroy(&state);
}

static void
test_removal(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    struct vtap_source_def sources[] = {
        source_n(1, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
    };
    struct vtap_input input = { taps, 1, sources, 1 };
    struct vtap_switch_state state;

    /* A disabled Tap leaves nothing anywhere. */
    taps[0].enabled = false;
    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_tunnels + state.n_mirrors, 0);
    vtap_switch_state_destroy(&state);
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_tunnels + state.n_flows, 0);
    vtap_switch_state_destroy(&state);

    /* Neither does a Tap without sources on a spoke. */
    taps[0].enabled = true;
    input.n_sources = 0;
    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_tunnels + state.n_mirrors, 0);
    vtap_switch_state_destroy(&state);
}

/* Parses 'text' into 'rule' with 'number' and 'directions'. */
static void
make_rule(struct mirror_filter_rule *rule, uint16_t number,
          unsigned int directions, const char *text)
{
    char *error = mirror_filter_rule_parse(text, rule);
    if (error) {
        fail_msg("%s", error);
    }
    rule->number = number;
    rule->directions = directions;
}

static void
test_filter_rules(void **state_ OVS_UNUSED)
{
    struct mirror_filter_rule rules[4];
    make_rule(&rules[0], 20, MIRROR_FILTER_TO_PORT, "accept,proto=icmp");
    make_rule(&rules[1], 10, MIRROR_FILTER_FROM_PORT,
              "reject,proto=tcp,dst_port=22");
    make_rule(&rules[2], 10, MIRROR_FILTER_TO_PORT,
              "reject,src=10.0.0.7");
    make_rule(&rules[3], 30, MIRROR_FILTER_FROM_PORT,
              "accept,dst=10.0.0.0/24");
    struct vtap_filter_def filter = {
        .name = "f", .rules = rules, .n_rules = 4,
    };
    struct vtap_filter_def egress_only = {
        .name = "g", .rules = &rules[1], .n_rules = 1,
    };
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    struct vtap_source_def sources[] = {
        source_n(1, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(2, &taps[0], &spoke1, "vm2", VTAP_DIR_INGRESS),
    };
    sources[0].filter = &filter;
    sources[1].filter = &egress_only;
    struct vtap_input input = { taps, 1, sources, 2 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_mirrors, 2);

    /* Both directions: egress rules first, each direction in its order,
     * renumbered because numbers repeat across directions. */
    const struct vtap_mirror *m = &state.mirrors[0];
    static const char *const expected[] = {
        "reject,direction=from-port,proto=tcp,dst_port=22",
        "accept,direction=from-port,dst=10.0.0.0/24",
        "reject,direction=to-port,src=10.0.0.7/32",
        "accept,direction=to-port,proto=icmp",
    };
    assert_int_equal(m->n_rules, ARRAY_SIZE(expected));
    for (size_t i = 0; i < m->n_rules; i++) {
        assert_int_equal(m->rule_numbers[i], i + 1);
        assert_string_equal(m->rules[i], expected[i]);
    }

    /* The rules must compile as ovs-vswitchd will compile them. */
    struct mirror_filter *compiled;
    char *error = mirror_filter_create(m->rule_numbers, m->rules, m->n_rules,
                                       &compiled);
    assert_null(error);
    mirror_filter_destroy(compiled);

    /* An ingress source whose filter has only egress rules copies nothing:
     * no rule matches its packets. */
    m = &state.mirrors[1];
    assert_int_equal(m->n_rules, 1);
    assert_string_equal(m->rules[0], "reject,direction=to-port");
    vtap_switch_state_destroy(&state);
}

static void
test_problems(void **state_ OVS_UNUSED)
{
    struct vtap_switch_def no_ip_hub = hub;
    no_ip_hub.underlay_ip = NULL;
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "t1", 100),
        tap_n(0xaaaa0002, "t2", 100),
        tap_n(0xaaaa0003, "t3", 300),
    };
    taps[2].hub = &no_ip_hub;
    struct vtap_source_def sources[] = {
        source_n(1, &taps[0], &spoke1, "vm9", VTAP_DIR_BOTH),
        source_n(2, &taps[0], &spoke1, "vx-other", VTAP_DIR_BOTH),
        source_n(3, &taps[0], &spoke1, "patch-tun", VTAP_DIR_BOTH),
        source_n(4, &taps[0], &hub, "vtap-in", VTAP_DIR_BOTH),
        source_n(5, &taps[2], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(6, &taps[0], &spoke1, NULL, VTAP_DIR_BOTH),
    };
    sources[5].iface_id = "no-such-iface";
    struct vtap_input input = { taps, 3, sources, 6 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_mirrors, 0);
    assert_int_equal(state.n_tunnels, 0);
    assert_problem(&state, &sources[0].uuid, "no port vm9 on switch spoke1");
    assert_problem(&state, &sources[1].uuid,
                   "port vx-other on switch spoke1 is a vxlan port: its "
                   "copies would loop");
    assert_problem(&state, &sources[2].uuid,
                   "port patch-tun on switch spoke1 is a patch port: its "
                   "copies would loop");
    assert_problem(&state, &sources[4].uuid, "hub hub has no underlay_ip");
    assert_problem(&state, &sources[5].uuid,
                   "no port with iface-id no-such-iface on switch spoke1");
    vtap_switch_state_destroy(&state);

    /* On the hub: its own port as a source, and two Taps with one VNI. */
    vtap_compute_switch(&input, &hub, &state);
    assert_problem(&state, &sources[3].uuid,
                   "switch hub is a hub: its ports cannot be sources");
    assert_problem(&state, &taps[1].uuid,
                   "VNI 100 is also used by tap t1 on hub hub: copies cannot "
                   "be told apart");
    assert_int_equal(state.n_flows, 2);
    assert_int_equal(tap_flow(&state, 0)->cookie,
                     vtap_cookie(&taps[0].uuid));
    vtap_switch_state_destroy(&state);
}

static void
test_hub_other_udp_port(void **state_ OVS_UNUSED)
{
    /* A collector on UDP port 4790: copies leave through vtap-out-4790. */
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    taps[0].udp_port = 4790;
    struct vtap_input input = { taps, 1, NULL, 0 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_tunnels, 2);
    assert_tunnel(&state.tunnels[0], "vtap-in", "flow", "flow", 4789);
    assert_tunnel(&state.tunnels[1], "vtap-out-4790", "flow", "flow", 4790);
    /* Drop flows on both tunnels, and the Tap's. */
    assert_int_equal(state.n_flows, 3);
    char *s = flow_to_string(tap_flow(&state, 0));
    assert_string_equal(s, "table=0,priority=1000,cookie=0x76740000aaaa0001,"
                        "tun_id=0x64,in_port=1 "
                        "actions=set_field:172.31.255.100->tun_dst,output:2");
    free(s);
    vtap_switch_state_destroy(&state);
}

static void
test_hub_ports_pending(void **state_ OVS_UNUSED)
{
    /* The output port for UDP port 6081 has no number yet: the port is
     * wanted, the flow waits. */
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    taps[0].udp_port = 6081;
    struct vtap_input input = { taps, 1, NULL, 0 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_tunnels, 2);
    assert_tunnel(&state.tunnels[1], "vtap-out-6081", "flow", "flow", 6081);
    /* Only vtap-in's drop flow. */
    assert_int_equal(state.n_flows, 1);
    assert_int_equal(state.flows[0].priority, VTAP_HUB_DROP_PRIORITY);
    assert_int_equal(state.n_problems, 0);
    vtap_switch_state_destroy(&state);
}

/* Returns how many buckets of 'g' send to 'ip'. */
static size_t
count_buckets(const struct vtap_group *g, const char *ip)
{
    size_t n = 0;

    for (size_t i = 0; i < g->n_buckets; i++) {
        n += !strcmp(g->buckets[i].collector, ip);
    }
    return n;
}

/* Returns true if 'g' has a bucket with 'id' that sends to 'ip'. */
static bool
has_bucket(const struct vtap_group *g, uint32_t id, const char *ip)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (g->buckets[i].bucket_id == id
            && !strcmp(g->buckets[i].collector, ip)) {
            return true;
        }
    }
    return false;
}

static void
test_pool(void **state_ OVS_UNUSED)
{
    struct vtap_collector_def pool[] = {
        { "10.9.0.1", 2, false },
        { "10.9.0.2", 4, false },
        { "10.9.0.3", 6, false },
    };
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    taps[0].collector_ip = NULL;
    taps[0].pool_name = "p";
    taps[0].pool = pool;
    taps[0].n_pool = ARRAY_SIZE(pool);
    struct vtap_input input = { taps, 1, NULL, 0 };
    struct vtap_switch_state state;

    /* Weights 2:4:6 become 1, 2 and 3 buckets of a select group that
     * hashes the inner 5-tuple; the flow sends to the group. */
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_problems, 0);
    assert_int_equal(state.n_groups, 1);
    const struct vtap_group *g = &state.groups[0];
    assert_int_equal(g->group_id, 0x76740001);
    assert_true(vtap_is_owned_id(g->group_id));
    assert_int_equal(g->n_buckets, 6);
    assert_int_equal(count_buckets(g, "10.9.0.1"), 1);
    assert_int_equal(count_buckets(g, "10.9.0.2"), 2);
    assert_int_equal(count_buckets(g, "10.9.0.3"), 3);
    for (size_t i = 1; i < g->n_buckets; i++) {
        assert_true(g->buckets[i - 1].bucket_id < g->buckets[i].bucket_id);
    }
    char *s = flow_to_string(tap_flow(&state, 0));
    assert_string_equal(s, "table=0,priority=1000,cookie=0x76740000aaaa0001,"
                        "tun_id=0x64,in_port=1 actions=group:1987313665");
    free(s);
    struct vtap_switch_state before = state;

    /* Marking a member down removes its buckets and leaves the others'
     * IDs alone: the select group's rendezvous hashing then moves only the
     * flows of that member. */
    pool[1].down = true;
    vtap_compute_switch(&input, &hub, &state);
    g = &state.groups[0];
    assert_int_equal(g->n_buckets, 4);
    for (size_t i = 0; i < g->n_buckets; i++) {
        assert_true(has_bucket(&before.groups[0], g->buckets[i].bucket_id,
                               g->buckets[i].collector));
    }
    assert_false(vtap_group_equal(g, &before.groups[0]));
    vtap_switch_state_destroy(&state);
    vtap_switch_state_destroy(&before);

    /* No member up: an empty group, which drops, and a problem. */
    pool[0].down = pool[2].down = true;
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.groups[0].n_buckets, 0);
    assert_problem(&state, &taps[0].uuid,
                   "pool p has no member up: the hub drops the copies");
    vtap_switch_state_destroy(&state);
}

static void
test_pool_weights_scaled(void **state_ OVS_UNUSED)
{
    struct vtap_collector_def pool[] = {
        { "10.9.0.1", 1, false },
        { "10.9.0.2", 1000, false },
    };
    struct vtap_tap_def taps[] = { tap_n(0xaaaa0001, "t1", 100) };
    taps[0].collector_ip = NULL;
    taps[0].pool_name = "p";
    taps[0].pool = pool;
    taps[0].n_pool = ARRAY_SIZE(pool);
    struct vtap_input input = { taps, 1, NULL, 0 };
    struct vtap_switch_state state;

    /* 1001 buckets would be too many: scaled to 256, and the light member
     * keeps one. */
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.groups[0].n_buckets, 1 + 256);
    assert_int_equal(count_buckets(&state.groups[0], "10.9.0.2"), 256);
    assert_int_equal(count_buckets(&state.groups[0], "10.9.0.1"), 1);
    vtap_switch_state_destroy(&state);
}

static void
test_meter(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "pps", 100),
        tap_n(0xbbbb0001, "kbps", 101),
    };
    taps[0].rate_limit = 100;
    taps[1].rate_limit = 5000;
    taps[1].rate_unit = VTAP_RATE_KBPS;
    struct vtap_input input = { taps, 2, NULL, 0 };
    struct vtap_switch_state state;

    /* Both Taps' low UUID bits are 0x0001: the first by UUID keeps
     * 0x76740001, the other takes the next ID. */
    vtap_compute_switch(&input, &hub, &state);
    assert_int_equal(state.n_meters, 2);
    assert_int_equal(state.meters[0].meter_id, 0x76740001);
    assert_true(uuid_equals(&state.meters[0].tap, &taps[0].uuid));
    assert_int_equal(state.meters[0].rate, 100);
    assert_false(state.meters[0].kbps);
    assert_int_equal(state.meters[1].meter_id, 0x76740002);
    assert_true(state.meters[1].kbps);
    assert_int_equal(state.meters[1].burst, 5000);
    char *s = flow_to_string(tap_flow(&state, 0));
    assert_string_equal(s, "table=0,priority=1000,cookie=0x76740000aaaa0001,"
                        "tun_id=0x64,in_port=1 actions=meter:1987313665,"
                        "set_field:172.31.255.100->tun_dst,IN_PORT");
    free(s);
    vtap_switch_state_destroy(&state);
}

/* A Tap's rate limit caps each of its sources' copies on the spoke too. */
static void
test_source_rate_limit(void **state_ OVS_UNUSED)
{
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "pps", 100),
        tap_n(0xaaaa0002, "kbps", 200),
        tap_n(0xaaaa0003, "unlimited", 300),
    };
    taps[0].rate_limit = 100;
    taps[1].rate_limit = 5000;
    taps[1].rate_unit = VTAP_RATE_KBPS;
    struct vtap_source_def sources[] = {
        source_n(0xbbbb0001, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(0xbbbb0002, &taps[1], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(0xbbbb0003, &taps[2], &spoke1, "vm1", VTAP_DIR_BOTH),
    };
    struct vtap_input input = { taps, 3, sources, 3 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_problems, 0);
    assert_int_equal(state.n_mirrors, 3);
    assert_int_equal(state.mirrors[0].rate_limit, 100);
    assert_false(state.mirrors[0].rate_kbps);
    assert_int_equal(state.mirrors[1].rate_limit, 5000);
    assert_true(state.mirrors[1].rate_kbps);
    assert_int_equal(state.mirrors[2].rate_limit, 0);
    /* The spoke has no meter of its own: the Mirror's is ovs-vswitchd's. */
    assert_int_equal(state.n_meters, 0);
    vtap_switch_state_destroy(&state);
}

/* Returns the number of warnings in 'state'. */
static size_t
count_warnings(const struct vtap_switch_state *state)
{
    size_t n = 0;

    for (size_t i = 0; i < state->n_problems; i++) {
        n += state->problems[i].warning;
    }
    return n;
}

/* A Mirror's longest copy: each VXLAN hop's underlay MTU less its headers,
 * or none if every frame of the source's port fits; a source whose frames
 * may be longer, with copies dropped, is warned about. */
static void
test_copy_len(void **state_ OVS_UNUSED)
{
    struct vtap_port_fact ports[] = {
        { "vm1", NULL, "", 1, 0 },
    };
    struct vtap_switch_def jumbo_spoke = {
        .name = "js", .underlay_ip = "172.31.255.3", .underlay_mtu = 9000,
        .ports = ports, .n_ports = ARRAY_SIZE(ports),
    };
    struct vtap_switch_def jumbo_hub = hub;
    jumbo_hub.underlay_mtu = 9000;
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "default", 100),
        tap_n(0xaaaa0002, "hub1500", 200),
        tap_n(0xaaaa0003, "direct6", 300),
        tap_n(0xaaaa0004, "dropping", 400),
        tap_n(0xaaaa0005, "snapped", 500),
    };
    taps[0].hub = &jumbo_hub;
    taps[0].truncate_oversize = true;
    taps[1].truncate_oversize = true;
    taps[2].hub = NULL;
    taps[2].collector_ip = "fd00::64";
    taps[2].truncate_oversize = true;
    taps[3].hub = &jumbo_hub;
    taps[4].hub = &jumbo_hub;
    taps[4].snaplen = 1400;
    struct vtap_source_def sources[ARRAY_SIZE(taps)];
    for (size_t i = 0; i < ARRAY_SIZE(taps); i++) {
        sources[i] = source_n(0xbbbb0001 + i, &taps[i], &jumbo_spoke, "vm1",
                              VTAP_DIR_BOTH);
    }
    struct vtap_input input = { taps, ARRAY_SIZE(taps), sources,
                                ARRAY_SIZE(sources) };
    struct vtap_switch_state state;

    /* vm1's MTU is not known: every Mirror checks. */
    vtap_compute_switch(&input, &jumbo_spoke, &state);
    assert_int_equal(state.n_mirrors, 5);
    /* Both hops jumbo, IPv4. */
    assert_int_equal(state.mirrors[0].max_copy_len, 9000 - 36);
    assert_true(state.mirrors[0].truncate_oversize);
    /* The hub's own underlay (the default 1500) limits the second hop. */
    assert_int_equal(state.mirrors[1].max_copy_len, 1500 - 36);
    /* Directly to an IPv6 collector: IPv6's longer header. */
    assert_int_equal(state.mirrors[2].max_copy_len, 9000 - 56);
    assert_false(state.mirrors[3].truncate_oversize);
    /* A snaplen of 1400 makes every copy fit. */
    assert_int_equal(state.mirrors[4].max_copy_len, 0);
    assert_int_equal(state.n_problems, 0);
    vtap_switch_state_destroy(&state);

    /* vm1's MTU is 1500, so its frames are 1518 bytes at most, with a VLAN
     * tag: they fit where the underlays are jumbo, and there the datapath
     * checks nothing. */
    ports[0].mtu = 1500;
    vtap_compute_switch(&input, &jumbo_spoke, &state);
    assert_int_equal(state.mirrors[0].max_copy_len, 0);
    assert_int_equal(state.mirrors[1].max_copy_len, 1464);
    assert_int_equal(state.mirrors[2].max_copy_len, 0);
    assert_int_equal(state.mirrors[3].max_copy_len, 0);
    assert_int_equal(state.n_problems, 0);
    vtap_switch_state_destroy(&state);

    /* A spoke at the default MTU: vm1's longest frames do not fit.  Only
     * the Tap that drops them, without a snaplen that fits, is warned
     * about, and it works still. */
    jumbo_spoke.underlay_mtu = 0;
    vtap_compute_switch(&input, &jumbo_spoke, &state);
    assert_int_equal(state.n_mirrors, 5);
    assert_int_equal(state.mirrors[3].max_copy_len, 1464);
    assert_int_equal(count_warnings(&state), 1);
    assert_int_equal(state.n_problems, 1);
    assert_true(uuid_equals(&state.problems[0].row, &sources[3].uuid));
    assert_string_equal(state.problems[0].message,
                        "copies of frames longer than 1464 bytes (port "
                        "vm1's MTU allows 1518, with a VLAN tag) do not fit "
                        "the underlay MTU and are dropped, counted as "
                        "oversize; set the tap's oversize=truncate or a "
                        "snaplen of at most 1464");
    vtap_switch_state_destroy(&state);
}

static void
test_local_delivery(void **state_ OVS_UNUSED)
{
    static const struct vtap_port_fact ports[] = {
        { VTAP_HUB_IN_PORT, NULL, "vxlan", 1, 0 },
        { "col1", NULL, "", 7, 0 },
    };
    static const struct vtap_switch_def hub2 = {
        .name = "hub2", .is_hub = true, .underlay_ip = "172.31.255.11",
        .ports = ports, .n_ports = ARRAY_SIZE(ports),
    };
    struct vtap_tap_def taps[] = {
        tap_n(0xaaaa0001, "local", 100),
        tap_n(0xbbbb0002, "missing", 101),
    };
    taps[0].hub = taps[1].hub = &hub2;
    taps[0].collector_ip = taps[1].collector_ip = NULL;
    taps[0].delivery = taps[1].delivery = VTAP_DELIVERY_LOCAL;
    taps[0].collector_port = "col1";
    taps[1].collector_port = "col9";
    struct vtap_input input = { taps, 2, NULL, 0 };
    struct vtap_switch_state state;

    vtap_compute_switch(&input, &hub2, &state);
    assert_int_equal(state.n_flows, 2);
    char *s = flow_to_string(tap_flow(&state, 0));
    assert_string_equal(s, "table=0,priority=1000,cookie=0x76740000aaaa0001,"
                        "tun_id=0x64,in_port=1 actions=output:7");
    free(s);
    assert_problem(&state, &taps[1].uuid, "no port col9 on hub hub2");
    vtap_switch_state_destroy(&state);
}

static void
test_direct_needs_hub(void **state_ OVS_UNUSED)
{
    struct vtap_collector_def pool[] = { { "10.9.0.1", 1, false } };
    struct vtap_tap_def taps[] = {
        tap_n(1, "pooled", 1), tap_n(2, "limited", 2), tap_n(3, "local", 3),
    };
    taps[0].pool_name = "p";
    taps[0].pool = pool;
    taps[0].n_pool = 1;
    taps[0].collector_ip = NULL;
    taps[1].rate_limit = 10;
    taps[2].delivery = VTAP_DELIVERY_LOCAL;
    taps[2].collector_port = "col1";
    struct vtap_source_def sources[] = {
        source_n(11, &taps[0], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(12, &taps[1], &spoke1, "vm1", VTAP_DIR_BOTH),
        source_n(13, &taps[2], &spoke1, "vm1", VTAP_DIR_BOTH),
    };
    for (size_t i = 0; i < ARRAY_SIZE(taps); i++) {
        taps[i].hub = NULL;
    }
    struct vtap_input input = { taps, 3, sources, 3 };
    struct vtap_switch_state state;

    /* A spoke's Mirror cannot spread or decapsulate, and limits each
     * source alone, not the Tap: nothing is mirrored, and the sources say
     * why. */
    vtap_compute_switch(&input, &spoke1, &state);
    assert_int_equal(state.n_mirrors, 0);
    assert_int_equal(state.n_tunnels, 0);
    assert_problem(&state, &sources[0].uuid,
                   "tap pooled has no hub, which a collector pool needs");
    assert_problem(&state, &sources[1].uuid,
                   "tap limited has no hub, which a rate limit needs");
    assert_problem(&state, &sources[2].uuid,
                   "tap local has no hub, which local delivery needs");
    vtap_switch_state_destroy(&state);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_taps_on_one_source),
        cmocka_unit_test(test_tap_across_spokes_and_hub),
        cmocka_unit_test(test_direct_delivery),
        cmocka_unit_test(test_removal),
        cmocka_unit_test(test_filter_rules),
        cmocka_unit_test(test_problems),
        cmocka_unit_test(test_hub_other_udp_port),
        cmocka_unit_test(test_hub_ports_pending),
        cmocka_unit_test(test_pool),
        cmocka_unit_test(test_pool_weights_scaled),
        cmocka_unit_test(test_meter),
        cmocka_unit_test(test_source_rate_limit),
        cmocka_unit_test(test_copy_len),
        cmocka_unit_test(test_local_delivery),
        cmocka_unit_test(test_direct_needs_hub),
    };

    return cmocka_run_group_tests_name("vtap-flows", tests, NULL, NULL);
}
