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

/* Unit tests for ovs-ext/tree/lib/vtap-field.c: the parsers and validators of the
 * values in TAP definitions, and port-range expansion. */

#include <config.h>
#include "vtap-field.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "openvswitch/dynamic-string.h"
#include "packets.h"

/* One input that a parser must reject, and two fragments its error message
 * must contain: the value as the user wrote it, and what is wrong. */
struct bad_input {
    const char *input;
    const char *why;
};

/* Asserts that 'error' is a message that quotes 'bad->input' and contains
 * 'bad->why', then frees it. */
static void
assert_rejected(char *error, const struct bad_input *bad)
{
    char *quoted = xasprintf("\"%s\"", bad->input);

    if (!error) {
        fail_msg("\"%s\" was accepted", bad->input);
    }
    if (!strstr(error, quoted) || !strstr(error, bad->why)) {
        fail_msg("error for \"%s\" is \"%s\"; expected it to quote the "
                 "value and say \"%s\"", bad->input, error, bad->why);
    }
    free(quoted);
    free(error);
}

static struct in6_addr
v4(const char *s)
{
    ovs_be32 ip;
    struct in6_addr addr;

    assert_true(ip_parse(s, &ip));
    in6_addr_set_mapped_ipv4(&addr, ip);
    return addr;
}

static struct in6_addr
v6(const char *s)
{
    struct in6_addr addr;

    assert_true(ipv6_parse(s, &addr));
    return addr;
}

static void
test_cidr_valid(void **state OVS_UNUSED)
{
    struct vtap_cidr cidr;
    struct in6_addr addr;

    assert_null(vtap_parse_cidr("10.0.0.0/8", &cidr));
    assert_true(cidr.is_ipv4);
    assert_int_equal(cidr.plen, 8);
    addr = v4("10.0.0.0");
    assert_memory_equal(&cidr.addr, &addr, sizeof addr);

    assert_null(vtap_parse_cidr("10.1.2.3", &cidr));
    assert_true(cidr.is_ipv4);
    assert_int_equal(cidr.plen, 32);

    assert_null(vtap_parse_cidr("0.0.0.0/0", &cidr));
    assert_int_equal(cidr.plen, 0);

    assert_null(vtap_parse_cidr("2001:db8::/32", &cidr));
    assert_false(cidr.is_ipv4);
    assert_int_equal(cidr.plen, 32);
    addr = v6("2001:db8::");
    assert_memory_equal(&cidr.addr, &addr, sizeof addr);

    assert_null(vtap_parse_cidr("::/0", &cidr));
    assert_int_equal(cidr.plen, 0);
    assert_null(vtap_parse_cidr("fe80::1", &cidr));
    assert_int_equal(cidr.plen, 128);
}

static void
test_cidr_invalid(void **state OVS_UNUSED)
{
    static const struct bad_input bad[] = {
        { "", "not an IPv4 or IPv6 CIDR" },
        { " 10.0.0.0/8", "not an IPv4 or IPv6 CIDR" },
        { "10.0.0.0/8 ", "not an IPv4 or IPv6 CIDR" },
        { "10.0.0.0/33", "not an IPv4 CIDR" },
        { "10.0.0.300/8", "not an IPv4 CIDR" },
        { "10.0.0.0/", "not an IPv4 CIDR" },
        { "10.0.0.0/8/9", "not an IPv4 CIDR" },
        { "any", "not an IPv4 CIDR" },
        { "10.0.0.1/8", "host bits are set (the network is 10.0.0.0/8)" },
        { "2001:db8::/129", "not an IPv6 CIDR" },
        { "2001:db8::g/64", "not an IPv6 CIDR" },
        { "2001:db8::1/32",
          "host bits are set (the network is 2001:db8::/32)" },
        { "::ffff:10.0.0.0/104", "an IPv4-mapped IPv6 CIDR" },
    };
    struct vtap_cidr cidr;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_rejected(vtap_parse_cidr(bad[i].input, &cidr), &bad[i]);
    }
}

static void
test_cidr_contains(void **state OVS_UNUSED)
{
    struct vtap_cidr cidr;
    struct in6_addr addr;

    assert_null(vtap_parse_cidr("10.0.0.0/8", &cidr));
    addr = v4("10.255.1.1");
    assert_true(vtap_cidr_contains(&cidr, &addr));
    addr = v4("11.0.0.0");
    assert_false(vtap_cidr_contains(&cidr, &addr));
    addr = v6("::a00:1");
    assert_false(vtap_cidr_contains(&cidr, &addr));

    assert_null(vtap_parse_cidr("0.0.0.0/0", &cidr));
    addr = v4("192.0.2.1");
    assert_true(vtap_cidr_contains(&cidr, &addr));
    addr = v6("2001:db8::1");
    assert_false(vtap_cidr_contains(&cidr, &addr));

    /* An IPv6 prefix never covers IPv4 traffic, even ::/0. */
    assert_null(vtap_parse_cidr("::/0", &cidr));
    addr = v4("10.0.0.1");
    assert_false(vtap_cidr_contains(&cidr, &addr));
    addr = v6("2001:db8::1");
    assert_true(vtap_cidr_contains(&cidr, &addr));

    assert_null(vtap_parse_cidr("2001:db8::/32", &cidr));
    addr = v6("2001:db8:ffff::1");
    assert_true(vtap_cidr_contains(&cidr, &addr));
    addr = v6("2001:db9::");
    assert_false(vtap_cidr_contains(&cidr, &addr));
}

static void
test_port_range_valid(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        uint16_t low, high;
    } good[] = {
        { "80", 80, 80 },
        { "0", 0, 0 },
        { "65535", 65535, 65535 },
        { "1000-2000", 1000, 2000 },
        { "0-65535", 0, 65535 },
        { "443-443", 443, 443 },
    };
    struct vtap_port_range range;

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        assert_null(vtap_parse_port_range(good[i].input, &range));
        assert_int_equal(range.low, good[i].low);
        assert_int_equal(range.high, good[i].high);
    }
}

static void
test_port_range_invalid(void **state OVS_UNUSED)
{
    static const struct bad_input bad[] = {
        { "", "not a port or port range" },
        { "65536", "not a port or port range" },
        { "-1", "not a port or port range" },
        { "1-", "not a port or port range" },
        { "1-65536", "not a port or port range" },
        { "1-2-3", "not a port or port range" },
        { "http", "not a port or port range" },
        { " 80", "not a port or port range" },
        { "80 ", "not a port or port range" },
        { "+80", "not a port or port range" },
        { "0x50", "not a port or port range" },
        { "2000-1000", "the range's low port 2000 is above its high port "
                       "1000" },
    };
    struct vtap_port_range range;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_rejected(vtap_parse_port_range(bad[i].input, &range), &bad[i]);
    }
}

static void
test_probability_valid(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        double p;
    } good[] = {
        { "0.01", 0.01 },
        { "1%", 0.01 },
        { "1/100", 0.01 },
        { "1/1000000", 1e-6 },
        { "0.0001%", 1e-6 },
        { "0", 0 },
        { "1", 1 },
        { "100%", 1 },
        { "3/3", 1 },
        { ".5", 0.5 },
        { "0.000", 0 },
        { "1.", 1 },
        /* Exponents, as the database and JSON encoders print numbers. */
        { "1e-6", 1e-6 },
        { "1e-06", 1e-6 },
        { "1E-3", 1e-3 },
        { "2.5e-1", 0.25 },
        { "1e+0", 1 },
        { "1e-4%", 1e-6 },
        { "0e5", 0 },
    };
    double p;

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        assert_null(vtap_parse_probability(good[i].input, &p));
        assert_float_equal(p, good[i].p, 1e-12);
    }
}

static void
test_probability_invalid(void **state OVS_UNUSED)
{
    static const struct bad_input bad[] = {
        { "", "not a probability" },
        { "abc", "not a probability" },
        { "1/0", "not a probability" },
        { "1/", "not a probability" },
        { "/2", "not a probability" },
        { "-1/2", "not a probability" },
        { " 0.5", "not a probability" },
        { "0.5 %", "not a probability" },
        { "1.5", "must lie between 0 and 1" },
        { "1.0001", "must lie between 0 and 1" },
        { "101%", "must lie between 0 and 1" },
        { "3/2", "must lie between 0 and 1" },
        { "nan", "not a probability" },
        { "inf", "not a probability" },
        { "0.0000001", "below the smallest sampling probability" },
        { "0.00001%", "below the smallest sampling probability" },
        { "1/2000000", "below the smallest sampling probability" },
        { "1e-7", "below the smallest sampling probability" },
        { "1e-400", "below the smallest sampling probability" },
        { "1e400", "between 0 and 1" },
        { "2e0", "between 0 and 1" },
        { "1e", "not a probability" },
        { "1e+", "not a probability" },
        { "e-6", "not a probability" },
        { "1e-6.5", "not a probability" },
        { "1e 6", "not a probability" },
        { "-1e-6", "not a probability" },
        { "+0.5", "not a probability" },
        { "-0", "not a probability" },
        { "0x1p-1", "not a probability" },
        { ".", "not a probability" },
        { "0.5.5", "not a probability" },
    };
    double p;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_rejected(vtap_parse_probability(bad[i].input, &p), &bad[i]);
    }
}

static void
test_probability_to_datapath(void **state OVS_UNUSED)
{
    assert_int_equal(vtap_probability_to_datapath(1), UINT32_MAX);
    assert_int_equal(vtap_probability_to_datapath(0), 0);
    assert_int_equal(vtap_probability_to_datapath(0.5), 2147483648u);
    /* One in a million is 4295 in 2**32 - 1, not rounded to zero. */
    assert_int_equal(vtap_probability_to_datapath(1e-6), 4295);
    assert_int_equal(vtap_probability_to_datapath(1e-12), 1);
}

/* Prints 'dp' with vtap_probability_format() and parses the text again.
 * Returns true if it parses, storing its datapath value in '*result'. */
static bool
probability_reparse(uint32_t dp, uint32_t *result)
{
    char *s = vtap_probability_format(dp);
    double p;
    char *error = vtap_parse_probability(s, &p);
    bool ok = !error;

    *result = ok ? vtap_probability_to_datapath(p) : 0;
    free(error);
    free(s);
    return ok;
}

static void
test_probability_format(void **state OVS_UNUSED)
{
    static const struct {
        uint32_t dp;
        const char *text;
    } examples[] = {
        { 0, "0" },
        { UINT32_MAX, "1" },
        { 2147483648u, "0.5" },
        { 42949673, "0.01" },
        { 4295, "0.000001" },
        { 1431655765, "0.3333333333" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(examples); i++) {
        char *s = vtap_probability_format(examples[i].dp);
        assert_string_equal(s, examples[i].text);
        free(s);
    }

    /* Every value from one in a million up prints in a form that parses back
     * to exactly that value: here the 100000 values at each end of the range
     * and every 65521st (a prime) in between. */
    uint32_t result;
    for (uint32_t dp = 4295; dp < 4295 + 100000; dp++) {
        assert_true(probability_reparse(dp, &result));
        assert_int_equal(result, dp);
    }
    for (uint32_t dp = UINT32_MAX; dp > UINT32_MAX - 100000; dp--) {
        assert_true(probability_reparse(dp, &result));
        assert_int_equal(result, dp);
    }
    for (uint64_t dp = 4295; dp <= UINT32_MAX; dp += 65521) {
        assert_true(probability_reparse(dp, &result));
        assert_int_equal(result, dp);
    }
}

/* Returns how many entries of 'masks' match 'port'. */
static int
count_matches(const struct vtap_masked_port *masks, size_t n, uint32_t port)
{
    int count = 0;

    for (size_t i = 0; i < n; i++) {
        count += (port & masks[i].mask) == masks[i].value;
    }
    return count;
}

/* Asserts that the masks of 'range' match every port inside it exactly once
 * and no port outside it, and returns how many masks there are. */
static size_t
check_port_range(uint16_t low, uint16_t high)
{
    struct vtap_masked_port masks[VTAP_PORT_RANGE_MAX_MASKS];
    struct vtap_port_range range = { .low = low, .high = high };
    size_t n = vtap_port_range_to_masks(&range, masks);

    assert_in_range(n, 1, VTAP_PORT_RANGE_MAX_MASKS);
    for (size_t i = 0; i < n; i++) {
        /* A value has no bits outside its mask. */
        assert_int_equal(masks[i].value & ~masks[i].mask, 0);
    }
    for (uint32_t port = 0; port <= UINT16_MAX; port++) {
        int expected = port >= low && port <= high;
        int got = count_matches(masks, n, port);
        if (got != expected) {
            fail_msg("range %u-%u: port %u matched %d times, expected %d",
                     low, high, port, got, expected);
        }
    }
    return n;
}

static void
test_port_range_masks_examples(void **state OVS_UNUSED)
{
    struct vtap_masked_port masks[VTAP_PORT_RANGE_MAX_MASKS];
    struct vtap_port_range range;

    range = (struct vtap_port_range) { 80, 80 };
    assert_int_equal(vtap_port_range_to_masks(&range, masks), 1);
    assert_int_equal(masks[0].value, 80);
    assert_int_equal(masks[0].mask, 0xffff);

    range = (struct vtap_port_range) { 0, 65535 };
    assert_int_equal(vtap_port_range_to_masks(&range, masks), 1);
    assert_int_equal(masks[0].value, 0);
    assert_int_equal(masks[0].mask, 0);

    /* 1024-65535 is the six blocks 1024/6, 2048/5, ..., 32768/1. */
    range = (struct vtap_port_range) { 1024, 65535 };
    assert_int_equal(vtap_port_range_to_masks(&range, masks), 6);
    assert_int_equal(masks[0].value, 1024);
    assert_int_equal(masks[0].mask, 0xfc00);
    assert_int_equal(masks[5].value, 32768);
    assert_int_equal(masks[5].mask, 0x8000);

    /* The worst case needs all 30. */
    assert_int_equal(check_port_range(1, 65534), VTAP_PORT_RANGE_MAX_MASKS);
    assert_int_equal(check_port_range(1, 65535), 16);
    assert_int_equal(check_port_range(65535, 65535), 1);
}

/* A small deterministic generator, so that a failure can be reproduced. */
static uint32_t
next_random(uint32_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 17;
    *seed ^= *seed << 5;
    return *seed;
}

static void
test_port_range_masks_property(void **state OVS_UNUSED)
{
    uint32_t seed = 0x7a9c0de5;

    for (int i = 0; i < 100; i++) {
        uint16_t a = next_random(&seed);
        uint16_t b = next_random(&seed);
        /* Half the ranges are short, where the edges matter most. */
        if (i % 2) {
            b = a + next_random(&seed) % 64;
            if (b < a) {
                b = UINT16_MAX;
            }
        }
        check_port_range(MIN(a, b), MAX(a, b));
    }
}

static void
test_ip_proto(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        uint8_t proto;
    } good[] = {
        { "tcp", 6 }, { "udp", 17 }, { "sctp", 132 }, { "icmp", 1 },
        { "icmp6", 58 }, { "icmpv6", 58 }, { "gre", 47 }, { "esp", 50 },
        { "ah", 51 }, { "0", 0 }, { "47", 47 }, { "255", 255 },
    };
    static const struct bad_input bad[] = {
        { "", "not an IP protocol" },
        { "TCP", "not an IP protocol" },
        { "256", "not an IP protocol" },
        { "-1", "not an IP protocol" },
        { " 6", "not an IP protocol" },
        { "6 ", "not an IP protocol" },
        { "0x6", "not an IP protocol" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        uint8_t proto;

        assert_null(vtap_parse_ip_proto(good[i].input, &proto));
        assert_int_equal(proto, good[i].proto);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        uint8_t proto;

        assert_rejected(vtap_parse_ip_proto(bad[i].input, &proto), &bad[i]);
    }
    assert_string_equal(vtap_ip_proto_name(17), "udp");
    assert_string_equal(vtap_ip_proto_name(58), "icmp6");
    assert_null(vtap_ip_proto_name(99));
}

static void
test_cidr_format(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        const char *output;
    } cases[] = {
        { "10.0.0.0/8", "10.0.0.0/8" },
        { "10.1.2.3", "10.1.2.3/32" },
        { "0.0.0.0/0", "0.0.0.0/0" },
        { "2001:DB8::/32", "2001:db8::/32" },
        { "::/0", "::/0" },
        { "2001:db8:0:0:0:0:0:1", "2001:db8::1/128" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        struct vtap_cidr cidr, again;

        assert_null(vtap_parse_cidr(cases[i].input, &cidr));
        vtap_format_cidr(&cidr, &s);
        assert_string_equal(ds_cstr(&s), cases[i].output);
        assert_null(vtap_parse_cidr(ds_cstr(&s), &again));
        assert_memory_equal(&cidr, &again, sizeof cidr);
        ds_destroy(&s);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cidr_valid),
        cmocka_unit_test(test_cidr_invalid),
        cmocka_unit_test(test_cidr_contains),
        cmocka_unit_test(test_port_range_valid),
        cmocka_unit_test(test_port_range_invalid),
        cmocka_unit_test(test_probability_valid),
        cmocka_unit_test(test_probability_invalid),
        cmocka_unit_test(test_probability_to_datapath),
        cmocka_unit_test(test_probability_format),
        cmocka_unit_test(test_port_range_masks_examples),
        cmocka_unit_test(test_port_range_masks_property),
        cmocka_unit_test(test_ip_proto),
        cmocka_unit_test(test_cidr_format),
    };

    return cmocka_run_group_tests_name("vtap-field", tests, NULL, NULL);
}
