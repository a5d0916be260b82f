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
#include "controller/vtapd-stats.h"

#include <string.h>
#include "byte-order.h"
#include "controller/vtapd-switch.h"
#include "flows/vtap-flows.h"
#include "hash.h"
#include "openflow/openflow.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "timeval.h"
#include "util.h"

/* The counts of one kind of statistics, by key. */
struct counted_map {
    struct hmap items;          /* Of struct vtapd_counted. */
};

/* The statistics of one switch. */
struct vtapd_stats {
    int interval;               /* How often to ask, in ms. */
    long long int next;         /* When to ask next. */
    bool timer_due;             /* Whether only the time of 'next' keeps
                                 * the next request: not a reply awaited, a
                                 * full queue or nothing wanted, which end
                                 * with a message or a send. */
    ovs_be32 xids[VTAPD_N_STATS]; /* Requests whose replies are awaited. */
    bool pending[VTAPD_N_STATS];
    struct counted_map last[VTAPD_N_STATS]; /* The last complete replies. */
    struct counted_map next_map[VTAPD_N_STATS]; /* Replies being read. */
};

static void
counted_map_clear(struct counted_map *map)
{
    struct vtapd_counted *c;

    HMAP_FOR_EACH_POP (c, node, &map->items) {
        free(c->bucket_packets);
        free(c->bucket_bytes);
        free(c);
    }
}

/* Adds to 'map' the counts 'packets' and 'bytes' of 'key', unless it has
 * counts of 'key' already (several of vtapd's hub flows that drop share one
 * cookie, which no Tap counts), and returns them for the caller to add
 * bucket counts to, or NULL. */
static struct vtapd_counted *
counted_map_add(struct counted_map *map, uint64_t key, uint64_t packets,
                uint64_t bytes)
{
    uint32_t hash = hash_uint64(key);
    struct vtapd_counted *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, hash, &map->items) {
        if (c->key == key) {
            return NULL;
        }
    }
    c = xzalloc(sizeof *c);
    c->key = key;
    c->packets = packets;
    c->bytes = bytes;
    hmap_insert(&map->items, &c->node, hash);
    return c;
}

/* Creates the statistics of a switch, none read yet. */
struct vtapd_stats *
vtapd_stats_create(void)
{
    struct vtapd_stats *s = xzalloc(sizeof *s);

    s->interval = VTAPD_STATS_INTERVAL_DEFAULT;
    for (int i = 0; i < VTAPD_N_STATS; i++) {
        hmap_init(&s->last[i].items);
        hmap_init(&s->next_map[i].items);
    }
    return s;
}

void
vtapd_stats_destroy(struct vtapd_stats *s)
{
    if (!s) {
        return;
    }
    for (int i = 0; i < VTAPD_N_STATS; i++) {
        counted_map_clear(&s->last[i]);
        hmap_destroy(&s->last[i].items);
        counted_map_clear(&s->next_map[i]);
        hmap_destroy(&s->next_map[i].items);
    }
    free(s);
}

/* Forgets everything 's' read and asks at once next time: a new connection
 * may be to a restarted switch, which counts from zero. */
void
vtapd_stats_reset(struct vtapd_stats *s)
{
    for (int i = 0; i < VTAPD_N_STATS; i++) {
        s->pending[i] = false;
        counted_map_clear(&s->last[i]);
        counted_map_clear(&s->next_map[i]);
    }
    s->next = 0;
}

/* Sets how often 's' asks, in milliseconds. */
void
vtapd_stats_set_interval(struct vtapd_stats *s, int interval)
{
    if (interval != s->interval) {
        s->interval = interval;
        s->next = MIN(s->next, time_msec() + interval);
    }
}

/* Returns a flow stats request, in OpenFlow 'version', for every flow in
 * vtapd's cookie space: what vtapd dumps, and whose statistics it reads. */
struct ofpbuf *
vtapd_stats_encode_flows_request(enum ofp_version version)
{
    struct ofputil_flow_stats_request fsr = {
        .cookie = htonll(VTAP_COOKIE_MARK),
        .cookie_mask = htonll(VTAP_COOKIE_MASK),
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = 0xff,
    };

    match_init_catchall(&fsr.match);
    return ofputil_encode_flow_stats_request(
        &fsr, ofputil_protocol_from_ofp_version(version));
}

/* Returns the request for statistics of 'kind' in OpenFlow 'version'. */
static struct ofpbuf *
encode_request(enum vtapd_stats_kind kind, enum ofp_version version)
{
    switch (kind) {
    case VTAPD_STATS_FLOWS:
        return vtapd_stats_encode_flows_request(version);
    case VTAPD_STATS_GROUPS:
        return ofputil_encode_group_stats_request(version, OFPG_ALL);
    case VTAPD_STATS_METERS:
        return ofputil_encode_meter_request(version, OFPUTIL_METER_STATS,
                                            OFPM13_ALL);
    case VTAPD_N_STATS:
    default:
        OVS_NOT_REACHED();
    }
}

/* Asks the switch on 'rconn', when it is time, for the statistics of each
 * kind that 'wanted' says it holds, unless an earlier request is still
 * unanswered or 'counter' says the connection's queue holds messages.  A
 * kind not wanted has no statistics. */
void
vtapd_stats_run(struct vtapd_stats *s, struct rconn *rconn,
                struct rconn_packet_counter *counter,
                const bool wanted[VTAPD_N_STATS])
{
    bool any_wanted = false;
    bool pending = false;

    for (int i = 0; i < VTAPD_N_STATS; i++) {
        if (!wanted[i] && !s->pending[i]) {
            counted_map_clear(&s->last[i]);
        }
        any_wanted |= wanted[i];
        pending |= s->pending[i];
    }
    s->timer_due = (any_wanted && !pending
                    && !rconn_packet_counter_n_packets(counter));
    if (!s->timer_due || time_msec() < s->next) {
        return;
    }

    for (int i = 0; i < VTAPD_N_STATS; i++) {
        if (wanted[i]) {
            struct ofpbuf *msg = encode_request(i, rconn_get_version(rconn));

            s->xids[i] = ((struct ofp_header *) msg->data)->xid;
            s->pending[i] = true;
            counted_map_clear(&s->next_map[i]);
            rconn_send(rconn, msg, counter);
        }
    }
    s->next = time_msec() + s->interval;
}

/* Arranges for poll_block() to wake when 's' must ask again.  While a
 * reply is awaited or the queue drains, the connection's own wait wakes
 * it. */
void
vtapd_stats_wait(const struct vtapd_stats *s)
{
    if (s->timer_due) {
        poll_timer_wait_until(s->next);
    }
}

/* Forgets the request with 'xid', which the switch refused, so that the
 * next interval asks again.  Returns true if 'xid' is one of the requests
 * of 's' whose replies are awaited. */
bool
vtapd_stats_refused(struct vtapd_stats *s, ovs_be32 xid)
{
    for (int i = 0; i < VTAPD_N_STATS; i++) {
        if (s->pending[i] && s->xids[i] == xid) {
            s->pending[i] = false;
            counted_map_clear(&s->next_map[i]);
            return true;
        }
    }
    return false;
}

/* Records the flow statistics in reply 'oh'. */
static void
process_flows(struct counted_map *map, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;

        if (ofputil_decode_flow_stats_reply(&fs, &msg, false, &ofpacts)) {
            break;
        }
        counted_map_add(map, ntohll(fs.cookie), fs.packet_count,
                        fs.byte_count);
    }
    ofpbuf_uninit(&ofpacts);
}

/* Records the statistics of vtapd's groups in reply 'oh'. */
static void
process_groups(struct counted_map *map, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));

    for (;;) {
        struct ofputil_group_stats gs;
        struct vtapd_counted *c;

        if (ofputil_decode_group_stats_reply(&msg, &gs)) {
            break;
        }
        c = (vtap_is_owned_id(gs.group_id)
             ? counted_map_add(map, gs.group_id, gs.packet_count,
                               gs.byte_count)
             : NULL);
        if (c) {
            c->n_buckets = gs.n_buckets;
            c->bucket_packets = xcalloc(MAX(gs.n_buckets, 1),
                                        sizeof *c->bucket_packets);
            c->bucket_bytes = xcalloc(MAX(gs.n_buckets, 1),
                                      sizeof *c->bucket_bytes);
            for (size_t i = 0; i < gs.n_buckets; i++) {
                c->bucket_packets[i] = gs.bucket_stats[i].packet_count;
                c->bucket_bytes[i] = gs.bucket_stats[i].byte_count;
            }
        }
        free(gs.bucket_stats);
    }
}

/* Records the statistics of vtapd's meters in reply 'oh': the counts of the
 * drop band, which are the packets the meter dropped. */
static void
process_meters(struct counted_map *map, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_stats ms;

        if (ofputil_decode_meter_stats(&msg, &ms, &bands)) {
            break;
        }
        if (vtap_is_owned_id(ms.meter_id) && ms.n_bands) {
            counted_map_add(map, ms.meter_id, ms.bands[0].packet_count,
                            ms.bands[0].byte_count);
        }
    }
    ofpbuf_uninit(&bands);
}

/* If 'oh', of 'type', answers a request of 's', records what it says and
 * returns true. */
bool
vtapd_stats_process(struct vtapd_stats *s, const struct ofp_header *oh,
                    enum ofptype type)
{
    enum vtapd_stats_kind kind;

    if (type == OFPTYPE_FLOW_STATS_REPLY) {
        kind = VTAPD_STATS_FLOWS;
    } else if (type == OFPTYPE_GROUP_STATS_REPLY) {
        kind = VTAPD_STATS_GROUPS;
    } else if (type == OFPTYPE_METER_STATS_REPLY) {
        kind = VTAPD_STATS_METERS;
    } else {
        return false;
    }
    if (!s->pending[kind] || oh->xid != s->xids[kind]) {
        return false;
    }

    struct counted_map *map = &s->next_map[kind];
    if (kind == VTAPD_STATS_FLOWS) {
        process_flows(map, oh);
    } else if (kind == VTAPD_STATS_GROUPS) {
        process_groups(map, oh);
    } else {
        process_meters(map, oh);
    }
    if (!ofpmp_more(oh)) {
        hmap_swap(&s->last[kind].items, &s->next_map[kind].items);
        counted_map_clear(&s->next_map[kind]);
        s->pending[kind] = false;
    }
    return true;
}

/* Returns the last statistics of 'kind' of 'key' (a cookie, or a group or
 * meter ID), or NULL if the switch has not reported any. */
const struct vtapd_counted *
vtapd_stats_find(const struct vtapd_stats *s, enum vtapd_stats_kind kind,
                 uint64_t key)
{
    const struct vtapd_counted *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, hash_uint64(key),
                             &s->last[kind].items) {
        if (c->key == key) {
            return c;
        }
    }
    return NULL;
}
