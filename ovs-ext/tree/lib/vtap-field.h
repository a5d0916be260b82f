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

#ifndef VTAP_FIELD_H
#define VTAP_FIELD_H 1

/* Parsing and validation of the values that both ovs-vswitchd (Mirror
 * filter rules and sampling, the sample_clone action) and the ovs-vtap
 * tools (filter rules and sampling in the TAP database) read, so that each
 * has one grammar.  Values only the tools read (VNIs, UDP ports, names)
 * are parsed in ovs-vtap's own db/vtapdb-check.
 *
 * Every parser takes the text a user wrote (in vtapctl, the HTTP API or the
 * database) and either fills in its output and returns NULL, or returns an
 * error message, which the caller must free(), that quotes the value and
 * says what is wrong with it.  The caller prefixes the name of the field.
 * Parsers accept no leading or trailing white space and no '+' signs: what
 * is stored is exactly what was checked.
 *
 * Nothing here does I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "openvswitch/compiler.h"

struct ds;

/* Sampling probabilities as the datapath takes them: a fraction of
 * UINT32_MAX.  The smallest nonzero probability a user may ask for is one
 * in a million. */
#define VTAP_PROBABILITY_MIN 1e-6

/* An IPv4 or IPv6 prefix.  IPv4 prefixes are stored as IPv4-mapped IPv6
 * addresses, with 'plen' counting only the IPv4 bits. */
struct vtap_cidr {
    bool is_ipv4;               /* True for an IPv4 prefix. */
    struct in6_addr addr;       /* Network address, host bits zero. */
    unsigned int plen;          /* Prefix length: 0-32 or 0-128. */
};

/* An inclusive range of L4 ports. */
struct vtap_port_range {
    uint16_t low;               /* First port in the range. */
    uint16_t high;              /* Last port, at least 'low'. */
};

/* A port with a mask: matches every port 'p' with (p & mask) == value. */
struct vtap_masked_port {
    uint16_t value;             /* Port bits that must match. */
    uint16_t mask;              /* 1-bits are the bits that are compared. */
};

/* The most masked matches a port range can need: 2 * 16 - 2. */
#define VTAP_PORT_RANGE_MAX_MASKS 30

char *vtap_parse_cidr(const char *, struct vtap_cidr *) OVS_WARN_UNUSED_RESULT;
char *vtap_parse_port_range(const char *, struct vtap_port_range *)
    OVS_WARN_UNUSED_RESULT;
char *vtap_parse_probability(const char *, double *) OVS_WARN_UNUSED_RESULT;
char *vtap_parse_ip_proto(const char *, uint8_t *) OVS_WARN_UNUSED_RESULT;

void vtap_format_cidr(const struct vtap_cidr *, struct ds *);
const char *vtap_ip_proto_name(uint8_t);

bool vtap_cidr_contains(const struct vtap_cidr *, const struct in6_addr *);
size_t vtap_port_range_to_masks(const struct vtap_port_range *,
                                struct vtap_masked_port *masks);
uint32_t vtap_probability_to_datapath(double probability);
char *vtap_probability_format(uint32_t dp_probability);

#endif /* vtap-field.h */
