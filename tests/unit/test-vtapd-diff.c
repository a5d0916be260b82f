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

/* Unit tests for controller/vtapd-diff.c: Filter_Rule columns to filter
 * rules, and installed flows to flow-mods. */

#include <config.h>
#include "controller/vtapd-diff.h"
#include "controller/vtapd-counters.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "flow.h"
#include "flows/vtap-flows.h"
#include "openvswitch/meta-flow.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-port.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* Fills in 'f': table 0, 'priority', 'cookie', matching in_port 'in', with
 * actions set tun_dst to 'tun_dst' and output to 'out'.  'junk' fills the
 * action buffer first, as uninitialized memory would. */
static void
make_flow(struct vtap_flow *f, uint16_t priority, uint64_t cookie,
          ofp_port_t in, ovs_be32 tun_dst, ofp_port_t out, uint8_t junk)
{
    struct ofpbuf ofpacts;
    union mf_value value;

    memset(f, 0, sizeof *f);
    f->priority = priority;
    f->cookie = cookie;
    struct match match;
    match_init_catchall(&match);
    match_set_in_port(&match, in);
    minimatch_init(&f->match, &match);

    ofpbuf_init(&ofpacts, 256);
    memset(ofpacts.base, junk, ofpacts.allocated);
    memset(&value, 0, sizeof value);
    value.be32 = tun_dst;
    ofpact_put_set_field(&ofpacts, mf_from_id(MFF_TUN_DST), &value, NULL);
    ofpact_put_OUTPUT(&ofpacts)->port = out;
    f->ofpacts_len = ofpacts.size;
    f->ofpacts = ofpbuf_steal_data(&ofpacts);
}

static void
free_flows(struct vtap_flow *flows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        minimatch_destroy(&flows[i].match);
        free(flows[i].ofpacts);
    }
}

/* Makes a table of the 'n' flows in 'flows', with their actions
 * normalised for OpenFlow 1.5, as vtapd holds what a switch holds. */
static void
make_table(struct vtapd_flow_table *t, struct vtap_flow *flows, size_t n)
{
    vtapd_flow_table_init(t);
    for (size_t i = 0; i < n; i++) {
        assert_true(vtapd_normalize_instructions(&flows[i].ofpacts,
                                                 &flows[i].ofpacts_len,
                                                 OFP15_VERSION));
        vtapd_flow_table_add(t, &flows[i]);
    }
}

static void
normalize_flows(struct vtap_flow *flows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_true(vtapd_normalize_instructions(&flows[i].ofpacts,
                                                 &flows[i].ofpacts_len,
                                                 OFP15_VERSION));
    }
}

static void
test_diff_same(void **state OVS_UNUSED)
{
    struct vtap_flow desired[2], installed[2];
    struct vtapd_flow_table table;
    struct vtapd_flow_op *ops;

    /* The same flows, built with different garbage in their buffers, in
     * another order: once normalised, nothing to send. */
    make_flow(&desired[0], 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
              htonl(0x0a000001), u16_to_ofp(2), 0x00);
    make_flow(&desired[1], 1000, VTAP_COOKIE_MARK | 2, u16_to_ofp(3),
              htonl(0x0a000002), u16_to_ofp(2), 0x00);
    make_flow(&installed[0], 1000, VTAP_COOKIE_MARK | 2, u16_to_ofp(3),
              htonl(0x0a000002), u16_to_ofp(2), 0xff);
    make_flow(&installed[1], 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
              htonl(0x0a000001), u16_to_ofp(2), 0x5a);
    normalize_flows(desired, 2);
    make_table(&table, installed, 2);
    assert_int_equal(vtapd_flow_table_count(&table), 2);
    assert_int_equal(vtapd_diff_flows(desired, 2, &table, &ops), 0);
    assert_null(ops);
    vtapd_flow_table_destroy(&table);
    free_flows(desired, 2);
    free_flows(installed, 2);
}

/* Normalising is a fixed point: what a switch decodes from a flow-mod of
 * normalised actions and sends back in a dump, decoded again, is the same
 * bytes. */
static void
test_normalize_round_trip(void **state OVS_UNUSED)
{
    static const enum ofp_version versions[] = {
        OFP13_VERSION, OFP14_VERSION, OFP15_VERSION,
    };

    for (size_t i = 0; i < ARRAY_SIZE(versions); i++) {
        struct vtap_flow f;
        struct ofpact *copy;
        size_t len;

        make_flow(&f, 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
                  htonl(0x0a000001), u16_to_ofp(2), 0x77);
        assert_true(vtapd_normalize_instructions(&f.ofpacts, &f.ofpacts_len,
                                                 versions[i]));
        copy = xmemdup(f.ofpacts, f.ofpacts_len);
        len = f.ofpacts_len;
        assert_true(vtapd_normalize_instructions(&copy, &len, versions[i]));
        assert_true(ofpacts_equal(copy, len, f.ofpacts, f.ofpacts_len));
        free(copy);
        free_flows(&f, 1);
    }
}

/* A table holds one flow per table, priority and match: adding the same
 * flow again replaces it, as an OpenFlow ADD does. */
static void
test_flow_table(void **state OVS_UNUSED)
{
    struct vtap_flow a, b;
    struct vtapd_flow_table t;
    const struct vtap_flow *found;

    make_flow(&a, 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
              htonl(0x0a000001), u16_to_ofp(2), 0);
    make_flow(&b, 1000, VTAP_COOKIE_MARK | 9, u16_to_ofp(1),
              htonl(0x0a000009), u16_to_ofp(2), 0);
    vtapd_flow_table_init(&t);
    vtapd_flow_table_add(&t, &a);
    vtapd_flow_table_add(&t, &b);
    assert_int_equal(vtapd_flow_table_count(&t), 1);
    found = vtapd_flow_table_find(&t, &a);
    assert_non_null(found);
    assert_true(found->cookie == (VTAP_COOKIE_MARK | 9));
    b.priority = 7;
    assert_null(vtapd_flow_table_find(&t, &b));
    vtapd_flow_table_clear(&t);
    assert_int_equal(vtapd_flow_table_count(&t), 0);
    vtapd_flow_table_destroy(&t);
    free_flows(&a, 1);
    free_flows(&b, 1);
}

static void
test_diff_changes(void **state OVS_UNUSED)
{
    struct vtap_flow desired[3], installed[3];
    struct vtapd_flow_table table;
    struct vtapd_flow_op *ops;

    /* Kept as is; new actions; added; deleted. */
    make_flow(&desired[0], 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
              htonl(0x0a000001), u16_to_ofp(2), 0);
    make_flow(&installed[0], 1000, VTAP_COOKIE_MARK | 1, u16_to_ofp(1),
              htonl(0x0a000001), u16_to_ofp(2), 0);
    make_flow(&desired[1], 1000, VTAP_COOKIE_MARK | 2, u16_to_ofp(3),
              htonl(0x0a000009), u16_to_ofp(2), 0);
    make_flow(&installed[1], 1000, VTAP_COOKIE_MARK | 2, u16_to_ofp(3),
              htonl(0x0a000002), u16_to_ofp(2), 0);
    make_flow(&desired[2], 1000, VTAP_COOKIE_MARK | 5, u16_to_ofp(5),
              htonl(0x0a000005), u16_to_ofp(2), 0);
    make_flow(&installed[2], 1000, VTAP_COOKIE_MARK | 4, u16_to_ofp(4),
              htonl(0x0a000004), u16_to_ofp(2), 0);
    normalize_flows(desired, 3);
    make_table(&table, installed, 3);

    size_t n = vtapd_diff_flows(desired, 3, &table, &ops);
    assert_int_equal(n, 3);
    assert_int_equal(ops[0].type, VTAPD_FLOW_DELETE);
    assert_true(ops[0].flow->cookie == (VTAP_COOKIE_MARK | 4));
    assert_int_equal(ops[1].type, VTAPD_FLOW_MODIFY);
    assert_ptr_equal(ops[1].flow, &desired[1]);
    assert_int_equal(ops[2].type, VTAPD_FLOW_ADD);
    assert_ptr_equal(ops[2].flow, &desired[2]);
    free(ops);
    vtapd_flow_table_destroy(&table);

    /* Only the cookie differs: add it again, which replaces it (a
     * modification cannot change a cookie). */
    installed[0].cookie = VTAP_COOKIE_MARK | 7;
    make_table(&table, installed, 1);
    n = vtapd_diff_flows(desired, 1, &table, &ops);
    assert_int_equal(n, 1);
    assert_int_equal(ops[0].type, VTAPD_FLOW_ADD);
    free(ops);
    vtapd_flow_table_destroy(&table);

    /* Another priority is another flow. */
    installed[0].cookie = desired[0].cookie;
    installed[0].priority = 999;
    make_table(&table, installed, 1);
    n = vtapd_diff_flows(desired, 1, &table, &ops);
    assert_int_equal(n, 2);
    assert_int_equal(ops[0].type, VTAPD_FLOW_DELETE);
    assert_int_equal(ops[1].type, VTAPD_FLOW_ADD);
    free(ops);
    vtapd_flow_table_destroy(&table);

    /* Nothing desired: everything installed goes. */
    make_table(&table, installed, 3);
    n = vtapd_diff_flows(NULL, 0, &table, &ops);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ops[i].type, VTAPD_FLOW_DELETE);
    }
    free(ops);
    vtapd_flow_table_destroy(&table);

    free_flows(desired, 3);
    free_flows(installed, 3);
}

/* Returns a group with 'id' and one bucket 'bucket_id' that outputs to
 * 'port'. */
static struct vtap_group
group_n(uint32_t id, uint32_t bucket_id, uint16_t port)
{
    struct vtap_group g = { .group_id = id };
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 16);
    ofpact_put_OUTPUT(&ofpacts)->port = u16_to_ofp(port);
    g.buckets = xzalloc(sizeof *g.buckets);
    g.buckets[0].bucket_id = bucket_id;
    g.buckets[0].ofpacts_len = ofpacts.size;
    g.buckets[0].ofpacts = ofpbuf_steal_data(&ofpacts);
    g.n_buckets = 1;
    return g;
}

static void
test_diff_groups(void **state OVS_UNUSED)
{
    struct vtap_group desired[] = {
        group_n(0x76740001, 7, 1),  /* Same as installed. */
        group_n(0x76740002, 7, 2),  /* Other port: modified. */
        group_n(0x76740004, 7, 1),  /* New. */
    };
    struct vtap_group installed[] = {
        group_n(0x76740001, 7, 1),
        group_n(0x76740002, 7, 3),
        group_n(0x76740003, 7, 1),  /* Gone. */
    };
    struct vtapd_id_op *ops;
    size_t n;

    n = vtapd_diff_groups(desired, 3, installed, 3, &ops);
    assert_int_equal(n, 3);
    assert_int_equal(ops[0].type, VTAPD_ID_MODIFY);
    assert_int_equal(ops[0].index, 1);
    assert_int_equal(ops[1].type, VTAPD_ID_ADD);
    assert_int_equal(ops[1].index, 2);
    assert_int_equal(ops[2].type, VTAPD_ID_DELETE);
    assert_int_equal(ops[2].index, 2);
    free(ops);

    /* Properties that are not vtapd's, or another bucket ID, are a
     * change. */
    installed[1].buckets[0].bucket_id = 8;
    installed[0].other_props = true;
    n = vtapd_diff_groups(desired, 2, installed, 2, &ops);
    assert_int_equal(n, 2);
    assert_int_equal(ops[0].type, VTAPD_ID_MODIFY);
    assert_int_equal(ops[1].type, VTAPD_ID_MODIFY);
    free(ops);

    n = vtapd_diff_groups(desired, 3, desired, 3, &ops);
    assert_int_equal(n, 0);
    assert_null(ops);
    for (size_t i = 0; i < 3; i++) {
        vtap_group_destroy(&desired[i]);
        vtap_group_destroy(&installed[i]);
    }
}

static void
test_diff_meters(void **state OVS_UNUSED)
{
    struct vtap_meter desired[] = {
        { .meter_id = 0x76740001, .rate = 100, .burst = 100 },
        { .meter_id = 0x76740002, .rate = 100, .burst = 100, .kbps = true },
    };
    struct vtap_meter installed[] = {
        { .meter_id = 0x76740000, .rate = 5, .burst = 5 },
        { .meter_id = 0x76740001, .rate = 100, .burst = 100 },
        { .meter_id = 0x76740002, .rate = 100, .burst = 100 },
    };
    struct vtapd_id_op *ops;
    size_t n;

    /* The unit changed; one meter is gone, deleted last. */
    n = vtapd_diff_meters(desired, 2, installed, 3, &ops);
    assert_int_equal(n, 2);
    assert_int_equal(ops[0].type, VTAPD_ID_MODIFY);
    assert_int_equal(ops[0].index, 1);
    assert_int_equal(ops[1].type, VTAPD_ID_DELETE);
    assert_int_equal(ops[1].index, 0);
    free(ops);
}

static void
test_counters(void **state OVS_UNUSED)
{
    struct vtapd_counters c;
    const char **keys;
    int64_t *values;
    int64_t value;
    size_t n;

    vtapd_counters_init(&c);
    vtapd_counters_add(&c, "hub_packets", INT64_C(5000000000));
    vtapd_counters_add(&c, "candidate_packets", 3);
    vtapd_counters_add(&c, "candidate_packets", 4);
    assert_true(vtapd_counters_get(&c, "candidate_packets", &value));
    assert_int_equal(value, 7);
    assert_false(vtapd_counters_get(&c, "tx_packets", &value));

    /* Sorted, as an IDL map, and 64-bit. */
    n = vtapd_counters_to_arrays(&c, &keys, &values);
    assert_int_equal(n, 2);
    assert_string_equal(keys[0], "candidate_packets");
    assert_string_equal(keys[1], "hub_packets");
    assert_true(values[1] == INT64_C(5000000000));
    assert_true(vtapd_counters_equal(&c, (char **) keys, values, n));
    values[0]++;
    assert_false(vtapd_counters_equal(&c, (char **) keys, values, n));
    assert_false(vtapd_counters_equal(&c, (char **) keys, values, 1));
    free(keys);
    free(values);
    vtapd_counters_destroy(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diff_same),
        cmocka_unit_test(test_normalize_round_trip),
        cmocka_unit_test(test_flow_table),
        cmocka_unit_test(test_diff_changes),
        cmocka_unit_test(test_diff_groups),
        cmocka_unit_test(test_diff_meters),
        cmocka_unit_test(test_counters),
    };

    return cmocka_run_group_tests_name("vtapd-diff", tests, NULL, NULL);
}
