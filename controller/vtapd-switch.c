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
#include "controller/vtapd-switch.h"

#include <errno.h>
#include <string.h>
#include "byte-order.h"
#include "bitmap.h"
#include "controller/vtapd-bundle.h"
#include "controller/vtapd-counters.h"
#include "controller/vtapd-diff.h"
#include "flow.h"
#include "flows/vtap-flows.h"
#include "openflow/openflow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-bundle.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-group.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/shash.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "socket-util.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"
#include "vswitch-idl.h"

VLOG_DEFINE_THIS_MODULE(vtapd_switch);

/* The value of VTAP_OWNER_KEY in the ports and Mirror rows vtapd owns, and
 * the key that names a Mirror row's Tap_Source. */
#define OWNER_VALUE "vtapd"
#define SOURCE_KEY "vtap-source"

/* Where the OpenFlow side of a switch is. */
enum of_state {
    OF_DISCONNECTED,            /* No connection. */
    OF_DUMPING,                 /* Reading the flows, groups and meters
                                 * vtapd owns. */
    OF_READY,                   /* 'installed' and its kin are what the
                                 * switch holds. */
};

/* A growable array of groups, each owning its buckets. */
struct group_list {
    struct vtap_group *groups;
    size_t n;
    size_t allocated;
};

/* The statistics of one flow, group or meter: 'key' is a flow's cookie or a
 * group's or meter's ID.  A group has per-bucket counts, in the order of
 * its buckets on the switch. */
struct counted {
    uint64_t key;
    uint64_t packets;
    uint64_t bytes;
    uint64_t *bucket_packets;
    uint64_t *bucket_bytes;
    size_t n_buckets;
};

/* A growable array of statistics. */
struct counted_list {
    struct counted *items;
    size_t n;
    size_t allocated;
};

/* The kinds of statistics vtapd reads from a switch. */
enum stats_kind {
    STATS_FLOWS,                /* Flow stats of vtapd's cookies. */
    STATS_GROUPS,               /* Group stats, per bucket. */
    STATS_METERS,               /* Meter stats: the drop band's counts. */
    N_STATS
};

/* A growable array of flows, each owning its actions. */
struct flow_list {
    struct vtap_flow *flows;    /* 'n' flows. */
    size_t n;                   /* Number of flows. */
    size_t allocated;           /* Allocated elements of 'flows'. */
};

/* How long to wait before sending again the flows of a bundle that failed,
 * at first and at most, in milliseconds. */
#define BUNDLE_BACKOFF_MIN 1000
#define BUNDLE_BACKOFF_MAX 60000

/* Every bundle is atomic and ordered, as ovs-ofctl --bundle's. */
#define BUNDLE_FLAGS (OFPBF_ATOMIC | OFPBF_ORDERED)

/* A switch that vtapd programs. */
struct vtapd_switch {
    char *name;                 /* Switch row name, for logs. */
    char *ovsdb_remote;         /* Its Open_vSwitch database, or NULL. */
    char *openflow_remote;      /* Its bridge's OpenFlow remote, or NULL. */

    /* OVSDB. */
    struct ovsdb_idl *idl;      /* NULL without 'ovsdb_remote'. */
    struct ovsdb_idl_txn *txn;  /* The transaction in flight, if any. */
    int64_t wait_cur_cfg;       /* Open_vSwitch cur_cfg that acks 'txn'. */
    unsigned int failed_seqno;  /* IDL seqno when a transaction failed. */
    bool failed;                /* Whether 'failed_seqno' applies. */

    /* OpenFlow. */
    struct rconn *rconn;        /* NULL without 'openflow_remote'. */
    struct pvconn *pvconn;      /* Listener, for a passive remote. */
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    enum of_state of_state;
    ovs_be32 dump_xid;          /* The flow-stats request's xid. */
    ovs_be32 group_dump_xid;    /* The group-desc request's xid. */
    ovs_be32 meter_dump_xid;    /* The meter-config request's xid. */
    unsigned int dumps_pending; /* Dumps whose last reply is awaited. */
    struct flow_list installed; /* The owned flows the switch holds. */
    struct group_list installed_groups; /* Its owned groups, likewise. */
    struct vtap_meter *installed_meters; /* Its owned meters, likewise. */
    size_t n_installed_meters;
    struct vtapd_bundle bundle; /* The bundle of flow-mods in flight. */
    struct flow_list bundled;   /* The flows the switch holds once 'bundle'
                                 * commits. */
    struct group_list bundled_groups; /* Its groups then. */
    ovs_be32 *meter_xids;       /* Meter-mods whose barrier is awaited. */
    size_t n_meter_xids;
    ovs_be32 meter_barrier_xid; /* That barrier, if 'n_meter_xids'. */
    uint32_t next_bundle_id;    /* ID of the next bundle. */
    long long int retry_at;     /* No bundle before this time (msec). */
    int backoff;                /* Next wait after a failure (msec). */
    char *of_error;             /* Why the last bundle failed, or NULL. */

    /* Statistics, read every 'stats_interval' ms. */
    int stats_interval;
    long long int stats_at;     /* When to ask next. */
    ovs_be32 stats_xids[N_STATS]; /* Requests whose replies are awaited. */
    bool stats_pending[N_STATS];
    struct counted_list stats[N_STATS]; /* The last complete replies. */
    struct counted_list stats_new[N_STATS]; /* Replies being read. */

    /* State. */
    struct vtap_switch_state desired; /* What it must hold. */
    int64_t applied_cfg;        /* Last TAP next_cfg applied, or -1. */
    char *error;                /* The last error, or NULL. */
};

static void flow_list_clear(struct flow_list *);
static void group_list_destroy(struct group_list *);
static void counted_list_destroy(struct counted_list *);
static void set_error(struct vtapd_switch *, char *error);
static void format_flow(const struct vtap_flow *, struct ds *);

/* Creates a switch that connects to 'ovsdb_remote' and 'openflow_remote',
 * each of which may be NULL, and names it 'name' in logs. */
struct vtapd_switch *
vtapd_switch_create(const char *name, const char *ovsdb_remote,
                    const char *openflow_remote)
{
    struct vtapd_switch *sw = xzalloc(sizeof *sw);

    sw->name = xstrdup(name);
    sw->ovsdb_remote = nullable_xstrdup(ovsdb_remote);
    sw->openflow_remote = nullable_xstrdup(openflow_remote);
    sw->applied_cfg = -1;
    sw->stats_interval = VTAPD_STATS_INTERVAL_DEFAULT;
    vtapd_bundle_init(&sw->bundle);

    if (ovsdb_remote) {
        /* Only the columns vtapd reads or writes. */
        static const struct ovsdb_idl_column *const columns[] = {
            &ovsrec_open_vswitch_col_bridges,
            &ovsrec_open_vswitch_col_next_cfg,
            &ovsrec_open_vswitch_col_cur_cfg,
            &ovsrec_bridge_col_name,
            &ovsrec_bridge_col_ports,
            &ovsrec_bridge_col_mirrors,
            &ovsrec_port_col_name,
            &ovsrec_port_col_interfaces,
            &ovsrec_port_col_external_ids,
            &ovsrec_interface_col_name,
            &ovsrec_interface_col_type,
            &ovsrec_interface_col_options,
            &ovsrec_interface_col_ofport,
            &ovsrec_interface_col_external_ids,
            &ovsrec_mirror_col_name,
            &ovsrec_mirror_col_select_src_port,
            &ovsrec_mirror_col_select_dst_port,
            &ovsrec_mirror_col_output_port,
            &ovsrec_mirror_col_snaplen,
            &ovsrec_mirror_col_sample_probability,
            &ovsrec_mirror_col_filter_rules,
            &ovsrec_mirror_col_external_ids,
            &ovsrec_mirror_col_statistics,
        };

        sw->idl = ovsdb_idl_create(ovsdb_remote, &ovsrec_idl_class, false,
                                   true);
        for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
            ovsdb_idl_add_column(sw->idl, columns[i]);
        }
        /* Read when vtapd writes its counters, not worth a wake-up. */
        ovsdb_idl_omit_alert(sw->idl, &ovsrec_mirror_col_statistics);
    }
    if (openflow_remote) {
        uint32_t versions = ((1u << OFP13_VERSION) | (1u << OFP14_VERSION)
                             | (1u << OFP15_VERSION));

        sw->rconn = rconn_create(5, 8, DSCP_DEFAULT, versions);
        if (!pvconn_verify_name(openflow_remote)) {
            /* A passive remote (ptcp:, pssl:, punix:): the switch connects
             * to vtapd, and each connection it accepts replaces the last. */
            int error = pvconn_open(openflow_remote, versions, DSCP_DEFAULT,
                                    &sw->pvconn);
            if (error) {
                set_error(sw, xasprintf("%s: listen failed (%s)",
                                        openflow_remote,
                                        ovs_strerror(error)));
            }
        } else {
            rconn_connect(sw->rconn, openflow_remote, name);
        }
    }
    return sw;
}

/* Takes the connection a switch made to the passive remote of 'sw', if
 * any. */
static void
accept_switch(struct vtapd_switch *sw)
{
    struct vconn *vconn;

    if (sw->pvconn && !pvconn_accept(sw->pvconn, &vconn)) {
        VLOG_INFO("%s: switch connected to %s", sw->name,
                  sw->openflow_remote);
        rconn_connect_unreliably(sw->rconn, vconn, sw->name);
    }
}

/* Disconnects and frees 'sw'.  What it installed stays on the switch. */
void
vtapd_switch_destroy(struct vtapd_switch *sw)
{
    if (!sw) {
        return;
    }
    if (sw->txn) {
        ovsdb_idl_txn_destroy(sw->txn);
    }
    ovsdb_idl_destroy(sw->idl);
    rconn_destroy(sw->rconn);
    pvconn_close(sw->pvconn);
    flow_list_clear(&sw->installed);
    free(sw->installed.flows);
    flow_list_clear(&sw->bundled);
    free(sw->bundled.flows);
    group_list_destroy(&sw->installed_groups);
    group_list_destroy(&sw->bundled_groups);
    free(sw->installed_meters);
    free(sw->meter_xids);
    for (int i = 0; i < N_STATS; i++) {
        counted_list_destroy(&sw->stats[i]);
        counted_list_destroy(&sw->stats_new[i]);
    }
    vtapd_bundle_destroy(&sw->bundle);
    free(sw->of_error);
    vtap_switch_state_destroy(&sw->desired);
    free(sw->error);
    free(sw->name);
    free(sw->ovsdb_remote);
    free(sw->openflow_remote);
    free(sw);
}

/* Returns true if 'sw' was created with these remotes. */
bool
vtapd_switch_has_remotes(const struct vtapd_switch *sw,
                         const char *ovsdb_remote,
                         const char *openflow_remote)
{
    return (nullable_string_is_equal(sw->ovsdb_remote, ovsdb_remote)
            && nullable_string_is_equal(sw->openflow_remote,
                                        openflow_remote));
}

/* Records 'error' (taking ownership) as the last error of 'sw', and logs it
 * if it is new. */
static void
set_error(struct vtapd_switch *sw, char *error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    if (!nullable_string_is_equal(sw->error, error)) {
        VLOG_WARN_RL(&rl, "%s: %s", sw->name, error);
        free(sw->error);
        sw->error = error;
    } else {
        free(error);
    }
}

/* Empties 'list', keeping its memory. */
static void
flow_list_clear(struct flow_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->flows[i].ofpacts);
    }
    list->n = 0;
}

/* Appends to 'list' a copy of the flow in 'table_id', 'priority', 'cookie',
 * 'match' and 'ofpacts'. */
static void
flow_list_add(struct flow_list *list, uint8_t table_id, uint16_t priority,
              uint64_t cookie, const struct match *match,
              const struct ofpact *ofpacts, size_t ofpacts_len)
{
    if (list->n >= list->allocated) {
        list->flows = x2nrealloc(list->flows, &list->allocated,
                                 sizeof *list->flows);
    }
    struct vtap_flow *f = &list->flows[list->n++];
    f->table_id = table_id;
    f->priority = priority;
    f->cookie = cookie;
    f->match = *match;
    f->ofpacts = xmemdup(ofpacts, ofpacts_len);
    f->ofpacts_len = ofpacts_len;
}

/* Empties 'list', keeping its memory. */
static void
group_list_clear(struct group_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        vtap_group_destroy(&list->groups[i]);
    }
    list->n = 0;
}

/* Appends to 'list' a new group with 'group_id' and no buckets, and returns
 * it. */
static struct vtap_group *
group_list_add(struct group_list *list, uint32_t group_id)
{
    if (list->n >= list->allocated) {
        list->groups = x2nrealloc(list->groups, &list->allocated,
                                  sizeof *list->groups);
    }
    struct vtap_group *g = &list->groups[list->n++];
    memset(g, 0, sizeof *g);
    g->group_id = group_id;
    return g;
}

/* Appends to 'list' a copy of 'g'. */
static void
group_list_add_copy(struct group_list *list, const struct vtap_group *g)
{
    struct vtap_group *copy = group_list_add(list, g->group_id);

    *copy = *g;
    copy->buckets = xmemdup(g->buckets, g->n_buckets * sizeof *g->buckets);
    for (size_t i = 0; i < g->n_buckets; i++) {
        struct vtap_bucket *b = &copy->buckets[i];

        b->collector = nullable_xstrdup(b->collector);
        b->ofpacts = xmemdup(b->ofpacts, b->ofpacts_len);
    }
}

static void
group_list_destroy(struct group_list *list)
{
    group_list_clear(list);
    free(list->groups);
}

static int
compare_groups_by_id(const void *a_, const void *b_)
{
    const struct vtap_group *a = a_, *b = b_;
    return a->group_id < b->group_id ? -1 : a->group_id > b->group_id;
}

static int
compare_meters_by_id(const void *a_, const void *b_)
{
    const struct vtap_meter *a = a_, *b = b_;
    return a->meter_id < b->meter_id ? -1 : a->meter_id > b->meter_id;
}

/* Empties 'list', keeping its memory. */
static void
counted_list_clear(struct counted_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].bucket_packets);
        free(list->items[i].bucket_bytes);
    }
    list->n = 0;
}

/* Appends to 'list' the counts 'packets' and 'bytes' of 'key', and returns
 * them for the caller to add bucket counts to. */
static struct counted *
counted_list_add(struct counted_list *list, uint64_t key, uint64_t packets,
                 uint64_t bytes)
{
    if (list->n >= list->allocated) {
        list->items = x2nrealloc(list->items, &list->allocated,
                                 sizeof *list->items);
    }
    struct counted *c = &list->items[list->n++];
    memset(c, 0, sizeof *c);
    c->key = key;
    c->packets = packets;
    c->bytes = bytes;
    return c;
}

static void
counted_list_destroy(struct counted_list *list)
{
    counted_list_clear(list);
    free(list->items);
}

/* Returns the counts of 'key' in 'list', or NULL. */
static const struct counted *
counted_list_find(const struct counted_list *list, uint64_t key)
{
    for (size_t i = 0; i < list->n; i++) {
        if (list->items[i].key == key) {
            return &list->items[i];
        }
    }
    return NULL;
}

static enum ofputil_protocol
switch_protocol(const struct vtapd_switch *sw)
{
    return ofputil_protocol_from_ofp_version(rconn_get_version(sw->rconn));
}

/* Asks the switch for every flow in vtapd's cookie space. */
static void
start_dump(struct vtapd_switch *sw)
{
    struct ofputil_flow_stats_request fsr = {
        .cookie = htonll(VTAP_COOKIE_MARK),
        .cookie_mask = htonll(VTAP_COOKIE_MASK),
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = 0xff,
    };
    struct ofpbuf *msg;

    match_init_catchall(&fsr.match);
    msg = ofputil_encode_flow_stats_request(&fsr, switch_protocol(sw));
    sw->dump_xid = ((struct ofp_header *) msg->data)->xid;
    flow_list_clear(&sw->installed);
    sw->of_state = OF_DUMPING;
    rconn_send(sw->rconn, msg, NULL);

    enum ofp_version version = rconn_get_version(sw->rconn);
    msg = ofputil_encode_group_desc_request(version, OFPG_ALL);
    sw->group_dump_xid = ((struct ofp_header *) msg->data)->xid;
    group_list_clear(&sw->installed_groups);
    rconn_send(sw->rconn, msg, NULL);

    msg = ofputil_encode_meter_request(version, OFPUTIL_METER_CONFIG,
                                       OFPM13_ALL);
    sw->meter_dump_xid = ((struct ofp_header *) msg->data)->xid;
    sw->n_installed_meters = 0;
    rconn_send(sw->rconn, msg, NULL);

    sw->dumps_pending = 3;
}

/* Returns true if 'error', from decoding the next entry of a multipart
 * reply to 'sw', means the reply has no more entries: EOF, or a malformed
 * entry, which is reported as 'what' being bad. */
static bool
reply_ended(struct vtapd_switch *sw, int error, const char *what)
{
    if (error && error != EOF) {
        set_error(sw, xasprintf("bad %s reply: %s", what,
                                ofperr_to_string(error)));
    }
    return error != 0;
}

/* Counts off one dump of 'sw' as complete: the switch's state is known
 * once all three are. */
static void
dump_done(struct vtapd_switch *sw)
{
    if (sw->dumps_pending && !--sw->dumps_pending) {
        VLOG_INFO("%s: vtapd holds %"PRIuSIZE" flows, %"PRIuSIZE" groups "
                  "and %"PRIuSIZE" meters there", sw->name, sw->installed.n,
                  sw->installed_groups.n, sw->n_installed_meters);
        qsort(sw->installed_groups.groups, sw->installed_groups.n,
              sizeof *sw->installed_groups.groups, compare_groups_by_id);
        qsort(sw->installed_meters, sw->n_installed_meters,
              sizeof *sw->installed_meters, compare_meters_by_id);
        sw->of_state = OF_READY;
    }
}

/* Returns true if the selection properties 'props' are those vtapd gives its
 * groups. */
static bool
group_props_are_vtapds(const struct ofputil_group_props *props)
{
    struct field_array fields;
    bool same;

    vtap_group_fields(&fields);
    same = (!strcmp(props->selection_method, "hash")
            && !props->selection_method_param
            && bitmap_equal(fields.used.bm, props->fields.used.bm, MFF_N_IDS)
            && fields.values_size == props->fields.values_size
            && !memcmp(fields.values, props->fields.values,
                       fields.values_size));
    free(fields.values);
    return same;
}

/* Adds the groups of vtapd in group-desc reply 'oh' to the installed
 * groups, their buckets in the switch's order. */
static void
process_group_dump_reply(struct vtapd_switch *sw, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));

    for (;;) {
        struct ofputil_group_desc gd;
        int error = ofputil_decode_group_desc_reply(&gd, &msg, oh->version);

        if (reply_ended(sw, error, "group desc")) {
            break;
        }
        if (vtap_is_owned_id(gd.group_id)) {
            struct vtap_group *g = group_list_add(&sw->installed_groups,
                                                  gd.group_id);
            const struct ofputil_bucket *b;

            g->other_props = (gd.type != OFPGT11_SELECT
                              || !group_props_are_vtapds(&gd.props));
            g->buckets = xcalloc(ovs_list_size(&gd.buckets),
                                 sizeof *g->buckets);
            LIST_FOR_EACH (b, list_node, &gd.buckets) {
                struct vtap_bucket *vb = &g->buckets[g->n_buckets++];

                g->other_props |= b->weight != 1;
                vb->bucket_id = b->bucket_id;
                vb->ofpacts = xmemdup(b->ofpacts, b->ofpacts_len);
                vb->ofpacts_len = b->ofpacts_len;
            }
        }
        ofputil_uninit_group_desc(&gd);
    }
    if (!ofpmp_more(oh)) {
        dump_done(sw);
    }
}

/* Adds the meters of vtapd in meter-config reply 'oh' to the installed
 * meters.  One that is not as vtapd makes them (one drop band, with burst
 * and statistics) gets rate 0, which no desired meter has. */
static void
process_meter_dump_reply(struct vtapd_switch *sw, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_config mc;
        int error = ofputil_decode_meter_config(&msg, &mc, &bands);

        if (reply_ended(sw, error, "meter config")) {
            break;
        }
        if (vtap_is_owned_id(mc.meter_id)) {
            bool usual = (mc.n_bands == 1
                          && mc.bands[0].type == OFPMBT13_DROP
                          && (mc.flags & OFPMF13_BURST)
                          && (mc.flags & OFPMF13_STATS));

            sw->installed_meters = xrealloc(
                sw->installed_meters,
                (sw->n_installed_meters + 1) * sizeof *sw->installed_meters);
            sw->installed_meters[sw->n_installed_meters++]
                = (struct vtap_meter) {
                    .meter_id = mc.meter_id,
                    .rate = usual ? mc.bands[0].rate : 0,
                    .kbps = (mc.flags & OFPMF13_KBPS) != 0,
                    .burst = usual ? mc.bands[0].burst_size : 0,
                };
        }
    }
    ofpbuf_uninit(&bands);
    if (!ofpmp_more(oh)) {
        dump_done(sw);
    }
}

/* Adds the flows in flow-stats reply 'oh' to the installed flows. */
static void
process_dump_reply(struct vtapd_switch *sw, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;
        int error = ofputil_decode_flow_stats_reply(&fs, &msg, false,
                                                    &ofpacts);
        if (reply_ended(sw, error, "flow stats")) {
            break;
        }
        if ((ntohll(fs.cookie) & VTAP_COOKIE_MASK) == VTAP_COOKIE_MARK) {
            flow_list_add(&sw->installed, fs.table_id, fs.priority,
                          ntohll(fs.cookie), &fs.match, fs.ofpacts,
                          fs.ofpacts_len);
        }
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(oh)) {
        dump_done(sw);
    }
}

/* Sends a bundle control request of 'type' for bundle 'id' and returns its
 * xid. */
static ovs_be32
send_bundle_ctrl(struct vtapd_switch *sw, uint32_t id, uint16_t type)
{
    struct ofputil_bundle_ctrl_msg bc = {
        .bundle_id = id,
        .type = type,
        .flags = BUNDLE_FLAGS,
    };
    struct ofpbuf *msg = ofputil_encode_bundle_ctrl_request(
        rconn_get_version(sw->rconn), &bc);
    ovs_be32 xid = ((struct ofp_header *) msg->data)->xid;

    rconn_send(sw->rconn, msg, NULL);
    return xid;
}

/* Does what the bundle state machine of 'sw' asks for in 'action'.  Once a
 * bundle committed, the switch holds its flows; once one failed, it holds
 * none of them: the failure is reported, the installed flows are dumped
 * again, and the next bundle waits, longer after each failure in a row. */
static void
do_bundle_action(struct vtapd_switch *sw, enum vtapd_bundle_action action)
{
    struct group_list tmp_groups;
    struct flow_list tmp;

    switch (action) {
    case VTAPD_BUNDLE_NONE:
        break;

    case VTAPD_BUNDLE_COMMIT:
        vtapd_bundle_expect(&sw->bundle,
                            send_bundle_ctrl(sw, sw->bundle.id,
                                             OFPBCT_COMMIT_REQUEST));
        break;

    case VTAPD_BUNDLE_DISCARD:
        vtapd_bundle_expect(&sw->bundle,
                            send_bundle_ctrl(sw, sw->bundle.id,
                                             OFPBCT_DISCARD_REQUEST));
        break;

    case VTAPD_BUNDLE_DONE:
        VLOG_INFO("%s: bundle %"PRIu32" committed", sw->name, sw->bundle.id);
        tmp = sw->installed;
        sw->installed = sw->bundled;
        sw->bundled = tmp;
        flow_list_clear(&sw->bundled);
        tmp_groups = sw->installed_groups;
        sw->installed_groups = sw->bundled_groups;
        sw->bundled_groups = tmp_groups;
        group_list_clear(&sw->bundled_groups);
        sw->backoff = 0;
        free(sw->of_error);
        sw->of_error = NULL;
        break;

    case VTAPD_BUNDLE_FAILED:
        free(sw->of_error);
        sw->of_error = xstrdup(sw->bundle.error
                               ? ofperr_to_string(sw->bundle.error)
                               : "bundle not opened");
        sw->backoff = (sw->backoff
                       ? MIN(sw->backoff * 2, BUNDLE_BACKOFF_MAX)
                       : BUNDLE_BACKOFF_MIN);
        sw->retry_at = time_msec() + sw->backoff;
        set_error(sw, xasprintf("bundle %"PRIu32" failed, none of its "
                                "flow-mods took effect: %s (retrying in "
                                "%d s)", sw->bundle.id, sw->of_error,
                                sw->backoff / 1000));
        flow_list_clear(&sw->bundled);
        group_list_clear(&sw->bundled_groups);
        start_dump(sw);
        break;
    }
}

/* Returns true if 'xid' is one of the meter-mods of 'sw' in flight. */
static bool
is_meter_xid(const struct vtapd_switch *sw, ovs_be32 xid)
{
    for (size_t i = 0; i < sw->n_meter_xids; i++) {
        if (sw->meter_xids[i] == xid) {
            return true;
        }
    }
    return false;
}

/* Handles the reply to the barrier after meter-mods of 'sw': they all took
 * effect, except those that an error reply (before it) refused. */
static void
meter_barrier_reply(struct vtapd_switch *sw)
{
    sw->n_meter_xids = 0;
}

/* Handles 'error', a switch's refusal of one of the meter-mods of 'sw':
 * what it holds is no longer known, so it is read again, and the next
 * change waits as after a failed bundle. */
static void
meter_error(struct vtapd_switch *sw, enum ofperr error)
{
    sw->backoff = (sw->backoff ? MIN(sw->backoff * 2, BUNDLE_BACKOFF_MAX)
                   : BUNDLE_BACKOFF_MIN);
    sw->retry_at = time_msec() + sw->backoff;
    free(sw->of_error);
    sw->of_error = xstrdup(ofperr_to_string(error));
    set_error(sw, xasprintf("meter-mod failed: %s (retrying in %d s)",
                            sw->of_error, sw->backoff / 1000));
    sw->n_meter_xids = 0;
    if (!vtapd_bundle_is_busy(&sw->bundle)) {
        start_dump(sw);
    }
}

/* Records the flow statistics in reply 'oh' of 'sw'. */
static void
process_flow_stats_reply(struct vtapd_switch *sw, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct counted_list *list = &sw->stats_new[STATS_FLOWS];
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;

        if (ofputil_decode_flow_stats_reply(&fs, &msg, false, &ofpacts)) {
            break;
        }
        counted_list_add(list, ntohll(fs.cookie), fs.packet_count,
                         fs.byte_count);
    }
    ofpbuf_uninit(&ofpacts);
}

/* Records the group statistics in reply 'oh' of 'sw'. */
static void
process_group_stats_reply(struct vtapd_switch *sw,
                          const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct counted_list *list = &sw->stats_new[STATS_GROUPS];

    for (;;) {
        struct ofputil_group_stats gs;

        if (ofputil_decode_group_stats_reply(&msg, &gs)) {
            break;
        }
        if (vtap_is_owned_id(gs.group_id)) {
            struct counted *c = counted_list_add(list, gs.group_id,
                                                 gs.packet_count,
                                                 gs.byte_count);
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

/* Records the meter statistics in reply 'oh' of 'sw': the counts of the
 * drop band, which are the packets the meter dropped. */
static void
process_meter_stats_reply(struct vtapd_switch *sw,
                          const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct counted_list *list = &sw->stats_new[STATS_METERS];
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_stats ms;

        if (ofputil_decode_meter_stats(&msg, &ms, &bands)) {
            break;
        }
        if (vtap_is_owned_id(ms.meter_id) && ms.n_bands) {
            counted_list_add(list, ms.meter_id, ms.bands[0].packet_count,
                             ms.bands[0].byte_count);
        }
    }
    ofpbuf_uninit(&bands);
}

/* If 'oh' is a reply to the statistics request of 'kind' of 'sw', records
 * what it says with 'process' and returns true. */
static bool
process_stats_reply(struct vtapd_switch *sw, const struct ofp_header *oh,
                    enum stats_kind kind,
                    void (*process)(struct vtapd_switch *,
                                    const struct ofp_header *))
{
    if (!sw->stats_pending[kind] || oh->xid != sw->stats_xids[kind]) {
        return false;
    }
    process(sw, oh);
    if (!ofpmp_more(oh)) {
        struct counted_list tmp = sw->stats[kind];

        sw->stats[kind] = sw->stats_new[kind];
        sw->stats_new[kind] = tmp;
        counted_list_clear(&sw->stats_new[kind]);
        sw->stats_pending[kind] = false;
    }
    return true;
}

/* Asks the switch of 'sw' for the statistics of vtapd's flows, groups and
 * meters, unless an earlier request is still unanswered. */
static void
request_stats(struct vtapd_switch *sw)
{
    enum ofp_version version = rconn_get_version(sw->rconn);
    struct ofputil_flow_stats_request fsr = {
        .cookie = htonll(VTAP_COOKIE_MARK),
        .cookie_mask = htonll(VTAP_COOKIE_MASK),
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = 0xff,
    };
    struct ofpbuf *msgs[N_STATS];

    for (int i = 0; i < N_STATS; i++) {
        if (sw->stats_pending[i]) {
            return;
        }
    }
    match_init_catchall(&fsr.match);
    msgs[STATS_FLOWS] = ofputil_encode_flow_stats_request(
        &fsr, switch_protocol(sw));
    msgs[STATS_GROUPS] = ofputil_encode_group_stats_request(version,
                                                            OFPG_ALL);
    msgs[STATS_METERS] = ofputil_encode_meter_request(
        version, OFPUTIL_METER_STATS, OFPM13_ALL);
    for (int i = 0; i < N_STATS; i++) {
        sw->stats_xids[i] = ((struct ofp_header *) msgs[i]->data)->xid;
        sw->stats_pending[i] = true;
        counted_list_clear(&sw->stats_new[i]);
        rconn_send(sw->rconn, msgs[i], NULL);
    }
}

static void
process_of_msg(struct vtapd_switch *sw, const struct ofpbuf *buf)
{
    const struct ofp_header *oh = buf->data;
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    if (type == OFPTYPE_ECHO_REQUEST) {
        rconn_send(sw->rconn, ofputil_encode_echo_reply(oh), NULL);
    } else if (type == OFPTYPE_FLOW_STATS_REPLY) {
        if (sw->of_state == OF_DUMPING && oh->xid == sw->dump_xid) {
            process_dump_reply(sw, oh);
        } else {
            process_stats_reply(sw, oh, STATS_FLOWS,
                                process_flow_stats_reply);
        }
    } else if (type == OFPTYPE_GROUP_DESC_STATS_REPLY) {
        if (sw->of_state == OF_DUMPING && oh->xid == sw->group_dump_xid) {
            process_group_dump_reply(sw, oh);
        }
    } else if (type == OFPTYPE_METER_CONFIG_STATS_REPLY) {
        if (sw->of_state == OF_DUMPING && oh->xid == sw->meter_dump_xid) {
            process_meter_dump_reply(sw, oh);
        }
    } else if (type == OFPTYPE_GROUP_STATS_REPLY) {
        process_stats_reply(sw, oh, STATS_GROUPS, process_group_stats_reply);
    } else if (type == OFPTYPE_METER_STATS_REPLY) {
        process_stats_reply(sw, oh, STATS_METERS, process_meter_stats_reply);
    } else if (type == OFPTYPE_BARRIER_REPLY) {
        if (sw->n_meter_xids && oh->xid == sw->meter_barrier_xid) {
            meter_barrier_reply(sw);
        }
        do_bundle_action(sw, vtapd_bundle_barrier_reply(&sw->bundle,
                                                        oh->xid));
    } else if (type == OFPTYPE_BUNDLE_CONTROL) {
        struct ofputil_bundle_ctrl_msg bc;

        if (!ofputil_decode_bundle_ctrl(oh, &bc)) {
            do_bundle_action(sw, vtapd_bundle_ctrl_reply(&sw->bundle,
                                                         oh->xid,
                                                         bc.bundle_id,
                                                         bc.type));
        }
    } else if (type == OFPTYPE_ERROR
               && vtapd_bundle_owns_xid(&sw->bundle, oh->xid)) {
        enum ofperr error = ofperr_decode_msg(oh, NULL);

        VLOG_INFO("%s: bundle %"PRIu32": OpenFlow error: %s", sw->name,
                  sw->bundle.id, ofperr_to_string(error));
        do_bundle_action(sw, vtapd_bundle_error(&sw->bundle, oh->xid,
                                                error));
    } else if (type == OFPTYPE_ERROR && is_meter_xid(sw, oh->xid)) {
        meter_error(sw, ofperr_decode_msg(oh, NULL));
    } else if (type == OFPTYPE_ERROR) {
        set_error(sw, xasprintf("OpenFlow error: %s",
                                ofperr_to_string(ofperr_decode_msg(oh,
                                                                   NULL))));
        if (sw->of_state == OF_DUMPING && oh->xid == sw->dump_xid) {
            /* The switch holds something vtapd cannot tell: start over. */
            rconn_reconnect(sw->rconn);
        }
    }
}

/* Lets the IDL and the OpenFlow connection of 'sw' do their work, and
 * processes what the switch sent. */
void
vtapd_switch_run(struct vtapd_switch *sw)
{
    if (sw->idl) {
        ovsdb_idl_run(sw->idl);
        if (sw->txn) {
            enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(sw->txn);

            if (status == TXN_SUCCESS) {
                sw->wait_cur_cfg = ovsdb_idl_txn_get_increment_new_value(
                    sw->txn);
            } else if (status != TXN_INCOMPLETE) {
                set_error(sw, xasprintf("OVSDB transaction %s: %s",
                                        ovsdb_idl_txn_status_to_string(status),
                                        ovsdb_idl_txn_get_error(sw->txn)));
                sw->failed = true;
                sw->failed_seqno = ovsdb_idl_get_seqno(sw->idl);
            }
            if (status != TXN_INCOMPLETE) {
                ovsdb_idl_txn_destroy(sw->txn);
                sw->txn = NULL;
            }
        }
    }
    if (!sw->rconn) {
        return;
    }
    accept_switch(sw);
    rconn_run(sw->rconn);
    if (!rconn_is_connected(sw->rconn)) {
        sw->of_state = OF_DISCONNECTED;
        vtapd_bundle_clear(&sw->bundle);
        return;
    }
    if (sw->conn_seqno != rconn_get_connection_seqno(sw->rconn)) {
        /* A new connection, perhaps without a disconnection seen in
         * between (a passive remote's next switch replaces the last one at
         * once): a bundle in flight on the old one will never be
         * answered. */
        vtapd_bundle_clear(&sw->bundle);
        flow_list_clear(&sw->bundled);
        group_list_clear(&sw->bundled_groups);
        sw->n_meter_xids = 0;
        for (int i = 0; i < N_STATS; i++) {
            /* A restarted switch counts from zero: keep nothing of the
             * last one's counts. */
            sw->stats_pending[i] = false;
            counted_list_clear(&sw->stats[i]);
        }
        sw->stats_at = 0;
        sw->conn_seqno = rconn_get_connection_seqno(sw->rconn);
        VLOG_INFO("%s: connected to %s (%s)", sw->name, sw->openflow_remote,
                  ofputil_version_to_string(rconn_get_version(sw->rconn)));
        start_dump(sw);
    }
    for (int i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(sw->rconn);
        if (!msg) {
            break;
        }
        process_of_msg(sw, msg);
        ofpbuf_delete(msg);
    }
    if (sw->of_state == OF_READY && time_msec() >= sw->stats_at) {
        request_stats(sw);
        sw->stats_at = time_msec() + sw->stats_interval;
    }
}

/* Arranges for poll_block() to wake up when 'sw' has work to do. */
void
vtapd_switch_wait(struct vtapd_switch *sw)
{
    if (sw->idl) {
        ovsdb_idl_wait(sw->idl);
        if (sw->txn) {
            ovsdb_idl_txn_wait(sw->txn);
        }
    }
    if (sw->rconn) {
        rconn_run_wait(sw->rconn);
        rconn_recv_wait(sw->rconn);
        if (sw->retry_at > time_msec()) {
            poll_timer_wait_until(sw->retry_at);
        }
        if (sw->of_state == OF_READY) {
            poll_timer_wait_until(sw->stats_at);
        }
    }
    if (sw->pvconn) {
        pvconn_wait(sw->pvconn);
    }
}

/* Returns the bridge named 'name' in the IDL of 'sw', or NULL. */
static const struct ovsrec_bridge *
find_bridge(const struct vtapd_switch *sw, const char *name)
{
    const struct ovsrec_bridge *br;

    OVSREC_BRIDGE_FOR_EACH (br, sw->idl) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

/* Returns the OpenFlow port number of 'iface', or OFPP_NONE if it has none
 * (yet). */
static ofp_port_t
iface_ofport(const struct ovsrec_interface *iface)
{
    return (iface->n_ofport && *iface->ofport > 0
            && *iface->ofport < ofp_to_u16(OFPP_MAX)
            ? u16_to_ofp(*iface->ofport) : OFPP_NONE);
}

/* Stores in '*ports' and '*n_ports' what the switch's database says about
 * the ports of 'bridge', as the translation reads them: names, interface
 * types, iface-ids and OpenFlow port numbers.  The strings belong to the
 * IDL and live until it next runs; the caller frees the array.  Returns
 * false, with nothing stored, if the database is not known yet or has no
 * such bridge. */
bool
vtapd_switch_get_ports(const struct vtapd_switch *sw, const char *bridge,
                       struct vtap_port_fact **ports, size_t *n_ports)
{
    const struct ovsrec_bridge *br;

    *ports = NULL;
    *n_ports = 0;
    if (!sw->idl || !ovsdb_idl_has_ever_connected(sw->idl)) {
        return false;
    }
    br = find_bridge(sw, bridge);
    if (!br) {
        return false;
    }
    *ports = xcalloc(br->n_ports, sizeof **ports);
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];
        struct vtap_port_fact *p = &(*ports)[(*n_ports)++];

        p->name = port->name;
        p->type = "";
        p->ofport = OFPP_NONE;
        if (port->n_interfaces) {
            const struct ovsrec_interface *iface = port->interfaces[0];

            p->type = iface->type;
            p->iface_id = smap_get(&iface->external_ids, "iface-id");
            p->ofport = iface_ofport(iface);
        }
    }
    return true;
}

static bool
is_owned(const struct smap *external_ids)
{
    const char *owner = smap_get(external_ids, VTAP_OWNER_KEY);
    return owner && !strcmp(owner, OWNER_VALUE);
}

/* Returns the transaction in '*txnp', creating it on 'idl' first. */
static struct ovsdb_idl_txn *
get_txn(struct ovsdb_idl *idl, struct ovsdb_idl_txn **txnp)
{
    if (!*txnp) {
        *txnp = ovsdb_idl_txn_create(idl);
        ovsdb_idl_txn_add_comment(*txnp, "vtapd: TAP ports and mirrors");
    }
    return *txnp;
}

static void
tunnel_options(const struct vtap_tunnel *t, struct smap *options)
{
    smap_init(options);
    smap_add(options, "remote_ip", t->remote_ip);
    smap_add(options, "key", t->key);
    smap_add_format(options, "dst_port", "%"PRIu16, t->dst_port);
}

/* Makes the tunnel ports of 'br' those of 'desired', in '*txnp' if anything
 * must change.  Adds every port of 'br', and every port it creates, to
 * 'ports' by name.  Adds to 'unusable' the desired tunnels that a port
 * vtapd does not own is in the way of. */
static void
sync_tunnels(struct vtapd_switch *sw, const struct ovsrec_bridge *br,
             const struct vtap_switch_state *desired,
             struct ovsdb_idl_txn **txnp, struct shash *ports,
             struct sset *unusable)
{
    struct smap owner = SMAP_CONST1(&owner, VTAP_OWNER_KEY, OWNER_VALUE);
    struct sset wanted = SSET_INITIALIZER(&wanted);

    for (size_t i = 0; i < br->n_ports; i++) {
        shash_add_once(ports, br->ports[i]->name, br->ports[i]);
    }
    for (size_t i = 0; i < desired->n_tunnels; i++) {
        const struct vtap_tunnel *t = &desired->tunnels[i];
        const struct ovsrec_port *port = shash_find_data(ports, t->name);
        struct smap options;

        sset_add(&wanted, t->name);
        tunnel_options(t, &options);
        if (!port) {
            struct ovsdb_idl_txn *txn = get_txn(sw->idl, txnp);
            struct ovsrec_interface *iface = ovsrec_interface_insert(txn);
            struct ovsrec_port *new = ovsrec_port_insert(txn);

            ovsrec_interface_set_name(iface, t->name);
            ovsrec_interface_set_type(iface, "vxlan");
            ovsrec_interface_set_options(iface, &options);
            ovsrec_interface_set_external_ids(iface, &owner);
            ovsrec_port_set_name(new, t->name);
            ovsrec_port_set_interfaces(new, &iface, 1);
            ovsrec_port_set_external_ids(new, &owner);
            ovsrec_bridge_update_ports_addvalue(br, new);
            shash_add(ports, t->name, new);
        } else if (!is_owned(&port->external_ids)
                   || port->n_interfaces != 1) {
            set_error(sw, xasprintf("port %s exists and is not vtapd's",
                                    t->name));
            sset_add(unusable, t->name);
        } else {
            const struct ovsrec_interface *iface = port->interfaces[0];

            if (strcmp(iface->type, "vxlan")) {
                get_txn(sw->idl, txnp);
                ovsrec_interface_set_type(iface, "vxlan");
            }
            if (!smap_equal(&iface->options, &options)) {
                get_txn(sw->idl, txnp);
                ovsrec_interface_set_options(iface, &options);
            }
        }
        smap_destroy(&options);
    }
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];

        if (is_owned(&port->external_ids)
            && !sset_contains(&wanted, port->name)) {
            get_txn(sw->idl, txnp);
            ovsrec_bridge_update_ports_delvalue(br, port);
        }
    }
    sset_destroy(&wanted);
}

/* Returns true if the 'n' ports in 'have' are exactly 'want' (none if
 * 'want' is NULL). */
static bool
ports_equal(struct ovsrec_port **have, size_t n,
            const struct ovsrec_port *want)
{
    return want ? n == 1 && have[0] == want : n == 0;
}

/* Returns true if Mirror row 'row' already is 'm', with ports 'src', 'dst'
 * and 'out'. */
static bool
mirror_equal(const struct ovsrec_mirror *row, const struct vtap_mirror *m,
             const struct ovsrec_port *src, const struct ovsrec_port *dst,
             const struct ovsrec_port *out, const struct smap *ids)
{
    if (!ports_equal(row->select_src_port, row->n_select_src_port, src)
        || !ports_equal(row->select_dst_port, row->n_select_dst_port, dst)
        || row->output_port != out
        || row->n_snaplen != (m->snaplen ? 1 : 0)
        || (m->snaplen && row->snaplen[0] != m->snaplen)
        || row->n_sample_probability != 1
        || row->sample_probability[0] != m->sample_probability
        || row->n_filter_rules != m->n_rules
        || !smap_equal(&row->external_ids, ids)) {
        return false;
    }
    for (size_t i = 0; i < m->n_rules; i++) {
        /* The IDL keeps a map's keys sorted, as 'm' has them. */
        if (row->key_filter_rules[i] != m->rule_numbers[i]
            || strcmp(row->value_filter_rules[i], m->rules[i])) {
            return false;
        }
    }
    return true;
}

/* Writes every column of Mirror row 'row' from 'm'. */
static void
mirror_write(const struct ovsrec_mirror *row, const struct vtap_mirror *m,
             struct ovsrec_port *src, struct ovsrec_port *dst,
             const struct ovsrec_port *out, const struct smap *ids)
{
    int64_t snaplen = m->snaplen;

    ovsrec_mirror_set_name(row, m->name);
    ovsrec_mirror_set_select_src_port(row, &src, src ? 1 : 0);
    ovsrec_mirror_set_select_dst_port(row, &dst, dst ? 1 : 0);
    ovsrec_mirror_set_output_port(row, out);
    ovsrec_mirror_set_snaplen(row, &snaplen, m->snaplen ? 1 : 0);
    ovsrec_mirror_set_sample_probability(row, &m->sample_probability, 1);
    ovsrec_mirror_set_filter_rules(row, m->rule_numbers,
                                   (const char **) m->rules, m->n_rules);
    ovsrec_mirror_set_external_ids(row, ids);
}

/* Makes the owned Mirror rows of 'br' those of 'desired', in '*txnp' if
 * anything must change.  'ports' has every port of 'br' by name. */
static void
sync_mirrors(struct vtapd_switch *sw, const struct ovsrec_bridge *br,
             const struct vtap_switch_state *desired,
             struct ovsdb_idl_txn **txnp, const struct shash *ports,
             const struct sset *unusable)
{
    struct shash rows = SHASH_INITIALIZER(&rows);
    struct sset wanted = SSET_INITIALIZER(&wanted);

    for (size_t i = 0; i < br->n_mirrors; i++) {
        shash_add_once(&rows, br->mirrors[i]->name, br->mirrors[i]);
    }
    for (size_t i = 0; i < desired->n_mirrors; i++) {
        const struct vtap_mirror *m = &desired->mirrors[i];
        const struct ovsrec_mirror *row = shash_find_data(&rows, m->name);
        struct ovsrec_port *src = NULL, *dst = NULL, *out;
        struct smap ids = SMAP_INITIALIZER(&ids);

        sset_add(&wanted, m->name);
        if (m->select_src_port) {
            src = shash_find_data(ports, m->select_src_port);
        }
        if (m->select_dst_port) {
            dst = shash_find_data(ports, m->select_dst_port);
        }
        out = shash_find_data(ports, m->output_port);
        if (!out || sset_contains(unusable, m->output_port)
            || (m->select_src_port && !src)
            || (m->select_dst_port && !dst)) {
            continue;
        }
        if (row && !is_owned(&row->external_ids)) {
            set_error(sw, xasprintf("mirror %s exists and is not vtapd's",
                                    m->name));
            continue;
        }

        smap_add(&ids, VTAP_OWNER_KEY, OWNER_VALUE);
        smap_add_format(&ids, SOURCE_KEY, UUID_FMT, UUID_ARGS(&m->source));
        if (!row) {
            row = ovsrec_mirror_insert(get_txn(sw->idl, txnp));
            ovsrec_bridge_update_mirrors_addvalue(br, row);
            mirror_write(row, m, src, dst, out, &ids);
        } else if (!mirror_equal(row, m, src, dst, out, &ids)) {
            get_txn(sw->idl, txnp);
            mirror_write(row, m, src, dst, out, &ids);
        }
        smap_destroy(&ids);
    }
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct ovsrec_mirror *row = br->mirrors[i];

        if (is_owned(&row->external_ids)
            && !sset_contains(&wanted, row->name)) {
            get_txn(sw->idl, txnp);
            ovsrec_bridge_update_mirrors_delvalue(br, row);
        }
    }
    sset_destroy(&wanted);
    shash_destroy(&rows);
}

/* Starts the OVSDB transaction that makes the ports and Mirror rows of
 * bridge 'br' what 'desired' says, if anything must change: the tunnels and
 * the Mirrors that output to them go together.  Returns true if it started
 * one. */
static bool
sync_ovsdb(struct vtapd_switch *sw, const struct ovsrec_bridge *br,
           const struct vtap_switch_state *desired)
{
    const struct ovsrec_open_vswitch *ovs = ovsrec_open_vswitch_first(sw->idl);
    struct shash ports = SHASH_INITIALIZER(&ports);
    struct sset unusable = SSET_INITIALIZER(&unusable);
    struct ovsdb_idl_txn *txn = NULL;

    sync_tunnels(sw, br, desired, &txn, &ports, &unusable);
    sync_mirrors(sw, br, desired, &txn, &ports, &unusable);
    shash_destroy(&ports);
    sset_destroy(&unusable);
    if (!txn) {
        return false;
    }

    /* As ovs-vsctl does, so that cur_cfg tells when ovs-vswitchd has
     * reconfigured. */
    if (ovs) {
        ovsdb_idl_txn_increment(txn, &ovs->header_,
                                &ovsrec_open_vswitch_col_next_cfg, false);
    }
    sw->txn = txn;
    sw->failed = false;
    ovsdb_idl_txn_commit(txn);
    return true;
}

/* Sends 'mod' (which it frees), added to bundle 'bundle_id', and returns the
 * xid of the bundle add message. */
static ovs_be32
send_bundle_add(struct vtapd_switch *sw, uint32_t bundle_id,
                struct ofpbuf *mod)
{
    ofpmsg_update_length(mod);
    struct ofputil_bundle_add_msg bam = {
        .bundle_id = bundle_id,
        .flags = BUNDLE_FLAGS,
        .msg = mod->data,
    };
    struct ofpbuf *msg = ofputil_encode_bundle_add(
        rconn_get_version(sw->rconn), &bam);
    ovs_be32 xid = ((struct ofp_header *) msg->data)->xid;

    ofpbuf_delete(mod);
    rconn_send(sw->rconn, msg, NULL);
    return xid;
}

/* Sends one flow-mod for 'op', added to bundle 'bundle_id', and returns the
 * xid of the bundle add message. */
static ovs_be32
send_flow_mod(struct vtapd_switch *sw, uint32_t bundle_id,
              const struct vtapd_flow_op *op)
{
    const struct vtap_flow *f = op->flow;
    struct ofputil_flow_mod fm = {
        .priority = f->priority,
        .table_id = f->table_id,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .new_cookie = OVS_BE64_MAX,
    };

    switch (op->type) {
    case VTAPD_FLOW_ADD:
        fm.command = OFPFC_ADD;
        fm.new_cookie = htonll(f->cookie);
        fm.ofpacts = f->ofpacts;
        fm.ofpacts_len = f->ofpacts_len;
        break;

    case VTAPD_FLOW_MODIFY:
        /* Only the actions of this very flow of vtapd's (a new cookie comes
         * with an ADD, which replaces the flow). */
        fm.command = OFPFC_MODIFY_STRICT;
        fm.cookie = htonll(f->cookie);
        fm.cookie_mask = OVS_BE64_MAX;
        fm.ofpacts = f->ofpacts;
        fm.ofpacts_len = f->ofpacts_len;
        break;

    case VTAPD_FLOW_DELETE:
        fm.command = OFPFC_DELETE_STRICT;
        fm.cookie = htonll(f->cookie);
        fm.cookie_mask = OVS_BE64_MAX;
        break;
    }
    minimatch_init(&fm.match, &f->match);
    struct ofpbuf *mod = ofputil_encode_flow_mod(&fm, switch_protocol(sw));
    minimatch_destroy(&fm.match);
    return send_bundle_add(sw, bundle_id, mod);
}

/* Sends the group-mod for 'op' on 'groups' (the desired ones, or the
 * installed ones for a deletion), added to bundle 'bundle_id', and returns
 * the xid of the bundle add message. */
static ovs_be32
send_group_mod(struct vtapd_switch *sw, uint32_t bundle_id,
               const struct vtapd_id_op *op, const struct vtap_group *groups)
{
    const struct vtap_group *g = &groups[op->index];
    struct ofputil_group_mod gm = {
        .command = (op->type == VTAPD_ID_ADD ? OFPGC11_ADD
                    : op->type == VTAPD_ID_MODIFY ? OFPGC11_MODIFY
                    : OFPGC11_DELETE),
        .type = OFPGT11_SELECT,
        .group_id = g->group_id,
        .command_bucket_id = OFPG15_BUCKET_ALL,
    };

    ovs_list_init(&gm.buckets);
    if (op->type != VTAPD_ID_DELETE) {
        for (size_t i = 0; i < g->n_buckets; i++) {
            struct ofputil_bucket *b = xzalloc(sizeof *b);

            b->bucket_id = g->buckets[i].bucket_id;
            b->weight = 1;
            b->watch_port = OFPP_ANY;
            b->watch_group = OFPG_ANY;
            b->ofpacts = xmemdup(g->buckets[i].ofpacts,
                                 g->buckets[i].ofpacts_len);
            b->ofpacts_len = g->buckets[i].ofpacts_len;
            ovs_list_push_back(&gm.buckets, &b->list_node);
        }
        strcpy(gm.props.selection_method, "hash");
        vtap_group_fields(&gm.props.fields);
    }
    struct ofpbuf *mod = ofputil_encode_group_mod(
        rconn_get_version(sw->rconn), &gm, NULL, -1);
    ofputil_uninit_group_mod(&gm);
    return send_bundle_add(sw, bundle_id, mod);
}

/* Sends the meter-mod for 'op' on 'meters' (the desired ones, or the
 * installed ones for a deletion), outside any bundle: bundles cannot carry
 * meter-mods.  Remembers its xid, to tell its errors. */
static void
send_meter_mod(struct vtapd_switch *sw, const struct vtapd_id_op *op,
               const struct vtap_meter *meters)
{
    const struct vtap_meter *m = &meters[op->index];
    struct ofputil_meter_band band = {
        .type = OFPMBT13_DROP,
        .rate = m->rate,
        .burst_size = m->burst,
    };
    struct ofputil_meter_mod mm = {
        .command = (op->type == VTAPD_ID_ADD ? OFPMC13_ADD
                    : op->type == VTAPD_ID_MODIFY ? OFPMC13_MODIFY
                    : OFPMC13_DELETE),
        .meter = {
            .meter_id = m->meter_id,
            .flags = ((m->kbps ? OFPMF13_KBPS : OFPMF13_PKTPS)
                      | OFPMF13_BURST | OFPMF13_STATS),
            .n_bands = op->type == VTAPD_ID_DELETE ? 0 : 1,
            .bands = &band,
        },
    };
    struct ofpbuf *msg = ofputil_encode_meter_mod(
        rconn_get_version(sw->rconn), &mm);

    sw->meter_xids = xrealloc(sw->meter_xids,
                              (sw->n_meter_xids + 1)
                              * sizeof *sw->meter_xids);
    sw->meter_xids[sw->n_meter_xids++]
        = ((struct ofp_header *) msg->data)->xid;
    rconn_send(sw->rconn, msg, NULL);
}

/* Sends the meter-mods in the 'n_ops' 'ops' that are not deletions, and the
 * deletions too if 'deletions', followed by a barrier, and makes the
 * installed meters what the switch holds once they took effect. */
static void
sync_meters(struct vtapd_switch *sw, const struct vtapd_id_op *ops,
            size_t n_ops, bool deletions)
{
    const struct vtap_switch_state *d = &sw->desired;
    struct vtap_meter *kept = xmalloc((n_ops + d->n_meters + 1)
                                      * sizeof *kept);
    size_t n_kept = 0;

    for (size_t i = 0; i < n_ops; i++) {
        if (ops[i].type != VTAPD_ID_DELETE) {
            send_meter_mod(sw, &ops[i], d->meters);
        } else if (deletions) {
            send_meter_mod(sw, &ops[i], sw->installed_meters);
        } else {
            /* Still used by a flow until the bundle commits. */
            kept[n_kept++] = sw->installed_meters[ops[i].index];
        }
    }
    if (!sw->n_meter_xids) {
        free(kept);
        return;
    }

    struct ofpbuf *barrier = ofputil_encode_barrier_request(
        rconn_get_version(sw->rconn));
    sw->meter_barrier_xid = ((struct ofp_header *) barrier->data)->xid;
    rconn_send(sw->rconn, barrier, NULL);

    memcpy(&kept[n_kept], d->meters, d->n_meters * sizeof *d->meters);
    n_kept += d->n_meters;
    qsort(kept, n_kept, sizeof *kept, compare_meters_by_id);
    free(sw->installed_meters);
    sw->installed_meters = kept;
    sw->n_installed_meters = n_kept;
    VLOG_INFO("%s: sent %"PRIuSIZE" meter-mods", sw->name, sw->n_meter_xids);
}

/* Logs, at debug level, flow-mod 'op'. */
static void
log_flow_op(const struct vtapd_switch *sw, const struct vtapd_flow_op *op)
{
    static struct vlog_rate_limit dbg_rl = VLOG_RATE_LIMIT_INIT(100, 100);

    if (!VLOG_DROP_DBG(&dbg_rl)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        format_flow(op->flow, &s);
        VLOG_DBG("%s: %s%s", sw->name,
                 (op->type == VTAPD_FLOW_ADD ? "add"
                  : op->type == VTAPD_FLOW_MODIFY ? "modify"
                  : "delete"), ds_cstr(&s));
        ds_destroy(&s);
    }
}

/* Sends, in one atomic bundle, the group-mods and flow-mods in 'group_ops'
 * and 'flow_ops': OPEN_REQUEST, one ADD per mod and a barrier (the commit
 * follows the barrier reply, in do_bundle_action()).  Groups are added and
 * changed before the flows that use them, and deleted after. */
static void
send_bundle(struct vtapd_switch *sw,
            const struct vtapd_id_op *group_ops, size_t n_group_ops,
            const struct vtapd_flow_op *flow_ops, size_t n_flow_ops)
{
    const struct vtap_switch_state *d = &sw->desired;
    size_t n_mods = n_group_ops + n_flow_ops, n = 0;
    uint32_t id = sw->next_bundle_id++;
    ovs_be32 open_xid = send_bundle_ctrl(sw, id, OFPBCT_OPEN_REQUEST);
    ovs_be32 *add_xids = xmalloc(MAX(n_mods, 1) * sizeof *add_xids);

    for (size_t i = 0; i < n_group_ops; i++) {
        if (group_ops[i].type != VTAPD_ID_DELETE) {
            add_xids[n++] = send_group_mod(sw, id, &group_ops[i], d->groups);
        }
    }
    for (size_t i = 0; i < n_flow_ops; i++) {
        log_flow_op(sw, &flow_ops[i]);
        add_xids[n++] = send_flow_mod(sw, id, &flow_ops[i]);
    }
    for (size_t i = 0; i < n_group_ops; i++) {
        if (group_ops[i].type == VTAPD_ID_DELETE) {
            add_xids[n++] = send_group_mod(sw, id, &group_ops[i],
                                           sw->installed_groups.groups);
        }
    }

    struct ofpbuf *barrier = ofputil_encode_barrier_request(
        rconn_get_version(sw->rconn));
    ovs_be32 barrier_xid = ((struct ofp_header *) barrier->data)->xid;
    rconn_send(sw->rconn, barrier, NULL);
    vtapd_bundle_start(&sw->bundle, id, open_xid, add_xids, n, barrier_xid);
    free(add_xids);

    /* What the switch holds once the bundle commits. */
    flow_list_clear(&sw->bundled);
    for (size_t i = 0; i < d->n_flows; i++) {
        const struct vtap_flow *f = &d->flows[i];

        flow_list_add(&sw->bundled, f->table_id, f->priority, f->cookie,
                      &f->match, f->ofpacts, f->ofpacts_len);
    }
    group_list_clear(&sw->bundled_groups);
    for (size_t i = 0; i < d->n_groups; i++) {
        group_list_add_copy(&sw->bundled_groups, &d->groups[i]);
    }
    VLOG_INFO("%s: sent %"PRIuSIZE" group-mods and %"PRIuSIZE" flow-mods "
              "in bundle %"PRIu32, sw->name, n_group_ops, n_flow_ops, id);
}

/* Makes the flows, groups and meters vtapd owns on the switch of 'sw' its
 * desired ones: meters first, outside any bundle (bundles cannot carry
 * meter-mods), then groups and flows in one atomic bundle.  A meter that
 * must go is deleted only once no flow of vtapd's uses it: after the bundle
 * that removed its flows.  Returns true if the switch does not hold the
 * desired state yet: mods were just sent, some are in flight, or some
 * failed and the next ones must wait. */
static bool
sync_openflow(struct vtapd_switch *sw)
{
    const struct vtap_switch_state *d = &sw->desired;
    struct vtapd_flow_op *flow_ops;
    struct vtapd_id_op *group_ops, *meter_ops;
    size_t n_flow_ops, n_group_ops, n_meter_ops;
    bool busy = true;

    if (vtapd_bundle_is_busy(&sw->bundle) || sw->n_meter_xids) {
        return true;
    }
    n_flow_ops = vtapd_diff_flows(d->flows, d->n_flows, sw->installed.flows,
                                  sw->installed.n, &flow_ops);
    n_group_ops = vtapd_diff_groups(d->groups, d->n_groups,
                                    sw->installed_groups.groups,
                                    sw->installed_groups.n, &group_ops);
    n_meter_ops = vtapd_diff_meters(d->meters, d->n_meters,
                                    sw->installed_meters,
                                    sw->n_installed_meters, &meter_ops);
    if (!n_flow_ops && !n_group_ops && !n_meter_ops) {
        busy = false;
    } else if (time_msec() >= sw->retry_at) {
        bool bundle = n_flow_ops || n_group_ops;

        sync_meters(sw, meter_ops, n_meter_ops, !bundle);
        if (bundle) {
            send_bundle(sw, group_ops, n_group_ops, flow_ops, n_flow_ops);
        }
    }
    free(flow_ops);
    free(group_ops);
    free(meter_ops);
    return busy;
}

/* Returns true if every port vtapd owns on 'br' has an OpenFlow port
 * number, or ovs-vswitchd gave up on it (-1, reported as an error of
 * 'sw'): a hub's flows need them. */
static bool
tunnels_settled(struct vtapd_switch *sw, const struct ovsrec_bridge *br)
{
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct ovsrec_port *port = br->ports[i];
        const struct ovsrec_interface *iface;

        if (!is_owned(&port->external_ids) || !port->n_interfaces) {
            continue;
        }
        iface = port->interfaces[0];
        if (!iface->n_ofport) {
            return false;
        } else if (*iface->ofport < 0) {
            set_error(sw, xasprintf("port %s: ovs-vswitchd could not add "
                                    "it", port->name));
        }
    }
    return true;
}

/* Makes switch 'sw', whose bridge is 'bridge', hold 'desired' (whose
 * contents it takes, leaving it empty), which the TAP database's
 * configuration 'next_cfg' asks for.  Does nothing but keep 'desired' while
 * the switch is not connected, or a transaction or a flow dump is in
 * flight.  Once the switch holds 'desired' and confirmed it, counts
 * 'next_cfg' as applied. */
void
vtapd_switch_sync(struct vtapd_switch *sw, const char *bridge,
                  struct vtap_switch_state *desired, int64_t next_cfg)
{
    const struct ovsrec_open_vswitch *ovs;
    const struct ovsrec_bridge *br;
    bool sent;

    vtap_switch_state_destroy(&sw->desired);
    sw->desired = *desired;
    memset(desired, 0, sizeof *desired);

    if (!sw->idl || !sw->rconn) {
        set_error(sw, xstrdup("switch has no ovsdb_remote or no "
                              "openflow_remote"));
        return;
    }
    if (!ovsdb_idl_has_ever_connected(sw->idl)
        || !ovsdb_idl_is_connected(sw->idl)
        || sw->of_state != OF_READY || sw->txn) {
        return;
    }
    ovs = ovsrec_open_vswitch_first(sw->idl);
    br = find_bridge(sw, bridge);
    if (!ovs || !br) {
        set_error(sw, xasprintf("no bridge %s", bridge));
        return;
    }
    if (sw->failed && sw->failed_seqno == ovsdb_idl_get_seqno(sw->idl)) {
        /* Retry a failed transaction only once the database changed. */
        return;
    }

    sent = sync_ovsdb(sw, br, &sw->desired);
    sent = sync_openflow(sw) || sent;
    if (!sent && !sw->txn
        && ovs->cur_cfg >= sw->wait_cur_cfg
        && tunnels_settled(sw, br)
        && sw->applied_cfg != next_cfg) {
        VLOG_INFO("%s: configuration %"PRId64" applied", sw->name,
                  next_cfg);
        sw->applied_cfg = next_cfg;
    }
}

/* Returns the TAP database's next_cfg that 'sw' last applied, or -1. */
int64_t
vtapd_switch_get_applied_cfg(const struct vtapd_switch *sw)
{
    return sw->applied_cfg;
}

/* Adds to 'status' the state of the connections of 'sw' and its last
 * error. */
void
vtapd_switch_get_status(const struct vtapd_switch *sw, struct smap *status)
{
    bool ovsdb = sw->idl && ovsdb_idl_is_connected(sw->idl);
    bool openflow = sw->rconn && rconn_is_connected(sw->rconn);

    smap_add(status, "ovsdb", ovsdb ? "connected" : "disconnected");
    smap_add(status, "openflow", openflow ? "connected" : "disconnected");
    smap_add(status, "connected", ovsdb && openflow ? "true" : "false");
    if (sw->rconn && !openflow && rconn_get_last_error(sw->rconn) > 0) {
        smap_add_format(status, "openflow_error", "%s",
                        ovs_retval_to_string(
                            rconn_get_last_error(sw->rconn)));
    } else if (sw->of_error) {
        smap_add(status, "openflow_error", sw->of_error);
    }
    if (sw->error) {
        smap_add(status, "last_error", sw->error);
    }
}

static void
format_flow(const struct vtap_flow *f, struct ds *s)
{
    struct ofpact_format_params fp = { .s = s };

    ds_put_format(s, "  flow cookie=0x%"PRIx64" table=%"PRIu8" ",
                  f->cookie, f->table_id);
    match_format(&f->match, NULL, s, f->priority);
    ds_put_cstr(s, " actions=");
    ofpacts_format(f->ofpacts, f->ofpacts_len, &fp);
    ds_put_char(s, '\n');
}

static void
format_flows(const struct vtap_flow *flows, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        format_flow(&flows[i], s);
    }
}

/* Prints what 'sw' must hold into 's'. */
/* Appends to 's' a line per group in 'groups': its ID, and per bucket its
 * ID, collector (when known) and actions. */
static void
format_groups(const struct vtap_group *groups, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        const struct vtap_group *g = &groups[i];

        ds_put_format(s, "  group %#"PRIx32":%s", g->group_id,
                      g->other_props ? " (other properties)" : "");
        for (size_t j = 0; j < g->n_buckets; j++) {
            const struct vtap_bucket *b = &g->buckets[j];
            struct ofpact_format_params fp = { .s = s };

            ds_put_format(s, " bucket=%"PRIu32"%s%s:", b->bucket_id,
                          b->collector ? "@" : "",
                          b->collector ? b->collector : "");
            ofpacts_format(b->ofpacts, b->ofpacts_len, &fp);
        }
        ds_put_char(s, '\n');
    }
}

/* Appends to 's' a line per meter in 'meters'. */
static void
format_meters(const struct vtap_meter *meters, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        const struct vtap_meter *m = &meters[i];

        ds_put_format(s, "  meter %#"PRIx32": %"PRIu32" %s burst %"PRIu32
                      "\n", m->meter_id, m->rate, m->kbps ? "kbps" : "pps",
                      m->burst);
    }
}

void
vtapd_switch_show_desired(const struct vtapd_switch *sw, struct ds *s)
{
    const struct vtap_switch_state *d = &sw->desired;

    ds_put_format(s, "switch %s (applied_cfg %"PRId64")\n", sw->name,
                  sw->applied_cfg);
    for (size_t i = 0; i < d->n_tunnels; i++) {
        const struct vtap_tunnel *t = &d->tunnels[i];

        ds_put_format(s, "  port %s: vxlan remote_ip=%s key=%s "
                      "dst_port=%"PRIu16"\n", t->name, t->remote_ip, t->key,
                      t->dst_port);
    }
    for (size_t i = 0; i < d->n_mirrors; i++) {
        const struct vtap_mirror *m = &d->mirrors[i];

        ds_put_format(s, "  mirror %s: select_src_port=%s "
                      "select_dst_port=%s output_port=%s snaplen=%"PRIu16
                      " sample_probability=%g", m->name,
                      m->select_src_port ? m->select_src_port : "[]",
                      m->select_dst_port ? m->select_dst_port : "[]",
                      m->output_port, m->snaplen, m->sample_probability);
        for (size_t j = 0; j < m->n_rules; j++) {
            ds_put_format(s, " filter_rules:%"PRId64"=\"%s\"",
                          m->rule_numbers[j], m->rules[j]);
        }
        ds_put_char(s, '\n');
    }
    format_flows(d->flows, d->n_flows, s);
    format_groups(d->groups, d->n_groups, s);
    format_meters(d->meters, d->n_meters, s);
    for (size_t i = 0; i < d->n_problems; i++) {
        ds_put_format(s, "  problem "UUID_FMT": %s\n",
                      UUID_ARGS(&d->problems[i].row), d->problems[i].message);
    }
}

static void
format_port_names(struct ovsrec_port **ports, size_t n, struct ds *s)
{
    ds_put_char(s, '[');
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s%s", i ? "," : "", ports[i]->name);
    }
    ds_put_char(s, ']');
}

/* Prints what 'sw' holds of vtapd's into 's': owned ports and Mirror rows
 * as its database shows them, and owned flows as last dumped and sent. */
void
vtapd_switch_show_installed(const struct vtapd_switch *sw, struct ds *s)
{
    const struct ovsrec_bridge *br;

    ds_put_format(s, "switch %s (openflow %s)\n", sw->name,
                  sw->of_state == OF_READY ? "ready"
                  : sw->of_state == OF_DUMPING ? "dumping" : "disconnected");
    if (sw->idl) {
        OVSREC_BRIDGE_FOR_EACH (br, sw->idl) {
            for (size_t i = 0; i < br->n_ports; i++) {
                const struct ovsrec_port *port = br->ports[i];

                if (is_owned(&port->external_ids) && port->n_interfaces) {
                    const struct ovsrec_interface *iface
                        = port->interfaces[0];

                    ds_put_format(s, "  port %s: %s remote_ip=%s key=%s "
                                  "dst_port=%s\n", port->name, iface->type,
                                  smap_get_def(&iface->options, "remote_ip",
                                               ""),
                                  smap_get_def(&iface->options, "key", ""),
                                  smap_get_def(&iface->options, "dst_port",
                                               ""));
                }
            }
            for (size_t i = 0; i < br->n_mirrors; i++) {
                const struct ovsrec_mirror *m = br->mirrors[i];

                if (!is_owned(&m->external_ids)) {
                    continue;
                }
                ds_put_format(s, "  mirror %s: select_src_port=", m->name);
                format_port_names(m->select_src_port, m->n_select_src_port,
                                  s);
                ds_put_cstr(s, " select_dst_port=");
                format_port_names(m->select_dst_port, m->n_select_dst_port,
                                  s);
                ds_put_format(s, " output_port=%s uuid="UUID_FMT"\n",
                              m->output_port ? m->output_port->name : "[]",
                              UUID_ARGS(&m->header_.uuid));
            }
        }
    }
    format_flows(sw->installed.flows, sw->installed.n, s);
    format_groups(sw->installed_groups.groups, sw->installed_groups.n, s);
    format_meters(sw->installed_meters, sw->n_installed_meters, s);
}

/* Sets how often 'sw' reads its switch's statistics, in milliseconds. */
void
vtapd_switch_set_stats_interval(struct vtapd_switch *sw, int interval)
{
    if (interval != sw->stats_interval) {
        sw->stats_interval = interval;
        sw->stats_at = MIN(sw->stats_at, time_msec() + interval);
    }
}

/* Returns the group 'group_id' among the 'n' in 'groups', or NULL. */
static const struct vtap_group *
find_group(const struct vtap_group *groups, size_t n, uint32_t group_id)
{
    for (size_t i = 0; i < n; i++) {
        if (groups[i].group_id == group_id) {
            return &groups[i];
        }
    }
    return NULL;
}

/* Adds to 'counters' the copies per collector of 'g', a desired group, from
 * its statistics, if the switch holds it as desired: the statistics count
 * buckets in the switch's order, and only then is that 'g''s order. */
static void
add_group_counters(const struct vtapd_switch *sw, const struct vtap_group *g,
                   struct vtapd_counters *counters)
{
    const struct vtap_group *have = find_group(sw->installed_groups.groups,
                                               sw->installed_groups.n,
                                               g->group_id);
    const struct counted *c = counted_list_find(&sw->stats[STATS_GROUPS],
                                                g->group_id);

    if (!c || !have || !vtap_group_equal(g, have)
        || c->n_buckets != g->n_buckets) {
        return;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        char *packets = xasprintf("collector_packets:%s",
                                  g->buckets[i].collector);
        char *bytes = xasprintf("collector_bytes:%s",
                                g->buckets[i].collector);

        vtapd_counters_add(counters, packets, c->bucket_packets[i]);
        vtapd_counters_add(counters, bytes, c->bucket_bytes[i]);
        free(packets);
        free(bytes);
    }
}

/* Adds to 'counters' what hub 'sw' counted of the Tap with 'tap': the copies
 * its flow received, those its meter dropped, those it delivered, and those
 * per collector of its pool.  Adds nothing that the switch has not reported
 * since it last connected. */
void
vtapd_switch_tap_counters(const struct vtapd_switch *sw,
                          const struct uuid *tap,
                          struct vtapd_counters *counters)
{
    const struct counted *flow = counted_list_find(&sw->stats[STATS_FLOWS],
                                                   vtap_cookie(tap));
    uint64_t dropped_packets = 0, dropped_bytes = 0;

    if (!flow) {
        return;
    }
    for (size_t i = 0; i < sw->desired.n_meters; i++) {
        const struct vtap_meter *m = &sw->desired.meters[i];
        const struct counted *c = counted_list_find(&sw->stats[STATS_METERS],
                                                    m->meter_id);

        if (uuid_equals(&m->tap, tap) && c) {
            dropped_packets = c->packets;
            dropped_bytes = c->bytes;
            vtapd_counters_add(counters, "meter_dropped_packets",
                               dropped_packets);
            vtapd_counters_add(counters, "meter_dropped_bytes",
                               dropped_bytes);
        }
    }
    vtapd_counters_add(counters, "hub_packets", flow->packets);
    vtapd_counters_add(counters, "hub_bytes", flow->bytes);
    vtapd_counters_add(counters, "delivered_packets",
                       flow->packets - MIN(dropped_packets, flow->packets));
    vtapd_counters_add(counters, "delivered_bytes",
                       flow->bytes - MIN(dropped_bytes, flow->bytes));
    for (size_t i = 0; i < sw->desired.n_groups; i++) {
        if (uuid_equals(&sw->desired.groups[i].tap, tap)) {
            add_group_counters(sw, &sw->desired.groups[i], counters);
        }
    }
}

/* Adds to 'counters' the statistics of the Mirror row of the Tap_Source
 * with 'source' on bridge 'bridge' of spoke 'sw', as ovs-vswitchd last
 * wrote them: candidate_packets and _bytes, and tx_packets and _bytes when
 * it counts them. */
void
vtapd_switch_source_counters(const struct vtapd_switch *sw,
                             const char *bridge, const struct uuid *source,
                             struct vtapd_counters *counters)
{
    static const char *const keys[] = {
        "candidate_packets", "candidate_bytes", "tx_packets", "tx_bytes",
    };
    const struct ovsrec_bridge *br;
    char *name;

    if (!sw->idl || !(br = find_bridge(sw, bridge))) {
        return;
    }
    name = vtap_source_mirror_name(source);
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct ovsrec_mirror *m = br->mirrors[i];

        if (strcmp(m->name, name) || !is_owned(&m->external_ids)) {
            continue;
        }
        for (size_t j = 0; j < m->n_statistics; j++) {
            for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                if (!strcmp(m->key_statistics[j], keys[k])) {
                    vtapd_counters_add(counters, keys[k],
                                       m->value_statistics[j]);
                }
            }
        }
    }
    free(name);
}
