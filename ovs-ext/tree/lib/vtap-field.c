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
#include "vtap-field.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/util.h"
#include "packets.h"
#include "util.h"

/* Returns true if 's' is a nonempty string of decimal digits that fits in
 * 'max', storing its value in '*value'.  Unlike strtoul(), it takes no white
 * space, sign or base prefix. */
static bool
parse_decimal(const char *s, unsigned long long max, unsigned long long *value)
{
    unsigned long long v = 0;

    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (!isdigit((unsigned char) *s)) {
            return false;
        }
        v = v * 10 + (*s - '0');
        if (v > max) {
            return false;
        }
    }
    *value = v;
    return true;
}

/* Returns true if 's' is a plain decimal number, "DIGITS[.DIGITS]" or
 * ".DIGITS", with an optional exponent "e[+-]DIGITS" (databases and JSON
 * encoders print small probabilities as 1e-06), storing its value in
 * '*value'.  No sign, hexadecimal, "inf" or "nan", all of which strtod()
 * takes.  A value too small for a double, such as "1e-400", is stored as the
 * smallest positive one, not as zero, so that it reads as "too small" and
 * never as "never"; one too large is stored as infinity. */
static bool
parse_fraction(const char *s, double *value)
{
    size_t int_digits = strspn(s, "0123456789");
    const char *p = s + int_digits;
    size_t frac_digits = 0;

    if (*p == '.') {
        frac_digits = strspn(p + 1, "0123456789");
        p += 1 + frac_digits;
    }
    if (!(int_digits + frac_digits)) {
        return false;
    }

    bool nonzero = strcspn(s, "123456789") < (size_t) (p - s);
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        size_t exp_digits = strspn(p, "0123456789");
        if (!exp_digits) {
            return false;
        }
        p += exp_digits;
    }
    if (*p) {
        return false;
    }

    /* The syntax is checked, so strtod() reads all of 's', and can only
     * fail by leaving the range of a double, which is judged here: its
     * errno would only mislead a caller. */
    int save_errno = errno;
    double v = strtod(s, NULL);
    errno = save_errno;
    *value = (nonzero && v == 0 ? DBL_TRUE_MIN : v);
    return true;
}

/* Returns true if 's' has leading or trailing white space. */
static bool
has_outer_space(const char *s)
{
    size_t len = strlen(s);
    return len && (isspace((unsigned char) s[0])
                   || isspace((unsigned char) s[len - 1]));
}

/* Splits 's', "ADDRESS[/LENGTH]", at its slash and parses ADDRESS with
 * inet_pton() for 'family', which, unlike sscanf() based parsers, rejects
 * octets above 255 and trailing garbage.  Stores the prefix length in
 * '*plen', which defaults to 'max_plen'.  Returns true if successful. */
static bool
parse_prefix(const char *s, int family, unsigned int max_plen,
             struct in6_addr *addr, unsigned int *plen)
{
    const char *slash = strchr(s, '/');
    char *addr_s = slash ? xmemdup0(s, slash - s) : xstrdup(s);
    unsigned long long len = max_plen;
    bool ok;

    if (family == AF_INET) {
        ovs_be32 ip = 0;
        ok = inet_pton(AF_INET, addr_s, &ip) == 1;
        in6_addr_set_mapped_ipv4(addr, ip);
    } else {
        ok = inet_pton(AF_INET6, addr_s, addr) == 1;
    }
    free(addr_s);

    if (ok && slash) {
        ok = parse_decimal(slash + 1, max_plen, &len);
    }
    *plen = len;
    return ok;
}

/* Parses 's' as an IPv4 or IPv6 prefix, "ADDRESS/LENGTH", or a single
 * address, which means a prefix of the full length.  The address must be
 * the network's: "10.0.0.1/8" is rejected rather than silently widened, as
 * a user who wrote it probably meant something else. */
char *
vtap_parse_cidr(const char *s, struct vtap_cidr *cidr)
{
    bool is_ipv4 = !strchr(s, ':');
    unsigned int max_plen = is_ipv4 ? 32 : 128;
    struct in6_addr addr, mask, net;
    char buf[INET6_ADDRSTRLEN];
    unsigned int plen;

    memset(cidr, 0, sizeof *cidr);
    if (!*s || has_outer_space(s)) {
        return xasprintf("\"%s\": not an IPv4 or IPv6 CIDR", s);
    }
    if (!parse_prefix(s, is_ipv4 ? AF_INET : AF_INET6, max_plen,
                      &addr, &plen)) {
        return (is_ipv4
                ? xasprintf("\"%s\": not an IPv4 CIDR (expected "
                            "A.B.C.D/0-32)", s)
                : xasprintf("\"%s\": not an IPv6 CIDR (expected "
                            "X:X::X/0-128)", s));
    }

    if (!is_ipv4 && IN6_IS_ADDR_V4MAPPED(&addr)) {
        return xasprintf("\"%s\": an IPv4-mapped IPv6 CIDR: write the IPv4 "
                         "CIDR instead", s);
    }

    mask = ipv6_create_mask(is_ipv4 ? plen + 96 : plen);
    net = ipv6_addr_bitand(&addr, &mask);
    if (!ipv6_addr_equals(&net, &addr)) {
        if (is_ipv4) {
            ovs_be32 ip = in6_addr_get_mapped_ipv4(&net);
            inet_ntop(AF_INET, &ip, buf, sizeof buf);
        } else {
            inet_ntop(AF_INET6, &net, buf, sizeof buf);
        }
        return xasprintf("\"%s\": host bits are set (the network is "
                         "%s/%u)", s, buf, plen);
    }

    cidr->is_ipv4 = is_ipv4;
    cidr->addr = addr;
    cidr->plen = plen;
    return NULL;
}

/* Appends 'cidr' to 's' as "ADDRESS/LENGTH", in the form that
 * vtap_parse_cidr() reads back. */
void
vtap_format_cidr(const struct vtap_cidr *cidr, struct ds *s)
{
    if (cidr->is_ipv4) {
        ds_put_format(s, IP_FMT"/%u",
                      IP_ARGS(in6_addr_get_mapped_ipv4(&cidr->addr)),
                      cidr->plen);
    } else {
        ipv6_format_addr(&cidr->addr, s);
        ds_put_format(s, "/%u", cidr->plen);
    }
}

/* IP protocols known by name.  The first name of a protocol is the one it
 * is printed with; "icmpv6" is also accepted, as some tools spell it. */
static const struct {
    const char *name;
    uint8_t proto;
} ip_protos[] = {
    { "tcp", IPPROTO_TCP },
    { "udp", IPPROTO_UDP },
    { "icmp", IPPROTO_ICMP },
    { "icmp6", IPPROTO_ICMPV6 },
    { "icmpv6", IPPROTO_ICMPV6 },
    { "sctp", IPPROTO_SCTP },
    { "gre", IPPROTO_GRE },
    { "esp", IPPROTO_ESP },
    { "ah", IPPROTO_AH },
};

/* Parses 's' as an IP protocol: a name (tcp, udp, icmp, icmp6, sctp, gre,
 * esp, ah) or a number from 0 to 255. */
char *
vtap_parse_ip_proto(const char *s, uint8_t *proto)
{
    unsigned long long value;

    for (size_t i = 0; i < ARRAY_SIZE(ip_protos); i++) {
        if (!strcmp(s, ip_protos[i].name)) {
            *proto = ip_protos[i].proto;
            return NULL;
        }
    }
    if (!parse_decimal(s, UINT8_MAX, &value)) {
        return xasprintf("\"%s\": not an IP protocol (expected tcp, udp, "
                         "icmp, icmp6, sctp, gre, esp, ah or 0-255)", s);
    }
    *proto = value;
    return NULL;
}

/* Returns the name vtap_parse_ip_proto() knows 'proto' by, or NULL. */
const char *
vtap_ip_proto_name(uint8_t proto)
{
    for (size_t i = 0; i < ARRAY_SIZE(ip_protos); i++) {
        if (ip_protos[i].proto == proto) {
            return ip_protos[i].name;
        }
    }
    return NULL;
}

/* Returns true if 'addr' (for an IPv4 prefix, an IPv4-mapped address) lies
 * in 'cidr'. */
bool
vtap_cidr_contains(const struct vtap_cidr *cidr, const struct in6_addr *addr)
{
    unsigned int plen = cidr->is_ipv4 ? cidr->plen + 96 : cidr->plen;
    struct in6_addr mask = ipv6_create_mask(plen);
    struct in6_addr net = ipv6_addr_bitand(addr, &mask);

    /* IPv4 traffic is stored as IPv4-mapped addresses, which an IPv6
     * prefix such as ::/0 would otherwise cover. */
    if (cidr->is_ipv4 != IN6_IS_ADDR_V4MAPPED(addr)) {
        return false;
    }
    return ipv6_addr_equals(&net, &cidr->addr);
}

/* Parses 's' as an L4 port range: "PORT" or "LOW-HIGH", each from 0 to
 * 65535, with LOW no greater than HIGH. */
char *
vtap_parse_port_range(const char *s, struct vtap_port_range *range)
{
    unsigned long long low, high;
    const char *dash = strchr(s, '-');

    range->low = range->high = 0;
    if (!dash) {
        if (!parse_decimal(s, UINT16_MAX, &low)) {
            return xasprintf("\"%s\": not a port or port range "
                             "(expected 0-65535 or LOW-HIGH)", s);
        }
        high = low;
    } else {
        char *low_s = xmemdup0(s, dash - s);
        bool ok = (parse_decimal(low_s, UINT16_MAX, &low)
                   && parse_decimal(dash + 1, UINT16_MAX, &high));
        free(low_s);
        if (!ok) {
            return xasprintf("\"%s\": not a port or port range "
                             "(expected 0-65535 or LOW-HIGH)", s);
        }
        if (low > high) {
            return xasprintf("\"%s\": the range's low port %llu is above "
                             "its high port %llu", s, low, high);
        }
    }
    range->low = low;
    range->high = high;
    return NULL;
}

/* Parses 's' as a sampling probability, written as a decimal fraction
 * ("0.01"), a percentage ("1%") or one in N ("1/100").  It must lie in [0, 1], and a
 * nonzero probability must be at least VTAP_PROBABILITY_MIN. */
char *
vtap_parse_probability(const char *s, double *probability)
{
    const char *slash = strchr(s, '/');
    size_t len = strlen(s);
    double p;

    /* Every form below is made of digits, at most one '.', '%' or '/', and
     * an exponent's 'e' and sign, so white space and other signs are
     * rejected with no check of their own. */
    *probability = 0;
    if (!len) {
        goto bad_syntax;
    }
    if (slash) {
        unsigned long long num, den;
        char *num_s = xmemdup0(s, slash - s);
        bool ok = (parse_decimal(num_s, UINT32_MAX, &num)
                   && parse_decimal(slash + 1, UINT32_MAX, &den)
                   && den > 0);
        free(num_s);
        if (!ok) {
            goto bad_syntax;
        }
        p = (double) num / den;
    } else if (s[len - 1] == '%') {
        char *num_s = xmemdup0(s, len - 1);
        bool ok = parse_fraction(num_s, &p);
        free(num_s);
        if (!ok) {
            goto bad_syntax;
        }
        p /= 100;
    } else if (!parse_fraction(s, &p)) {
        goto bad_syntax;
    }

    if (p > 1) {
        return xasprintf("\"%s\": a probability must lie between 0 and 1",
                         s);
    }
    if (p > 0 && p < VTAP_PROBABILITY_MIN) {
        return xasprintf("\"%s\": below the smallest sampling probability, "
                         "1/1000000", s);
    }
    *probability = p;
    return NULL;

bad_syntax:
    return xasprintf("\"%s\": not a probability (expected e.g. 0.01, 1%% "
                     "or 1/100)", s);
}

/* Converts 'probability', in [0, 1], to the datapath's representation: the
 * sample action takes a packet when a random 32-bit number is below it, and
 * UINT32_MAX means every packet. */
uint32_t
vtap_probability_to_datapath(double probability)
{
    if (probability >= 1) {
        return UINT32_MAX;
    } else if (probability <= 0) {
        return 0;
    }
    return MAX(1, (uint32_t) llround(probability * UINT32_MAX));
}

/* Returns the shortest decimal fraction ("0", "1" or "0.DIGITS") that
 * vtap_parse_probability() followed by vtap_probability_to_datapath() turns
 * back into exactly 'dp_probability', a fraction of UINT32_MAX, so that
 * printing a probability and parsing it again never changes it.  Nonzero
 * values below vtap_probability_to_datapath(VTAP_PROBABILITY_MIN) come out
 * in the same form, but the parser refuses them.  The caller must free() the
 * string. */
char *
vtap_probability_format(uint32_t dp_probability)
{
    double p = (double) dp_probability / UINT32_MAX;
    int digits;

    /* Adjacent datapath values differ by 1 / UINT32_MAX, about 2.3e-10, so
     * ten or eleven decimals always tell them apart; 17 is the precision of
     * a double. */
    for (digits = 0; digits < 17; digits++) {
        char *s = xasprintf("%.*f", digits, p);
        double q;

        if (str_to_double(s, &q)
            && vtap_probability_to_datapath(q) == dp_probability) {
            return s;
        }
        free(s);
    }
    return xasprintf("%.17f", p);
}

/* Writes into 'masks' the fewest masked ports whose union is exactly
 * 'range', with no port matched twice, and returns how many it wrote (at
 * most VTAP_PORT_RANGE_MAX_MASKS).  A flow table can match a range only
 * this way: each entry is the largest aligned power-of-two block that
 * starts at the first port not yet covered and ends inside the range. */
size_t
vtap_port_range_to_masks(const struct vtap_port_range *range,
                         struct vtap_masked_port *masks)
{
    uint32_t port = range->low;
    uint32_t high = range->high;
    size_t n = 0;

    while (port <= high) {
        /* The largest block aligned at 'port'; port 0 is aligned to all. */
        uint32_t size = port ? port & -port : UINT16_MAX + 1;

        while (port + size - 1 > high) {
            size >>= 1;
        }
        masks[n].value = port;
        masks[n].mask = ~(size - 1) & UINT16_MAX;
        n++;
        port += size;
    }
    return n;
}
