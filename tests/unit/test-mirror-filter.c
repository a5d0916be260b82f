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

/* Unit tests for ovs-ext/tree/lib/mirror-filter.c: the Mirror filter rules'
 * parser, and the compiled filter checked against a straightforward
 * reference evaluation, with the megaflow wildcards it reports. */

#include <config.h>
#include "mirror-filter.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "flow.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "random.h"

/* Parses 'text', which must be valid, and returns its canonical form, for
 * the caller to free(). */
static char *
canonical(const char *text)
{
    struct mirror_filter_rule rule;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *error = mirror_filter_rule_parse(text, &rule);

    if (error) {
        fail_msg("\"%s\" was rejected: %s", text, error);
    }
    mirror_filter_rule_format(&rule, &s);
    return ds_steal_cstr(&s);
}

static void
test_parse_good(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        const char *canonical;
    } cases[] = {
        { "accept", "accept" },
        { "reject", "reject" },
        { "accept,direction=from-port", "accept,direction=from-port" },
        { "reject,direction=to-port,proto=6",
          "reject,direction=to-port,proto=tcp" },
        { "accept,dst_port=80-89,proto=tcp,dst=10.0.0.0/24",
          "accept,proto=tcp,dst=10.0.0.0/24,dst_port=80-89" },
        { "accept,proto=udp,src_port=53-53", "accept,proto=udp,src_port=53" },
        { "accept,src=2001:db8::/32,dst=2001:db8:1::1",
          "accept,src=2001:db8::/32,dst=2001:db8:1::1/128" },
        { "accept,proto=47", "accept,proto=gre" },
        { "accept,proto=99", "accept,proto=99" },
        { "accept,proto=icmpv6", "accept,proto=icmp6" },
        { "accept,proto=icmp6,src=::/0", "accept,proto=icmp6,src=::/0" },
        { "accept,src=0.0.0.0/0", "accept,src=0.0.0.0/0" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *once = canonical(cases[i].input);
        char *twice = canonical(once);

        assert_string_equal(once, cases[i].canonical);
        assert_string_equal(twice, once);
        free(once);
        free(twice);
    }
}

static void
test_parse_bad(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        const char *error;
    } cases[] = {
        { "", "\"\": a rule starts with accept or reject" },
        { "allow", "\"allow\": a rule starts with accept or reject" },
        { "accept,", "\"\": expected KEY=VALUE" },
        { "accept,,proto=tcp", "\"\": expected KEY=VALUE" },
        { "accept,proto", "\"proto\": expected KEY=VALUE" },
        { "accept,proto=", "\"proto=\": expected KEY=VALUE" },
        { "accept,=tcp", "\"=tcp\": expected KEY=VALUE" },
        { "accept,port=80", "\"port\": unknown key" },
        { "accept,direction=ingress",
          "direction: \"ingress\": expected from-port or to-port" },
        { "accept,proto=tcpp", "proto: \"tcpp\": not an IP protocol" },
        { "accept,proto=256", "proto: \"256\": not an IP protocol" },
        { "accept,src=10.0.0.300/8", "src: \"10.0.0.300/8\": not an IPv4" },
        { "accept,dst=10.0.0.1/8", "dst: \"10.0.0.1/8\": host bits are set" },
        { "accept,src=::ffff:10.0.0.0/104", "an IPv4-mapped IPv6 CIDR" },
        { "accept,proto=tcp,dst_port=90-80",
          "dst_port: \"90-80\": the range's low port 90 is above its high port 80" },
        { "accept,proto=tcp,src_port=65536", "src_port: \"65536\"" },
        { "accept,dst_port=80", "src_port and dst_port need proto tcp" },
        { "accept,proto=icmp,dst_port=80",
          "src_port and dst_port need proto tcp" },
        { "accept,src=10.0.0.0/8,dst=2001:db8::/32",
          "src and dst are of different address families" },
        { "accept,proto=icmp,src=2001:db8::/32", "proto icmp with an IPv6" },
        { "accept,proto=icmp6,dst=10.0.0.0/8", "proto icmp6 with an IPv4" },
        { "accept,proto=tcp,proto=udp", "proto: given twice" },
        { "accept,src=10.0.0.0/8,src=10.0.0.0/16", "src: given twice" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct mirror_filter_rule rule;
        char *error = mirror_filter_rule_parse(cases[i].input, &rule);

        if (!error) {
            fail_msg("\"%s\" was accepted", cases[i].input);
        }
        if (!strstr(error, cases[i].error)) {
            fail_msg("error for \"%s\" is \"%s\"; expected \"%s\"",
                     cases[i].input, error, cases[i].error);
        }
        free(error);
    }
}

static void
test_create(void **state OVS_UNUSED)
{
    int64_t numbers[] = { 20, 10 };
    char *rules[] = { "accept,proto=tcp", "reject,src=10.0.0.0/8" };
    int64_t same_numbers[] = { 10, 20 };
    char *same_rules[] = { "reject,src=10.0.0.0/8", "accept,proto=6" };
    struct mirror_filter *a, *b, *none;

    assert_null(mirror_filter_create(numbers, rules, 2, &a));
    assert_null(mirror_filter_create(same_numbers, same_rules, 2, &b));
    assert_null(mirror_filter_create(NULL, NULL, 0, &none));
    assert_non_null(a);
    assert_null(none);
    assert_int_equal(mirror_filter_n_rules(a), 2);
    assert_true(mirror_filter_equal(a, b));
    assert_false(mirror_filter_equal(a, none));
    assert_true(mirror_filter_equal(none, NULL));

    /* No filter accepts everything, without touching the wildcards. */
    struct flow flow;
    struct flow_wildcards wc;
    int rule;

    memset(&flow, 0, sizeof flow);
    flow_wildcards_init_catchall(&wc);
    assert_true(mirror_filter_accepts(NULL, MIRROR_FILTER_FROM_PORT, &flow,
                                      &wc, &rule));
    assert_true(flow_wildcards_is_catchall(&wc));

    mirror_filter_destroy(a);
    mirror_filter_destroy(b);
}

static void
test_create_bad(void **state OVS_UNUSED)
{
    static const struct {
        int64_t number;
        const char *rule;
        const char *error;
    } cases[] = {
        { 0, "accept", "rule 0: rule numbers are 1 to 32766" },
        { 32767, "accept", "rule 32767: rule numbers are 1 to 32766" },
        { 5, "accept,src=1.2.3.4/33", "rule 5: src: \"1.2.3.4/33\"" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char *text = CONST_CAST(char *, cases[i].rule);
        struct mirror_filter *filter;
        char *error = mirror_filter_create(&cases[i].number, &text, 1,
                                           &filter);

        assert_non_null(error);
        assert_null(filter);
        if (!strstr(error, cases[i].error)) {
            fail_msg("error is \"%s\"; expected \"%s\"", error,
                     cases[i].error);
        }
        free(error);
    }

    /* Duplicate numbers (a map cannot hold them, an array can). */
    int64_t numbers[] = { 7, 7 };
    char *rules[] = { "accept", "reject" };
    struct mirror_filter *filter;
    char *error = mirror_filter_create(numbers, rules, 2, &filter);
    assert_string_equal(error, "rule 7: given twice");
    free(error);

    /* Too many rules. */
    size_t n = MIRROR_FILTER_MAX_RULES + 1;
    int64_t *many_numbers = xmalloc(n * sizeof *many_numbers);
    char **many_rules = xmalloc(n * sizeof *many_rules);
    for (size_t i = 0; i < n; i++) {
        many_numbers[i] = i + 1;
        many_rules[i] = "accept";
    }
    error = mirror_filter_create(many_numbers, many_rules, n, &filter);
    assert_string_equal(error, "1001 rules (at most 1000)");
    free(error);

    /* Too many masked matches: each of these rules is 30 x 30 port masks
     * for 2 address families in 2 directions, 3600 in all. */
    for (size_t i = 0; i < 6; i++) {
        many_rules[i] = "accept,proto=tcp,src_port=1-65534,dst_port=1-65534";
    }
    error = mirror_filter_create(many_numbers, many_rules, 6, &filter);
    assert_string_equal(error, "the rules expand to 21600 masked matches "
                        "(at most 20000): use fewer or wider port ranges");
    free(error);
    assert_null(mirror_filter_create(many_numbers, many_rules, 5, &filter));
    mirror_filter_compile(filter);
    mirror_filter_destroy(filter);
    free(many_numbers);
    free(many_rules);
}

/* The property test.
 *
 * Rules and packets are drawn from small sets of addresses, protocols and
 * ports, so that prefixes and ranges overlap and many packets fall on rule
 * boundaries.  Every packet's verdict must be what a plain walk over the
 * rules in number order gives; and every earlier lookup whose wildcards
 * cover the packet (a megaflow the datapath would reuse for it) must have
 * reached that same verdict. */

#define N_RULE_LISTS 60
#define N_PACKETS 250

/* A packet of the property test, as the reference evaluation sees it. */
struct test_packet {
    int family;                 /* 0 (not IP), 4 or 6. */
    struct in6_addr src, dst;   /* IPv4 addresses are IPv4-mapped. */
    uint8_t proto;              /* IP protocol. */
    uint16_t src_port, dst_port; /* L4 ports. */
    enum mirror_filter_direction direction;
};

static const uint8_t test_protos[] = {
    IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_ICMP, IPPROTO_ICMPV6, 47
};

/* Returns a random address of 'family' in 10.0.0.0/22 or 2001:db8::/118. */
static struct in6_addr
random_address(int family)
{
    struct in6_addr addr;

    if (family == 4) {
        in6_addr_set_mapped_ipv4(&addr, htonl(0x0a000000
                                              | random_range(1024)));
    } else {
        memset(&addr, 0, sizeof addr);
        addr.s6_addr[0] = 0x20;
        addr.s6_addr[1] = 0x01;
        addr.s6_addr[2] = 0x0d;
        addr.s6_addr[3] = 0xb8;
        addr.s6_addr[14] = random_range(4);
        addr.s6_addr[15] = random_range(256);
    }
    return addr;
}

/* Returns a random port, mostly below 128. */
static uint16_t
random_port(void)
{
    return random_range(8) ? random_range(128) : random_uint16();
}

/* Returns a random prefix of 'family' around the test addresses. */
static struct vtap_cidr
random_cidr(int family)
{
    static const unsigned int v4_plens[] = { 0, 8, 21, 22, 23, 24, 25,
                                             28, 31, 32 };
    static const unsigned int v6_plens[] = { 0, 32, 112, 118, 119, 120,
                                             124, 127, 128 };
    struct vtap_cidr cidr;
    struct in6_addr mask;

    cidr.is_ipv4 = family == 4;
    cidr.plen = (family == 4
                 ? v4_plens[random_range(ARRAY_SIZE(v4_plens))]
                 : v6_plens[random_range(ARRAY_SIZE(v6_plens))]);
    mask = ipv6_create_mask(family == 4 ? cidr.plen + 96 : cidr.plen);
    struct in6_addr addr = random_address(family);
    cidr.addr = ipv6_addr_bitand(&addr, &mask);
    return cidr;
}

/* Returns a random port range around the test ports. */
static struct vtap_port_range
random_range_of_ports(void)
{
    uint16_t a = random_port(), b = random_port();
    struct vtap_port_range range = { MIN(a, b), MAX(a, b) };
    return range;
}

/* Fills 'rule' with random fields, valid together. */
static void
random_rule(struct mirror_filter_rule *rule, uint16_t number)
{
    int family = random_range(2) ? 4 : 6;

    memset(rule, 0, sizeof *rule);
    rule->number = number;
    rule->accept = random_range(2);
    rule->directions = 1 + random_range(3);
    rule->proto = random_range(3) ? -1 : test_protos[random_range(6)];
    if (rule->proto == IPPROTO_ICMP) {
        family = 4;
    } else if (rule->proto == IPPROTO_ICMPV6) {
        family = 6;
    }
    rule->has_src = !random_range(3);
    rule->has_dst = !random_range(3);
    if (rule->has_src) {
        rule->src = random_cidr(family);
    }
    if (rule->has_dst) {
        rule->dst = random_cidr(family);
    }
    if (rule->proto == IPPROTO_TCP || rule->proto == IPPROTO_UDP
        || rule->proto == IPPROTO_SCTP) {
        rule->has_src_ports = !random_range(3);
        rule->has_dst_ports = !random_range(2);
        rule->src_ports = random_range_of_ports();
        rule->dst_ports = random_range_of_ports();
    }
}

static void
random_packet(struct test_packet *p)
{
    memset(p, 0, sizeof *p);
    p->family = random_range(10) ? (random_range(2) ? 4 : 6) : 0;
    p->direction = (random_range(2) ? MIRROR_FILTER_FROM_PORT
                    : MIRROR_FILTER_TO_PORT);
    if (p->family) {
        p->src = random_address(p->family);
        p->dst = random_address(p->family);
        p->proto = test_protos[random_range(6)];
        p->src_port = random_port();
        p->dst_port = random_port();
    }
}

/* The packet 'p' as a flow, the way ovs-vswitchd extracts it. */
static void
packet_to_flow(const struct test_packet *p, struct flow *flow)
{
    memset(flow, 0, sizeof *flow);
    if (p->family == 4) {
        flow->dl_type = htons(ETH_TYPE_IP);
        flow->nw_src = in6_addr_get_mapped_ipv4(&p->src);
        flow->nw_dst = in6_addr_get_mapped_ipv4(&p->dst);
    } else if (p->family == 6) {
        flow->dl_type = htons(ETH_TYPE_IPV6);
        flow->ipv6_src = p->src;
        flow->ipv6_dst = p->dst;
    } else {
        flow->dl_type = htons(ETH_TYPE_ARP);
        return;
    }
    flow->nw_proto = p->proto;
    flow->nw_ttl = 64;
    flow->tp_src = htons(p->src_port);
    flow->tp_dst = htons(p->dst_port);
}

static bool
in_range(const struct vtap_port_range *range, uint16_t port)
{
    return port >= range->low && port <= range->high;
}

/* Returns true if 'rule' matches 'p', written as plainly as possible from
 * the rules in mirror-filter.h, without the classifier. */
static bool
reference_rule_matches(const struct mirror_filter_rule *rule,
                       const struct test_packet *p)
{
    if (!(rule->directions & p->direction)) {
        return false;
    }
    if ((rule->has_src || rule->has_dst || rule->proto >= 0) && !p->family) {
        return false;
    }
    if (rule->has_src && !vtap_cidr_contains(&rule->src, &p->src)) {
        return false;
    }
    if (rule->has_dst && !vtap_cidr_contains(&rule->dst, &p->dst)) {
        return false;
    }
    if (rule->proto >= 0) {
        if (p->proto != rule->proto) {
            return false;
        }
        if ((rule->proto == IPPROTO_ICMP && p->family != 4)
            || (rule->proto == IPPROTO_ICMPV6 && p->family != 6)) {
            return false;
        }
    }
    if (rule->has_src_ports && !in_range(&rule->src_ports, p->src_port)) {
        return false;
    }
    if (rule->has_dst_ports && !in_range(&rule->dst_ports, p->dst_port)) {
        return false;
    }
    return true;
}

/* The reference verdict for 'p' under the 'n' rules in 'rules', which are
 * sorted by number: the first match decides, no match rejects.  Stores the
 * deciding rule's number, or 0, in '*number'. */
static bool
reference_accepts(const struct mirror_filter_rule *rules, size_t n,
                  const struct test_packet *p, int *number)
{
    for (size_t i = 0; i < n; i++) {
        if (reference_rule_matches(&rules[i], p)) {
            *number = rules[i].number;
            return rules[i].accept;
        }
    }
    *number = 0;
    return false;
}

/* A lookup already made, as a datapath flow would hold it.  A datapath flow
 * also matches the port the packet came in on, which tells the directions
 * apart. */
struct megaflow {
    enum mirror_filter_direction direction;
    struct flow flow;
    struct flow_wildcards wc;
    bool accept;
};

static int
compare_numbers(const void *a_, const void *b_)
{
    const struct mirror_filter_rule *a = a_, *b = b_;
    return (int) a->number - (int) b->number;
}

/* Builds a random rule list: 'rules' sorted by number, and its compiled
 * filter. */
static struct mirror_filter *
random_filter(struct mirror_filter_rule *rules, size_t n)
{
    int64_t numbers[16];
    char *texts[16];
    struct mirror_filter *filter;

    for (size_t i = 0; i < n; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        uint16_t number;
        bool taken;

        do {
            number = 1 + random_range(300);
            taken = false;
            for (size_t j = 0; j < i; j++) {
                taken |= rules[j].number == number;
            }
        } while (taken);
        random_rule(&rules[i], number);
        mirror_filter_rule_format(&rules[i], &s);
        numbers[i] = number;
        texts[i] = ds_steal_cstr(&s);
    }
    char *error = mirror_filter_create(numbers, texts, n, &filter);
    if (error) {
        fail_msg("a generated rule was rejected: %s", error);
    }
    mirror_filter_compile(filter);
    for (size_t i = 0; i < n; i++) {
        free(texts[i]);
    }
    qsort(rules, n, sizeof *rules, compare_numbers);
    return filter;
}

static void
test_property(void **state OVS_UNUSED)
{
    size_t n_checked = 0, n_reused = 0, n_accepted = 0;

    random_set_seed(0x5eed);
    for (int list = 0; list < N_RULE_LISTS; list++) {
        struct mirror_filter_rule rules[16];
        size_t n_rules = 1 + random_range(12);
        struct mirror_filter *filter = random_filter(rules, n_rules);
        struct megaflow *cache = xcalloc(N_PACKETS, sizeof *cache);
        size_t n_cache = 0;

        for (int i = 0; i < N_PACKETS; i++) {
            struct test_packet p;
            struct megaflow *m = &cache[n_cache];
            int expected_rule, rule;

            random_packet(&p);
            bool expected = reference_accepts(rules, n_rules, &p,
                                              &expected_rule);

            /* Every megaflow that covers the packet must agree. */
            packet_to_flow(&p, &m->flow);
            for (size_t j = 0; j < n_cache; j++) {
                if (cache[j].direction == p.direction
                    && flow_equal_except(&cache[j].flow, &m->flow,
                                         &cache[j].wc)) {
                    n_reused++;
                    if (cache[j].accept != expected) {
                        fail_msg("rule list %d, packet %d: a megaflow "
                                 "reused for it says %s, the reference %s",
                                 list, i, cache[j].accept ? "accept"
                                 : "reject", expected ? "accept"
                                 : "reject");
                    }
                }
            }

            /* A fresh lookup must decide as the reference does. */
            m->direction = p.direction;
            flow_wildcards_init_catchall(&m->wc);
            m->accept = mirror_filter_accepts(filter, p.direction, &m->flow,
                                              &m->wc, &rule);
            assert_int_equal(m->accept, expected);
            assert_int_equal(rule, expected_rule);
            n_accepted += expected;
            n_checked++;
            n_cache++;
        }
        free(cache);
        mirror_filter_destroy(filter);
    }

    /* The test means something only if both verdicts and megaflow reuse
     * happened often. */
    print_message("%zu packets, %zu accepted, %zu megaflow reuses\n",
                  n_checked, n_accepted, n_reused);
    assert_true(n_accepted > n_checked / 10);
    assert_true(n_checked - n_accepted > n_checked / 10);
    assert_true(n_reused > n_checked);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_create),
        cmocka_unit_test(test_create_bad),
        cmocka_unit_test(test_property),
    };

    return cmocka_run_group_tests_name("mirror-filter", tests, NULL, NULL);
}
