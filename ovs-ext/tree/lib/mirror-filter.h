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

#ifndef MIRROR_FILTER_H
#define MIRROR_FILTER_H 1

/* Ordered accept/reject filters for the packets a Mirror copies.
 *
 * A filter is a list of rules, each with a number.  For a packet that a
 * Mirror selects, the rule with the lowest number that matches the packet
 * decides whether the Mirror copies it; when no rule matches, it does not.
 * A rule matches on IPv4 or IPv6 source and destination prefixes, the IP
 * protocol and ranges of L4 source and destination ports, and applies to
 * packets the port sends ("from-port"), receives ("to-port"), or both.
 *
 * A rule is written as text, the way it is stored in the Mirror table's
 * 'filter_rules' column:
 *
 *     accept|reject[,direction=from-port|to-port][,proto=P]
 *                  [,src=CIDR][,dst=CIDR][,src_port=LO[-HI]][,dst_port=LO[-HI]]
 *
 * 'P' is a protocol name vtap_parse_ip_proto() knows (tcp, udp, icmp, icmp6,
 * sctp, gre, esp, ah) or a number from 0 to 255.  Port
 * ranges need proto tcp, udp or sctp.  A rule with 'src' or 'dst' matches
 * only packets of that prefix's address family; a rule with 'proto' and no
 * prefix matches IPv4 and IPv6; a rule with neither matches every packet.
 *
 * Compiled filters are immutable and may be read by many threads at once
 * (under RCU); they are built and destroyed by one thread.  The lookup
 * records in the caller's wildcards every bit of the packet it examined, so
 * a datapath flow never covers packets that the filter treats differently.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "vtap-field.h"

struct ds;
struct flow;
struct flow_wildcards;

/* Rule numbers, as in AWS Traffic Mirroring filters. */
#define MIRROR_FILTER_NUMBER_MIN 1
#define MIRROR_FILTER_NUMBER_MAX 32766

/* The most rules one filter may hold, and the most masked matches they may
 * expand to (a rule with two port ranges can need 30 x 30 of them per
 * direction and address family). */
#define MIRROR_FILTER_MAX_RULES 1000
#define MIRROR_FILTER_MAX_ENTRIES 20000

/* Which way a packet crosses the selected port. */
enum mirror_filter_direction {
    MIRROR_FILTER_FROM_PORT = 1 << 0, /* Received on a select_src_port. */
    MIRROR_FILTER_TO_PORT = 1 << 1,   /* Sent to a select_dst_port. */
};

/* One rule, as parsed from its text. */
struct mirror_filter_rule {
    uint16_t number;            /* 1 to 32766; lower numbers decide first. */
    bool accept;                /* Copy (true) or do not copy (false). */
    unsigned int directions;    /* MIRROR_FILTER_* bits; both by default. */
    int proto;                  /* IP protocol, or -1 for any. */
    bool has_src;               /* Whether 'src' applies. */
    bool has_dst;               /* Whether 'dst' applies. */
    struct vtap_cidr src;       /* Source prefix. */
    struct vtap_cidr dst;       /* Destination prefix. */
    bool has_src_ports;         /* Whether 'src_ports' applies. */
    bool has_dst_ports;         /* Whether 'dst_ports' applies. */
    struct vtap_port_range src_ports; /* L4 source ports. */
    struct vtap_port_range dst_ports; /* L4 destination ports. */
};

char *mirror_filter_rule_parse(const char *, struct mirror_filter_rule *)
    OVS_WARN_UNUSED_RESULT;
void mirror_filter_rule_format(const struct mirror_filter_rule *,
                               struct ds *);

struct mirror_filter;

char *mirror_filter_create(const int64_t *numbers, char **rules, size_t n,
                           struct mirror_filter **) OVS_WARN_UNUSED_RESULT;
void mirror_filter_compile(struct mirror_filter *);
void mirror_filter_destroy(struct mirror_filter *);
bool mirror_filter_equal(const struct mirror_filter *,
                         const struct mirror_filter *);
size_t mirror_filter_n_rules(const struct mirror_filter *);

bool mirror_filter_accepts(const struct mirror_filter *,
                           enum mirror_filter_direction, struct flow *,
                           struct flow_wildcards *, int *rule_number);

#endif /* mirror-filter.h */
