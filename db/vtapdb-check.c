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
#include "db/vtapdb-check.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include "db/vtap-idl.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "util.h"
#include "vtap-field.h"

const char *const vtapdb_switch_roles[] = { "spoke", "hub", NULL };
const char *const vtapdb_source_directions[] = {
    "ingress", "egress", "both", NULL
};
const char *const vtapdb_rule_directions[] = { "ingress", "egress", NULL };
const char *const vtapdb_rule_actions[] = { "accept", "reject", NULL };
const char *const vtapdb_oversize_actions[] = { "drop", "truncate", NULL };

/* Returns true if 's' is a nonempty string of at most 19 decimal digits
 * whose value lies in ['min', 'max'], storing the value in '*value'.  White
 * space, signs and base prefixes, which str_to_ullong() would accept, are
 * rejected first. */
static bool
parse_uint(const char *s, uint64_t min, uint64_t max, int64_t *value)
{
    size_t len = strlen(s);
    unsigned long long v;

    if (!len || len > 19 || strspn(s, "0123456789") != len
        || !str_to_ullong(s, 10, &v) || v < min || v > max) {
        return false;
    }
    *value = v;
    return true;
}

/* Returns true if 's' contains white space or a control character. */
static bool
has_space(const char *s)
{
    for (; *s; s++) {
        if (isspace((unsigned char) *s) || iscntrl((unsigned char) *s)) {
            return true;
        }
    }
    return false;
}

/* Parses 's' as the name of a Switch, Tap, Filter or Collector_Pool: a
 * letter or '_', then letters, digits, '_', '-' or '.', VTAPDB_NAME_MAX
 * characters at most.  A name therefore never looks like an IP address,
 * which lets vtapctl take either one where a Tap's destination goes. */
char *
vtapdb_parse_name(const char *s)
{
    size_t len = strlen(s);

    if (!len || len > VTAPDB_NAME_MAX
        || !(isalpha((unsigned char) s[0]) || s[0] == '_')
        || strspn(s, "abcdefghijklmnopqrstuvwxyz"
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != len) {
        return xasprintf("\"%s\": not a name (expected a letter or '_', "
                         "then letters, digits, '_', '-' or '.', %d at "
                         "most)", s, VTAPDB_NAME_MAX);
    }
    return NULL;
}

/* Parses 's' as an OVS bridge name, which is also a network device name:
 * 1 to VTAPDB_BRIDGE_MAX bytes, no '/' and no white space. */
char *
vtapdb_parse_bridge(const char *s)
{
    size_t len = strlen(s);

    if (!len || len > VTAPDB_BRIDGE_MAX || strchr(s, '/') || has_space(s)
        || !strcmp(s, ".") || !strcmp(s, "..")) {
        return xasprintf("\"%s\": not a bridge name (expected 1 to %d "
                         "characters, no '/' or white space)",
                         s, VTAPDB_BRIDGE_MAX);
    }
    return NULL;
}

/* Parses 's' as the name of a port on a switch, or as the iface-id in an
 * Interface's external_ids: anything nonempty without white space. */
char *
vtapdb_parse_port_name(const char *s)
{
    if (!*s || has_space(s)) {
        return xasprintf("\"%s\": not a port name or iface-id (expected "
                         "1 or more characters, no white space)", s);
    }
    return NULL;
}

/* Parses 's' as the port name of a source.  Since vtapctl takes a source's
 * port as "iface-id=ID" for its iface-id, and the HTTP API names a source
 * by TAP/SWITCH/PORT with the same spelling, a port name may not start
 * that way: it could not be told from an iface-id. */
char *
vtapdb_parse_source_port(const char *s)
{
    if (!strncmp(s, "iface-id=", 9)) {
        return xasprintf("\"%s\": not a port name (one that starts with "
                         "\"iface-id=\" could not be told from an "
                         "iface-id)", s);
    }
    return vtapdb_parse_port_name(s);
}

/* Converts 's', an IPv4 or IPv6 address without a prefix length, into
 * '*addr' (IPv4 as an IPv4-mapped address).  Returns true if successful. */
static bool
ip_to_in6(const char *s, struct in6_addr *addr)
{
    ovs_be32 ip4;

    if (strchr(s, ':')) {
        return inet_pton(AF_INET6, s, addr) == 1;
    } else if (inet_pton(AF_INET, s, &ip4) == 1) {
        in6_addr_set_mapped_ipv4(addr, ip4);
        return true;
    }
    return false;
}

/* Parses 's' as one IPv4 or IPv6 address, with no prefix length. */
char *
vtapdb_parse_ip(const char *s)
{
    struct in6_addr addr;

    if (!ip_to_in6(s, &addr)) {
        return xasprintf("\"%s\": not an IPv4 or IPv6 address", s);
    }
    return NULL;
}

/* Returns true if 'a' and 'b' are valid addresses and the same address,
 * however each is written ("2001:db8::1" and "2001:DB8:0::1" are). */
bool
vtapdb_same_ip(const char *a, const char *b)
{
    struct in6_addr x, y;

    return ip_to_in6(a, &x) && ip_to_in6(b, &y) && ipv6_addr_equals(&x, &y);
}

/* Returns 's', an IPv4 or IPv6 address, in one spelling for each address
 * (what vtapdb_same_ip() judges the same is the same string), or NULL if it
 * is not an address.  The caller frees it. */
char *
vtapdb_ip_key(const char *s)
{
    struct in6_addr addr;
    struct ds key = DS_EMPTY_INITIALIZER;

    if (!ip_to_in6(s, &addr)) {
        return NULL;
    }
    ipv6_format_mapped(&addr, &key);
    return ds_steal_cstr(&key);
}

/* Returns the index of the first of the 'n' addresses 'ips' that is the same
 * address as 'ip' (see vtapdb_same_ip()), or SIZE_MAX. */
size_t
vtapdb_find_ip(char *const *ips, size_t n, const char *ip)
{
    for (size_t i = 0; i < n; i++) {
        if (vtapdb_same_ip(ips[i], ip)) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* Returns true if 's', the part of a tcp: or ssl: remote after the colon,
 * is "IPv4[:PORT]" or "[IPv6][:PORT]". */
static bool
parse_inet_target(const char *s)
{
    struct in6_addr addr;
    const char *port;
    int64_t value;
    char *host;
    bool ok;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');

        if (!close || (close[1] && close[1] != ':')) {
            return false;
        }
        host = xmemdup0(s + 1, close - (s + 1));
        port = close[1] ? close + 2 : NULL;
        ok = strchr(host, ':') != NULL;   /* Brackets only around IPv6. */
    } else {
        const char *colon = strchr(s, ':');

        host = colon ? xmemdup0(s, colon - s) : xstrdup(s);
        port = colon ? colon + 1 : NULL;
        ok = true;
    }
    ok = ok && ip_to_in6(host, &addr);
    free(host);
    return ok && (!port || parse_uint(port, 1, UINT16_MAX, &value));
}

/* Parses 's' as an active connection method to a switch's OpenFlow or
 * OVSDB server: "tcp:IP[:PORT]", "ssl:IP[:PORT]" or "unix:FILE", with an
 * IPv6 address in brackets.  vtapd connects to switches, so passive methods
 * ("ptcp:") are rejected, and so are host names, which would make the
 * controller depend on DNS. */
char *
vtapdb_parse_remote(const char *s)
{
    bool ok;

    if (!strncmp(s, "tcp:", 4) || !strncmp(s, "ssl:", 4)) {
        ok = parse_inet_target(s + 4);
    } else if (!strncmp(s, "unix:", 5)) {
        ok = s[5] && !has_space(s + 5);
    } else {
        ok = false;
    }
    if (!ok) {
        return xasprintf("\"%s\": not an active remote (expected "
                         "tcp:IP[:PORT], ssl:IP[:PORT] or unix:FILE)", s);
    }
    return NULL;
}

/* Returns true if 's', the part of a ptcp: or pssl: remote after the
 * colon, is "[PORT][:IP]", with an IPv6 address in brackets. */
static bool
parse_passive_inet_target(const char *s)
{
    const char *colon = strchr(s, ':');
    char *port = colon ? xmemdup0(s, colon - s) : xstrdup(s);
    int64_t value;
    bool ok = !*port || parse_uint(port, 0, UINT16_MAX, &value);

    free(port);
    if (ok && colon) {
        const char *ip = colon + 1;
        struct in6_addr addr;

        if (ip[0] == '[') {
            size_t len = strlen(ip);
            char *host = xmemdup0(ip + 1, len - 1);

            ok = len > 2 && ip[len - 1] == ']';
            host[len > 1 ? len - 2 : 0] = '\0';
            ok = ok && strchr(host, ':') && ip_to_in6(host, &addr);
            free(host);
        } else {
            ok = !strchr(ip, ':') && ip_to_in6(ip, &addr);
        }
    }
    return ok;
}

/* Parses 's' as the OpenFlow remote of a switch: an active one (see
 * vtapdb_parse_remote()), to which vtapd connects, or a passive one,
 * "ptcp:[PORT][:IP]", "pssl:[PORT][:IP]" or "punix:FILE", on which vtapd
 * listens for the switch's bridge (whose controller it is) to connect. */
char *
vtapdb_parse_openflow_remote(const char *s)
{
    bool ok;

    if (!strncmp(s, "ptcp:", 5) || !strncmp(s, "pssl:", 5)) {
        ok = parse_passive_inet_target(s + 5);
    } else if (!strncmp(s, "punix:", 6)) {
        ok = s[6] && !has_space(s + 6);
    } else {
        char *error = vtapdb_parse_remote(s);

        ok = !error;
        free(error);
    }
    if (!ok) {
        return xasprintf("\"%s\": not an OpenFlow remote (expected "
                         "tcp:IP[:PORT], ssl:IP[:PORT], unix:FILE, "
                         "ptcp:[PORT][:IP], pssl:[PORT][:IP] or punix:FILE)",
                         s);
    }
    return NULL;
}

/* Parses 's' as one of 'values', a NULL-terminated array. */
char *
vtapdb_parse_enum(const char *s, const char *const values[])
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t i;

    for (i = 0; values[i]; i++) {
        if (!strcmp(s, values[i])) {
            return NULL;
        }
    }

    ds_put_format(&ds, "\"%s\": not one of ", s);
    for (i = 0; values[i]; i++) {
        if (i) {
            ds_put_cstr(&ds, values[i + 1] ? ", " : " or ");
        }
        ds_put_cstr(&ds, values[i]);
    }
    return ds_steal_cstr(&ds);
}

/* Parses 's' as "true" or "false". */
char *
vtapdb_parse_bool(const char *s, bool *value)
{
    if (!strcmp(s, "true") || !strcmp(s, "false")) {
        *value = s[0] == 't';
        return NULL;
    }
    *value = false;
    return xasprintf("\"%s\": not a boolean (expected true or false)", s);
}

/* Parses 's' as a decimal integer from 'min' to 'max' into '*value'.  The
 * error calls the value "a 'what'" and ends the expected range with
 * 'unit'. */
static char *
parse_bounded(const char *s, int64_t min, int64_t max, const char *what,
              const char *unit, int64_t *value)
{
    if (!parse_uint(s, min, max, value)) {
        *value = 0;
        return xasprintf("\"%s\": not a %s (expected %"PRId64"-%"PRId64
                         "%s)", s, what, min, max, unit);
    }
    return NULL;
}

/* Parses 's' as a truncation length for mirrored packets, in bytes. */
char *
vtapdb_parse_snaplen(const char *s, int64_t *snaplen)
{
    return parse_bounded(s, VTAPDB_SNAPLEN_MIN, VTAPDB_SNAPLEN_MAX,
                         "snaplen", " bytes", snaplen);
}

/* Parses 's' as the MTU of a switch's underlay. */
char *
vtapdb_parse_underlay_mtu(const char *s, int64_t *mtu)
{
    return parse_bounded(s, VTAPDB_UNDERLAY_MTU_MIN, VTAPDB_UNDERLAY_MTU_MAX,
                         "valid MTU", " bytes", mtu);
}

/* Parses 's' as a filter rule number. */
char *
vtapdb_parse_rule_number(const char *s, int64_t *number)
{
    return parse_bounded(s, VTAPDB_RULE_NUMBER_MIN, VTAPDB_RULE_NUMBER_MAX,
                         "rule number", "", number);
}

/* Parses 's' as the weight of a collector in a pool. */
char *
vtapdb_parse_weight(const char *s, int64_t *weight)
{
    return parse_bounded(s, VTAPDB_WEIGHT_MIN, VTAPDB_WEIGHT_MAX, "weight",
                         "", weight);
}

/* Parses 's' as an IP protocol: a number from 0 to 255 or a name that
 * vtap_parse_ip_proto() knows. */
char *
vtapdb_parse_protocol(const char *s, int64_t *protocol)
{
    uint8_t proto = 0;
    char *error = vtap_parse_ip_proto(s, &proto);

    *protocol = proto;
    return error;
}

/* Returns true if packets of IP 'protocol' carry L4 ports that a filter
 * rule can match: TCP, UDP and SCTP. */
bool
vtapdb_protocol_has_ports(int64_t protocol)
{
    return protocol == 6 || protocol == 17 || protocol == 132;
}

/* Parses 's' as a rate limit for mirrored copies: "RATEpps" (packets per
 * second), "RATEkbps" (kilobits per second) or a bare "RATE", which means
 * packets per second.  Stores the rate in '*rate' and "pps" or "kbps" in
 * '*unit'. */
char *
vtapdb_parse_rate_limit(const char *s, int64_t *rate, const char **unit)
{
    size_t digits = strspn(s, "0123456789");
    const char *suffix = s + digits;
    char *number = xmemdup0(s, digits);
    bool ok;

    *unit = (!strcmp(suffix, "kbps") ? "kbps"
             : !*suffix || !strcmp(suffix, "pps") ? "pps"
             : NULL);
    ok = *unit && parse_uint(number, 1, VTAPDB_RATE_MAX, rate);
    free(number);
    if (!ok) {
        *rate = 0;
        *unit = NULL;
        return xasprintf("\"%s\": not a rate limit (expected 1-%"PRIu32
                         " followed by pps or kbps)", s, VTAPDB_RATE_MAX);
    }
    return NULL;
}

/* Returns 'error', a parser's message about the value of 'column', with the
 * column's name in front, or NULL if 'error' is NULL.  Frees 'error'. */
static char *
column_error(const char *column, char *error)
{
    char *message;

    if (!error) {
        return NULL;
    }
    message = xasprintf("%s: %s", column, error);
    free(error);
    return message;
}

/* Checks the value of integer 'column' with 'parse', one of the parsers
 * above, so that a value set by a generic command is judged, and reported,
 * as the same value typed in a vtapctl verb would be. */
static char *
check_integer(const char *column, int64_t value,
              char *(*parse)(const char *, int64_t *))
{
    char *s = xasprintf("%"PRId64, value);
    int64_t parsed;
    char *error = parse(s, &parsed);

    free(s);
    return column_error(column, error);
}

/* Checks the value of optional integer 'column', which has 'n' (0 or 1)
 * 'values', with 'parse'. */
static char *
check_optional_integer(const char *column, const int64_t *values, size_t n,
                       char *(*parse)(const char *, int64_t *))
{
    return n ? check_integer(column, values[0], parse) : NULL;
}

/* Parses 's' as the UDP destination port of a Tap's VXLAN copies. */
char *
vtapdb_parse_udp_port(const char *s, int64_t *port)
{
    return parse_bounded(s, VTAPDB_UDP_PORT_MIN, VTAPDB_UDP_PORT_MAX,
                         "UDP port", "", port);
}

/* Parses 's' as a VXLAN network identifier. */
char *
vtapdb_parse_vni(const char *s, int64_t *vni)
{
    return parse_bounded(s, 0, VTAPDB_VNI_MAX, "VNI", ", 24 bits", vni);
}

/* Checks optional string 'value' of 'column' with 'parse'. */
static char *
check_string(const char *column, const char *value,
             char *(*parse)(const char *))
{
    return value ? column_error(column, parse(value)) : NULL;
}

/* Returns true if 'sw' is enabled: an empty 'enabled' column means true. */
bool
vtapdb_switch_is_enabled(const struct vtaprec_switch *sw)
{
    return !sw->n_enabled || sw->enabled[0];
}

/* Returns true if 'tap' is enabled: an empty 'enabled' column means true. */
bool
vtapdb_tap_is_enabled(const struct vtaprec_tap *tap)
{
    return !tap->n_enabled || tap->enabled[0];
}

/* Checks the Global row: every key of its options is one that vtapd reads,
 * with a value it can use, so that a misspelt key ("stats-interval") or a
 * bad value is refused rather than silently ignored. */
char *
vtapdb_check_global(const struct vtaprec_global *global)
{
    const struct smap_node *node;

    SMAP_FOR_EACH (node, &global->options) {
        if (!strcmp(node->key, "stats_interval")) {
            int64_t ms;
            char *error = parse_bounded(node->value,
                                        VTAPDB_STATS_INTERVAL_MIN,
                                        VTAPDB_STATS_INTERVAL_MAX,
                                        "time in milliseconds", " ms", &ms);
            if (error) {
                return column_error("options:stats_interval", error);
            }
        } else {
            return xasprintf("options: \"%s\": not an option of vtapd "
                             "(expected stats_interval)", node->key);
        }
    }
    return NULL;
}

/* Checks a Switch row on its own. */
char *
vtapdb_check_switch(const struct vtaprec_switch *sw)
{
    char *error;

    error = check_string("name", sw->name, vtapdb_parse_name);
    if (!error) {
        error = column_error("role", vtapdb_parse_enum(sw->role,
                                                       vtapdb_switch_roles));
    }
    if (!error) {
        error = check_string("bridge", sw->bridge, vtapdb_parse_bridge);
    }
    if (!error) {
        error = check_string("openflow_remote", sw->openflow_remote,
                             vtapdb_parse_openflow_remote);
    }
    if (!error) {
        error = check_string("ovsdb_remote", sw->ovsdb_remote,
                             vtapdb_parse_remote);
    }
    if (!error) {
        error = check_string("underlay_ip", sw->underlay_ip,
                             vtapdb_parse_ip);
    }
    if (!error) {
        error = check_optional_integer("underlay_mtu", sw->underlay_mtu,
                                       sw->n_underlay_mtu,
                                       vtapdb_parse_underlay_mtu);
    }
    return error;
}

static bool
is_local_delivery(const struct vtaprec_tap *tap)
{
    return tap->delivery && !strcmp(tap->delivery, "local");
}

/* Checks what only a hub can do for 'tap': deliver locally, to a pool, or at
 * a limited rate (a spoke's Mirror sends every copy to one address), and
 * that local delivery has a collector port and no other destination. */
static char *
check_delivery(const struct vtaprec_tap *tap)
{
    if (is_local_delivery(tap)) {
        if (!tap->hub) {
            return xstrdup("delivery: \"local\": needs a hub");
        } else if (!tap->collector_port || !tap->collector_port[0]) {
            return xstrdup("delivery: \"local\": needs a collector_port");
        } else if (tap->collector_ip || tap->collector_pool) {
            return xasprintf("delivery: \"local\": a Tap with local delivery "
                             "has no collector_ip or collector_pool (\"%s\")",
                             (tap->collector_ip ? tap->collector_ip
                              : tap->collector_pool->name));
        }
    } else if (tap->collector_port) {
        return xasprintf("collector_port: \"%s\": only with delivery "
                         "\"local\"", tap->collector_port);
    }
    if (!tap->hub && tap->collector_pool) {
        return xasprintf("collector_pool: \"%s\": a Tap without a hub "
                         "cannot deliver to a pool",
                         tap->collector_pool->name);
    }
    if (!tap->hub && tap->n_rate_limit) {
        return xasprintf("rate_limit: %"PRId64": a Tap without a hub cannot "
                         "be rate-limited", tap->rate_limit[0]);
    }
    return NULL;
}

/* Checks a Tap row and the rows it points to: its collector pool and its
 * hub. */
char *
vtapdb_check_tap(const struct vtaprec_tap *tap)
{
    char *error;

    error = check_string("name", tap->name, vtapdb_parse_name);
    if (error) {
        return error;
    }
    error = check_delivery(tap);
    if (error) {
        return error;
    }
    if (!is_local_delivery(tap)
        && !tap->collector_ip && !tap->collector_pool) {
        return xstrdup("collector_ip: a Tap needs a collector_ip or a "
                       "collector_pool");
    }
    if (tap->collector_ip && tap->collector_pool) {
        return xasprintf("collector_ip: \"%s\": a Tap takes a collector_ip "
                         "or a collector_pool (\"%s\"), not both",
                         tap->collector_ip, tap->collector_pool->name);
    }
    error = check_string("collector_ip", tap->collector_ip,
                         vtapdb_parse_ip);
    if (!error) {
        error = check_optional_integer("udp_port", tap->udp_port,
                                       tap->n_udp_port,
                                       vtapdb_parse_udp_port);
    }
    if (!error) {
        error = check_integer("vni", tap->vni, vtapdb_parse_vni);
    }
    if (!error) {
        error = check_optional_integer("snaplen", tap->snaplen,
                                       tap->n_snaplen, vtapdb_parse_snaplen);
    }
    if (error) {
        return error;
    }
    if (tap->n_sampling) {
        /* Twelve decimals show every probability that can be stored
         * without an exponent, which the parser would not take. */
        char *s = xasprintf("%.12f", tap->sampling[0]);
        double p;

        error = column_error("sampling", vtap_parse_probability(s, &p));
        free(s);
        if (error) {
            return error;
        }
    }
    if (tap->oversize) {
        error = column_error("oversize",
                             vtapdb_parse_enum(tap->oversize,
                                               vtapdb_oversize_actions));
        if (error) {
            return error;
        }
    }
    if (tap->rate_limit_unit && !tap->n_rate_limit) {
        return xasprintf("rate_limit_unit: \"%s\": set without a "
                         "rate_limit", tap->rate_limit_unit);
    }
    if (tap->hub && strcmp(tap->hub->role, "hub")) {
        return xasprintf("hub: \"%s\": a %s, not a hub", tap->hub->name,
                         tap->hub->role);
    }
    return NULL;
}

/* Checks that 'tap' does not send its copies to the underlay address of
 * 'sw', where they would arrive as VXLAN packets and be mirrored or
 * relayed again. */
char *
vtapdb_check_tap_switch(const struct vtaprec_tap *tap,
                        const struct vtaprec_switch *sw)
{
    const struct vtaprec_collector_pool *pool = tap->collector_pool;
    size_t i;

    if (!sw->underlay_ip) {
        return NULL;
    }
    if (tap->collector_ip
        && vtapdb_same_ip(tap->collector_ip, sw->underlay_ip)) {
        return xasprintf("collector_ip: \"%s\": the underlay IP of switch "
                         "\"%s\": copies would loop", tap->collector_ip,
                         sw->name);
    }
    for (i = 0; pool && i < pool->n_members; i++) {
        if (vtapdb_same_ip(pool->key_members[i], sw->underlay_ip)) {
            return xasprintf("collector_pool: \"%s\": member %s is the "
                             "underlay IP of switch \"%s\": copies would "
                             "loop", pool->name, pool->key_members[i],
                             sw->name);
        }
    }
    return NULL;
}

/* Checks a Tap_Source row and the rows it points to. */
char *
vtapdb_check_source(const struct vtaprec_tap_source *src)
{
    char *error;

    if (!src->port && !src->iface_id) {
        return xstrdup("port: a source needs a port or an iface_id");
    }
    if (src->port && src->iface_id) {
        return xasprintf("port: \"%s\": a source takes a port or an "
                         "iface_id (\"%s\"), not both",
                         src->port, src->iface_id);
    }
    error = check_string("port", src->port, vtapdb_parse_source_port);
    if (!error) {
        error = check_string("iface_id", src->iface_id,
                             vtapdb_parse_port_name);
    }
    if (!error) {
        error = column_error("direction",
                             vtapdb_parse_enum(src->direction,
                                               vtapdb_source_directions));
    }
    if (!error && src->switch_ && !strcmp(src->switch_->role, "hub")) {
        error = xasprintf("switch: \"%s\": a hub: its ports carry copies "
                          "and can't be sources", src->switch_->name);
    }
    if (!error && src->switch_ && src->port
        && !strcmp(src->port, src->switch_->bridge)) {
        error = xasprintf("port: \"%s\": the bridge's own port on switch "
                          "\"%s\" can't be a source", src->port,
                          src->switch_->name);
    }
    return error;
}

/* Parses optional 'text' of 'column' into '*value' with 'parse', and sets
 * '*has' if there is one.  Returns NULL or an error prefixed by 'column'. */
#define PARSE_OPTIONAL(TEXT, PARSE, VALUE, HAS, COLUMN)                 \
    ((TEXT) ? parse_optional__(PARSE(TEXT, VALUE), HAS, COLUMN) : NULL)

static char *
parse_optional__(char *error, bool *has, const char *column)
{
    *has = !error;
    return column_error(column, error);
}

/* Checks the columns of Filter_Rule row 'row' that hold its match. */
static char *
rule_match_from_db(const struct vtaprec_filter_rule *row,
                   struct mirror_filter_rule *rule)
{
    char *error;

    error = PARSE_OPTIONAL(row->src_cidr, vtap_parse_cidr, &rule->src,
                           &rule->has_src, "src_cidr");
    if (!error) {
        error = PARSE_OPTIONAL(row->dst_cidr, vtap_parse_cidr, &rule->dst,
                               &rule->has_dst, "dst_cidr");
    }
    if (!error && rule->has_src && rule->has_dst
        && rule->src.is_ipv4 != rule->dst.is_ipv4) {
        error = xasprintf("dst_cidr: \"%s\": an IPv%d CIDR, but src_cidr "
                          "\"%s\" is IPv%d", row->dst_cidr,
                          rule->dst.is_ipv4 ? 4 : 6, row->src_cidr,
                          rule->src.is_ipv4 ? 4 : 6);
    }
    if (!error) {
        error = PARSE_OPTIONAL(row->src_port, vtap_parse_port_range,
                               &rule->src_ports, &rule->has_src_ports,
                               "src_port");
    }
    if (!error) {
        error = PARSE_OPTIONAL(row->dst_port, vtap_parse_port_range,
                               &rule->dst_ports, &rule->has_dst_ports,
                               "dst_port");
    }
    if (!error && (row->src_port || row->dst_port)
        && !(row->n_protocol
             && vtapdb_protocol_has_ports(row->protocol[0]))) {
        error = xasprintf("%s: \"%s\": ports need protocol tcp, udp or "
                          "sctp", row->src_port ? "src_port" : "dst_port",
                          row->src_port ? row->src_port : row->dst_port);
    }
    return error;
}

/* Checks Filter_Rule row 'row' on its own and converts it into 'rule', the
 * form that the translation and ovs-vswitchd's filter_rules use: an egress
 * rule (packets from the VM) applies to packets the port sends,
 * MIRROR_FILTER_FROM_PORT; an ingress rule to packets sent to the port,
 * MIRROR_FILTER_TO_PORT.  The one place that reads a rule's columns, for
 * vtapctl's check and for vtapd's translation alike. */
char *
vtapdb_rule_to_mirror_filter(const struct vtaprec_filter_rule *row,
                             struct mirror_filter_rule *rule)
{
    char *error;

    memset(rule, 0, sizeof *rule);
    error = column_error("direction",
                         vtapdb_parse_enum(row->direction,
                                           vtapdb_rule_directions));
    if (!error) {
        error = check_integer("number", row->number,
                              vtapdb_parse_rule_number);
    }
    if (!error) {
        error = column_error("action",
                             vtapdb_parse_enum(row->action,
                                               vtapdb_rule_actions));
    }
    if (!error) {
        error = check_optional_integer("protocol", row->protocol,
                                       row->n_protocol,
                                       vtapdb_parse_protocol);
    }
    if (error) {
        return error;
    }
    rule->directions = (!strcmp(row->direction, "egress")
                        ? MIRROR_FILTER_FROM_PORT : MIRROR_FILTER_TO_PORT);
    rule->number = row->number;
    rule->accept = !strcmp(row->action, "accept");
    rule->proto = row->n_protocol ? row->protocol[0] : -1;
    return rule_match_from_db(row, rule);
}

/* Checks a Filter_Rule row on its own. */
char *
vtapdb_check_rule(const struct vtaprec_filter_rule *row)
{
    struct mirror_filter_rule rule;

    return vtapdb_rule_to_mirror_filter(row, &rule);
}

/* Checks a Filter row and its rules: each rule must be valid, and no two
 * rules of one direction may have the same number, since the number is the
 * order in which they are evaluated. */
char *
vtapdb_check_filter(const struct vtaprec_filter *filter)
{
    char *error;
    size_t i, j;

    error = check_string("name", filter->name, vtapdb_parse_name);
    for (i = 0; !error && i < filter->n_rules; i++) {
        const struct vtaprec_filter_rule *rule = filter->rules[i];
        char *rule_error = vtapdb_check_rule(rule);

        if (rule_error) {
            error = xasprintf("rule %s %"PRId64": %s", rule->direction,
                              rule->number, rule_error);
            free(rule_error);
            break;
        }
        for (j = 0; j < i; j++) {
            const struct vtaprec_filter_rule *other = filter->rules[j];

            if (other->number == rule->number
                && !strcmp(other->direction, rule->direction)) {
                error = xasprintf("number: \"%"PRId64"\": the filter has "
                                  "two %s rules with this number",
                                  rule->number, rule->direction);
                break;
            }
        }
    }
    return error;
}

/* Checks a Collector_Pool row: its name, and an IP address and weight for
 * each member. */
char *
vtapdb_check_pool(const struct vtaprec_collector_pool *pool)
{
    char *error;
    size_t i;

    error = check_string("name", pool->name, vtapdb_parse_name);
    for (i = 0; !error && i < pool->n_members; i++) {
        error = check_string("members", pool->key_members[i],
                             vtapdb_parse_ip);
        if (!error) {
            error = check_integer("members", pool->value_members[i],
                                  vtapdb_parse_weight);
        }
    }
    return error;
}

/* Checks that every address in the down set of 'pool' is one of its members
 * (however it is written): a down mark that outlives its member would
 * silently drain a collector that is added again later. */
char *
vtapdb_check_pool_down(const struct vtaprec_collector_pool *pool)
{
    for (size_t i = 0; i < pool->n_down; i++) {
        const char *ip = pool->down[i];

        if (vtapdb_find_ip(pool->key_members, pool->n_members, ip)
            == SIZE_MAX) {
            return xasprintf("down: \"%s\": not a member of the pool", ip);
        }
    }
    return NULL;
}
