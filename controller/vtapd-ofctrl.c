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
#include "controller/vtapd-ofctrl.h"

#include <errno.h>
#include <string.h>
#include "bitmap.h"
#include "byte-order.h"
#include "controller/vtapd-bundle.h"
#include "controller/vtapd-counters.h"
#include "controller/vtapd-diff.h"
#include "controller/vtapd-stats.h"
#include "coverage.h"
#include "flow.h"
#include "flows/vtap-flows.h"
#include "hash.h"
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
#include "openvswitch/ofp-util.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd_ofctrl);

COVERAGE_DEFINE(vtapd_bundle);

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

/* The group or meter ID that a flow of vtapd's names, by the flow's
 * cookie: what a restarted vtapd learns back from a hub. */
struct learned_id {
    struct hmap_node node;      /* By hash of 'cookie'. */
    uint64_t cookie;
    uint32_t id;
};

/* How long to wait before sending again the flows of a bundle that failed,
 * at first and at most, in milliseconds. */
#define BUNDLE_BACKOFF_MIN 1000
#define BUNDLE_BACKOFF_MAX 60000

/* Every bundle is atomic and ordered, as ovs-ofctl --bundle's. */
#define BUNDLE_FLAGS (OFPBF_ATOMIC | OFPBF_ORDERED)

/* How many messages from a switch one run reads at most, so that one busy
 * switch does not starve the others. */
#define MAX_RECV_PER_RUN 50

/* The OpenFlow side of a switch. */
struct vtapd_ofctrl {
    char *name;                 /* Switch row name, for logs. */
    char *remote;               /* Its bridge's OpenFlow remote. */
    void (*report_error)(void *aux, char *error);
    void *aux;

    struct rconn *rconn;
    struct pvconn *pvconn;      /* Listener, for a passive remote. */
    struct rconn_packet_counter *tx; /* Messages of vtapd's still queued. */
    unsigned int conn_seqno;    /* rconn connection seqno last seen. */
    unsigned int seqno;         /* Moves when a sync may do more. */
    unsigned int facts_seqno;   /* Moves when the connection or what the
                                 * switch was found to hold changed. */
    uint64_t n_sent;            /* Messages sent, echo replies aside. */
    enum of_state state;

    /* Dumps of what the switch holds. */
    ovs_be32 dump_xid;          /* The flow-stats request's xid. */
    ovs_be32 group_dump_xid;    /* The group-desc request's xid. */
    ovs_be32 meter_dump_xid;    /* The meter-config request's xid. */
    unsigned int dumps_pending; /* Dumps whose last reply is awaited. */
    struct hmap learned_ids;    /* Of struct learned_id, from the dump. */

    /* What the switch holds of vtapd's. */
    struct vtapd_flow_table installed;
    struct group_list installed_groups; /* Sorted by ID. */
    struct vtap_meter *installed_meters; /* Sorted by ID. */
    size_t n_installed_meters;

    /* Changes in flight. */
    struct vtapd_bundle bundle; /* The bundle of flow-mods in flight. */
    struct vtapd_flow_table bundled; /* The flows the switch holds once
                                      * 'bundle' commits. */
    struct group_list bundled_groups; /* Its groups then. */
    ovs_be32 *meter_xids;       /* Meter-mods whose barrier is awaited. */
    size_t n_meter_xids;
    ovs_be32 meter_barrier_xid; /* That barrier, if 'n_meter_xids'. */
    uint32_t next_bundle_id;    /* ID of the next bundle. */
    long long int retry_at;     /* No bundle before this time (msec). */
    bool retry_due;             /* A sync is waiting for 'retry_at'. */
    bool queue_full;            /* A sync is waiting for 'tx' to drain. */
    bool dump_after_bundle;     /* A meter-mod failed while a bundle was in
                                 * flight: what the switch holds is read
                                 * again once the bundle ends. */
    int backoff;                /* Next wait after a failure (msec). */
    char *of_error;             /* Why the last bundle failed, or NULL. */

    struct vtapd_stats *stats;
};

static void start_dump(struct vtapd_ofctrl *);

/* Tells the caller that a sync may now do more than before. */
static void
changed(struct vtapd_ofctrl *of)
{
    of->seqno++;
}

/* Tells the caller that the connection came or went, or that a dump told
 * what the switch holds: what to compute may differ (the actions'
 * encoding, the group and meter IDs the switch uses). */
static void
facts_changed(struct vtapd_ofctrl *of)
{
    of->facts_seqno++;
    changed(of);
}

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

static void
learned_ids_clear(struct hmap *ids)
{
    struct learned_id *l;

    HMAP_FOR_EACH_POP (l, node, ids) {
        free(l);
    }
}

/* Creates the OpenFlow side of the switch 'name' at 'remote': connects to
 * it, or listens for it if 'remote' is passive (ptcp:, pssl:, punix:).
 * Errors are handed to 'report_error' with 'aux', which takes ownership. */
struct vtapd_ofctrl *
vtapd_ofctrl_create(const char *name, const char *remote,
                    void (*report_error)(void *aux, char *error), void *aux)
{
    uint32_t versions = ((1u << OFP13_VERSION) | (1u << OFP14_VERSION)
                         | (1u << OFP15_VERSION));
    struct vtapd_ofctrl *of = xzalloc(sizeof *of);

    of->name = xstrdup(name);
    of->remote = xstrdup(remote);
    of->report_error = report_error;
    of->aux = aux;
    of->tx = rconn_packet_counter_create();
    hmap_init(&of->learned_ids);
    vtapd_flow_table_init(&of->installed);
    vtapd_flow_table_init(&of->bundled);
    vtapd_bundle_init(&of->bundle);
    of->stats = vtapd_stats_create();

    of->rconn = rconn_create(5, 8, DSCP_DEFAULT, versions);
    if (!pvconn_verify_name(remote)) {
        /* Each connection the listener accepts replaces the last. */
        int error = pvconn_open(remote, versions, DSCP_DEFAULT, &of->pvconn);
        if (error) {
            report_error(aux, xasprintf("%s: listen failed (%s)", remote,
                                        ovs_strerror(error)));
        }
    } else {
        rconn_connect(of->rconn, remote, name);
    }
    return of;
}

/* Disconnects and frees 'of'.  What it installed stays on the switch. */
void
vtapd_ofctrl_destroy(struct vtapd_ofctrl *of)
{
    if (!of) {
        return;
    }
    rconn_destroy(of->rconn);
    pvconn_close(of->pvconn);
    rconn_packet_counter_destroy(of->tx);
    learned_ids_clear(&of->learned_ids);
    hmap_destroy(&of->learned_ids);
    vtapd_flow_table_destroy(&of->installed);
    vtapd_flow_table_destroy(&of->bundled);
    group_list_destroy(&of->installed_groups);
    group_list_destroy(&of->bundled_groups);
    free(of->installed_meters);
    free(of->meter_xids);
    vtapd_bundle_destroy(&of->bundle);
    vtapd_stats_destroy(of->stats);
    free(of->of_error);
    free(of->name);
    free(of->remote);
    free(of);
}

/* Sends 'msg' to the switch, counted in the queue that backpressure
 * watches. */
static void
send_msg(struct vtapd_ofctrl *of, struct ofpbuf *msg)
{
    of->n_sent++;
    rconn_send(of->rconn, msg, of->tx);
}

/* Returns the xid of 'msg'. */
static ovs_be32
msg_xid(const struct ofpbuf *msg)
{
    return ((const struct ofp_header *) msg->data)->xid;
}

static enum ofputil_protocol
protocol(const struct vtapd_ofctrl *of)
{
    return ofputil_protocol_from_ofp_version(rconn_get_version(of->rconn));
}

/* Asks the switch for every flow in vtapd's cookie space, and for the
 * groups and meters. */
static void
start_dump(struct vtapd_ofctrl *of)
{
    enum ofp_version version = rconn_get_version(of->rconn);
    struct ofpbuf *msg;

    msg = vtapd_stats_encode_flows_request(version);
    of->dump_xid = msg_xid(msg);
    vtapd_flow_table_clear(&of->installed);
    learned_ids_clear(&of->learned_ids);
    of->state = OF_DUMPING;
    of->dump_after_bundle = false;
    send_msg(of, msg);

    msg = ofputil_encode_group_desc_request(version, OFPG_ALL);
    of->group_dump_xid = msg_xid(msg);
    group_list_clear(&of->installed_groups);
    send_msg(of, msg);

    msg = ofputil_encode_meter_request(version, OFPUTIL_METER_CONFIG,
                                       OFPM13_ALL);
    of->meter_dump_xid = msg_xid(msg);
    of->n_installed_meters = 0;
    send_msg(of, msg);

    of->dumps_pending = 3;
}

/* Returns true if 'error', from decoding the next entry of a multipart
 * reply, means the reply has no more entries: EOF, or a malformed entry,
 * which is reported as 'what' being bad. */
static bool
reply_ended(struct vtapd_ofctrl *of, int error, const char *what)
{
    if (error && error != EOF) {
        of->report_error(of->aux, xasprintf("bad %s reply: %s", what,
                                            ofperr_to_string(error)));
    }
    return error != 0;
}

/* Counts off one dump as complete: the switch's state is known once all
 * three are. */
static void
dump_done(struct vtapd_ofctrl *of)
{
    if (of->dumps_pending && !--of->dumps_pending) {
        VLOG_INFO("%s: vtapd holds %"PRIuSIZE" flows, %"PRIuSIZE" groups "
                  "and %"PRIuSIZE" meters there", of->name,
                  vtapd_flow_table_count(&of->installed),
                  of->installed_groups.n, of->n_installed_meters);
        qsort(of->installed_groups.groups, of->installed_groups.n,
              sizeof *of->installed_groups.groups, compare_groups_by_id);
        qsort(of->installed_meters, of->n_installed_meters,
              sizeof *of->installed_meters, compare_meters_by_id);
        of->state = OF_READY;
        facts_changed(of);
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
process_group_dump_reply(struct vtapd_ofctrl *of, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));

    for (;;) {
        struct ofputil_group_desc gd;
        int error = ofputil_decode_group_desc_reply(&gd, &msg, oh->version);

        if (reply_ended(of, error, "group desc")) {
            break;
        }
        if (vtap_is_owned_id(gd.group_id)) {
            struct vtap_group *g = group_list_add(&of->installed_groups,
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
                vtapd_normalize_actions(&vb->ofpacts, &vb->ofpacts_len,
                                        oh->version);
            }
        }
        ofputil_uninit_group_desc(&gd);
    }
    if (!ofpmp_more(oh)) {
        dump_done(of);
    }
}

/* Adds the meters of vtapd in meter-config reply 'oh' to the installed
 * meters.  One that is not as vtapd makes them (one drop band, with burst
 * and statistics) gets rate 0, which no desired meter has. */
static void
process_meter_dump_reply(struct vtapd_ofctrl *of, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf bands;

    ofpbuf_init(&bands, 64);
    for (;;) {
        struct ofputil_meter_config mc;
        int error = ofputil_decode_meter_config(&msg, &mc, &bands);

        if (reply_ended(of, error, "meter config")) {
            break;
        }
        if (vtap_is_owned_id(mc.meter_id)) {
            bool usual = (mc.n_bands == 1
                          && mc.bands[0].type == OFPMBT13_DROP
                          && (mc.flags & OFPMF13_BURST)
                          && (mc.flags & OFPMF13_STATS));

            of->installed_meters = xrealloc(
                of->installed_meters,
                (of->n_installed_meters + 1) * sizeof *of->installed_meters);
            of->installed_meters[of->n_installed_meters++]
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
        dump_done(of);
    }
}

/* Remembers the group or meter ID that the actions of the flow with
 * 'cookie', 'ofpacts', name: the ID its Tap holds on the switch. */
static void
learn_id(struct vtapd_ofctrl *of, uint64_t cookie,
         const struct ofpact *ofpacts, size_t ofpacts_len)
{
    const struct ofpact *a;

    OFPACT_FOR_EACH (a, ofpacts, ofpacts_len) {
        uint32_t id = (a->type == OFPACT_GROUP
                       ? ofpact_get_GROUP(a)->group_id
                       : a->type == OFPACT_METER
                       ? ofpact_get_METER(a)->meter_id
                       : 0);

        if (vtap_is_owned_id(id)) {
            struct learned_id *l = xmalloc(sizeof *l);

            l->cookie = cookie;
            l->id = id;
            hmap_insert(&of->learned_ids, &l->node, hash_uint64(cookie));
            return;
        }
    }
}

/* Adds the flows in flow-stats reply 'oh' to the installed flows. */
static void
process_dump_reply(struct vtapd_ofctrl *of, const struct ofp_header *oh)
{
    struct ofpbuf msg = ofpbuf_const_initializer(oh, ntohs(oh->length));
    struct ofpbuf ofpacts;

    ofpbuf_init(&ofpacts, 64);
    for (;;) {
        struct ofputil_flow_stats fs;
        int error = ofputil_decode_flow_stats_reply(&fs, &msg, false,
                                                    &ofpacts);
        if (reply_ended(of, error, "flow stats")) {
            break;
        }
        if ((ntohll(fs.cookie) & VTAP_COOKIE_MASK) == VTAP_COOKIE_MARK) {
            struct vtap_flow f = {
                .table_id = fs.table_id,
                .priority = fs.priority,
                .cookie = ntohll(fs.cookie),
                .ofpacts = xmemdup(fs.ofpacts, fs.ofpacts_len),
                .ofpacts_len = fs.ofpacts_len,
            };

            /* Decoded actions may hold stray padding. */
            vtapd_normalize_instructions(&f.ofpacts, &f.ofpacts_len,
                                         oh->version);
            minimatch_init(&f.match, &fs.match);
            vtapd_flow_table_add(&of->installed, &f);
            learn_id(of, f.cookie, f.ofpacts, f.ofpacts_len);
            minimatch_destroy(&f.match);
            free(f.ofpacts);
        }
    }
    ofpbuf_uninit(&ofpacts);
    if (!ofpmp_more(oh)) {
        dump_done(of);
    }
}

/* Sends a bundle control request of 'type' for bundle 'id' and returns its
 * xid. */
static ovs_be32
send_bundle_ctrl(struct vtapd_ofctrl *of, uint32_t id, uint16_t type)
{
    struct ofputil_bundle_ctrl_msg bc = {
        .bundle_id = id,
        .type = type,
        .flags = BUNDLE_FLAGS,
    };
    struct ofpbuf *msg = ofputil_encode_bundle_ctrl_request(
        rconn_get_version(of->rconn), &bc);
    ovs_be32 xid = msg_xid(msg);

    send_msg(of, msg);
    return xid;
}

/* Makes the next change wait, longer after each failure in a row, and
 * records 'error' as the reason. */
static void
back_off(struct vtapd_ofctrl *of, const char *error)
{
    of->backoff = (of->backoff ? MIN(of->backoff * 2, BUNDLE_BACKOFF_MAX)
                   : BUNDLE_BACKOFF_MIN);
    of->retry_at = time_msec() + of->backoff;
    free(of->of_error);
    of->of_error = xstrdup(error);
}

/* Does what the bundle state machine asks for in 'action'.  Once a bundle
 * committed, the switch holds its flows; once one failed, it holds none of
 * them: the failure is reported, the installed flows are dumped again, and
 * the next bundle waits, longer after each failure in a row. */
static void
do_bundle_action(struct vtapd_ofctrl *of, enum vtapd_bundle_action action)
{
    struct group_list tmp_groups;

    switch (action) {
    case VTAPD_BUNDLE_NONE:
        break;

    case VTAPD_BUNDLE_COMMIT:
        vtapd_bundle_expect(&of->bundle,
                            send_bundle_ctrl(of, of->bundle.id,
                                             OFPBCT_COMMIT_REQUEST));
        break;

    case VTAPD_BUNDLE_DISCARD:
        vtapd_bundle_expect(&of->bundle,
                            send_bundle_ctrl(of, of->bundle.id,
                                             OFPBCT_DISCARD_REQUEST));
        break;

    case VTAPD_BUNDLE_DONE:
        VLOG_INFO("%s: bundle %"PRIu32" committed", of->name, of->bundle.id);
        vtapd_flow_table_swap(&of->installed, &of->bundled);
        vtapd_flow_table_clear(&of->bundled);
        tmp_groups = of->installed_groups;
        of->installed_groups = of->bundled_groups;
        of->bundled_groups = tmp_groups;
        group_list_clear(&of->bundled_groups);
        if (of->dump_after_bundle) {
            start_dump(of);
        } else {
            of->backoff = 0;
            free(of->of_error);
            of->of_error = NULL;
            changed(of);
        }
        break;

    case VTAPD_BUNDLE_FAILED:
        back_off(of, (of->bundle.error ? ofperr_to_string(of->bundle.error)
                      : "bundle not opened"));
        of->report_error(of->aux,
                         xasprintf("bundle %"PRIu32" failed, none of its "
                                   "flow-mods took effect: %s (retrying in "
                                   "%d s)", of->bundle.id, of->of_error,
                                   of->backoff / 1000));
        vtapd_flow_table_clear(&of->bundled);
        group_list_clear(&of->bundled_groups);
        start_dump(of);
        break;
    }
}

/* Returns true if 'xid' is one of the meter-mods in flight. */
static bool
is_meter_xid(const struct vtapd_ofctrl *of, ovs_be32 xid)
{
    for (size_t i = 0; i < of->n_meter_xids; i++) {
        if (of->meter_xids[i] == xid) {
            return true;
        }
    }
    return false;
}

/* Handles 'error', a switch's refusal of one of the meter-mods in flight:
 * what it holds is no longer known, so it is read again, and the next
 * change waits as after a failed bundle. */
static void
meter_error(struct vtapd_ofctrl *of, enum ofperr error)
{
    back_off(of, ofperr_to_string(error));
    of->report_error(of->aux,
                     xasprintf("meter-mod failed: %s (retrying in %d s)",
                               of->of_error, of->backoff / 1000));
    of->n_meter_xids = 0;
    if (!vtapd_bundle_is_busy(&of->bundle)) {
        start_dump(of);
    } else {
        of->dump_after_bundle = true;
    }
}

/* Handles the barrier reply with 'xid': the end of a bundle's adds, or of
 * meter-mods, which all took effect unless an error reply (before it)
 * refused one. */
static void
process_barrier_reply(struct vtapd_ofctrl *of, ovs_be32 xid)
{
    if (of->n_meter_xids && xid == of->meter_barrier_xid) {
        of->n_meter_xids = 0;
        changed(of);
    }
    do_bundle_action(of, vtapd_bundle_barrier_reply(&of->bundle, xid));
}

/* Handles error reply 'oh'. */
static void
process_error(struct vtapd_ofctrl *of, const struct ofp_header *oh)
{
    enum ofperr error = ofperr_decode_msg(oh, NULL);

    if (vtapd_bundle_owns_xid(&of->bundle, oh->xid)) {
        VLOG_INFO("%s: bundle %"PRIu32": OpenFlow error: %s", of->name,
                  of->bundle.id, ofperr_to_string(error));
        do_bundle_action(of, vtapd_bundle_error(&of->bundle, oh->xid,
                                                error));
    } else if (is_meter_xid(of, oh->xid)) {
        meter_error(of, error);
    } else if (vtapd_stats_refused(of->stats, oh->xid)) {
        of->report_error(of->aux,
                         xasprintf("statistics request refused: %s",
                                   ofperr_to_string(error)));
    } else {
        of->report_error(of->aux, xasprintf("OpenFlow error: %s",
                                            ofperr_to_string(error)));
        if (of->state == OF_DUMPING && oh->xid == of->dump_xid) {
            /* The switch holds something vtapd cannot tell: start over. */
            rconn_reconnect(of->rconn);
        }
    }
}

static void
process_msg(struct vtapd_ofctrl *of, const struct ofp_header *oh)
{
    enum ofptype type;

    if (ofptype_decode(&type, oh)) {
        return;
    }
    if (type == OFPTYPE_ECHO_REQUEST) {
        rconn_send(of->rconn, ofputil_encode_echo_reply(oh), NULL);
    } else if (type == OFPTYPE_FLOW_STATS_REPLY
               && of->state == OF_DUMPING && oh->xid == of->dump_xid) {
        process_dump_reply(of, oh);
    } else if (type == OFPTYPE_GROUP_DESC_STATS_REPLY) {
        if (of->state == OF_DUMPING && oh->xid == of->group_dump_xid) {
            process_group_dump_reply(of, oh);
        }
    } else if (type == OFPTYPE_METER_CONFIG_STATS_REPLY) {
        if (of->state == OF_DUMPING && oh->xid == of->meter_dump_xid) {
            process_meter_dump_reply(of, oh);
        }
    } else if (vtapd_stats_process(of->stats, oh, type)) {
        /* Statistics. */
    } else if (type == OFPTYPE_BARRIER_REPLY) {
        process_barrier_reply(of, oh->xid);
    } else if (type == OFPTYPE_BUNDLE_CONTROL) {
        struct ofputil_bundle_ctrl_msg bc;

        if (!ofputil_decode_bundle_ctrl(oh, &bc)) {
            do_bundle_action(of, vtapd_bundle_ctrl_reply(&of->bundle,
                                                         oh->xid,
                                                         bc.bundle_id,
                                                         bc.type));
        }
    } else if (type == OFPTYPE_ERROR) {
        process_error(of, oh);
    }
}

/* Takes the connection a switch made to the passive remote, if any. */
static void
accept_switch(struct vtapd_ofctrl *of)
{
    struct vconn *vconn;

    if (of->pvconn && !pvconn_accept(of->pvconn, &vconn)) {
        VLOG_INFO("%s: switch connected to %s", of->name, of->remote);
        rconn_connect_unreliably(of->rconn, vconn, of->name);
    }
}

/* Starts over on a new connection, perhaps without a disconnection seen in
 * between (a passive remote's next switch replaces the last one at once):
 * a bundle in flight on the old one will never be answered. */
static void
connected(struct vtapd_ofctrl *of)
{
    vtapd_bundle_clear(&of->bundle);
    vtapd_flow_table_clear(&of->bundled);
    group_list_clear(&of->bundled_groups);
    of->n_meter_xids = 0;
    vtapd_stats_reset(of->stats);
    of->conn_seqno = rconn_get_connection_seqno(of->rconn);
    VLOG_INFO("%s: connected to %s (%s)", of->name, of->remote,
              ofputil_version_to_string(rconn_get_version(of->rconn)));
    start_dump(of);
    facts_changed(of);
}

/* Tells the caller when a wait that kept a sync from sending has ended. */
static void
check_waits(struct vtapd_ofctrl *of)
{
    if (of->retry_due && time_msec() >= of->retry_at) {
        of->retry_due = false;
        changed(of);
    }
    if (of->queue_full && !rconn_packet_counter_n_packets(of->tx)) {
        of->queue_full = false;
        changed(of);
    }
}

/* Lets the connection do its work, and processes what the switch sent. */
void
vtapd_ofctrl_run(struct vtapd_ofctrl *of)
{
    accept_switch(of);
    rconn_run(of->rconn);
    if (!rconn_is_connected(of->rconn)) {
        if (of->state != OF_DISCONNECTED) {
            of->state = OF_DISCONNECTED;
            vtapd_bundle_clear(&of->bundle);
            /* Nothing is sent until the switch is back, and then a sync
             * waits again if it must: a wait kept now would wake vtapd at
             * once, pass after pass, once its time has come. */
            of->retry_due = false;
            of->queue_full = false;
            facts_changed(of);
        }
        return;
    }
    if (of->conn_seqno != rconn_get_connection_seqno(of->rconn)) {
        connected(of);
    }
    for (int i = 0; i < MAX_RECV_PER_RUN; i++) {
        struct ofpbuf *msg = rconn_recv(of->rconn);
        if (!msg) {
            break;
        }
        process_msg(of, msg->data);
        ofpbuf_delete(msg);
    }
    check_waits(of);
    if (of->state == OF_READY) {
        bool wanted[VTAPD_N_STATS] = {
            [VTAPD_STATS_FLOWS] = vtapd_flow_table_count(&of->installed),
            [VTAPD_STATS_GROUPS] = of->installed_groups.n,
            [VTAPD_STATS_METERS] = of->n_installed_meters,
        };
        vtapd_stats_run(of->stats, of->rconn, of->tx, wanted);
    }
}

/* Arranges for poll_block() to wake up when 'of' has work to do. */
void
vtapd_ofctrl_wait(struct vtapd_ofctrl *of)
{
    rconn_run_wait(of->rconn);
    rconn_recv_wait(of->rconn);
    if (of->retry_due) {
        poll_timer_wait_until(of->retry_at);
    }
    if (of->state == OF_READY) {
        vtapd_stats_wait(of->stats);
    }
    if (of->pvconn) {
        pvconn_wait(of->pvconn);
    }
}

/* Returns the number that moves whenever a sync of 'of' may do more. */
unsigned int
vtapd_ofctrl_seqno(const struct vtapd_ofctrl *of)
{
    return of->seqno;
}

/* Returns the number that moves whenever what computing the switch of 'of'
 * reads from it may have changed (it moves with vtapd_ofctrl_seqno()). */
unsigned int
vtapd_ofctrl_facts_seqno(const struct vtapd_ofctrl *of)
{
    return of->facts_seqno;
}

/* Returns true if 'of' knows what its switch holds. */
bool
vtapd_ofctrl_is_ready(const struct vtapd_ofctrl *of)
{
    return of->state == OF_READY;
}

/* Returns the OpenFlow version of the connection of 'of', or 0 if it has
 * none. */
enum ofp_version
vtapd_ofctrl_version(const struct vtapd_ofctrl *of)
{
    return rconn_is_connected(of->rconn) ? rconn_get_version(of->rconn) : 0;
}

/* Normalises the actions of the flows and groups of 'state' for the
 * connection of 'of' (see vtapd_normalize_instructions()), so that they
 * compare with what the switch holds as bytes.  Does nothing without a
 * connection: whatever comes then is normalised again. */
void
vtapd_ofctrl_normalize(const struct vtapd_ofctrl *of,
                       struct vtap_switch_state *state)
{
    enum ofp_version version = vtapd_ofctrl_version(of);

    if (!version) {
        return;
    }
    for (size_t i = 0; i < state->n_flows; i++) {
        struct vtap_flow *f = &state->flows[i];

        vtapd_normalize_instructions(&f->ofpacts, &f->ofpacts_len, version);
    }
    for (size_t i = 0; i < state->n_groups; i++) {
        struct vtap_group *g = &state->groups[i];

        for (size_t j = 0; j < g->n_buckets; j++) {
            vtapd_normalize_actions(&g->buckets[j].ofpacts,
                                    &g->buckets[j].ofpacts_len, version);
        }
    }
}

/* Sends 'mod' (which it frees), added to bundle 'bundle_id', and returns the
 * xid of the bundle add message. */
static ovs_be32
send_bundle_add(struct vtapd_ofctrl *of, uint32_t bundle_id,
                struct ofpbuf *mod)
{
    ofpmsg_update_length(mod);
    struct ofputil_bundle_add_msg bam = {
        .bundle_id = bundle_id,
        .flags = BUNDLE_FLAGS,
        .msg = mod->data,
    };
    struct ofpbuf *msg = ofputil_encode_bundle_add(
        rconn_get_version(of->rconn), &bam);
    ovs_be32 xid = msg_xid(msg);

    ofpbuf_delete(mod);
    send_msg(of, msg);
    return xid;
}

/* Sends one flow-mod for 'op', added to bundle 'bundle_id', and returns the
 * xid of the bundle add message. */
static ovs_be32
send_flow_mod(struct vtapd_ofctrl *of, uint32_t bundle_id,
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
    minimatch_clone(&fm.match, &f->match);
    struct ofpbuf *mod = ofputil_encode_flow_mod(&fm, protocol(of));
    minimatch_destroy(&fm.match);
    return send_bundle_add(of, bundle_id, mod);
}

/* Sends the group-mod for 'op' on 'groups' (the desired ones, or the
 * installed ones for a deletion), added to bundle 'bundle_id', and returns
 * the xid of the bundle add message. */
static ovs_be32
send_group_mod(struct vtapd_ofctrl *of, uint32_t bundle_id,
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
        rconn_get_version(of->rconn), &gm, NULL, -1);
    ofputil_uninit_group_mod(&gm);
    return send_bundle_add(of, bundle_id, mod);
}

/* Sends the meter-mod for 'op' on 'meters' (the desired ones, or the
 * installed ones for a deletion), outside any bundle: bundles cannot carry
 * meter-mods.  Remembers its xid, to tell its errors. */
static void
send_meter_mod(struct vtapd_ofctrl *of, const struct vtapd_id_op *op,
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
        rconn_get_version(of->rconn), &mm);

    of->meter_xids = xrealloc(of->meter_xids,
                              (of->n_meter_xids + 1)
                              * sizeof *of->meter_xids);
    of->meter_xids[of->n_meter_xids++] = msg_xid(msg);
    send_msg(of, msg);
}

/* Sends the meter-mods in the 'n_ops' 'ops' that are not deletions, and the
 * deletions too if 'deletions', followed by a barrier, and makes the
 * installed meters what the switch holds once they took effect. */
static void
sync_meters(struct vtapd_ofctrl *of, const struct vtap_switch_state *d,
            const struct vtapd_id_op *ops, size_t n_ops, bool deletions)
{
    struct vtap_meter *kept = xmalloc((n_ops + d->n_meters + 1)
                                      * sizeof *kept);
    size_t n_kept = 0;

    for (size_t i = 0; i < n_ops; i++) {
        if (ops[i].type != VTAPD_ID_DELETE) {
            send_meter_mod(of, &ops[i], d->meters);
        } else if (deletions) {
            send_meter_mod(of, &ops[i], of->installed_meters);
        } else {
            /* Still used by a flow until the bundle commits. */
            kept[n_kept++] = of->installed_meters[ops[i].index];
        }
    }
    if (!of->n_meter_xids) {
        free(kept);
        return;
    }

    struct ofpbuf *barrier = ofputil_encode_barrier_request(
        rconn_get_version(of->rconn));
    of->meter_barrier_xid = msg_xid(barrier);
    send_msg(of, barrier);

    memcpy(&kept[n_kept], d->meters, d->n_meters * sizeof *d->meters);
    n_kept += d->n_meters;
    qsort(kept, n_kept, sizeof *kept, compare_meters_by_id);
    free(of->installed_meters);
    of->installed_meters = kept;
    of->n_installed_meters = n_kept;
    VLOG_INFO("%s: sent %"PRIuSIZE" meter-mods", of->name, of->n_meter_xids);
}

static void
format_flow(const struct vtap_flow *f, struct ds *s)
{
    struct ofpact_format_params fp = { .s = s };

    ds_put_format(s, "  flow cookie=0x%"PRIx64" table=%"PRIu8" ",
                  f->cookie, f->table_id);
    minimatch_format(&f->match, NULL, NULL, s, f->priority);
    ds_put_cstr(s, " actions=");
    ofpacts_format(f->ofpacts, f->ofpacts_len, &fp);
    ds_put_char(s, '\n');
}

/* Logs, at debug level, flow-mod 'op'. */
static void
log_flow_op(const struct vtapd_ofctrl *of, const struct vtapd_flow_op *op)
{
    static struct vlog_rate_limit dbg_rl = VLOG_RATE_LIMIT_INIT(100, 100);

    if (!VLOG_DROP_DBG(&dbg_rl)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        format_flow(op->flow, &s);
        VLOG_DBG("%s: %s%s", of->name,
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
send_bundle(struct vtapd_ofctrl *of, const struct vtap_switch_state *d,
            const struct vtapd_id_op *group_ops, size_t n_group_ops,
            const struct vtapd_flow_op *flow_ops, size_t n_flow_ops)
{
    size_t n_mods = n_group_ops + n_flow_ops, n = 0;
    uint32_t id = of->next_bundle_id++;
    ovs_be32 open_xid = send_bundle_ctrl(of, id, OFPBCT_OPEN_REQUEST);
    ovs_be32 *add_xids = xmalloc(MAX(n_mods, 1) * sizeof *add_xids);

    for (size_t i = 0; i < n_group_ops; i++) {
        if (group_ops[i].type != VTAPD_ID_DELETE) {
            add_xids[n++] = send_group_mod(of, id, &group_ops[i], d->groups);
        }
    }
    for (size_t i = 0; i < n_flow_ops; i++) {
        log_flow_op(of, &flow_ops[i]);
        add_xids[n++] = send_flow_mod(of, id, &flow_ops[i]);
    }
    for (size_t i = 0; i < n_group_ops; i++) {
        if (group_ops[i].type == VTAPD_ID_DELETE) {
            add_xids[n++] = send_group_mod(of, id, &group_ops[i],
                                           of->installed_groups.groups);
        }
    }

    struct ofpbuf *barrier = ofputil_encode_barrier_request(
        rconn_get_version(of->rconn));
    ovs_be32 barrier_xid = msg_xid(barrier);
    send_msg(of, barrier);
    vtapd_bundle_start(&of->bundle, id, open_xid, add_xids, n, barrier_xid);
    free(add_xids);
    COVERAGE_INC(vtapd_bundle);

    /* What the switch holds once the bundle commits. */
    vtapd_flow_table_clear(&of->bundled);
    for (size_t i = 0; i < d->n_flows; i++) {
        vtapd_flow_table_add(&of->bundled, &d->flows[i]);
    }
    group_list_clear(&of->bundled_groups);
    for (size_t i = 0; i < d->n_groups; i++) {
        group_list_add_copy(&of->bundled_groups, &d->groups[i]);
    }
    VLOG_INFO("%s: sent %"PRIuSIZE" group-mods and %"PRIuSIZE" flow-mods "
              "in bundle %"PRIu32, of->name, n_group_ops, n_flow_ops, id);
}

/* Makes the flows, groups and meters vtapd owns on the switch of 'of' those
 * of 'desired' (whose actions vtapd_ofctrl_normalize() normalised): meters
 * first, outside any bundle, then groups and flows in one atomic bundle.  A
 * meter that must go is deleted only once no flow of vtapd's uses it: after
 * the bundle that removed its flows.  Returns true if the switch holds
 * 'desired' and nothing is in flight; false if mods were just sent, some
 * are in flight, or some failed and the next ones must wait (the sequence
 * number moves when that ends). */
bool
vtapd_ofctrl_sync(struct vtapd_ofctrl *of,
                  const struct vtap_switch_state *desired)
{
    struct vtapd_flow_op *flow_ops;
    struct vtapd_id_op *group_ops, *meter_ops;
    size_t n_flow_ops, n_group_ops, n_meter_ops;
    bool synced = false;

    if (of->state != OF_READY || vtapd_bundle_is_busy(&of->bundle)
        || of->n_meter_xids) {
        return false;
    }
    n_flow_ops = vtapd_diff_flows(desired->flows, desired->n_flows,
                                  &of->installed, &flow_ops);
    n_group_ops = vtapd_diff_groups(desired->groups, desired->n_groups,
                                    of->installed_groups.groups,
                                    of->installed_groups.n, &group_ops);
    n_meter_ops = vtapd_diff_meters(desired->meters, desired->n_meters,
                                    of->installed_meters,
                                    of->n_installed_meters, &meter_ops);
    if (!n_flow_ops && !n_group_ops && !n_meter_ops) {
        synced = true;
    } else if (time_msec() < of->retry_at) {
        of->retry_due = true;
    } else if (rconn_packet_counter_n_packets(of->tx)) {
        of->queue_full = true;
    } else {
        bool bundle = n_flow_ops || n_group_ops;

        sync_meters(of, desired, meter_ops, n_meter_ops, !bundle);
        if (bundle) {
            send_bundle(of, desired, group_ops, n_group_ops, flow_ops,
                        n_flow_ops);
        }
    }
    free(flow_ops);
    free(group_ops);
    free(meter_ops);
    return synced;
}

/* Stores in '*id' the group or meter ID that the installed flow with
 * 'cookie' uses, as the switch reported it when the connection came up,
 * and returns true, or returns false if it uses none. */
bool
vtapd_ofctrl_installed_id(const struct vtapd_ofctrl *of, uint64_t cookie,
                          uint32_t *id)
{
    const struct learned_id *l;

    HMAP_FOR_EACH_WITH_HASH (l, node, hash_uint64(cookie),
                             &of->learned_ids) {
        if (l->cookie == cookie) {
            *id = l->id;
            return true;
        }
    }
    return false;
}

/* Adds to 'status' the state of the connection of 'of'. */
void
vtapd_ofctrl_get_status(const struct vtapd_ofctrl *of, struct smap *status)
{
    bool connected = rconn_is_connected(of->rconn);

    smap_add(status, "openflow", connected ? "connected" : "disconnected");
    if (!connected && rconn_get_last_error(of->rconn) > 0) {
        smap_add_format(status, "openflow_error", "%s",
                        ovs_retval_to_string(
                            rconn_get_last_error(of->rconn)));
    } else if (of->of_error) {
        smap_add(status, "openflow_error", of->of_error);
    }
}

/* Returns a word for where the connection of 'of' is. */
const char *
vtapd_ofctrl_state_name(const struct vtapd_ofctrl *of)
{
    return (of->state == OF_READY ? "ready"
            : of->state == OF_DUMPING ? "dumping" : "disconnected");
}

/* Returns the number of messages 'of' sent to read or change what its
 * switch holds: statistics requests and echo replies aside. */
uint64_t
vtapd_ofctrl_n_sent(const struct vtapd_ofctrl *of)
{
    return of->n_sent;
}

/* Appends to 's' a line per flow in 'flows', sorted as 'flows' is. */
static void
format_flow_array(const struct vtap_flow *flows, size_t n, struct ds *s)
{
    for (size_t i = 0; i < n; i++) {
        format_flow(&flows[i], s);
    }
}

static int
compare_flow_ptrs(const void *a_, const void *b_)
{
    const struct vtap_flow *const *a = a_, *const *b = b_;

    if ((*a)->cookie != (*b)->cookie) {
        return (*a)->cookie < (*b)->cookie ? -1 : 1;
    }
    return ((*a)->priority < (*b)->priority ? -1
            : (*a)->priority > (*b)->priority);
}

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

/* Appends to 's' the flows, groups and meters of 'state', as
 * vtapd/show-desired prints them. */
void
vtapd_format_flows(const struct vtap_switch_state *state, struct ds *s)
{
    format_flow_array(state->flows, state->n_flows, s);
    format_groups(state->groups, state->n_groups, s);
    format_meters(state->meters, state->n_meters, s);
}

/* Appends to 's' the flows, groups and meters that 'of' knows its switch
 * holds of vtapd's, flows sorted by cookie. */
void
vtapd_ofctrl_show_installed(const struct vtapd_ofctrl *of, struct ds *s)
{
    size_t n = vtapd_flow_table_count(&of->installed), i = 0;
    const struct vtap_flow **flows = xmalloc(MAX(n, 1) * sizeof *flows);
    const struct vtap_flow *f;
    struct vtapd_flow_node *node;

    VTAPD_FLOW_TABLE_FOR_EACH (f, node, &of->installed) {
        flows[i++] = f;
    }
    qsort(flows, n, sizeof *flows, compare_flow_ptrs);
    for (i = 0; i < n; i++) {
        format_flow(flows[i], s);
    }
    free(flows);
    format_groups(of->installed_groups.groups, of->installed_groups.n, s);
    format_meters(of->installed_meters, of->n_installed_meters, s);
}

/* Sets how often 'of' reads its switch's statistics, in milliseconds. */
void
vtapd_ofctrl_set_stats_interval(struct vtapd_ofctrl *of, int interval)
{
    vtapd_stats_set_interval(of->stats, interval);
}

static int
compare_group_id(const void *key_, const void *g_)
{
    const uint32_t *key = key_;
    const struct vtap_group *g = g_;
    return *key < g->group_id ? -1 : *key > g->group_id;
}

static int
compare_meter_id(const void *key_, const void *m_)
{
    const uint32_t *key = key_;
    const struct vtap_meter *m = m_;
    return *key < m->meter_id ? -1 : *key > m->meter_id;
}

/* Adds to 'counters' the copies per collector of 'g', a desired group, from
 * its statistics, if the switch holds it as desired: the statistics count
 * buckets in the switch's order, and only then is that 'g''s order. */
static void
add_group_counters(const struct vtapd_ofctrl *of, const struct vtap_group *g,
                   struct vtapd_counters *counters)
{
    const struct vtap_group *have = bsearch(&g->group_id,
                                            of->installed_groups.groups,
                                            of->installed_groups.n,
                                            sizeof *have, compare_group_id);
    const struct vtapd_counted *c = vtapd_stats_find(of->stats,
                                                     VTAPD_STATS_GROUPS,
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

/* Adds to 'counters' what the hub of 'of' counted of the Tap with 'tap',
 * whose group and meter ID is 'id', with 'desired' what the hub must hold:
 * the copies its flow received, those its meter dropped, those it
 * delivered, and those per collector of its pool.  Adds nothing that the
 * switch has not reported since it last connected. */
void
vtapd_ofctrl_tap_counters(const struct vtapd_ofctrl *of,
                          const struct vtap_switch_state *desired,
                          const struct uuid *tap, uint32_t id,
                          struct vtapd_counters *counters)
{
    const struct vtapd_counted *flow = vtapd_stats_find(of->stats,
                                                        VTAPD_STATS_FLOWS,
                                                        vtap_cookie(tap));
    uint64_t dropped_packets = 0, dropped_bytes = 0;
    const struct vtap_meter *m;
    const struct vtap_group *g;

    if (!flow) {
        return;
    }
    m = bsearch(&id, desired->meters, desired->n_meters, sizeof *m,
                compare_meter_id);
    if (m && uuid_equals(&m->tap, tap)) {
        const struct vtapd_counted *c = vtapd_stats_find(of->stats,
                                                         VTAPD_STATS_METERS,
                                                         id);
        if (c) {
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
    g = bsearch(&id, desired->groups, desired->n_groups, sizeof *g,
                compare_group_id);
    if (g && uuid_equals(&g->tap, tap)) {
        add_group_counters(of, g, counters);
    }
}
