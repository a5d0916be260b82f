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
#include "mirror-filter.h"

#include <string.h>
#include "classifier.h"
#include "flow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "ovs-rcu.h"
#include "packets.h"
#include "util.h"
#include "vtap-ovs-compat.h"

/* A compiled filter.  Each rule becomes, in the classifier of each
 * direction it applies to, one entry per address family and per pair of
 * masked ports its ranges expand to, all at the rule's priority. */
struct mirror_filter {
    char *spec;                 /* Canonical text of all rules, in order. */
    struct mirror_filter_rule *rules; /* Sorted by ascending number. */
    size_t n_rules;             /* Number of 'rules'. */
    struct classifier cls[2];   /* Indexed by direction_index(). */
    struct mirror_filter_entry *entries; /* In 'cls'. */
    size_t n_entries;           /* Number of 'entries'. */
    bool compiled;              /* Whether 'cls' holds 'entries'. */
};

/* One classifier entry. */
struct mirror_filter_entry {
    struct cls_rule cr;         /* In one of the filter's classifiers. */
    struct classifier *cls;     /* The classifier that holds 'cr'. */
    const struct mirror_filter_rule *rule; /* The rule it comes from. */
};

/* Every entry is visible in this version, and every lookup is in it. */
#define MIRROR_FILTER_VERSION OVS_VERSION_MIN

/* Returns the index in struct mirror_filter's 'cls' of the classifier for
 * 'direction'. */
static size_t
direction_index(enum mirror_filter_direction direction)
{
    return direction == MIRROR_FILTER_FROM_PORT ? 0 : 1;
}

static bool
proto_has_ports(int proto)
{
    return proto == IPPROTO_TCP || proto == IPPROTO_UDP
           || proto == IPPROTO_SCTP;
}

/* Parses 'value' as the value of 'key' into 'rule'. */
static char *
parse_rule_item(const char *key, const char *value,
                struct mirror_filter_rule *rule)
{
    char *error = NULL;

    if (!strcmp(key, "direction")) {
        if (!strcmp(value, "from-port")) {
            rule->directions = MIRROR_FILTER_FROM_PORT;
        } else if (!strcmp(value, "to-port")) {
            rule->directions = MIRROR_FILTER_TO_PORT;
        } else {
            return xasprintf("direction: \"%s\": expected from-port or "
                             "to-port", value);
        }
    } else if (!strcmp(key, "proto")) {
        uint8_t proto;

        error = vtap_parse_ip_proto(value, &proto);
        rule->proto = proto;
    } else if (!strcmp(key, "src")) {
        error = vtap_parse_cidr(value, &rule->src);
        rule->has_src = true;
    } else if (!strcmp(key, "dst")) {
        error = vtap_parse_cidr(value, &rule->dst);
        rule->has_dst = true;
    } else if (!strcmp(key, "src_port")) {
        error = vtap_parse_port_range(value, &rule->src_ports);
        rule->has_src_ports = true;
    } else if (!strcmp(key, "dst_port")) {
        error = vtap_parse_port_range(value, &rule->dst_ports);
        rule->has_dst_ports = true;
    } else {
        return xasprintf("\"%s\": unknown key (expected direction, proto, "
                         "src, dst, src_port or dst_port)", key);
    }

    if (error) {
        char *msg = xasprintf("%s: %s", key, error);
        free(error);
        return msg;
    }
    return NULL;
}

/* Checks that the fields of 'rule' make sense together. */
static char *
check_rule(const struct mirror_filter_rule *rule)
{
    if (rule->has_src && rule->has_dst
        && rule->src.is_ipv4 != rule->dst.is_ipv4) {
        return xstrdup("src and dst are of different address families");
    }
    if ((rule->has_src_ports || rule->has_dst_ports)
        && !proto_has_ports(rule->proto)) {
        return xstrdup("src_port and dst_port need proto tcp, udp or sctp");
    }

    const struct vtap_cidr *cidr = (rule->has_src ? &rule->src
                                    : rule->has_dst ? &rule->dst
                                    : NULL);
    if (cidr && rule->proto == IPPROTO_ICMP && !cidr->is_ipv4) {
        return xstrdup("proto icmp with an IPv6 prefix (use icmp6)");
    }
    if (cidr && rule->proto == IPPROTO_ICMPV6 && cidr->is_ipv4) {
        return xstrdup("proto icmp6 with an IPv4 prefix (use icmp)");
    }
    return NULL;
}

/* Parses 's', the text of one rule (see mirror-filter.h), into 'rule',
 * whose 'number' it sets to 0.  Returns NULL if successful, otherwise an
 * error message that the caller must free(). */
char *
mirror_filter_rule_parse(const char *s, struct mirror_filter_rule *rule)
{
    char *copy = xstrdup(s);
    char *rest = copy;
    char *error = NULL;
    unsigned int seen = 0;
    const char *keys[] = { "direction", "proto", "src", "dst",
                           "src_port", "dst_port" };

    memset(rule, 0, sizeof *rule);
    rule->proto = -1;
    rule->directions = MIRROR_FILTER_FROM_PORT | MIRROR_FILTER_TO_PORT;

    char *verdict = strsep(&rest, ",");
    if (!strcmp(verdict, "accept")) {
        rule->accept = true;
    } else if (strcmp(verdict, "reject")) {
        error = xasprintf("\"%s\": a rule starts with accept or reject",
                          verdict);
        goto out;
    }

    while (rest) {
        char *item = strsep(&rest, ",");
        char *value = strchr(item, '=');
        size_t i;

        if (!value || value == item || !value[1]) {
            error = xasprintf("\"%s\": expected KEY=VALUE", item);
            goto out;
        }
        *value++ = '\0';
        for (i = 0; i < ARRAY_SIZE(keys); i++) {
            if (!strcmp(item, keys[i])) {
                break;
            }
        }
        if (i < ARRAY_SIZE(keys) && seen & (1u << i)) {
            error = xasprintf("%s: given twice", item);
            goto out;
        }
        seen |= 1u << i;
        error = parse_rule_item(item, value, rule);
        if (error) {
            goto out;
        }
    }
    error = check_rule(rule);

out:
    free(copy);
    return error;
}

static void
format_port_range(const char *key, const struct vtap_port_range *range,
                  struct ds *s)
{
    ds_put_format(s, ",%s=%"PRIu16, key, range->low);
    if (range->high != range->low) {
        ds_put_format(s, "-%"PRIu16, range->high);
    }
}

/* Appends 'rule' to 's' in the canonical form of its text, which
 * mirror_filter_rule_parse() reads back into the same rule. */
void
mirror_filter_rule_format(const struct mirror_filter_rule *rule, struct ds *s)
{
    ds_put_cstr(s, rule->accept ? "accept" : "reject");
    if (rule->directions == MIRROR_FILTER_FROM_PORT) {
        ds_put_cstr(s, ",direction=from-port");
    } else if (rule->directions == MIRROR_FILTER_TO_PORT) {
        ds_put_cstr(s, ",direction=to-port");
    }
    if (rule->proto >= 0) {
        const char *name = vtap_ip_proto_name(rule->proto);

        if (name) {
            ds_put_format(s, ",proto=%s", name);
        } else {
            ds_put_format(s, ",proto=%d", rule->proto);
        }
    }
    if (rule->has_src) {
        ds_put_cstr(s, ",src=");
        vtap_format_cidr(&rule->src, s);
    }
    if (rule->has_dst) {
        ds_put_cstr(s, ",dst=");
        vtap_format_cidr(&rule->dst, s);
    }
    if (rule->has_src_ports) {
        format_port_range("src_port", &rule->src_ports, s);
    }
    if (rule->has_dst_ports) {
        format_port_range("dst_port", &rule->dst_ports, s);
    }
}

/* Stores in 'types' the Ethernet types 'rule' matches and returns how many
 * there are; a single 0 means any frame, IP or not. */
static size_t
rule_eth_types(const struct mirror_filter_rule *rule, ovs_be16 types[2])
{
    const struct vtap_cidr *cidr = (rule->has_src ? &rule->src
                                    : rule->has_dst ? &rule->dst
                                    : NULL);

    if (cidr) {
        types[0] = htons(cidr->is_ipv4 ? ETH_TYPE_IP : ETH_TYPE_IPV6);
        return 1;
    } else if (rule->proto == IPPROTO_ICMP) {
        types[0] = htons(ETH_TYPE_IP);
        return 1;
    } else if (rule->proto == IPPROTO_ICMPV6) {
        types[0] = htons(ETH_TYPE_IPV6);
        return 1;
    } else if (rule->proto >= 0) {
        types[0] = htons(ETH_TYPE_IP);
        types[1] = htons(ETH_TYPE_IPV6);
        return 2;
    }
    types[0] = 0;
    return 1;
}

/* Stores in 'masks' the masked ports that 'range' expands to, or a single
 * all-wildcard port if '!has_range', and returns how many. */
static size_t
port_masks(bool has_range, const struct vtap_port_range *range,
           struct vtap_masked_port masks[VTAP_PORT_RANGE_MAX_MASKS])
{
    if (!has_range) {
        masks[0].value = masks[0].mask = 0;
        return 1;
    }
    return vtap_port_range_to_masks(range, masks);
}

static void
match_set_cidr(struct match *match, const struct vtap_cidr *cidr, bool src)
{
    if (cidr->is_ipv4) {
        ovs_be32 ip = in6_addr_get_mapped_ipv4(&cidr->addr);
        ovs_be32 mask = be32_prefix_mask(cidr->plen);

        if (src) {
            match_set_nw_src_masked(match, ip, mask);
        } else {
            match_set_nw_dst_masked(match, ip, mask);
        }
    } else {
        struct in6_addr mask = ipv6_create_mask(cidr->plen);

        if (src) {
            match_set_ipv6_src_masked(match, &cidr->addr, &mask);
        } else {
            match_set_ipv6_dst_masked(match, &cidr->addr, &mask);
        }
    }
}

/* Builds into 'match' the match of 'rule' for Ethernet type 'eth_type' (0
 * for any) and the masked L4 ports 'src_port' and 'dst_port'. */
static void
rule_to_match(const struct mirror_filter_rule *rule, ovs_be16 eth_type,
              const struct vtap_masked_port *src_port,
              const struct vtap_masked_port *dst_port, struct match *match)
{
    match_init_catchall(match);
    if (eth_type) {
        match_set_dl_type(match, eth_type);
    }
    if (rule->has_src) {
        match_set_cidr(match, &rule->src, true);
    }
    if (rule->has_dst) {
        match_set_cidr(match, &rule->dst, false);
    }
    if (rule->proto >= 0) {
        match_set_nw_proto(match, rule->proto);
    }
    if (src_port->mask) {
        match_set_tp_src_masked(match, htons(src_port->value),
                                htons(src_port->mask));
    }
    if (dst_port->mask) {
        match_set_tp_dst_masked(match, htons(dst_port->value),
                                htons(dst_port->mask));
    }
}

/* Adds the classifier entries of 'rule' to 'filter', whose 'entries' has
 * room for them. */
static void
add_rule_entries(struct mirror_filter *filter,
                 const struct mirror_filter_rule *rule)
{
    struct vtap_masked_port src_ports[VTAP_PORT_RANGE_MAX_MASKS];
    struct vtap_masked_port dst_ports[VTAP_PORT_RANGE_MAX_MASKS];
    size_t n_src = port_masks(rule->has_src_ports, &rule->src_ports,
                              src_ports);
    size_t n_dst = port_masks(rule->has_dst_ports, &rule->dst_ports,
                              dst_ports);
    int priority = MIRROR_FILTER_NUMBER_MAX + 1 - rule->number;
    ovs_be16 types[2];
    size_t n_types = rule_eth_types(rule, types);

    for (int dir = 0; dir < 2; dir++) {
        enum mirror_filter_direction d = (dir ? MIRROR_FILTER_TO_PORT
                                          : MIRROR_FILTER_FROM_PORT);
        if (!(rule->directions & d)) {
            continue;
        }
        struct classifier *cls = &filter->cls[direction_index(d)];
        for (size_t t = 0; t < n_types; t++) {
            for (size_t i = 0; i < n_src; i++) {
                for (size_t j = 0; j < n_dst; j++) {
                    struct mirror_filter_entry *e
                        = &filter->entries[filter->n_entries++];
                    struct match match;

                    rule_to_match(rule, types[t], &src_ports[i],
                                  &dst_ports[j], &match);
                    cls_rule_init(&e->cr, &match, priority);
                    e->cls = cls;
                    e->rule = rule;
                    classifier_insert(cls, &e->cr, MIRROR_FILTER_VERSION,
                                      NULL, 0);
                }
            }
        }
    }
}

/* Returns how many classifier entries 'rule' becomes. */
static size_t
rule_n_entries(const struct mirror_filter_rule *rule)
{
    struct vtap_masked_port masks[VTAP_PORT_RANGE_MAX_MASKS];
    size_t n_dirs = count_1bits(rule->directions);
    ovs_be16 types[2];

    return (n_dirs * rule_eth_types(rule, types)
            * port_masks(rule->has_src_ports, &rule->src_ports, masks)
            * port_masks(rule->has_dst_ports, &rule->dst_ports, masks));
}

static int
compare_rule_numbers(const void *a_, const void *b_)
{
    const struct mirror_filter_rule *a = a_;
    const struct mirror_filter_rule *b = b_;

    return (int) a->number - (int) b->number;
}

/* Parses the 'n' rules numbered 'numbers' whose texts are 'rules' (as the
 * Mirror table's 'filter_rules' map holds them); mirror_filter_compile()
 * then makes them ready for lookups.  On
 * success, stores the filter in '*filterp' (NULL if 'n' is 0: no filter,
 * every selected packet is copied) and returns NULL.  Otherwise stores NULL
 * and returns an error message, which names the rule, for the caller to
 * free(). */
char *
mirror_filter_create(const int64_t *numbers, char **rules, size_t n,
                     struct mirror_filter **filterp)
{
    struct mirror_filter_rule *parsed;
    size_t n_entries = 0;

    *filterp = NULL;
    if (!n) {
        return NULL;
    }
    if (n > MIRROR_FILTER_MAX_RULES) {
        return xasprintf("%"PRIuSIZE" rules (at most %d)",
                         n, MIRROR_FILTER_MAX_RULES);
    }

    parsed = xcalloc(n, sizeof *parsed);
    for (size_t i = 0; i < n; i++) {
        char *error;

        if (numbers[i] < MIRROR_FILTER_NUMBER_MIN
            || numbers[i] > MIRROR_FILTER_NUMBER_MAX) {
            free(parsed);
            return xasprintf("rule %"PRId64": rule numbers are %d to %d",
                             numbers[i], MIRROR_FILTER_NUMBER_MIN,
                             MIRROR_FILTER_NUMBER_MAX);
        }
        error = mirror_filter_rule_parse(rules[i], &parsed[i]);
        if (error) {
            char *msg = xasprintf("rule %"PRId64": %s", numbers[i], error);

            free(error);
            free(parsed);
            return msg;
        }
        parsed[i].number = numbers[i];
        n_entries += rule_n_entries(&parsed[i]);
    }
    if (n_entries > MIRROR_FILTER_MAX_ENTRIES) {
        free(parsed);
        return xasprintf("the rules expand to %"PRIuSIZE" masked matches "
                         "(at most %d): use fewer or wider port ranges",
                         n_entries, MIRROR_FILTER_MAX_ENTRIES);
    }
    qsort(parsed, n, sizeof *parsed, compare_rule_numbers);
    for (size_t i = 1; i < n; i++) {
        if (parsed[i].number == parsed[i - 1].number) {
            char *msg = xasprintf("rule %"PRIu16": given twice",
                                  parsed[i].number);
            free(parsed);
            return msg;
        }
    }

    struct mirror_filter *filter = xzalloc(sizeof *filter);
    struct ds spec = DS_EMPTY_INITIALIZER;

    filter->rules = parsed;
    filter->n_rules = n;
    filter->entries = xcalloc(n_entries, sizeof *filter->entries);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&spec, "%s%"PRIu16":", i ? ";" : "", parsed[i].number);
        mirror_filter_rule_format(&parsed[i], &spec);
    }
    filter->spec = ds_steal_cstr(&spec);

    *filterp = filter;
    return NULL;
}

/* Builds 'filter''s classifiers, which mirror_filter_accepts() needs.
 * mirror_filter_create() leaves this out, so that a configuration that
 * has not changed, which is checked with mirror_filter_equal(), costs only
 * the parsing.  Does nothing if 'filter' is NULL or already compiled. */
void
mirror_filter_compile(struct mirror_filter *filter)
{
    if (!filter || filter->compiled) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(filter->cls); i++) {
        classifier_init(&filter->cls[i], flow_segment_u64s);
    }
    for (size_t i = 0; i < filter->n_rules; i++) {
        add_rule_entries(filter, &filter->rules[i]);
    }
    filter->compiled = true;
}

/* Frees 'filter''s rules once no reader can still be looking at them. */
static void
mirror_filter_free(struct mirror_filter *filter)
{
    for (size_t i = 0; i < filter->n_entries; i++) {
        cls_rule_destroy(&filter->entries[i].cr);
    }
    free(filter->entries);
    free(filter->rules);
    free(filter->spec);
    free(filter);
}

/* Takes 'filter''s entries out of its classifiers, once no reader can still
 * be looking it up, then frees the rest after the classifiers' own deferred
 * frees. */
static void
mirror_filter_destroy__(struct mirror_filter *filter)
{
    if (!filter->compiled) {
        mirror_filter_free(filter);
        return;
    }
    for (size_t i = 0; i < filter->n_entries; i++) {
        struct mirror_filter_entry *e = &filter->entries[i];

        classifier_remove_assert(e->cls, &e->cr);
    }
    for (size_t i = 0; i < ARRAY_SIZE(filter->cls); i++) {
        classifier_destroy(&filter->cls[i]);
    }
    ovsrcu_postpone(mirror_filter_free, filter);
}

/* Destroys 'filter'.  Threads that looked it up before the call may go on
 * using it until they quiesce. */
void
mirror_filter_destroy(struct mirror_filter *filter)
{
    if (filter) {
        ovsrcu_postpone(mirror_filter_destroy__, filter);
    }
}

/* Returns true if 'a' and 'b' hold the same rules (two null filters are
 * equal). */
bool
mirror_filter_equal(const struct mirror_filter *a,
                    const struct mirror_filter *b)
{
    return a == b || (a && b && !strcmp(a->spec, b->spec));
}

/* Returns the number of rules in 'filter' (0 if it is NULL). */
size_t
mirror_filter_n_rules(const struct mirror_filter *filter)
{
    return filter ? filter->n_rules : 0;
}

/* Returns true if 'filter' accepts 'flow', a packet crossing the selected
 * port in 'direction', for copying.  A null 'filter' accepts everything.
 * ORs into 'wc' every bit of 'flow' the decision depended on.  Stores in
 * '*rule_number' the number of the rule that decided, or 0 if none
 * matched (and the packet is not copied).
 *
 * 'flow' is not changed; it is not const only because the classifier
 * lookup needs it so. */
bool
mirror_filter_accepts(const struct mirror_filter *filter,
                      enum mirror_filter_direction direction,
                      struct flow *flow, struct flow_wildcards *wc,
                      int *rule_number)
{
    const struct cls_rule *cr;

    if (!filter) {
        *rule_number = 0;
        return true;
    }
    ovs_assert(filter->compiled);
    cr = VTAP_CLASSIFIER_LOOKUP(&filter->cls[direction_index(direction)],
                                MIRROR_FILTER_VERSION, flow, wc);
    if (!cr) {
        *rule_number = 0;
        return false;
    }

    const struct mirror_filter_entry *e
        = CONTAINER_OF(cr, struct mirror_filter_entry, cr);
    *rule_number = e->rule->number;
    return e->rule->accept;
}
