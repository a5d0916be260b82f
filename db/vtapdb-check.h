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

#ifndef VTAPDB_CHECK_H
#define VTAPDB_CHECK_H 1

/* Validation of the rows of the TAP database (db/vtap.ovsschema).
 *
 * The schema itself enforces types, enums, integer ranges and references.
 * This module checks what a schema cannot say: the syntax of the values
 * stored as strings (names, IP addresses, CIDRs, port ranges, remotes),
 * combinations of columns (a Tap has a collector IP or a pool, never both),
 * and the facts about other rows that a row depends on (a source's switch
 * is not a hub, a filter has no two rules with the same number in one
 * direction).
 *
 * There are two kinds of function:
 *
 *   - vtapdb_parse_*() take the text a user wrote and either fill in their
 *     output and return NULL, or return an error, which the caller must
 *     free(), of the form "\"VALUE\": what is wrong", as vtap-field.h's
 *     parsers do.  The caller prefixes the name of the field.
 *
 *   - vtapdb_check_*() take a row as the IDL represents it and return NULL
 *     if it is valid, or an error, which the caller must free(), of the form
 *     "COLUMN: \"VALUE\": what is wrong".  The caller prefixes the row.
 *
 * Nothing here does I/O or needs a database connection: the row checkers
 * read only the row structs they are given and the rows they point to. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mirror-filter.h"
#include "openvswitch/compiler.h"

struct vtaprec_collector_pool;
struct vtaprec_filter;
struct vtaprec_filter_rule;
struct vtaprec_global;
struct vtaprec_switch;
struct vtaprec_tap;
struct vtaprec_tap_source;

/* Names of Switch, Tap, Filter and Collector_Pool rows: a letter or '_',
 * then letters, digits, '_', '-' or '.', at most this many in all. */
#define VTAPDB_NAME_MAX 64

/* Linux limits network device names, and so OVS bridge names, to 15
 * bytes. */
#define VTAPDB_BRIDGE_MAX 15

/* Filter rule numbers, as AWS numbers Traffic Mirror filter rules: the
 * range that ovs-vswitchd's Mirror filter rules take (lib/mirror-filter.h
 * in the patched OVS tree). */
#define VTAPDB_RULE_NUMBER_MIN 1
#define VTAPDB_RULE_NUMBER_MAX MIRROR_FILTER_NUMBER_MAX

/* VXLAN network identifiers: 24 bits. */
#define VTAPDB_VNI_MAX 0xffffff

/* The UDP destination port of a Tap's copies. */
#define VTAPDB_UDP_PORT_MIN 1
#define VTAPDB_UDP_PORT_MAX 65535

/* Truncation lengths: at least an Ethernet header, as OVS's Mirror
 * snaplen. */
#define VTAPDB_SNAPLEN_MIN 14
#define VTAPDB_SNAPLEN_MAX 65535

/* Collector weights, as OpenFlow select group buckets take them. */
#define VTAPDB_WEIGHT_MIN 1
#define VTAPDB_WEIGHT_MAX 65535

/* Underlay MTUs: from IPv4's smallest datagram every host must take. */
#define VTAPDB_UNDERLAY_MTU_MIN 576
#define VTAPDB_UNDERLAY_MTU_MAX 65535
#define VTAPDB_DEFAULT_UNDERLAY_MTU 1500

/* Sources on one switch: each is a Mirror on its bridge, and the patched
 * Open vSwitch takes 256 mirrors per bridge (ovs-ext 0015). */
#define VTAPDB_SOURCES_PER_SWITCH_MAX 256

/* Global options:stats_interval, in milliseconds: from a second to a day. */
#define VTAPDB_STATS_INTERVAL_MIN 1000
#define VTAPDB_STATS_INTERVAL_MAX 86400000

/* Rate limits, as OpenFlow meter bands take them. */
#define VTAPDB_RATE_MAX UINT32_MAX

/* VXLAN's UDP port (IANA): the one a Tap uses when its udp_port column is
 * empty, and the one on which hubs' tunnel ports listen
 * (flows/vtap-flows.h). */
#define VTAPDB_VXLAN_PORT 4789
#define VTAPDB_DEFAULT_UDP_PORT VTAPDB_VXLAN_PORT

char *vtapdb_parse_name(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_bridge(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_port_name(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_source_port(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_ip(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_remote(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_openflow_remote(const char *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_enum(const char *, const char *const values[])
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_bool(const char *, bool *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_vni(const char *, int64_t *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_udp_port(const char *, int64_t *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_snaplen(const char *, int64_t *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_underlay_mtu(const char *, int64_t *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_rule_number(const char *, int64_t *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_weight(const char *, int64_t *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_protocol(const char *, int64_t *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_parse_rate_limit(const char *, int64_t *rate,
                              const char **unit) OVS_WARN_UNUSED_RESULT;

bool vtapdb_protocol_has_ports(int64_t protocol);
char *vtapdb_ip_key(const char *);
bool vtapdb_same_ip(const char *, const char *);
size_t vtapdb_find_ip(char *const *ips, size_t n, const char *ip);

/* The values of the schema's enums, each array terminated by NULL. */
extern const char *const vtapdb_switch_roles[];
extern const char *const vtapdb_source_directions[];
extern const char *const vtapdb_rule_directions[];
extern const char *const vtapdb_rule_actions[];
extern const char *const vtapdb_oversize_actions[];

bool vtapdb_switch_is_enabled(const struct vtaprec_switch *);
bool vtapdb_tap_is_enabled(const struct vtaprec_tap *);

char *vtapdb_check_global(const struct vtaprec_global *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_switch(const struct vtaprec_switch *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_tap(const struct vtaprec_tap *) OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_tap_switch(const struct vtaprec_tap *,
                              const struct vtaprec_switch *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_source(const struct vtaprec_tap_source *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_filter(const struct vtaprec_filter *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_rule(const struct vtaprec_filter_rule *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_rule_to_mirror_filter(const struct vtaprec_filter_rule *,
                                   struct mirror_filter_rule *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_pool(const struct vtaprec_collector_pool *)
    OVS_WARN_UNUSED_RESULT;
char *vtapdb_check_pool_down(const struct vtaprec_collector_pool *)
    OVS_WARN_UNUSED_RESULT;

#endif /* vtapdb-check.h */
