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

/* Unit tests for db/vtapdb-check.c: the parsers of the values in the TAP
 * database and the checkers of its rows.  The rows are IDL structs filled
 * in by hand: the checkers read nothing else, so no database is needed. */

#include <config.h>
#include "db/vtapdb-check.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "db/vtap-idl.h"
#include "mirror-filter.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "util.h"

/* An input and what a parser must say about it: NULL if it is valid, the
 * exact error message otherwise. */
struct text_case {
    const char *input;
    const char *error;
};

/* Asserts that 'error', which this function frees, is 'expected' (both
 * NULL, or equal strings).  'input' names the case in a failure. */
static void
assert_error(char *error, const char *expected, const char *input)
{
    if (!nullable_string_is_equal(error, expected)) {
        fail_msg("for \"%s\": got %s%s%s, expected %s%s%s", input,
                 error ? "\"" : "", error ? error : "NULL", error ? "\"" : "",
                 expected ? "\"" : "", expected ? expected : "NULL",
                 expected ? "\"" : "");
    }
    free(error);
}

/* Runs 'parse' on each of the 'n' 'cases'. */
static void
run_text_cases(char *(*parse)(const char *), const struct text_case *cases,
               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_error(parse(cases[i].input), cases[i].error, cases[i].input);
    }
}

/* An input of an integer parser, and the value or exact error it gives. */
struct int_case {
    const char *input;
    int64_t value;              /* If 'error' is NULL. */
    const char *error;
};

/* Runs 'parse' on each of the 'n' 'cases'. */
static void
run_int_cases(char *(*parse)(const char *, int64_t *),
              const struct int_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t value = -12345;

        assert_error(parse(cases[i].input, &value), cases[i].error,
                     cases[i].input);
        if (!cases[i].error) {
            assert_int_equal(value, cases[i].value);
        }
    }
}

#define NAME_ERROR(S) \
    "\"" S "\": not a name (expected a letter or '_', then letters, " \
    "digits, '_', '-' or '.', 64 at most)"

static void
test_name(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "t1", NULL },
        { "_web-tier.v2", NULL },
        { "A234567890123456789012345678901234567890123456789012345678901234",
          NULL },
        { "", NAME_ERROR("") },
        { "1t", NAME_ERROR("1t") },
        { "-t", NAME_ERROR("-t") },
        { "t 1", NAME_ERROR("t 1") },
        { "t:1", NAME_ERROR("t:1") },
        { "t/1", NAME_ERROR("t/1") },
        { "A2345678901234567890123456789012345678901234567890123456789012345",
          NAME_ERROR("A2345678901234567890123456789012345678901234567890"
                     "123456789012345") },
    };
    run_text_cases(vtapdb_parse_name, cases, ARRAY_SIZE(cases));
}

#define BRIDGE_ERROR(S) \
    "\"" S "\": not a bridge name (expected 1 to 15 characters, no '/' " \
    "or white space)"

static void
test_bridge(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "br-int", NULL },
        { "123456789012345", NULL },
        { "", BRIDGE_ERROR("") },
        { "1234567890123456", BRIDGE_ERROR("1234567890123456") },
        { "br/int", BRIDGE_ERROR("br/int") },
        { "br int", BRIDGE_ERROR("br int") },
        { "..", BRIDGE_ERROR("..") },
    };
    run_text_cases(vtapdb_parse_bridge, cases, ARRAY_SIZE(cases));
}

#define PORT_ERROR(S) \
    "\"" S "\": not a port name or iface-id (expected 1 or more " \
    "characters, no white space)"

static void
test_port_name(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "vm1", NULL },
        { "tap5f1c77e2-0a", NULL },
        { "", PORT_ERROR("") },
        { "vm 1", PORT_ERROR("vm 1") },
        { "vm1\t", PORT_ERROR("vm1\t") },
    };
    run_text_cases(vtapdb_parse_port_name, cases, ARRAY_SIZE(cases));
}

#define IP_ERROR(S) "\"" S "\": not an IPv4 or IPv6 address"

static void
test_ip(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "10.0.0.1", NULL },
        { "2001:db8::1", NULL },
        { "::", NULL },
        { "", IP_ERROR("") },
        { "10.0.0.256", IP_ERROR("10.0.0.256") },
        { "10.0.0.0/24", IP_ERROR("10.0.0.0/24") },
        { "10.0.0", IP_ERROR("10.0.0") },
        { " 10.0.0.1", IP_ERROR(" 10.0.0.1") },
        { "2001:db8::g", IP_ERROR("2001:db8::g") },
        { "collector", IP_ERROR("collector") },
    };
    run_text_cases(vtapdb_parse_ip, cases, ARRAY_SIZE(cases));
}

static void
test_same_ip(void **state OVS_UNUSED)
{
    assert_true(vtapdb_same_ip("10.0.0.1", "10.0.0.1"));
    assert_true(vtapdb_same_ip("2001:db8::1", "2001:DB8:0::1"));
    assert_false(vtapdb_same_ip("10.0.0.1", "10.0.0.2"));
    assert_false(vtapdb_same_ip("10.0.0.1", "::ffff:10.0.0.2"));
    assert_false(vtapdb_same_ip("bad", "bad"));
}

/* Asserts that vtapdb_ip_key() turns 's' into 'expected' (NULL: refuses
 * it). */
static void
assert_ip_key(const char *s, const char *expected)
{
    char *key = vtapdb_ip_key(s);

    if (expected) {
        assert_non_null(key);
        assert_string_equal(key, expected);
    } else {
        assert_null(key);
    }
    free(key);
}

static void
test_ip_key(void **state OVS_UNUSED)
{
    /* One spelling for each address: what vtapdb_same_ip() judges the
     * same. */
    assert_ip_key("10.0.0.1", "10.0.0.1");
    assert_ip_key("2001:DB8:0::1", "2001:db8::1");
    assert_ip_key("2001:db8::1", "2001:db8::1");
    assert_ip_key("fd00:0:0:0:0:0:0:50", "fd00::50");
    /* An IPv4-mapped IPv6 address is that IPv4 address. */
    assert_ip_key("::ffff:10.0.0.2", "10.0.0.2");
    assert_ip_key("bad", NULL);
    assert_ip_key("10.0.0.1/24", NULL);
    assert_ip_key("", NULL);
}

#define REMOTE_ERROR(S) \
    "\"" S "\": not an active remote (expected tcp:IP[:PORT], " \
    "ssl:IP[:PORT] or unix:FILE)"

static void
test_remote(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "tcp:192.0.2.1", NULL },
        { "tcp:192.0.2.1:6653", NULL },
        { "ssl:[2001:db8::1]:6640", NULL },
        { "ssl:[2001:db8::1]", NULL },
        { "unix:/var/run/openvswitch/br-int.mgmt", NULL },
        { "", REMOTE_ERROR("") },
        { "ptcp:6653", REMOTE_ERROR("ptcp:6653") },
        { "tcp:", REMOTE_ERROR("tcp:") },
        { "tcp:192.0.2.1:", REMOTE_ERROR("tcp:192.0.2.1:") },
        { "tcp:192.0.2.1:0", REMOTE_ERROR("tcp:192.0.2.1:0") },
        { "tcp:192.0.2.1:65536", REMOTE_ERROR("tcp:192.0.2.1:65536") },
        { "tcp:switch.example:6653",
          REMOTE_ERROR("tcp:switch.example:6653") },
        { "tcp:2001:db8::1", REMOTE_ERROR("tcp:2001:db8::1") },
        { "tcp:[192.0.2.1]:6653", REMOTE_ERROR("tcp:[192.0.2.1]:6653") },
        { "tcp:[2001:db8::1", REMOTE_ERROR("tcp:[2001:db8::1") },
        { "tcp:[2001:db8::1]x", REMOTE_ERROR("tcp:[2001:db8::1]x") },
        { "unix:", REMOTE_ERROR("unix:") },
    };
    run_text_cases(vtapdb_parse_remote, cases, ARRAY_SIZE(cases));
}

#define OF_REMOTE_ERROR(S) \
    "\"" S "\": not an OpenFlow remote (expected tcp:IP[:PORT], " \
    "ssl:IP[:PORT], unix:FILE, ptcp:[PORT][:IP], pssl:[PORT][:IP] or " \
    "punix:FILE)"

static void
test_openflow_remote(void **state OVS_UNUSED)
{
    static const struct text_case cases[] = {
        { "tcp:192.0.2.1:6653", NULL },
        { "unix:/var/run/openvswitch/br-int.mgmt", NULL },
        { "ptcp:6653", NULL },
        { "ptcp:", NULL },
        { "ptcp:6653:192.0.2.1", NULL },
        { "pssl:6653:[2001:db8::1]", NULL },
        { "ptcp::[::]", NULL },
        { "punix:/var/run/vtapd/hub.of", NULL },
        { "ptcp:65536", OF_REMOTE_ERROR("ptcp:65536") },
        { "ptcp:x", OF_REMOTE_ERROR("ptcp:x") },
        { "ptcp:6653:host.example", OF_REMOTE_ERROR("ptcp:6653:host.example") },
        { "ptcp:6653:2001:db8::1", OF_REMOTE_ERROR("ptcp:6653:2001:db8::1") },
        { "ptcp:6653:[192.0.2.1]", OF_REMOTE_ERROR("ptcp:6653:[192.0.2.1]") },
        { "ptcp:6653:[2001:db8::1", OF_REMOTE_ERROR("ptcp:6653:[2001:db8::1") },
        { "punix:", OF_REMOTE_ERROR("punix:") },
        { "tcp:switch.example", OF_REMOTE_ERROR("tcp:switch.example") },
        { "pudp:1", OF_REMOTE_ERROR("pudp:1") },
    };
    run_text_cases(vtapdb_parse_openflow_remote, cases, ARRAY_SIZE(cases));
}

/* vtapdb_parse_enum() with the directions of a source. */
static char *
parse_source_direction(const char *s)
{
    return vtapdb_parse_enum(s, vtapdb_source_directions);
}

/* vtapdb_parse_enum() with the roles of a switch. */
static char *
parse_role(const char *s)
{
    return vtapdb_parse_enum(s, vtapdb_switch_roles);
}

static void
test_enum(void **state OVS_UNUSED)
{
    static const struct text_case directions[] = {
        { "ingress", NULL },
        { "egress", NULL },
        { "both", NULL },
        { "Both", "\"Both\": not one of ingress, egress or both" },
        { "", "\"\": not one of ingress, egress or both" },
    };
    static const struct text_case roles[] = {
        { "hub", NULL },
        { "leaf", "\"leaf\": not one of spoke or hub" },
    };
    run_text_cases(parse_source_direction, directions,
                   ARRAY_SIZE(directions));
    run_text_cases(parse_role, roles, ARRAY_SIZE(roles));
}

static void
test_bool(void **state OVS_UNUSED)
{
    bool value;

    assert_null(vtapdb_parse_bool("true", &value));
    assert_true(value);
    assert_null(vtapdb_parse_bool("false", &value));
    assert_false(value);
    assert_error(vtapdb_parse_bool("yes", &value),
                 "\"yes\": not a boolean (expected true or false)", "yes");
    assert_error(vtapdb_parse_bool("TRUE", &value),
                 "\"TRUE\": not a boolean (expected true or false)", "TRUE");
}

static void
test_integers(void **state OVS_UNUSED)
{
    static const struct int_case snaplens[] = {
        { "14", 14, NULL },
        { "65535", 65535, NULL },
        { "13", 0, "\"13\": not a snaplen (expected 14-65535 bytes)" },
        { "65536", 0, "\"65536\": not a snaplen (expected 14-65535 bytes)" },
        { "+128", 0, "\"+128\": not a snaplen (expected 14-65535 bytes)" },
        { " 128", 0, "\" 128\": not a snaplen (expected 14-65535 bytes)" },
    };
    static const struct int_case rule_numbers[] = {
        { "1", 1, NULL },
        { "32766", 32766, NULL },
        { "0", 0, "\"0\": not a rule number (expected 1-32766)" },
        { "32767", 0, "\"32767\": not a rule number (expected 1-32766)" },
        { "0x10", 0, "\"0x10\": not a rule number (expected 1-32766)" },
        { "99999999999999999999", 0,
          "\"99999999999999999999\": not a rule number (expected "
          "1-32766)" },
    };
    static const struct int_case weights[] = {
        { "1", 1, NULL },
        { "65535", 65535, NULL },
        { "0", 0, "\"0\": not a weight (expected 1-65535)" },
        { "-1", 0, "\"-1\": not a weight (expected 1-65535)" },
    };
    static const struct int_case vnis[] = {
        { "0", 0, NULL },
        { "16777215", 16777215, NULL },
        { "16777216", 0,
          "\"16777216\": not a VNI (expected 0-16777215, 24 bits)" },
        { "-1", 0, "\"-1\": not a VNI (expected 0-16777215, 24 bits)" },
        { "1.5", 0, "\"1.5\": not a VNI (expected 0-16777215, 24 bits)" },
        { "", 0, "\"\": not a VNI (expected 0-16777215, 24 bits)" },
        { "99999999999999999999999", 0, "\"99999999999999999999999\": "
          "not a VNI (expected 0-16777215, 24 bits)" },
    };
    static const struct int_case udp_ports[] = {
        { "4789", 4789, NULL },
        { "65535", 65535, NULL },
        { "0", 0, "\"0\": not a UDP port (expected 1-65535)" },
        { "65536", 0, "\"65536\": not a UDP port (expected 1-65535)" },
        { "4789 ", 0, "\"4789 \": not a UDP port (expected 1-65535)" },
        { "vxlan", 0, "\"vxlan\": not a UDP port (expected 1-65535)" },
    };
    static const struct int_case mtus[] = {
        { "576", 576, NULL },
        { "9000", 9000, NULL },
        { "65535", 65535, NULL },
        { "575", 0,
          "\"575\": not a valid MTU (expected 576-65535 bytes)" },
        { "65536", 0,
          "\"65536\": not a valid MTU (expected 576-65535 bytes)" },
    };

    run_int_cases(vtapdb_parse_snaplen, snaplens, ARRAY_SIZE(snaplens));
    run_int_cases(vtapdb_parse_rule_number, rule_numbers,
                  ARRAY_SIZE(rule_numbers));
    run_int_cases(vtapdb_parse_weight, weights, ARRAY_SIZE(weights));
    run_int_cases(vtapdb_parse_vni, vnis, ARRAY_SIZE(vnis));
    run_int_cases(vtapdb_parse_udp_port, udp_ports, ARRAY_SIZE(udp_ports));
    run_int_cases(vtapdb_parse_underlay_mtu, mtus, ARRAY_SIZE(mtus));
}

#define PROTOCOL_ERROR(S) \
    "\"" S "\": not an IP protocol (expected tcp, udp, icmp, icmp6, " \
    "sctp, gre, esp, ah or 0-255)"

static void
test_protocol(void **state OVS_UNUSED)
{
    static const struct int_case cases[] = {
        { "tcp", 6, NULL },
        { "udp", 17, NULL },
        { "icmp", 1, NULL },
        { "icmpv6", 58, NULL },
        { "icmp6", 58, NULL },
        { "sctp", 132, NULL },
        { "gre", 47, NULL },
        { "0", 0, NULL },
        { "255", 255, NULL },
        { "256", 0, PROTOCOL_ERROR("256") },
        { "TCP", 0, PROTOCOL_ERROR("TCP") },
        { "", 0, PROTOCOL_ERROR("") },
    };
    run_int_cases(vtapdb_parse_protocol, cases, ARRAY_SIZE(cases));

    assert_true(vtapdb_protocol_has_ports(6));
    assert_true(vtapdb_protocol_has_ports(17));
    assert_true(vtapdb_protocol_has_ports(132));
    assert_false(vtapdb_protocol_has_ports(1));
    assert_false(vtapdb_protocol_has_ports(58));
}

#define RATE_ERROR(S) \
    "\"" S "\": not a rate limit (expected 1-4294967295 followed by pps " \
    "or kbps)"

static void
test_rate_limit(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        int64_t rate;
        const char *unit;
        const char *error;
    } cases[] = {
        { "1000pps", 1000, "pps", NULL },
        { "1000", 1000, "pps", NULL },
        { "8000kbps", 8000, "kbps", NULL },
        { "4294967295pps", 4294967295LL, "pps", NULL },
        { "4294967296pps", 0, NULL, RATE_ERROR("4294967296pps") },
        { "0pps", 0, NULL, RATE_ERROR("0pps") },
        { "pps", 0, NULL, RATE_ERROR("pps") },
        { "10mbps", 0, NULL, RATE_ERROR("10mbps") },
        { "10 pps", 0, NULL, RATE_ERROR("10 pps") },
        { "", 0, NULL, RATE_ERROR("") },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *unit;
        int64_t rate;

        assert_error(vtapdb_parse_rate_limit(cases[i].input, &rate, &unit),
                     cases[i].error, cases[i].input);
        assert_int_equal(rate, cases[i].rate);
        assert_true(nullable_string_is_equal(unit, cases[i].unit));
    }
}

/* Rows for the row checkers, set up fresh for each test. */
struct rows {
    struct vtaprec_switch hub;
    struct vtaprec_switch spoke;
    struct vtaprec_collector_pool pool;
    char *pool_ips[2];
    int64_t pool_weights[2];
    struct vtaprec_tap tap;
    struct vtaprec_tap_source src;
    struct vtaprec_filter_rule rule;
    struct vtaprec_filter_rule rule2;
    struct vtaprec_filter_rule *rules[2];
    struct vtaprec_filter filter;
    int64_t int_value;          /* Pointed to by optional integer columns. */
    double real_value;          /* Pointed to by 'tap.sampling'. */
};

static int
setup_rows(void **state)
{
    struct rows *r = xzalloc(sizeof *r);

    r->hub.name = "hub1";
    r->hub.role = "hub";
    r->hub.bridge = "br-int";
    r->hub.underlay_ip = "192.0.2.1";
    r->spoke.name = "spoke1";
    r->spoke.role = "spoke";
    r->spoke.bridge = "br-int";
    r->spoke.underlay_ip = "2001:db8::11";

    r->pool_ips[0] = "10.0.0.9";
    r->pool_ips[1] = "10.0.0.10";
    r->pool_weights[0] = 1;
    r->pool_weights[1] = 3;
    r->pool.name = "pool1";
    r->pool.key_members = r->pool_ips;
    r->pool.value_members = r->pool_weights;
    r->pool.n_members = 2;

    r->tap.name = "t1";
    r->tap.collector_ip = "10.1.0.5";
    r->tap.vni = 100;
    r->tap.hub = &r->hub;

    r->src.tap = &r->tap;
    r->src.switch_ = &r->spoke;
    r->src.port = "vm1";
    r->src.direction = "both";

    r->rule.direction = "ingress";
    r->rule.number = 100;
    r->rule.action = "accept";
    r->rule2 = r->rule;
    r->rule2.number = 200;
    r->rules[0] = &r->rule;
    r->rules[1] = &r->rule2;
    r->filter.name = "web";
    r->filter.rules = r->rules;
    r->filter.n_rules = 2;

    *state = r;
    return 0;
}

static int
teardown_rows(void **state)
{
    free(*state);
    return 0;
}

static void
test_enabled_defaults_to_true(void **state OVS_UNUSED)
{
    bool yes = true, no = false;
    struct vtaprec_switch sw = { .n_enabled = 0 };
    struct vtaprec_tap tap = { .n_enabled = 0 };

    assert_true(vtapdb_switch_is_enabled(&sw));
    assert_true(vtapdb_tap_is_enabled(&tap));
    sw.enabled = tap.enabled = &yes;
    sw.n_enabled = tap.n_enabled = 1;
    assert_true(vtapdb_switch_is_enabled(&sw));
    assert_true(vtapdb_tap_is_enabled(&tap));
    sw.enabled = tap.enabled = &no;
    assert_false(vtapdb_switch_is_enabled(&sw));
    assert_false(vtapdb_tap_is_enabled(&tap));
}

static void
test_check_global(void **state OVS_UNUSED)
{
    struct vtaprec_global global = { .next_cfg = 0 };

    smap_init(&global.options);
    assert_null(vtapdb_check_global(&global));
    smap_replace(&global.options, "stats_interval", "1000");
    assert_null(vtapdb_check_global(&global));
    smap_replace(&global.options, "stats_interval", "86400000");
    assert_null(vtapdb_check_global(&global));
    smap_replace(&global.options, "stats_interval", "999");
    assert_error(vtapdb_check_global(&global),
                 "options:stats_interval: \"999\": not a time in milliseconds "
                 "(expected 1000-86400000 ms)", "stats_interval");
    smap_replace(&global.options, "stats_interval", "-5000");
    assert_error(vtapdb_check_global(&global),
                 "options:stats_interval: \"-5000\": not a time in "
                 "milliseconds (expected 1000-86400000 ms)", "stats_interval");
    smap_clear(&global.options);
    smap_add(&global.options, "stats-interval", "5000");
    assert_error(vtapdb_check_global(&global),
                 "options: \"stats-interval\": not an option of vtapd "
                 "(expected stats_interval)", "stats-interval");
    smap_destroy(&global.options);
}

static void
test_check_switch(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_switch(&r->hub));
    r->hub.openflow_remote = "tcp:192.0.2.1:6653";
    r->hub.ovsdb_remote = "unix:/run/db.sock";
    assert_null(vtapdb_check_switch(&r->hub));

    r->hub.ovsdb_remote = "punix:/run/db.sock";
    assert_error(vtapdb_check_switch(&r->hub),
                 "ovsdb_remote: " REMOTE_ERROR("punix:/run/db.sock"),
                 "ovsdb_remote");
    r->hub.role = "leaf";
    assert_error(vtapdb_check_switch(&r->hub),
                 "role: \"leaf\": not one of spoke or hub", "role");
    r->hub.name = "";
    assert_error(vtapdb_check_switch(&r->hub), "name: " NAME_ERROR(""),
                 "name");

    r->spoke.bridge = "br/x";
    assert_error(vtapdb_check_switch(&r->spoke),
                 "bridge: " BRIDGE_ERROR("br/x"), "bridge");
    r->spoke.bridge = "br-int";
    r->spoke.underlay_ip = "2001:db8::11/64";
    assert_error(vtapdb_check_switch(&r->spoke),
                 "underlay_ip: " IP_ERROR("2001:db8::11/64"), "underlay_ip");
    r->spoke.underlay_ip = "2001:db8::11";
    r->int_value = 100;
    r->spoke.underlay_mtu = &r->int_value;
    r->spoke.n_underlay_mtu = 1;
    assert_error(vtapdb_check_switch(&r->spoke),
                 "underlay_mtu: \"100\": not a valid MTU (expected "
                 "576-65535 bytes)", "underlay_mtu");
    r->int_value = 1500;
    assert_null(vtapdb_check_switch(&r->spoke));
}

static void
test_check_tap(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_tap(&r->tap));

    r->tap.collector_pool = &r->pool;
    assert_error(vtapdb_check_tap(&r->tap),
                 "collector_ip: \"10.1.0.5\": a Tap takes a collector_ip or "
                 "a collector_pool (\"pool1\"), not both", "both");
    r->tap.collector_ip = NULL;
    assert_null(vtapdb_check_tap(&r->tap));
    r->tap.collector_pool = NULL;
    assert_error(vtapdb_check_tap(&r->tap),
                 "collector_ip: a Tap needs a collector_ip or a "
                 "collector_pool", "neither");
    r->tap.collector_ip = "10.1.0.500";
    assert_error(vtapdb_check_tap(&r->tap),
                 "collector_ip: " IP_ERROR("10.1.0.500"), "collector_ip");
    r->tap.collector_ip = "10.1.0.5";

    r->tap.vni = 1 << 24;
    assert_error(vtapdb_check_tap(&r->tap),
                 "vni: \"16777216\": not a VNI (expected 0-16777215, 24 "
                 "bits)", "vni");
    r->tap.vni = 7;

    r->int_value = 0;
    r->tap.udp_port = &r->int_value;
    r->tap.n_udp_port = 1;
    assert_error(vtapdb_check_tap(&r->tap),
                 "udp_port: \"0\": not a UDP port (expected 1-65535)",
                 "udp_port");
    r->tap.n_udp_port = 0;

    r->int_value = 10;
    r->tap.snaplen = &r->int_value;
    r->tap.n_snaplen = 1;
    assert_error(vtapdb_check_tap(&r->tap),
                 "snaplen: \"10\": not a snaplen (expected 14-65535 bytes)",
                 "snaplen");
    r->tap.n_snaplen = 0;

    r->real_value = 0.0000005;
    r->tap.sampling = &r->real_value;
    r->tap.n_sampling = 1;
    assert_error(vtapdb_check_tap(&r->tap),
                 "sampling: \"0.000000500000\": below the smallest sampling "
                 "probability, 1/1000000", "sampling");
    r->real_value = 0.000001;
    assert_null(vtapdb_check_tap(&r->tap));
    r->real_value = 0;
    assert_null(vtapdb_check_tap(&r->tap));

    r->tap.oversize = "fragment";
    assert_error(vtapdb_check_tap(&r->tap),
                 "oversize: \"fragment\": not one of drop or truncate",
                 "oversize");
    r->tap.oversize = "drop";
    assert_null(vtapdb_check_tap(&r->tap));
    r->tap.oversize = NULL;

    r->tap.rate_limit_unit = "kbps";
    assert_error(vtapdb_check_tap(&r->tap),
                 "rate_limit_unit: \"kbps\": set without a rate_limit",
                 "rate_limit_unit");
    r->int_value = 8000;
    r->tap.rate_limit = &r->int_value;
    r->tap.n_rate_limit = 1;
    r->tap.hub = NULL;
    assert_error(vtapdb_check_tap(&r->tap),
                 "rate_limit: 8000: a Tap without a hub cannot be "
                 "rate-limited", "rate_limit without hub");
    r->tap.hub = &r->hub;
    assert_null(vtapdb_check_tap(&r->tap));

    r->tap.hub = &r->spoke;
    assert_error(vtapdb_check_tap(&r->tap),
                 "hub: \"spoke1\": a spoke, not a hub", "hub");
    r->tap.hub = &r->hub;
    assert_null(vtapdb_check_tap(&r->tap));

    /* Local delivery: a hub's port, and no other destination. */
    r->tap.delivery = "local";
    assert_error(vtapdb_check_tap(&r->tap),
                 "delivery: \"local\": needs a collector_port",
                 "local without port");
    r->tap.collector_port = "col1";
    assert_error(vtapdb_check_tap(&r->tap),
                 "delivery: \"local\": a Tap with local delivery has no "
                 "collector_ip or collector_pool (\"10.1.0.5\")",
                 "local with IP");
    r->tap.collector_ip = NULL;
    assert_null(vtapdb_check_tap(&r->tap));
    r->tap.hub = NULL;
    r->tap.n_rate_limit = 0;
    r->tap.rate_limit_unit = NULL;
    assert_error(vtapdb_check_tap(&r->tap),
                 "delivery: \"local\": needs a hub", "local without hub");
    r->tap.delivery = NULL;
    r->tap.collector_ip = "10.1.0.5";
    assert_error(vtapdb_check_tap(&r->tap),
                 "collector_port: \"col1\": only with delivery \"local\"",
                 "port without local");
    r->tap.collector_port = NULL;
    r->tap.collector_ip = NULL;
    r->tap.collector_pool = &r->pool;
    assert_error(vtapdb_check_tap(&r->tap),
                 "collector_pool: \"pool1\": a Tap without a hub cannot "
                 "deliver to a pool", "pool without hub");
    r->tap.collector_pool = NULL;
    r->tap.collector_ip = "10.1.0.5";
    assert_null(vtapdb_check_tap(&r->tap));

    r->tap.name = "t 1";
    assert_error(vtapdb_check_tap(&r->tap), "name: " NAME_ERROR("t 1"),
                 "name");
}

static void
test_check_tap_switch(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_tap_switch(&r->tap, &r->hub));
    r->tap.collector_ip = "192.0.2.1";
    assert_error(vtapdb_check_tap_switch(&r->tap, &r->hub),
                 "collector_ip: \"192.0.2.1\": the underlay IP of switch "
                 "\"hub1\": copies would loop", "collector_ip");
    r->tap.collector_ip = "2001:DB8:0::11";
    assert_error(vtapdb_check_tap_switch(&r->tap, &r->spoke),
                 "collector_ip: \"2001:DB8:0::11\": the underlay IP of "
                 "switch \"spoke1\": copies would loop", "collector_ip");

    r->tap.collector_ip = NULL;
    r->tap.collector_pool = &r->pool;
    assert_null(vtapdb_check_tap_switch(&r->tap, &r->hub));
    r->pool_ips[1] = "192.0.2.1";
    assert_error(vtapdb_check_tap_switch(&r->tap, &r->hub),
                 "collector_pool: \"pool1\": member 192.0.2.1 is the "
                 "underlay IP of switch \"hub1\": copies would loop", "pool");

    r->hub.underlay_ip = NULL;
    assert_null(vtapdb_check_tap_switch(&r->tap, &r->hub));
}

static void
test_check_source(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_source(&r->src));
    r->src.iface_id = "5f1c";
    assert_error(vtapdb_check_source(&r->src),
                 "port: \"vm1\": a source takes a port or an iface_id "
                 "(\"5f1c\"), not both", "both");
    r->src.port = NULL;
    assert_null(vtapdb_check_source(&r->src));
    r->src.iface_id = NULL;
    assert_error(vtapdb_check_source(&r->src),
                 "port: a source needs a port or an iface_id", "neither");
    r->src.iface_id = "5f 1c";
    assert_error(vtapdb_check_source(&r->src),
                 "iface_id: " PORT_ERROR("5f 1c"), "iface_id");
    r->src.iface_id = NULL;

    r->src.port = "br-int";
    assert_error(vtapdb_check_source(&r->src),
                 "port: \"br-int\": the bridge's own port on switch "
                 "\"spoke1\" can't be a source", "bridge port");
    r->src.port = "iface-id=5f1c";
    assert_error(vtapdb_check_source(&r->src),
                 "port: \"iface-id=5f1c\": not a port name (one that starts "
                 "with \"iface-id=\" could not be told from an iface-id)",
                 "iface-id= port");
    r->src.port = "vm1";

    r->src.direction = "in";
    assert_error(vtapdb_check_source(&r->src),
                 "direction: \"in\": not one of ingress, egress or both",
                 "direction");
    r->src.direction = "egress";

    r->src.switch_ = &r->hub;
    assert_error(vtapdb_check_source(&r->src),
                 "switch: \"hub1\": a hub: its ports carry copies and can't "
                 "be sources", "hub");
}

static void
test_check_rule(void **state)
{
    struct rows *r = *state;
    struct vtaprec_filter_rule *rule = &r->rule;

    assert_null(vtapdb_check_rule(rule));

    rule->src_cidr = "10.0.0.0/8";
    rule->dst_cidr = "192.168.0.0/16";
    assert_null(vtapdb_check_rule(rule));
    rule->dst_cidr = "2001:db8::/32";
    assert_error(vtapdb_check_rule(rule),
                 "dst_cidr: \"2001:db8::/32\": an IPv6 CIDR, but src_cidr "
                 "\"10.0.0.0/8\" is IPv4", "families");
    rule->dst_cidr = NULL;
    rule->src_cidr = "10.0.0.1/8";
    assert_error(vtapdb_check_rule(rule),
                 "src_cidr: \"10.0.0.1/8\": host bits are set (the network "
                 "is 10.0.0.0/8)", "src_cidr");
    rule->src_cidr = NULL;

    rule->dst_port = "80-90";
    assert_error(vtapdb_check_rule(rule),
                 "dst_port: \"80-90\": ports need protocol tcp, udp or sctp",
                 "no protocol");
    r->int_value = 1;
    rule->protocol = &r->int_value;
    rule->n_protocol = 1;
    assert_error(vtapdb_check_rule(rule),
                 "dst_port: \"80-90\": ports need protocol tcp, udp or sctp",
                 "icmp");
    r->int_value = 6;
    assert_null(vtapdb_check_rule(rule));
    rule->src_port = "90-80";
    assert_error(vtapdb_check_rule(rule),
                 "src_port: \"90-80\": the range's low port 90 is above its "
                 "high port 80", "src_port");
    rule->src_port = NULL;
    r->int_value = 300;
    assert_error(vtapdb_check_rule(rule), "protocol: " PROTOCOL_ERROR("300"),
                 "protocol");
    r->int_value = 6;

    rule->number = 0;
    assert_error(vtapdb_check_rule(rule),
                 "number: \"0\": not a rule number (expected 1-32766)",
                 "number");
    rule->number = 1;
    rule->action = "allow";
    assert_error(vtapdb_check_rule(rule),
                 "action: \"allow\": not one of accept or reject", "action");
    rule->direction = "both";
    assert_error(vtapdb_check_rule(rule),
                 "direction: \"both\": not one of ingress or egress",
                 "direction");
}

/* Returns 'rule' converted, as filter_rules text, or the error. */
static char *
rule_text(const struct vtaprec_filter_rule *row)
{
    struct mirror_filter_rule rule;
    char *error = vtapdb_rule_to_mirror_filter(row, &rule);
    struct ds s = DS_EMPTY_INITIALIZER;

    if (error) {
        return error;
    }
    ds_put_format(&s, "%"PRIu16": ", rule.number);
    mirror_filter_rule_format(&rule, &s);
    return ds_steal_cstr(&s);
}

static void
assert_rule_text(const struct vtaprec_filter_rule *row, const char *expected)
{
    char *text = rule_text(row);

    assert_string_equal(text, expected);
    free(text);
}

/* A Filter_Rule row as the translation and ovs-vswitchd take it. */
static void
test_rule_to_mirror_filter(void **state)
{
    struct rows *r = *state;
    struct vtaprec_filter_rule *rule = &r->rule;
    int64_t tcp = 6, udp = 17;

    /* Ingress is what the VM receives: packets to its port; egress what
     * it sends. */
    assert_rule_text(rule, "100: accept,direction=to-port");
    rule->direction = "egress";
    rule->action = "reject";
    assert_rule_text(rule, "100: reject,direction=from-port");

    rule->direction = "ingress";
    rule->action = "accept";
    rule->protocol = &tcp;
    rule->n_protocol = 1;
    rule->src_cidr = "10.0.0.0/8";
    rule->dst_port = "80-90";
    assert_rule_text(rule, "100: accept,direction=to-port,proto=tcp,"
                     "src=10.0.0.0/8,dst_port=80-90");
    rule->direction = "egress";
    rule->number = 1;
    rule->protocol = &udp;
    rule->src_cidr = NULL;
    rule->dst_cidr = "2001:db8::/32";
    rule->dst_port = NULL;
    rule->src_port = "53";
    assert_rule_text(rule, "1: accept,direction=from-port,proto=udp,"
                     "dst=2001:db8::/32,src_port=53");

    /* What the translation refuses, vtapctl refuses, in the same words. */
    rule->direction = "both";
    assert_rule_text(rule, "direction: \"both\": not one of ingress or "
                     "egress");
}

static void
test_check_filter(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_filter(&r->filter));

    /* The same number is fine in the other direction, not in the same. */
    r->rule2.number = 100;
    r->rule2.direction = "egress";
    assert_null(vtapdb_check_filter(&r->filter));
    r->rule2.direction = "ingress";
    assert_error(vtapdb_check_filter(&r->filter),
                 "number: \"100\": the filter has two ingress rules with "
                 "this number", "duplicate");
    r->rule2.number = 200;

    r->rule2.action = "drop";
    assert_error(vtapdb_check_filter(&r->filter),
                 "rule ingress 200: action: \"drop\": not one of accept or "
                 "reject", "bad rule");
    r->rule2.action = "reject";

    r->filter.name = "9web";
    assert_error(vtapdb_check_filter(&r->filter), "name: " NAME_ERROR("9web"),
                 "name");
}

static void
test_check_pool(void **state)
{
    struct rows *r = *state;

    assert_null(vtapdb_check_pool(&r->pool));
    r->pool_weights[1] = 0;
    assert_error(vtapdb_check_pool(&r->pool),
                 "members: \"0\": not a weight (expected 1-65535)", "weight");
    r->pool_weights[1] = 3;
    r->pool_ips[0] = "10.0.0.0/24";
    assert_error(vtapdb_check_pool(&r->pool),
                 "members: " IP_ERROR("10.0.0.0/24"), "ip");
    r->pool_ips[0] = "10.0.0.9";
    r->pool.name = "";
    assert_error(vtapdb_check_pool(&r->pool), "name: " NAME_ERROR(""),
                 "name");
    r->pool.name = "pool1";

    /* A member marked down, in another spelling of its address, and an
     * address that is no member. */
    char *down[] = { "10.0.0.10", "::ffff:10.0.0.9", "10.0.0.11" };
    r->pool.down = down;
    r->pool.n_down = 2;
    assert_null(vtapdb_check_pool_down(&r->pool));
    r->pool.n_down = 3;
    assert_error(vtapdb_check_pool_down(&r->pool),
                 "down: \"10.0.0.11\": not a member of the pool", "down");
    /* vtapdb_check_pool() leaves the down set to vtapdb_check_pool_down(). */
    assert_null(vtapdb_check_pool(&r->pool));
    r->pool.n_down = 0;
}

/* Returns the integer 'member' ("minInteger" or "maxInteger") of the
 * 'part' ("key" or "value") of the type of column 'column' of 'table' in
 * 'schema', a schema as JSON. */
static int64_t
schema_integer(const struct json *schema, const char *table,
               const char *column, const char *part, const char *member)
{
    const char *path[] = { "tables", table, "columns", column, "type", part,
                           member };
    const struct json *json = schema;

    for (size_t i = 0; i < ARRAY_SIZE(path); i++) {
        assert_int_equal(json->type, JSON_OBJECT);
        json = shash_find_data(json_object(json), path[i]);
        assert_non_null(json);
    }
    assert_int_equal(json->type, JSON_INTEGER);
    return json_integer(json);
}

/* The integer ranges that the schema declares are the ranges that the
 * parsers take: each is written once in C (vtapdb-check.h), and this test
 * holds the schema, which cannot include it, to the same values. */
static void
test_schema_ranges(void **state OVS_UNUSED)
{
    static const struct {
        const char *table;
        const char *column;
        const char *part;
        int64_t min;
        int64_t max;
    } ranges[] = {
        { "Switch", "underlay_mtu", "key", VTAPDB_UNDERLAY_MTU_MIN,
          VTAPDB_UNDERLAY_MTU_MAX },
        { "Tap", "udp_port", "key", VTAPDB_UDP_PORT_MIN,
          VTAPDB_UDP_PORT_MAX },
        { "Tap", "vni", "key", 0, VTAPDB_VNI_MAX },
        { "Tap", "snaplen", "key", VTAPDB_SNAPLEN_MIN, VTAPDB_SNAPLEN_MAX },
        { "Tap", "rate_limit", "key", 1, VTAPDB_RATE_MAX },
        { "Filter_Rule", "number", "key", VTAPDB_RULE_NUMBER_MIN,
          VTAPDB_RULE_NUMBER_MAX },
        { "Filter_Rule", "protocol", "key", 0, UINT8_MAX },
        { "Collector_Pool", "members", "value", VTAPDB_WEIGHT_MIN,
          VTAPDB_WEIGHT_MAX },
    };
    struct json *schema = json_from_file(VTAP_SCHEMA_FILE);

    assert_int_equal(schema->type, JSON_OBJECT);
    for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
        assert_int_equal(schema_integer(schema, ranges[i].table,
                                        ranges[i].column, ranges[i].part,
                                        "minInteger"), ranges[i].min);
        assert_int_equal(schema_integer(schema, ranges[i].table,
                                        ranges[i].column, ranges[i].part,
                                        "maxInteger"), ranges[i].max);
    }
    json_destroy(schema);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name),
        cmocka_unit_test(test_bridge),
        cmocka_unit_test(test_port_name),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_same_ip),
        cmocka_unit_test(test_ip_key),
        cmocka_unit_test(test_remote),
        cmocka_unit_test(test_openflow_remote),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_protocol),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_check_global),
        cmocka_unit_test(test_enabled_defaults_to_true),
        cmocka_unit_test(test_schema_ranges),
        cmocka_unit_test_setup_teardown(test_check_switch, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_tap, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_tap_switch, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_source, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_rule, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_rule_to_mirror_filter,
                                        setup_rows, teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_filter, setup_rows,
                                        teardown_rows),
        cmocka_unit_test_setup_teardown(test_check_pool, setup_rows,
                                        teardown_rows),
    };

    return cmocka_run_group_tests_name("vtapdb-check", tests, NULL, NULL);
}
