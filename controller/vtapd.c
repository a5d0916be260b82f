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

/* vtapd: programs the switches from the TAP database.
 *
 * Work is driven by change, never by wake-ups.  On each pass of OVS's poll
 * loop, vtapd turns what the TAP database's IDL tracked as changed into the
 * switches to compute again: those that read a changed row last time
 * (controller/vtapd-deps.h) and those a changed row names now.  A switch
 * whose bridge, ports or OpenFlow connection changed is computed again
 * too.  Computing a switch builds only its own input
 * (controller/vtapd-input.h), translates it (flows/vtap-flows.h) and hands
 * the result to the switch (controller/vtapd-switch.h), which sends only
 * the difference.  Then vtapd writes back, in one transaction, what changed
 * of the switches' applied_cfg and status and of the Taps' and sources'
 * problems (controller/vtapd-status.h), and every statistics interval their
 * counters.  vtapd's own writes, echo requests, statistics replies and
 * barriers compute nothing.
 *
 * Several vtapd may run against one TAP database, one active and the
 * others standing by: only the one that holds the database's lock
 * ('lock_name') connects to the switches and writes status.  When it dies,
 * the database gives the lock to another, which connects to the switches,
 * learns what they hold and sends only what differs: nothing, if the dead
 * one had finished. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "controller/vtapd-deps.h"
#include "controller/vtapd-http.h"
#include "controller/vtapd-input.h"
#include "controller/vtapd-monitor.h"
#include "controller/vtapd-ovsdb.h"
#include "controller/vtapd-status.h"
#include "controller/vtapd-switch.h"
#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "fatal-signal.h"
#include "flows/vtap-flows.h"
#include "hmapx.h"
#include "lib/ovs-compat.h"
#include "lib/vtapdb-ops.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "stream-ssl.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd);

COVERAGE_DEFINE(vtapd_compute);

/* --db: the TAP database. */
static char *db_remote;

/* --unixctl: the control socket. */
static char *unixctl_path;

/* --http and --http-*: where the HTTP API listens, [IP:]PORT (NULL for
 * nowhere), and whom it lets in. */
static struct vtapd_http_options http_options;

/* --switch: the names of the Switch rows that this vtapd programs, as a
 * vtapd per host does, through the local Open vSwitch's unix sockets in
 * 'ovs_rundir' (--ovs-rundir); empty for every enabled switch, through the
 * remotes their rows name (central mode). */
static struct sset own_switches = SSET_INITIALIZER(&own_switches);
static char *ovs_rundir_path;

/* The TAP database lock that the active vtapd holds: "vtapd" in central
 * mode; per host, one for its switches, so that a second vtapd for the same
 * switches stands by ('own_names' says which, for people). */
static char *lock_name;
static char *own_names;

/* Does this vtapd hold 'lock_name', and so program the switches? */
static bool active;

/* A switch of the TAP database that vtapd programs. */
struct switch_node {
    struct hmap_node node;      /* In 'switches', by Switch row UUID. */
    struct uuid uuid;           /* Switch row UUID. */
    char *name;                 /* Switch row name. */
    struct vtapd_switch *sw;
    bool dirty;                 /* Its definitions changed. */
    unsigned int status_seqno;  /* The switch's status seqno last
                                 * written. */
};

/* Every enabled switch, by Switch row UUID. */
static struct hmap switches = HMAP_INITIALIZER(&switches);

/* Which switches read which TAP database rows. */
static struct vtapd_deps deps;

/* The TAP database's next_cfg, as last processed. */
static int64_t next_cfg = -1;

/* How often, in ms, vtapd reads the switches' counters and writes them to
 * the TAP database (Global options:stats_interval), and when next. */
static int stats_interval = VTAPD_STATS_INTERVAL_DEFAULT;
static long long int stats_write_at;

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);
static void process_tapdb(struct ovsdb_idl *);
static void compute_switches(struct ovsdb_idl *);
static bool status_is_due(bool stats_due);
static struct ovsdb_idl_txn *write_status(struct ovsdb_idl *,
                                          bool with_statistics);
static void status_failed(const struct ovsdb_idl_txn *,
                          enum ovsdb_idl_txn_status);
static void update_role(struct ovsdb_idl *, bool txn_open);
static struct vtapd_switch *find_switch(const struct uuid *);
static void update_switches(struct ovsdb_idl *);
static void read_global(struct ovsdb_idl *);
static unixctl_cb_func vtapd_exit;
static unixctl_cb_func vtapd_show;
static unixctl_cb_func vtapd_status;
static unixctl_cb_func vtapd_show_monitor;

/* Creates the IDL of the TAP database: every table, with change tracking,
 * but for the columns vtapd itself writes, whose changes would only wake
 * it, and the generation, which writers change only with other columns. */
static struct ovsdb_idl *
create_tapdb_idl(void)
{
    static const struct ovsdb_idl_column *const written[] = {
        &vtaprec_global_col_generation,
        &vtaprec_switch_col_applied_cfg,
        &vtaprec_switch_col_status,
        &vtaprec_tap_col_status,
        &vtaprec_tap_col_statistics,
        &vtaprec_tap_source_col_status,
        &vtaprec_tap_source_col_statistics,
    };
    struct ovsdb_idl *idl = ovsdb_idl_create(db_remote, &vtaprec_idl_class,
                                             true, true);

    ovsdb_idl_track_add_all(idl);
    for (size_t i = 0; i < ARRAY_SIZE(written); i++) {
        ovsdb_idl_omit_alert(idl, written[i]);
    }
    vtapd_input_register(idl);
    return idl;
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct ovsdb_idl_txn *status_txn = NULL;
    unsigned int status_failed_seqno = 0; /* IDL seqno at a failed write. */
    bool status_failed_flag = false; /* Whether that applies. */
    struct vtapd_http *http = NULL;
    struct ovsdb_idl *api_idl = NULL; /* The HTTP API's, with --http. */
    struct ovsdb_idl *idl;
    bool exiting = false;
    int retval;

    ovs_cmdl_proctitle_init(argc, argv);
    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    VTAP_DAEMONIZE_START();
    retval = unixctl_server_create(unixctl_path, &unixctl);
    if (retval) {
        exit(EXIT_FAILURE);
    }
    unixctl_command_register("exit", "", 0, 0, vtapd_exit, &exiting);
    unixctl_command_register("vtapd/show-desired", "[SWITCH]", 0, 1,
                             vtapd_show, (void *) vtapd_switch_show_desired);
    unixctl_command_register("vtapd/show-installed", "[SWITCH]", 0, 1,
                             vtapd_show,
                             (void *) vtapd_switch_show_installed);
    unixctl_command_register("vtapd/show-counters", "[SWITCH]", 0, 1,
                             vtapd_show,
                             (void *) vtapd_switch_show_counters);
    unixctl_command_register("vtapd/status", "", 0, 0, vtapd_status, NULL);
    unixctl_command_register("vtapd/show-monitor", "", 0, 0,
                             vtapd_show_monitor, &idl);
    if (http_options.address) {
        char *error = vtapd_http_create(&http_options, &http);
        if (error) {
            ovs_fatal(0, "%s", error);
        }
    }
    daemonize_complete();

    vtapd_deps_init(&deps);
    idl = create_tapdb_idl();
    ovsdb_idl_set_lock(idl, lock_name);
    vtapd_monitor_init(idl, &own_switches);
    vtapd_status_init(find_switch, !sset_is_empty(&own_switches));
    if (http) {
        /* The HTTP API reads and writes through a connection of its own:
         * an IDL takes one transaction at a time, and shows an open one's
         * changes before the database accepts them, so on vtapd's IDL each
         * API write would hold up vtapd's programming and status. */
        api_idl = ovsdb_idl_create(db_remote, &vtaprec_idl_class, true,
                                   true);
    }
    VLOG_INFO("TAP database %s", db_remote);
    if (!sset_is_empty(&own_switches)) {
        VLOG_INFO("per host: programming %s through the Open vSwitch in %s",
                  own_names, ovs_rundir_path);
    }

    while (!exiting) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            update_role(idl, status_txn != NULL);
        }
        unixctl_server_run(unixctl);
        vtapd_ovsdb_run_all();

        struct switch_node *node;
        HMAP_FOR_EACH (node, node, &switches) {
            vtapd_switch_run(node->sw);
        }
        if (api_idl) {
            ovsdb_idl_run(api_idl);
            vtapd_http_run(http, api_idl,
                           ovsdb_idl_is_connected(idl)
                           && ovsdb_idl_has_ever_connected(idl));
        }
        if (ovsdb_idl_has_ever_connected(idl)) {
            /* A vtapd per host computes and writes nothing from a replica
             * that lacks rows it asked for: a switch without its sources
             * would lose them.  A write in flight is still seen to its end,
             * or vtapd would wake at once, pass after pass, until then. */
            bool complete = vtapd_monitor_run(idl);

            if (complete) {
                process_tapdb(idl);
                compute_switches(idl);
            }
            if (status_txn) {
                enum ovsdb_idl_txn_status status
                    = ovsdb_idl_txn_commit(status_txn);

                if (status != TXN_INCOMPLETE) {
                    /* After a failure (the database went away, say), try
                     * again only once the database has changed, rather than
                     * at once, round after round. */
                    status_failed_flag = (status != TXN_SUCCESS
                                          && status != TXN_UNCHANGED);
                    status_failed_seqno = ovsdb_idl_get_seqno(idl);
                    if (status_failed_flag) {
                        status_failed(status_txn, status);
                    }
                    ovsdb_idl_txn_destroy(status_txn);
                    status_txn = NULL;
                }
            }
            /* Counters that cannot be written now (the database is away,
             * or a write is in flight) wait for the next interval rather
             * than wake vtapd until they can. */
            bool stats_due = time_msec() >= stats_write_at;
            if (stats_due) {
                stats_write_at = time_msec() + stats_interval;
            }
            if (complete && active && !status_txn
                && ovsdb_idl_is_connected(idl)
                && (!status_failed_flag
                    || ovsdb_idl_get_seqno(idl) != status_failed_seqno)
                && status_is_due(stats_due)) {
                status_txn = write_status(idl, stats_due);
            }
        }
        vtapd_ovsdb_commit_all();

        ovsdb_idl_wait(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            /* Before then, 'stats_write_at' is not set: it would wake
             * vtapd at once, pass after pass. */
            poll_timer_wait_until(stats_write_at);
        }
        if (status_txn) {
            ovsdb_idl_txn_wait(status_txn);
        }
        unixctl_server_wait(unixctl);
        vtapd_ovsdb_wait_all();
        HMAP_FOR_EACH (node, node, &switches) {
            vtapd_switch_wait(node->sw);
        }
        if (api_idl) {
            ovsdb_idl_wait(api_idl);
            vtapd_http_wait(http);
        }
        if (exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }

    vtapd_http_destroy(http);
    if (api_idl) {
        ovsdb_idl_destroy(api_idl);
    }
    struct switch_node *node;
    HMAP_FOR_EACH_POP (node, node, &switches) {
        vtapd_status_forget(node);
        vtapd_switch_destroy(node->sw);
        free(node->name);
        free(node);
    }
    vtapd_deps_destroy(&deps);
    if (status_txn) {
        ovsdb_idl_txn_destroy(status_txn);
    }
    ovsdb_idl_destroy(idl);
    unixctl_server_destroy(unixctl);
    return 0;
}

static struct switch_node *
find_switch_node(const struct uuid *uuid)
{
    struct switch_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, uuid_hash(uuid), &switches) {
        if (uuid_equals(&node->uuid, uuid)) {
            return node;
        }
    }
    return NULL;
}

/* Returns the switch of Switch row 'uuid', or NULL if vtapd does not
 * program it. */
static struct vtapd_switch *
find_switch(const struct uuid *uuid)
{
    struct switch_node *node = find_switch_node(uuid);
    return node ? node->sw : NULL;
}

static void
switch_node_destroy(struct switch_node *node)
{
    vtapd_deps_remove(&deps, node);
    vtapd_status_forget(node);
    vtapd_switch_destroy(node->sw);
    free(node->name);
    free(node);
}

/* Returns true if 'idl' holds its lock on a connection whose replica is
 * complete, 'txn_open' saying whether a transaction of 'idl' is open.  A
 * lock is granted as soon as a connection is made, before the IDL has
 * checked that the server is a cluster's leader (which alone decides who
 * holds a lock: each server grants its own) and before the replica is
 * there.  An empty transaction tells: the IDL commits it (unchanged, with
 * nothing sent) only with the lock on a leader's complete replica. */
static bool
holds_lock(struct ovsdb_idl *idl, bool txn_open)
{
    if (!ovsdb_idl_has_lock(idl)) {
        return false;
    } else if (active || txn_open) {
        /* Only to become active: an active vtapd keeps the lock until it
         * loses it with its connection, but its IDL restarts monitoring on
         * the same connection when the database's schema is converted. */
        return active;
    }

    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(txn);
    ovsdb_idl_txn_destroy(txn);
    return status == TXN_UNCHANGED;
}

/* Takes the role that the TAP database's lock gives ('txn_open' says
 * whether a transaction of 'idl' is open): with the lock, active,
 * connecting to every enabled switch; without it, standing by, connected to
 * no switch.  A vtapd loses the lock to another, or with its connection to
 * the database: then another may hold it already, and both must not
 * program the same switches.  (Until the IDL notices that its connection
 * is gone, by its inactivity probe, a vtapd cut off from the database may
 * program its switches while another one takes the lock: see vtapd(8).) */
static void
update_role(struct ovsdb_idl *idl, bool txn_open)
{
    static bool told_standby;   /* Has the log said "standing by"? */
    struct switch_node *node;

    if (holds_lock(idl, txn_open) != active) {
        active = !active;
        told_standby = false;
        if (active) {
            VLOG_INFO("holding the TAP database's lock \"%s\": programming "
                      "%s", lock_name,
                      own_names[0] ? own_names : "the switches");
            /* What the switches counted arrives once they are connected:
             * no statistics before then, which would be written empty.
             * And every status is looked at again, for the rows whose
             * problems cleared while another vtapd or none was active. */
            stats_write_at = time_msec() + stats_interval;
            vtapd_status_touch_all();
            read_global(idl);
            update_switches(idl);
            return;
        }
        HMAP_FOR_EACH_SAFE (node, node, &switches) {
            hmap_remove(&switches, &node->node);
            switch_node_destroy(node);
        }
    }
    if (!active && !told_standby && ovsdb_idl_is_lock_contended(idl)) {
        VLOG_INFO("another vtapd holds the TAP database's lock \"%s\" "
                  "(%s): standing by, connected to no switch", lock_name,
                  own_names[0] ? own_names : "every switch");
        told_standby = true;
    }
}

/* Stores in '*ovsdb_remote' and '*openflow_remote' (which the caller frees,
 * and which may be NULL for the defaults that vtapd_switch_create() takes)
 * the remotes through which this vtapd reaches the switch of 'row': per
 * host, the local Open vSwitch's unix sockets; centrally, those that the
 * row names. */
static void
switch_remotes(const struct vtaprec_switch *row, char **ovsdb_remote,
               char **openflow_remote)
{
    if (sset_is_empty(&own_switches)) {
        *ovsdb_remote = nullable_xstrdup(row->ovsdb_remote);
        *openflow_remote = nullable_xstrdup(row->openflow_remote);
    } else {
        *ovsdb_remote = xasprintf("unix:%s/db.sock", ovs_rundir_path);
        *openflow_remote = xasprintf("unix:%s/%s.mgmt", ovs_rundir_path,
                                     row->bridge);
    }
}

/* Logs, per host, the names given with --switch that no enabled Switch row
 * has (yet): such a vtapd programs nothing for them. */
static void
log_missing_switches(struct ovsdb_idl *idl)
{
    struct sset missing = SSET_INITIALIZER(&missing);
    const struct vtaprec_switch *row;
    const char *name;

    sset_clone(&missing, &own_switches);
    VTAPREC_SWITCH_FOR_EACH (row, idl) {
        if (vtapdb_switch_is_enabled(row)) {
            sset_find_and_delete(&missing, row->name);
        }
    }
    SSET_FOR_EACH (name, &missing) {
        VLOG_INFO("%s: no enabled Switch row with this name: nothing to "
                  "program for it", name);
    }
    sset_destroy(&missing);
}

/* Makes 'switches' hold one connected switch per enabled Switch row of
 * 'idl', and reconnects a switch whose bridge or remotes changed.  A new
 * or reconnected switch is dirty.  Costs the number of Switch rows: it
 * runs only when the Switch table changed. */
static void
update_switches(struct ovsdb_idl *idl)
{
    const struct vtaprec_switch *row;
    struct hmap old = HMAP_INITIALIZER(&old);
    struct switch_node *node;

    hmap_swap(&old, &switches);
    VTAPREC_SWITCH_FOR_EACH (row, idl) {
        if (!vtapdb_switch_is_enabled(row)
            || (!sset_is_empty(&own_switches)
                && !sset_contains(&own_switches, row->name))) {
            continue;
        }
        char *ovsdb_remote, *openflow_remote;
        switch_remotes(row, &ovsdb_remote, &openflow_remote);
        HMAP_FOR_EACH_WITH_HASH (node, node, uuid_hash(&row->header_.uuid),
                                 &old) {
            if (uuid_equals(&node->uuid, &row->header_.uuid)) {
                break;
            }
        }
        if (node && (strcmp(node->name, row->name)
                     || !vtapd_switch_has_config(node->sw, row->bridge,
                                                 ovsdb_remote,
                                                 openflow_remote))) {
            VLOG_INFO("%s: remotes changed: reconnecting", row->name);
            hmap_remove(&old, &node->node);
            switch_node_destroy(node);
            node = NULL;
        }
        if (node) {
            hmap_remove(&old, &node->node);
        } else {
            node = xzalloc(sizeof *node);
            node->uuid = row->header_.uuid;
            node->name = xstrdup(row->name);
            node->sw = vtapd_switch_create(row->name, row->bridge,
                                           ovsdb_remote, openflow_remote);
            vtapd_switch_set_stats_interval(node->sw, stats_interval);
            node->dirty = true;
            node->status_seqno = UINT_MAX;
        }
        hmap_insert(&switches, &node->node, uuid_hash(&node->uuid));
        free(ovsdb_remote);
        free(openflow_remote);
    }
    HMAP_FOR_EACH_POP (node, node, &old) {
        VLOG_INFO("%s: no longer programmed", node->name);
        switch_node_destroy(node);
    }
    hmap_destroy(&old);
    if (!sset_is_empty(&own_switches)) {
        log_missing_switches(idl);
    }
}

/* Marks dirty the switches in 'nodes' (of struct switch_node), which the
 * deps registry named. */
static void
mark_dirty(struct hmapx *nodes)
{
    struct hmapx_node *n;

    HMAPX_FOR_EACH (n, nodes) {
        struct switch_node *node = n->data;
        node->dirty = true;
    }
}

/* Adds to 'dirty' the switch of Switch row 'row', if vtapd programs it. */
static void
mark_switch_row(struct hmapx *dirty, const struct vtaprec_switch *row)
{
    struct switch_node *node = row ? find_switch_node(&row->header_.uuid)
                                   : NULL;
    if (node) {
        hmapx_add(dirty, node);
    }
}

/* Returns true if a column of 'row', of table 'tc', changed.  The IDL also
 * tracks, unchanged, the rows that refer to a changed row (a Tap when its
 * pool changed): which switches read the changed row itself is known. */
static bool
row_changed(const struct ovsdb_idl_row *row,
            const struct ovsdb_idl_table_class *tc)
{
    for (size_t i = 0; i < tc->n_columns; i++) {
        if (ovsdb_idl_track_is_updated(row, &tc->columns[i])) {
            return true;
        }
    }
    return false;
}

/* Adds to 'dirty' the switches that the changes tracked in table 'tc' of
 * 'idl' concern: those that read a changed row last time, and, through
 * 'names', those a changed row names now.  Touches the status of each row
 * changed, if 'touch'. */
static void
mark_tracked(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *tc,
             struct hmapx *dirty, bool touch,
             void (*names)(const struct ovsdb_idl_row *, struct hmapx *))
{
    const struct ovsdb_idl_row *row;

    for (row = ovsdb_idl_track_get_first(idl, tc); row;
         row = ovsdb_idl_track_get_next(row)) {
        bool deleted = ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE);

        if (!deleted && !row_changed(row, tc)) {
            continue;
        }
        vtapd_deps_mark(&deps, &row->uuid, dirty);
        if (!deleted && names) {
            names(row, dirty);
        }
        if (!deleted && touch) {
            vtapd_status_touch(&row->uuid);
        }
    }
}

static void
source_names(const struct ovsdb_idl_row *row, struct hmapx *dirty)
{
    const struct vtaprec_tap_source *src = CONTAINER_OF(
        row, struct vtaprec_tap_source, header_);
    mark_switch_row(dirty, src->switch_);
}

static void
tap_names(const struct ovsdb_idl_row *row, struct hmapx *dirty)
{
    const struct vtaprec_tap *tap = CONTAINER_OF(row, struct vtaprec_tap,
                                                 header_);
    mark_switch_row(dirty, tap->hub);
}

static void
switch_names(const struct ovsdb_idl_row *row, struct hmapx *dirty)
{
    mark_switch_row(dirty, CONTAINER_OF(row, struct vtaprec_switch,
                                        header_));
}

/* Reads the Global row of 'idl': the configuration number and the
 * statistics interval. */
static void
read_global(struct ovsdb_idl *idl)
{
    const struct vtaprec_global *global = vtaprec_global_first(idl);
    int interval = MAX(VTAPDB_STATS_INTERVAL_MIN,
                       (global
                        ? smap_get_int(&global->options, "stats_interval",
                                       VTAPD_STATS_INTERVAL_DEFAULT)
                        : VTAPD_STATS_INTERVAL_DEFAULT));

    next_cfg = global ? global->next_cfg : 0;
    if (interval != stats_interval) {
        struct switch_node *node;

        stats_interval = interval;
        HMAP_FOR_EACH (node, node, &switches) {
            vtapd_switch_set_stats_interval(node->sw, interval);
        }
    }
    stats_write_at = MIN(stats_write_at, time_msec() + stats_interval);
}

/* Turns what the IDL of the TAP database tracked since the last call into
 * dirty switches and touched statuses, and forgets it. */
static void
process_tapdb(struct ovsdb_idl *idl)
{
    static unsigned int idl_seqno, switch_seqno;
    struct hmapx dirty = HMAPX_INITIALIZER(&dirty);

    if (ovsdb_idl_get_seqno(idl) == idl_seqno) {
        return;
    }
    idl_seqno = ovsdb_idl_get_seqno(idl);
    read_global(idl);
    if (active && (ovsdb_idl_table_get_seqno(idl, &vtaprec_table_switch)
                   != switch_seqno || hmap_is_empty(&switches))) {
        switch_seqno = ovsdb_idl_table_get_seqno(idl, &vtaprec_table_switch);
        update_switches(idl);
    }
    mark_tracked(idl, &vtaprec_table_switch, &dirty, false, switch_names);
    /* A standby writes no status: it touches every row when it becomes
     * active. */
    mark_tracked(idl, &vtaprec_table_tap, &dirty, active, tap_names);
    mark_tracked(idl, &vtaprec_table_tap_source, &dirty, active,
                 source_names);
    mark_tracked(idl, &vtaprec_table_filter, &dirty, false, NULL);
    mark_tracked(idl, &vtaprec_table_filter_rule, &dirty, false, NULL);
    mark_tracked(idl, &vtaprec_table_collector_pool, &dirty, false, NULL);
    mark_dirty(&dirty);
    hmapx_destroy(&dirty);
    ovsdb_idl_track_clear(idl);
}

/* Returns the Taps of 'input' delivered through its switch, in a new array
 * whose length it stores in '*n'. */
static struct vtap_tap_def **
hub_taps(const struct vtapd_input *input, size_t *n)
{
    struct vtap_tap_def **taps = xmalloc(MAX(input->in.n_taps, 1)
                                         * sizeof *taps);

    *n = 0;
    for (size_t i = 0; i < input->in.n_taps; i++) {
        if (input->taps[i].hub == input->sw) {
            taps[(*n)++] = &input->taps[i];
        }
    }
    return taps;
}

/* Records the problems of 'node' from its input 'input' and its state
 * 'state'. */
static void
set_problems(const struct switch_node *node, const struct vtapd_input *input,
             const struct vtap_switch_state *state)
{
    size_t n = input->n_problems + state->n_problems;
    struct vtap_problem *problems = xmalloc(MAX(n, 1) * sizeof *problems);

    memcpy(problems, input->problems,
           input->n_problems * sizeof *problems);
    memcpy(&problems[input->n_problems], state->problems,
           state->n_problems * sizeof *problems);
    vtapd_status_set_problems(node, node->name, problems, n);
    free(problems);
}

/* Computes what the switch of 'node' must hold from the TAP database in
 * 'idl', records what that read and the problems found, and hands it to
 * the switch.  Without the switch's ports, the translation would report
 * every source missing: the switch gets nothing until they are known. */
static void
compute_switch(struct ovsdb_idl *idl, struct switch_node *node)
{
    const struct vtaprec_switch *row = vtaprec_switch_get_for_uuid(
        idl, &node->uuid);
    struct vtap_switch_state state;
    struct vtap_port_fact *ports;
    size_t n_ports;

    COVERAGE_INC(vtapd_compute);
    node->dirty = false;
    memset(&state, 0, sizeof state);
    if (!row || !vtapd_switch_get_ports(node->sw, &ports, &n_ports)) {
        vtapd_deps_remove(&deps, node);
        vtapd_status_set_problems(node, node->name, NULL, 0);
        vtapd_switch_sync(node->sw, &state);
        return;
    }

    struct vtapd_input input;
    vtapd_input_build(&input, row, ports, n_ports);
    if (input.sw->is_hub) {
        size_t n_taps;
        struct vtap_tap_def **taps = hub_taps(&input, &n_taps);

        vtapd_switch_assign_ids(node->sw, taps, n_taps);
        free(taps);
    }
    vtap_compute_switch(&input.in, input.sw, &state);

    struct uuid *rows;
    size_t n_rows;
    vtapd_deps_of_input(&input.in, input.sw, &rows, &n_rows);
    if (input.n_left_out_reads) {
        rows = xrealloc(rows, ((n_rows + input.n_left_out_reads)
                               * sizeof *rows));
        memcpy(&rows[n_rows], input.left_out_reads,
               input.n_left_out_reads * sizeof *rows);
        n_rows += input.n_left_out_reads;
    }
    vtapd_deps_set(&deps, node, rows, n_rows);
    free(rows);

    set_problems(node, &input, &state);
    vtapd_switch_sync(node->sw, &state);
    vtapd_input_destroy(&input);
    free(ports);
}

/* Computes every switch whose definitions or whose ports or connections
 * changed, syncs again every other switch whose state changed, and tells
 * every switch the configuration number. */
static void
compute_switches(struct ovsdb_idl *idl)
{
    struct switch_node *node;

    HMAP_FOR_EACH (node, node, &switches) {
        if (node->dirty || vtapd_switch_needs_compute(node->sw)) {
            compute_switch(idl, node);
        } else if (vtapd_switch_needs_sync(node->sw)) {
            vtapd_switch_resync(node->sw);
        }
        vtapd_switch_set_cfg(node->sw, next_cfg);
    }
}

/* Returns true if something of the status is due to be written: touched
 * rows, a switch whose status moved, or, if 'stats_due', the counters. */
static bool
status_is_due(bool stats_due)
{
    struct switch_node *node;

    if (stats_due || vtapd_status_is_due()) {
        return true;
    }
    HMAP_FOR_EACH (node, node, &switches) {
        if (vtapd_switch_status_seqno(node->sw) != node->status_seqno) {
            return true;
        }
    }
    return false;
}

/* Makes the next write look at everything again: the last one, 'txn',
 * failed with 'status'.  A write that the database refused (a role that
 * does not let this vtapd write a row, say: its certificate does not name
 * its switch) is logged; one that the connection lost is not. */
static void
status_failed(const struct ovsdb_idl_txn *txn,
              enum ovsdb_idl_txn_status status)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    struct switch_node *node;

    if (status == TXN_ERROR) {
        char *error = vtapdb_txn_error_message(ovsdb_idl_txn_get_error(txn));
        VLOG_WARN_RL(&rl, "the TAP database refused vtapd's status: %s",
                     error);
        free(error);
    }

    vtapd_status_touch_all();
    HMAP_FOR_EACH (node, node, &switches) {
        node->status_seqno = UINT_MAX;
    }
}

/* Starts a transaction that writes back to the TAP database in 'idl' what
 * changed: switches' applied_cfg and status, Tap and Tap_Source problems,
 * and if 'with_statistics' their counters.  Returns it, or NULL if nothing
 * changed. */
static struct ovsdb_idl_txn *
write_status(struct ovsdb_idl *idl, bool with_statistics)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    struct switch_node *node;
    bool changed = false;

    HMAP_FOR_EACH (node, node, &switches) {
        unsigned int seqno = vtapd_switch_status_seqno(node->sw);
        const struct vtaprec_switch *row;

        if (seqno == node->status_seqno) {
            continue;
        }
        node->status_seqno = seqno;
        row = vtaprec_switch_get_for_uuid(idl, &node->uuid);
        if (row) {
            changed |= vtapd_status_write_switch(row, node->sw);
        }
    }
    changed |= vtapd_status_write_rows(idl);
    if (with_statistics) {
        changed |= vtapd_status_write_statistics(idl);
    }

    if (!changed) {
        ovsdb_idl_txn_destroy(txn);
        return NULL;
    }
    ovsdb_idl_txn_add_comment(txn, "vtapd: status");
    ovsdb_idl_txn_commit(txn);
    return txn;
}

/* Returns the TAP database vtapd connects to by default, as vtapctl does:
 * the unix socket in $VTAP_RUNDIR or VTAP_RUNDIR_DEFAULT. */
static char *
default_db(void)
{
    const char *rundir = getenv("VTAP_RUNDIR");

    return xasprintf("unix:%s/vtap.sock",
                     rundir && *rundir ? rundir : VTAP_RUNDIR_DEFAULT);
}

/* Adds the comma-separated Switch row names in 'names' to those this
 * vtapd programs. */
static void
add_own_switches(const char *names)
{
    char *copy = xstrdup(names);
    char *save_ptr = NULL;

    for (char *name = strtok_r(copy, ",", &save_ptr); name;
         name = strtok_r(NULL, ",", &save_ptr)) {
        char *error = vtapdb_parse_name(name);
        if (error) {
            ovs_fatal(0, "--switch: %s", error);
        }
        sset_add(&own_switches, name);
    }
    if (sset_is_empty(&own_switches)) {
        ovs_fatal(0, "--switch: \"%s\": no switch name", names);
    }
    free(copy);
}

/* Sets 'own_names' to the names of this vtapd's switches, sorted and
 * comma-separated, and 'lock_name' to the name of the TAP database lock
 * that it takes.  A lock's name is an OVSDB id (letters, digits and '_'),
 * which a switch's name may not be: it is spelled in hexadecimal. */
static void
make_lock_name(void)
{
    struct ds names = DS_EMPTY_INITIALIZER;
    const char **sorted = sset_sort(&own_switches);

    for (size_t i = 0; i < sset_count(&own_switches); i++) {
        ds_put_format(&names, "%s%s", i ? "," : "", sorted[i]);
    }
    free(sorted);
    own_names = ds_steal_cstr(&names);
    if (!own_names[0]) {
        lock_name = xstrdup("vtapd");
        return;
    }

    struct ds lock = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&lock, "vtapd_");
    for (const char *p = own_names; *p; p++) {
        ds_put_format(&lock, "%02x", (unsigned char) *p);
    }
    lock_name = ds_steal_cstr(&lock);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_DB,
        OPT_HTTP,
        OPT_HTTP_PRIVATE_KEY,
        OPT_HTTP_CERTIFICATE,
        OPT_HTTP_CA_CERT,
        OPT_HTTP_TOKEN_FILE,
        OPT_SWITCH,
        OPT_OVS_RUNDIR,
        OPT_PEER_CA_CERT,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"http", required_argument, NULL, OPT_HTTP},
        {"http-private-key", required_argument, NULL, OPT_HTTP_PRIVATE_KEY},
        {"http-certificate", required_argument, NULL, OPT_HTTP_CERTIFICATE},
        {"http-ca-cert", required_argument, NULL, OPT_HTTP_CA_CERT},
        {"http-token-file", required_argument, NULL, OPT_HTTP_TOKEN_FILE},
        {"switch", required_argument, NULL, OPT_SWITCH},
        {"ovs-rundir", required_argument, NULL, OPT_OVS_RUNDIR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            free(db_remote);
            db_remote = xstrdup(optarg);
            break;

        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;

        case OPT_HTTP:
            http_options.address = optarg;
            break;

        case OPT_HTTP_PRIVATE_KEY:
            http_options.private_key = optarg;
            break;

        case OPT_HTTP_CERTIFICATE:
            http_options.certificate = optarg;
            break;

        case OPT_HTTP_CA_CERT:
            http_options.ca_cert = optarg;
            break;

        case OPT_HTTP_TOKEN_FILE:
            http_options.token_file = optarg;
            break;

        case OPT_SWITCH:
            add_own_switches(optarg);
            break;

        case OPT_OVS_RUNDIR:
            free(ovs_rundir_path);
            ovs_rundir_path = xstrdup(optarg);
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (ovs-vtap) %s\n", program_name, VTAP_VERSION);
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    if (optind < argc) {
        ovs_fatal(0, "vtapd takes no arguments (try --help)");
    }
    if (!http_options.address
        && (http_options.private_key || http_options.certificate
            || http_options.ca_cert || http_options.token_file)) {
        ovs_fatal(0, "--http-private-key, --http-certificate, "
                  "--http-ca-cert and --http-token-file need --http");
    }
    if (!db_remote) {
        db_remote = default_db();
    }
    if (!ovs_rundir_path) {
        ovs_rundir_path = xstrdup(ovs_rundir());
    }
    make_lock_name();
}

static void
usage(void)
{
    char *db = default_db();

    printf("%s: programs Open vSwitch switches from the TAP database\n"
           "usage: %s [OPTIONS]\n"
           "\nOptions:\n"
           "  --db=DATABASE           TAP database (default: %s)\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  --http=[IP:]PORT        serve the HTTP API and /metrics on\n"
           "                          IP (default: 127.0.0.1) and PORT\n"
           "  --http-private-key=FILE, --http-certificate=FILE\n"
           "                          serve it over HTTPS\n"
           "  --http-ca-cert=FILE     and require client certificates of\n"
           "                          this CA\n"
           "  --http-token-file=FILE  writes need its bearer token\n"
           "  --switch=NAME[,NAME...] program only these switches, through\n"
           "                          the local Open vSwitch (per host)\n"
           "  --ovs-rundir=DIR        its sockets, with --switch (default:\n"
           "                          %s)\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, db, ovs_rundir());
    free(db);
    daemon_usage();
    vlog_usage();
    stream_usage("DATABASE or a switch's remotes", true, false, false);
    exit(EXIT_SUCCESS);
}

/* vtapd/status: whether this vtapd is the active one, as ovn-northd's
 * "status" says it. */
static void
vtapd_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    unixctl_command_reply(conn, active ? "Status: active\n"
                                       : "Status: standby\n");
}

/* vtapd/show-monitor: what this vtapd monitors of the TAP database, and
 * how many rows of each table its replica holds. */
static void
vtapd_show_monitor(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *idl_)
{
    struct ovsdb_idl **idl = idl_;
    struct ds out = DS_EMPTY_INITIALIZER;

    vtapd_monitor_show(*idl, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
vtapd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

/* vtapd/show-desired [SWITCH] and vtapd/show-installed [SWITCH]: 'show_'
 * prints one switch. */
static void
vtapd_show(struct unixctl_conn *conn, int argc, const char *argv[],
           void *show_)
{
    void (*show)(const struct vtapd_switch *, struct ds *) = show_;
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct switch_node **nodes;
    struct switch_node *node;
    size_t n = 0;

    /* By name, so that the output does not depend on hash order. */
    nodes = xmalloc((hmap_count(&switches) + 1) * sizeof *nodes);
    HMAP_FOR_EACH (node, node, &switches) {
        if (argc < 2 || !strcmp(argv[1], node->name)) {
            size_t i = n++;

            while (i > 0 && strcmp(nodes[i - 1]->name, node->name) > 0) {
                nodes[i] = nodes[i - 1];
                i--;
            }
            nodes[i] = node;
        }
    }
    if (argc >= 2 && !n) {
        unixctl_command_reply_error(conn, "no such switch");
    } else {
        for (size_t i = 0; i < n; i++) {
            show(nodes[i]->sw, &s);
        }
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    free(nodes);
    ds_destroy(&s);
}
