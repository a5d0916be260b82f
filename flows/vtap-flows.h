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

#ifndef VTAP_FLOWS_H
#define VTAP_FLOWS_H 1

/* The translation of TAP definitions into what each switch must hold.
 *
 * Input: the Taps, their sources and filters, and what is known about each
 * switch (its role, its underlay address, the ports on its bridge).  Output,
 * for one switch: the tunnel ports, Mirror rows and OpenFlow flows it must
 * have, each named or cookied so that vtapd can tell it owns them, and the
 * problems that keep a source or a Tap from working there.
 *
 * A spoke gets, for each Tap with a source on it, one VXLAN port toward the
 * Tap's hub (or straight to the collector, in direct delivery) carrying the
 * Tap's VNI, and one Mirror per source, selecting the source's port in the
 * source's directions, with the filter, sampling and snaplen, and output to
 * that tunnel.  A hub gets one VXLAN port that receives every Tap's copies
 * and sends on those whose collector listens on the same UDP port (4789),
 * one VXLAN port per other collector UDP port, and per Tap a flow that
 * takes the copies with the Tap's VNI to its collector.
 *
 * Nothing here does I/O or keeps state: the same input always gives the same
 * output, which the caller compares with what a switch holds. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "db/vtapdb-check.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/types.h"
#include "openvswitch/uuid.h"

struct field_array;
struct mirror_filter_rule;

/* What vtapd owns carries this: the high 16 bits of its flows' cookies, and
 * the external_ids key of its ports and Mirror rows. */
#define VTAP_COOKIE_MARK UINT64_C(0x7674000000000000)
#define VTAP_COOKIE_MASK UINT64_C(0xffff000000000000)
#define VTAP_OWNER_KEY "vtap-owner"

/* The hub's ports, and the UDP port VXLAN copies take to a hub: VXLAN's
 * own. */
#define VTAP_HUB_IN_PORT "vtap-in"
#define VTAP_HUB_OUT_PREFIX "vtap-out-"
#define VTAP_VXLAN_PORT VTAPDB_VXLAN_PORT

/* The MTU of an underlay whose Switch row says none, and what VXLAN adds to
 * a copied frame within that MTU: an outer IPv4 (or IPv6) header, UDP and
 * VXLAN headers.  The outer Ethernet header is not part of the MTU. */
#define VTAP_DEFAULT_UNDERLAY_MTU VTAPDB_DEFAULT_UNDERLAY_MTU
#define VTAP_VXLAN_OVERHEAD_IPV4 36
#define VTAP_VXLAN_OVERHEAD_IPV6 56

/* What a frame adds to the MTU of the port it crosses: an Ethernet header
 * and a VLAN tag, which the copy of a frame on a tagged port carries. */
#define VTAP_FRAME_OVERHEAD 18

/* The OpenFlow table and priority of the hub's per-Tap flows, and the
 * priority of the flows that drop what arrives on the hub's tunnels for no
 * Tap (cookie VTAP_COOKIE_MARK alone), which NORMAL would flood. */
#define VTAP_HUB_TABLE 0
#define VTAP_HUB_PRIORITY 1000
#define VTAP_HUB_DROP_PRIORITY 100

/* vtapd owns the group and meter IDs that carry this mark in their high 16
 * bits.  A Tap's group and meter have the same ID. */
#define VTAP_GROUP_MARK UINT32_C(0x76740000)
#define VTAP_GROUP_MASK UINT32_C(0xffff0000)

/* At most this many buckets in a hub's select group: a pool's weights are
 * scaled down to fit. */
#define VTAP_MAX_BUCKETS 256

/* Directions of a Tap source, as the VM sees them. */
enum vtap_direction {
    VTAP_DIR_INGRESS = 1 << 0,  /* Packets the VM receives. */
    VTAP_DIR_EGRESS = 1 << 1,   /* Packets the VM sends. */
    VTAP_DIR_BOTH = VTAP_DIR_INGRESS | VTAP_DIR_EGRESS,
};

/* A port on a switch's bridge, as its Open_vSwitch database shows it. */
struct vtap_port_fact {
    const char *name;           /* Port (and interface) name. */
    const char *iface_id;       /* Interface external_ids:iface-id, or NULL. */
    const char *type;           /* Interface type: "", "vxlan", "patch"... */
    ofp_port_t ofport;          /* OFPP_NONE until the switch assigns one. */
    int mtu;                    /* Interface MTU, 0 if unknown. */
};

/* A switch that vtapd programs. */
struct vtap_switch_def {
    const char *name;           /* Switch row name. */
    bool is_hub;                /* Role hub (true) or spoke. */
    const char *underlay_ip;    /* Tunnel endpoint address, or NULL. */
    int underlay_mtu;           /* MTU of the network to the hub or
                                 * collector; 0 for the default, 1500. */
    const struct vtap_port_fact *ports; /* Its bridge's ports, if known. */
    size_t n_ports;
    struct uuid uuid;           /* Switch row UUID. */
};

/* A filter: rules whose 'directions' are MIRROR_FILTER_FROM_PORT for egress
 * rules and MIRROR_FILTER_TO_PORT for ingress ones. */
struct vtap_filter_def {
    const char *name;
    const struct mirror_filter_rule *rules;
    size_t n_rules;
    struct uuid uuid;           /* Filter row UUID. */
    const struct uuid *rule_uuids; /* The rules' Filter_Rule rows, or
                                    * NULL. */
};

/* How a hub hands a Tap's copies over. */
enum vtap_delivery {
    VTAP_DELIVERY_VXLAN,        /* Re-encapsulated to the collector(s). */
    VTAP_DELIVERY_LOCAL,        /* Decapsulated onto a port of the hub. */
};

/* A member of a collector pool. */
struct vtap_collector_def {
    const char *ip;
    uint16_t weight;            /* 1 to 65535. */
    bool down;                  /* Marked down: gets nothing. */
};

/* A Tap's rate limit. */
enum vtap_rate_unit {
    VTAP_RATE_PPS,              /* Packets per second. */
    VTAP_RATE_KBPS,             /* Kilobits per second. */
};

/* A Tap. */
struct vtap_tap_def {
    struct uuid uuid;           /* Tap row UUID: cookies and names. */
    const char *name;
    const char *collector_ip;   /* The collector's address, or NULL. */
    const char *pool_name;      /* Or the name of a pool of collectors... */
    struct uuid pool_uuid;      /* ...its row... */
    const struct vtap_collector_def *pool; /* ...and its members. */
    size_t n_pool;
    enum vtap_delivery delivery;
    const char *collector_port; /* Local delivery: port on the hub. */
    uint16_t udp_port;          /* The collector's VXLAN UDP port. */
    uint32_t vni;               /* 24 bits. */
    uint16_t snaplen;           /* 0: whole packets. */
    double sampling;            /* Probability, 0 to 1. */
    uint32_t rate_limit;        /* 0: none. */
    enum vtap_rate_unit rate_unit;
    bool truncate_oversize;     /* Cut copies too long for the underlay to
                                 * fit (or drop them). */
    const struct vtap_switch_def *hub; /* NULL: direct delivery. */
    uint32_t id;                /* Its group and meter ID on its hub, or 0
                                 * for one picked here (see
                                 * vtap_compute_switch()). */
    bool enabled;
};

/* A source of a Tap. */
struct vtap_source_def {
    struct uuid uuid;           /* Tap_Source row UUID: Mirror names. */
    const struct vtap_tap_def *tap;
    const struct vtap_switch_def *sw; /* The spoke the port is on. */
    const char *port;           /* Port name, or NULL to use 'iface_id'. */
    const char *iface_id;       /* external_ids:iface-id of the port. */
    enum vtap_direction direction;
    const struct vtap_filter_def *filter; /* NULL: everything. */
};

/* Everything the translation reads. */
struct vtap_input {
    const struct vtap_tap_def *taps;
    size_t n_taps;
    const struct vtap_source_def *sources;
    size_t n_sources;
};

/* A VXLAN port a switch must have. */
struct vtap_tunnel {
    char *name;                 /* Port and interface name. */
    char *remote_ip;            /* options:remote_ip ("flow" on a hub). */
    char *key;                  /* options:key: a VNI or "flow". */
    uint16_t dst_port;          /* options:dst_port. */
};

/* A Mirror row a spoke must have. */
struct vtap_mirror {
    char *name;                 /* "vtap-" and the source's UUID prefix. */
    struct uuid source;         /* The Tap_Source it comes from. */
    char *select_src_port;      /* Port whose sent packets it copies. */
    char *select_dst_port;      /* Port whose received packets it copies. */
    char *output_port;          /* The Tap's tunnel on this switch. */
    uint16_t snaplen;           /* 0 for none. */
    double sample_probability;  /* 1 copies every candidate. */
    uint32_t rate_limit;        /* Copies a second (or kbit/s); 0: none. */
    bool rate_kbps;             /* 'rate_limit' is in kbit/s. */
    uint16_t max_copy_len;      /* Longest copy the underlay carries, or 0
                                 * if every frame of its port fits. */
    bool truncate_oversize;     /* Cut a longer copy (or drop it). */
    int64_t *rule_numbers;      /* filter_rules keys... */
    char **rules;               /* ...and values. */
    size_t n_rules;
};

/* An OpenFlow flow a switch must have. */
struct vtap_flow {
    uint8_t table_id;
    uint16_t priority;
    uint64_t cookie;            /* VTAP_COOKIE_MARK and the Tap's UUID. */
    struct minimatch match;     /* Owned. */
    struct ofpact *ofpacts;     /* Owned. */
    size_t ofpacts_len;
};

/* A bucket of a hub's select group: one share of a pool member's flows.
 * A member has as many buckets as its weight asks for, all with the same
 * actions. */
struct vtap_bucket {
    uint32_t bucket_id;         /* Stable: derived from the member's IP. */
    char *collector;            /* The member's IP. */
    struct ofpact *ofpacts;     /* Owned. */
    size_t ofpacts_len;
};

/* A select group on a hub that spreads a Tap's copies over its pool, with
 * OVS's "hash" selection method over the inner 5-tuple. */
struct vtap_group {
    uint32_t group_id;          /* VTAP_GROUP_MARK and bits of the UUID. */
    struct uuid tap;            /* The Tap it belongs to. */
    struct vtap_bucket *buckets; /* Sorted by 'bucket_id'. */
    size_t n_buckets;
    bool other_props;           /* Only in what a switch holds: its type,
                                 * selection method or fields are not
                                 * vtapd's. */
};

/* A meter on a hub that limits a Tap's copies. */
struct vtap_meter {
    uint32_t meter_id;          /* Same number as the Tap's group. */
    struct uuid tap;            /* The Tap it belongs to. */
    uint32_t rate;              /* In packets/s or kbit/s... */
    bool kbps;                  /* ...as this says. */
    uint32_t burst;             /* Burst size, same unit (rate x 1 s). */
};

/* Why a definition does not take effect on a switch. */
struct vtap_problem {
    struct uuid row;            /* The Tap or Tap_Source row concerned. */
    char *message;
    bool warning;               /* The row works, but not wholly as its
                                 * user may think. */
};

/* Everything one switch must hold, sorted by name (flows by cookie). */
struct vtap_switch_state {
    struct vtap_tunnel *tunnels;
    size_t n_tunnels;
    struct vtap_mirror *mirrors;
    size_t n_mirrors;
    struct vtap_flow *flows;
    size_t n_flows;
    struct vtap_group *groups;  /* Sorted by group_id. */
    size_t n_groups;
    struct vtap_meter *meters;  /* Sorted by meter_id. */
    size_t n_meters;
    struct vtap_problem *problems;
    size_t n_problems;
};

void vtap_compute_switch(const struct vtap_input *,
                         const struct vtap_switch_def *,
                         struct vtap_switch_state *);
void vtap_switch_state_destroy(struct vtap_switch_state *);

uint64_t vtap_cookie(const struct uuid *);
bool vtap_is_owned_id(uint32_t group_or_meter_id);
void vtap_group_fields(struct field_array *);
void vtap_group_destroy(struct vtap_group *);
bool vtap_group_equal(const struct vtap_group *, const struct vtap_group *);
bool vtap_meter_equal(const struct vtap_meter *, const struct vtap_meter *);
char *vtap_tap_tunnel_name(const struct uuid *tap);
char *vtap_source_mirror_name(const struct uuid *source);

#endif /* vtap-flows.h */
