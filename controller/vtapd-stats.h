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

#ifndef VTAPD_STATS_H
#define VTAPD_STATS_H 1

/* The OpenFlow statistics vtapd reads from one switch: of its flows (by
 * cookie), of its groups (per bucket) and of its meters (the drop band).
 *
 * A request goes out every interval, for each kind only if the switch
 * holds something of vtapd's of that kind (a spoke holds no flow, group or
 * meter of vtapd's: it is never asked), never while an earlier request is
 * unanswered (a refused one is asked again at the next interval) or while
 * the connection's queue has not drained.  The last
 * complete reply of each kind is kept until the next one replaces it, in a
 * hash map by cookie or ID. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-protocol.h"

struct ofp_header;
struct rconn;
struct rconn_packet_counter;

/* The kinds of statistics. */
enum vtapd_stats_kind {
    VTAPD_STATS_FLOWS,          /* Flow stats of vtapd's cookies. */
    VTAPD_STATS_GROUPS,         /* Group stats, per bucket. */
    VTAPD_STATS_METERS,         /* Meter stats: the drop band's counts. */
    VTAPD_N_STATS
};

/* The statistics of one flow, group or meter. */
struct vtapd_counted {
    struct hmap_node node;      /* By hash of 'key'. */
    uint64_t key;               /* A flow's cookie, a group's or meter's
                                 * ID. */
    uint64_t packets;
    uint64_t bytes;
    uint64_t *bucket_packets;   /* A group's, in the order of its buckets
                                 * on the switch. */
    uint64_t *bucket_bytes;
    size_t n_buckets;
};

struct vtapd_stats *vtapd_stats_create(void);
void vtapd_stats_destroy(struct vtapd_stats *);
void vtapd_stats_reset(struct vtapd_stats *);
void vtapd_stats_set_interval(struct vtapd_stats *, int interval);

void vtapd_stats_run(struct vtapd_stats *, struct rconn *,
                     struct rconn_packet_counter *,
                     const bool wanted[VTAPD_N_STATS]);
void vtapd_stats_wait(const struct vtapd_stats *);
bool vtapd_stats_process(struct vtapd_stats *, const struct ofp_header *,
                         enum ofptype);
bool vtapd_stats_refused(struct vtapd_stats *, ovs_be32 xid);

struct ofpbuf *vtapd_stats_encode_flows_request(enum ofp_version);

const struct vtapd_counted *vtapd_stats_find(const struct vtapd_stats *,
                                             enum vtapd_stats_kind,
                                             uint64_t key);

#endif /* vtapd-stats.h */
