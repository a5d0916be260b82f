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

#include <stdlib.h>
#include <string.h>
#include "controller/vtapd-ids.h"
#include "controller/vtapd-ofctrl.h"
#include "controller/vtapd-ovsdb.h"
#include "flows/vtap-flows.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd_switch);

/* A switch that vtapd programs. */
struct vtapd_switch {
    char *name;                 /* Switch row name, for logs. */
    char *bridge;               /* Its bridge's name. */
    char *ovsdb_remote;         /* Its Open_vSwitch database, or NULL. */
    char *openflow_remote;      /* Its bridge's OpenFlow remote, or NULL. */
    struct vtapd_ovsdb *db;     /* NULL without 'ovsdb_remote'. */
    struct vtapd_ovsdb_bridge *br; /* Its bridge in 'db'. */
    struct vtapd_ofctrl *of;    /* NULL without 'openflow_remote'. */

    /* What the last compute and sync saw, to tell what changed since. */
    bool computed;              /* Whether it was ever computed. */
    unsigned int db_facts_seqno; /* The bridge's ports' sequence number... */
    unsigned int of_facts_seqno; /* ...and the OpenFlow side's, as of the
                                  * last compute. */
    unsigned int db_seqno;      /* The bridge's sequence number... */
    unsigned int of_seqno;      /* ...and the OpenFlow side's, as of the
                                 * last sync. */

    struct vtap_switch_state desired; /* What it must hold. */
    bool in_sync;               /* It holds 'desired', nothing in flight. */
    bool worked;                /* It was out of sync since it last
                                 * applied a configuration. */
    int64_t next_cfg;           /* The TAP database's next_cfg. */
    int64_t applied_cfg;        /* The last next_cfg it held, or -1. */
    struct vtapd_ids ids;       /* Its Taps' group and meter IDs, if a
                                 * hub. */
    char *error;                /* The last error, or NULL. */

    /* Status. */
    unsigned int status_seqno;  /* Moves when its status changes. */
    unsigned int status_db_seqno; /* 'db_seqno' and 'of_seqno' when... */
    unsigned int status_of_seqno; /* ...the status was last looked at. */

    uint64_t n_computes;        /* Desired states handed in. */
};

static void
report_error(void *sw_, char *error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct vtapd_switch *sw = sw_;

    if (!nullable_string_is_equal(sw->error, error)) {
        VLOG_WARN_RL(&rl, "%s: %s", sw->name, error);
        free(sw->error);
        sw->error = error;
        sw->status_seqno++;
    } else {
        free(error);
    }
}

/* Creates switch 'name', bridge 'bridge', which connects to 'ovsdb_remote'
 * and 'openflow_remote', each of which may be NULL. */
struct vtapd_switch *
vtapd_switch_create(const char *name, const char *bridge,
                    const char *ovsdb_remote, const char *openflow_remote)
{
    struct vtapd_switch *sw = xzalloc(sizeof *sw);

    sw->name = xstrdup(name);
    sw->bridge = xstrdup(bridge);
    sw->ovsdb_remote = nullable_xstrdup(ovsdb_remote);
    sw->openflow_remote = nullable_xstrdup(openflow_remote);
    sw->applied_cfg = -1;
    sw->next_cfg = -1;
    vtapd_ids_init(&sw->ids);
    if (ovsdb_remote) {
        sw->db = vtapd_ovsdb_get(ovsdb_remote);
        sw->br = vtapd_ovsdb_get_bridge(sw->db, bridge);
    }
    sw->worked = true;
    if (openflow_remote) {
        sw->of = vtapd_ofctrl_create(name, openflow_remote, report_error,
                                     sw);
    }
    return sw;
}

/* Disconnects and frees 'sw'.  What it installed stays on the switch. */
void
vtapd_switch_destroy(struct vtapd_switch *sw)
{
    if (!sw) {
        return;
    }
    vtapd_ovsdb_put(sw->db);
    vtapd_ofctrl_destroy(sw->of);
    vtap_switch_state_destroy(&sw->desired);
    vtapd_ids_destroy(&sw->ids);
    free(sw->error);
    free(sw->name);
    free(sw->bridge);
    free(sw->ovsdb_remote);
    free(sw->openflow_remote);
    free(sw);
}

/* Returns true if 'sw' was created with this bridge and these remotes. */
bool
vtapd_switch_has_config(const struct vtapd_switch *sw, const char *bridge,
                        const char *ovsdb_remote, const char *openflow_remote)
{
    return (!strcmp(sw->bridge, bridge)
            && nullable_string_is_equal(sw->ovsdb_remote, ovsdb_remote)
            && nullable_string_is_equal(sw->openflow_remote,
                                        openflow_remote));
}

static unsigned int
db_seqno(const struct vtapd_switch *sw)
{
    return sw->br ? vtapd_ovsdb_bridge_seqno(sw->br) : 0;
}

static unsigned int
of_seqno(const struct vtapd_switch *sw)
{
    return sw->of ? vtapd_ofctrl_seqno(sw->of) : 0;
}

static unsigned int
db_facts_seqno(const struct vtapd_switch *sw)
{
    return sw->br ? vtapd_ovsdb_bridge_facts_seqno(sw->br) : 0;
}

static unsigned int
of_facts_seqno(const struct vtapd_switch *sw)
{
    return sw->of ? vtapd_ofctrl_facts_seqno(sw->of) : 0;
}

/* Lets the OpenFlow connection of 'sw' do its work (its database runs with
 * the others, in vtapd_ovsdb_run_all()). */
void
vtapd_switch_run(struct vtapd_switch *sw)
{
    if (sw->of) {
        vtapd_ofctrl_run(sw->of);
    }
    /* The connections' state is part of the status. */
    if (db_seqno(sw) != sw->status_db_seqno
        || of_seqno(sw) != sw->status_of_seqno) {
        sw->status_db_seqno = db_seqno(sw);
        sw->status_of_seqno = of_seqno(sw);
        sw->status_seqno++;
    }
}

/* Arranges for poll_block() to wake up when 'sw' has work to do. */
void
vtapd_switch_wait(struct vtapd_switch *sw)
{
    if (sw->of) {
        vtapd_ofctrl_wait(sw->of);
    }
}

/* Returns true if something that computing 'sw' reads from the switch
 * itself changed since it was last computed: its ports, its connections,
 * what a dump found. */
bool
vtapd_switch_needs_compute(const struct vtapd_switch *sw)
{
    return (!sw->computed || db_facts_seqno(sw) != sw->db_facts_seqno
            || of_facts_seqno(sw) != sw->of_facts_seqno);
}

/* Returns true if something that decides what a sync of 'sw' does changed
 * since its last one: what its bridge holds, a change it acknowledged or
 * refused, the end of a wait. */
bool
vtapd_switch_needs_sync(const struct vtapd_switch *sw)
{
    return db_seqno(sw) != sw->db_seqno || of_seqno(sw) != sw->of_seqno;
}

/* Stores in '*ports' and '*n_ports' what the database of 'sw' says about the
 * ports of its bridge (see vtapd_ovsdb_get_ports()).  Returns false, with
 * nothing stored, if that is not known yet. */
bool
vtapd_switch_get_ports(const struct vtapd_switch *sw,
                       struct vtap_port_fact **ports, size_t *n_ports)
{
    if (!sw->db) {
        *ports = NULL;
        *n_ports = 0;
        return false;
    }
    return vtapd_ovsdb_get_ports(sw->db, sw->bridge, ports, n_ports);
}

static int
compare_taps_by_uuid(const void *a_, const void *b_)
{
    const struct vtap_tap_def *const *a = a_, *const *b = b_;
    return uuid_compare_3way(&(*a)->uuid, &(*b)->uuid);
}

/* Gives each of the 'n_taps' Taps in 'taps', those delivered through hub
 * 'sw', its group and meter ID (in their 'id'), the one it held before if
 * it had one: first those the hub's flows already use, then new ones in
 * UUID order.  Taps no longer delivered through 'sw' give theirs up.  Does
 * nothing until the hub has told what it holds: the IDs it uses come
 * first. */
void
vtapd_switch_assign_ids(struct vtapd_switch *sw, struct vtap_tap_def **taps,
                        size_t n_taps)
{
    struct vtap_tap_def **sorted;
    struct uuid *uuids;

    if (!sw->of || !vtapd_ofctrl_is_ready(sw->of)) {
        return;
    }
    sorted = xmalloc(MAX(n_taps, 1) * sizeof *sorted);
    uuids = xmalloc(MAX(n_taps, 1) * sizeof *uuids);
    for (size_t i = 0; i < n_taps; i++) {
        sorted[i] = taps[i];
        uuids[i] = taps[i]->uuid;
    }
    vtapd_ids_retain(&sw->ids, uuids, n_taps);
    qsort(sorted, n_taps, sizeof *sorted, compare_taps_by_uuid);
    for (size_t i = 0; i < n_taps; i++) {
        uint32_t id;

        if (!vtapd_ids_find(&sw->ids, &sorted[i]->uuid)
            && vtapd_ofctrl_installed_id(sw->of,
                                         vtap_cookie(&sorted[i]->uuid),
                                         &id)) {
            vtapd_ids_claim(&sw->ids, &sorted[i]->uuid, id);
        }
    }
    for (size_t i = 0; i < n_taps; i++) {
        sorted[i]->id = vtapd_ids_assign(&sw->ids, &sorted[i]->uuid);
    }
    free(uuids);
    free(sorted);
}

/* Makes switch 'sw' hold 'desired' (whose contents it takes, leaving it
 * empty), the result of computing it now.  Sends nothing while the switch
 * is not connected, or a transaction, a bundle or a flow dump is in
 * flight: vtapd_switch_needs_sync() tells when to try again. */
void
vtapd_switch_sync(struct vtapd_switch *sw, struct vtap_switch_state *desired)
{
    vtap_switch_state_destroy(&sw->desired);
    sw->desired = *desired;
    memset(desired, 0, sizeof *desired);
    sw->n_computes++;
    sw->computed = true;
    sw->db_facts_seqno = db_facts_seqno(sw);
    sw->of_facts_seqno = of_facts_seqno(sw);
    if (sw->of) {
        vtapd_ofctrl_normalize(sw->of, &sw->desired);
    }
    vtapd_switch_resync(sw);
}

/* Makes switch 'sw' hold what it must, as last computed, sending what is
 * still missing (see vtapd_switch_sync()), and records in 'in_sync'
 * whether it holds it now. */
static void
resync__(struct vtapd_switch *sw)
{
    sw->db_seqno = db_seqno(sw);
    sw->of_seqno = of_seqno(sw);
    sw->in_sync = false;
    if (!sw->db || !sw->of) {
        report_error(sw, xstrdup("switch has no ovsdb_remote or no "
                                 "openflow_remote"));
        return;
    }

    char *error = NULL;
    enum vtapd_ovsdb_sync db_sync = vtapd_ovsdb_sync_bridge(
        sw->db, sw->bridge, &sw->desired, &error);
    if (error) {
        report_error(sw, error);
    }

    if (db_sync == VTAPD_OVSDB_UNAVAILABLE) {
        /* Without the bridge's rows, a hub's flows cannot be right. */
        return;
    }
    bool of_synced = vtapd_ofctrl_sync(sw->of, &sw->desired);
    sw->in_sync = db_sync == VTAPD_OVSDB_SYNCED && of_synced;
}

/* Makes switch 'sw' hold what it must, as last computed, sending what is
 * still missing (see vtapd_switch_sync()). */
void
vtapd_switch_resync(struct vtapd_switch *sw)
{
    resync__(sw);
    sw->worked |= !sw->in_sync;
    vtapd_switch_set_cfg(sw, sw->next_cfg);
}

/* Tells 'sw' the TAP database's configuration number: it counts as applied
 * once 'sw' holds what the database asks for. */
void
vtapd_switch_set_cfg(struct vtapd_switch *sw, int64_t next_cfg)
{
    sw->next_cfg = next_cfg;
    if (sw->in_sync && next_cfg >= 0 && sw->applied_cfg != next_cfg) {
        /* Most switches hold a new configuration without any work: that
         * is not worth a line each. */
        if (sw->worked) {
            VLOG_INFO("%s: configuration %"PRId64" applied", sw->name,
                      next_cfg);
        } else {
            VLOG_DBG("%s: configuration %"PRId64" applied", sw->name,
                     next_cfg);
        }
        sw->worked = false;
        sw->applied_cfg = next_cfg;
        sw->status_seqno++;
    }
}

/* Returns the TAP database's next_cfg that 'sw' last applied, or -1. */
int64_t
vtapd_switch_get_applied_cfg(const struct vtapd_switch *sw)
{
    return sw->applied_cfg;
}

/* Returns a number that moves whenever the status of 'sw' may have
 * changed. */
unsigned int
vtapd_switch_status_seqno(const struct vtapd_switch *sw)
{
    return sw->status_seqno;
}

/* Returns what 'sw' must hold, as last handed in. */
const struct vtap_switch_state *
vtapd_switch_get_desired(const struct vtapd_switch *sw)
{
    return &sw->desired;
}

/* Adds to 'status' the state of the connections of 'sw' and its last
 * error. */
void
vtapd_switch_get_status(const struct vtapd_switch *sw, struct smap *status)
{
    bool ovsdb = sw->db && vtapd_ovsdb_is_connected(sw->db);
    bool openflow = sw->of && vtapd_ofctrl_version(sw->of);

    smap_add(status, "ovsdb", ovsdb ? "connected" : "disconnected");
    if (sw->of) {
        vtapd_ofctrl_get_status(sw->of, status);
    } else {
        smap_add(status, "openflow", "disconnected");
    }
    smap_add(status, "connected", ovsdb && openflow ? "true" : "false");
    if (sw->error) {
        smap_add(status, "last_error", sw->error);
    }
}

/* Sets how often 'sw' reads its switch's statistics, in milliseconds. */
void
vtapd_switch_set_stats_interval(struct vtapd_switch *sw, int interval)
{
    if (sw->of) {
        vtapd_ofctrl_set_stats_interval(sw->of, interval);
    }
}

/* Adds to 'counters' what hub 'sw' counted of the Tap with 'tap' (see
 * vtapd_ofctrl_tap_counters()). */
void
vtapd_switch_tap_counters(const struct vtapd_switch *sw,
                          const struct uuid *tap,
                          struct vtapd_counters *counters)
{
    if (sw->of) {
        vtapd_ofctrl_tap_counters(sw->of, &sw->desired, tap,
                                  vtapd_ids_find(&sw->ids, tap), counters);
    }
}

/* Adds to 'counters' those of the Mirror row of the Tap_Source with
 * 'source' on spoke 'sw' (see vtapd_ovsdb_source_counters()). */
void
vtapd_switch_source_counters(const struct vtapd_switch *sw,
                             const struct uuid *source,
                             struct vtapd_counters *counters)
{
    if (sw->db) {
        vtapd_ovsdb_source_counters(sw->db, source, counters);
    }
}

/* Prints what 'sw' must hold into 's'. */
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
        if (m->rate_limit) {
            ds_put_format(s, " rate_limit=%"PRIu32"%s", m->rate_limit,
                          m->rate_kbps ? "kbps" : "pps");
        }
        if (m->max_copy_len) {
            ds_put_format(s, " max_copy_len=%"PRIu16" oversize=%s",
                          m->max_copy_len,
                          m->truncate_oversize ? "truncate" : "drop");
        }
        for (size_t j = 0; j < m->n_rules; j++) {
            ds_put_format(s, " filter_rules:%"PRId64"=\"%s\"",
                          m->rule_numbers[j], m->rules[j]);
        }
        ds_put_char(s, '\n');
    }
    vtapd_format_flows(d, s);
    for (size_t i = 0; i < d->n_problems; i++) {
        ds_put_format(s, "  %s "UUID_FMT": %s\n",
                      d->problems[i].warning ? "warning" : "problem",
                      UUID_ARGS(&d->problems[i].row), d->problems[i].message);
    }
}

/* Prints what 'sw' holds of vtapd's into 's': owned ports and Mirror rows
 * of its bridge as its database shows them, and owned flows, groups and
 * meters as last dumped and since sent. */
void
vtapd_switch_show_installed(const struct vtapd_switch *sw, struct ds *s)
{
    ds_put_format(s, "switch %s (openflow %s)\n", sw->name,
                  sw->of ? vtapd_ofctrl_state_name(sw->of) : "disconnected");
    if (sw->db) {
        vtapd_ovsdb_show_bridge(sw->db, sw->bridge, s);
    }
    if (sw->of) {
        vtapd_ofctrl_show_installed(sw->of, s);
    }
}

/* Prints into 's' a line of what vtapd did for 'sw': the desired states it
 * computed, the OVSDB transactions that carried changes of its bridge and
 * the OpenFlow messages it sent to read or change what the switch holds
 * (statistics requests and echo replies aside). */
void
vtapd_switch_show_counters(const struct vtapd_switch *sw, struct ds *s)
{
    ds_put_format(s, "%s computes=%"PRIu64" ovsdb_txns=%"PRIu64
                  " openflow_msgs=%"PRIu64"\n", sw->name, sw->n_computes,
                  sw->db ? vtapd_ovsdb_n_txns(sw->db, sw->bridge) : 0,
                  sw->of ? vtapd_ofctrl_n_sent(sw->of) : 0);
}
