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
 * On each pass of OVS's poll loop: reads the TAP database (an IDL that
 * replicates all of it), turns it into the translation's input
 * (flows/vtap-flows.h), with the facts about each switch's ports from that
 * switch's own IDL, computes what each switch must hold, and hands that to
 * the switch (controller/vtapd-switch.h), which sends only the difference.
 * Then writes back, in one transaction, each switch's applied_cfg and
 * status and the problems of each Tap and Tap_Source. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "controller/vtapd-counters.h"
#include "controller/vtapd-diff.h"
#include "controller/vtapd-http.h"
#include "controller/vtapd-switch.h"
#include "daemon.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "fatal-signal.h"
#include "flows/vtap-flows.h"
#include "mirror-filter.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "smap.h"
#include "stream-ssl.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd);

/* --db: the TAP database. */
static char *db_remote;

/* --unixctl: the control socket. */
static char *unixctl_path;

/* --http: where the HTTP API listens, [IP:]PORT, or NULL for nowhere. */
static char *http_address;

/* A switch of the TAP database that vtapd programs. */
struct switch_node {
    struct hmap_node node;      /* In 'switches', by Switch row UUID. */
    struct uuid uuid;           /* Switch row UUID. */
    char *name;                 /* Switch row name. */
    struct vtapd_switch *sw;
};

/* Every enabled switch, by Switch row UUID. */
static struct hmap switches = HMAP_INITIALIZER(&switches);

/* Problems of Tap and Tap_Source rows, by row UUID, for their status. */
struct problem {
    struct hmap_node node;
    struct uuid row;
    struct ds messages;         /* Separated by "; ". */
};

static void parse_options(int argc, char *argv[]);
OVS_NO_RETURN static void usage(void);
static void sync_switches(struct ovsdb_idl *);
static struct ovsdb_idl_txn *write_status(struct ovsdb_idl *,
                                          bool with_statistics);

/* How often, in ms, vtapd reads the switches' counters and writes them to
 * the TAP database (Global options:stats_interval), and when next. */
static int stats_interval = VTAPD_STATS_INTERVAL_DEFAULT;
static long long int stats_write_at;
static unixctl_cb_func vtapd_exit;
static unixctl_cb_func vtapd_show;

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct ovsdb_idl_txn *status_txn = NULL;
    unsigned int status_failed_seqno = 0; /* IDL seqno at a failed write. */
    bool status_failed = false; /* Whether 'status_failed_seqno' applies. */
    struct vtapd_http *http = NULL;
    struct ovsdb_idl *idl;
    bool exiting = false;
    int retval;

    ovs_cmdl_proctitle_init(argc, argv);
    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    daemonize_start(false);
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
    if (http_address) {
        char *error = vtapd_http_create(http_address, &http);
        if (error) {
            ovs_fatal(0, "%s", error);
        }
    }
    daemonize_complete();

    idl = ovsdb_idl_create(db_remote, &vtaprec_idl_class, true, true);
    VLOG_INFO("TAP database %s", db_remote);

    while (!exiting) {
        ovsdb_idl_run(idl);
        unixctl_server_run(unixctl);

        struct switch_node *node;
        HMAP_FOR_EACH (node, node, &switches) {
            vtapd_switch_run(node->sw);
        }
        /* The IDL takes one transaction at a time: the HTTP API's writes
         * and the status wait for each other. */
        vtapd_http_run(http, idl, !status_txn);
        if (ovsdb_idl_has_ever_connected(idl)) {
            /* While the HTTP API's transaction is open, the IDL shows
             * changes that the database may still refuse. */
            if (!vtapd_http_is_writing(http)) {
                sync_switches(idl);
            }
            if (status_txn) {
                enum ovsdb_idl_txn_status status
                    = ovsdb_idl_txn_commit(status_txn);

                if (status != TXN_INCOMPLETE) {
                    /* After a failure (the database went away, say), try
                     * again only once the database has changed, rather than
                     * at once, round after round. */
                    status_failed = (status != TXN_SUCCESS
                                     && status != TXN_UNCHANGED);
                    status_failed_seqno = ovsdb_idl_get_seqno(idl);
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
            if (!status_txn && !vtapd_http_is_writing(http)
                && ovsdb_idl_is_connected(idl)
                && (stats_due || !status_failed
                    || ovsdb_idl_get_seqno(idl) != status_failed_seqno)) {
                status_txn = write_status(idl, stats_due);
            }
        }

        ovsdb_idl_wait(idl);
        poll_timer_wait_until(stats_write_at);
        if (status_txn) {
            ovsdb_idl_txn_wait(status_txn);
        }
        unixctl_server_wait(unixctl);
        HMAP_FOR_EACH (node, node, &switches) {
            vtapd_switch_wait(node->sw);
        }
        vtapd_http_wait(http, !status_txn);
        if (exiting) {
            poll_immediate_wake();
        }
        poll_block();
    }

    vtapd_http_destroy(http);
    struct switch_node *node;
    HMAP_FOR_EACH_POP (node, node, &switches) {
        vtapd_switch_destroy(node->sw);
        free(node->name);
        free(node);
    }
    if (status_txn) {
        ovsdb_idl_txn_destroy(status_txn);
    }
    ovsdb_idl_destroy(idl);
    unixctl_server_destroy(unixctl);
    return 0;
}

static struct switch_node *
find_switch(const struct uuid *uuid)
{
    struct switch_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, uuid_hash(uuid), &switches) {
        if (uuid_equals(&node->uuid, uuid)) {
            return node;
        }
    }
    return NULL;
}

static bool
switch_is_enabled(const struct vtaprec_switch *row)
{
    return !row->n_enabled || row->enabled[0];
}

/* Makes 'switches' hold one connected switch per enabled Switch row of
 * 'idl', and reconnects a switch whose remotes changed. */
static void
update_switches(struct ovsdb_idl *idl)
{
    const struct vtaprec_switch *row;
    struct hmap old = HMAP_INITIALIZER(&old);
    struct switch_node *node;

    hmap_swap(&old, &switches);
    VTAPREC_SWITCH_FOR_EACH (row, idl) {
        if (!switch_is_enabled(row)) {
            continue;
        }
        HMAP_FOR_EACH_WITH_HASH (node, node, uuid_hash(&row->header_.uuid),
                                 &old) {
            if (uuid_equals(&node->uuid, &row->header_.uuid)) {
                break;
            }
        }
        if (node && (strcmp(node->name, row->name)
                     || !vtapd_switch_has_remotes(node->sw,
                                                  row->ovsdb_remote,
                                                  row->openflow_remote))) {
            VLOG_INFO("%s: remotes changed: reconnecting", row->name);
            hmap_remove(&old, &node->node);
            vtapd_switch_destroy(node->sw);
            free(node->name);
            free(node);
            node = NULL;
        }
        if (node) {
            hmap_remove(&old, &node->node);
        } else {
            node = xzalloc(sizeof *node);
            node->uuid = row->header_.uuid;
            node->name = xstrdup(row->name);
            node->sw = vtapd_switch_create(row->name, row->ovsdb_remote,
                                           row->openflow_remote);
        }
        hmap_insert(&switches, &node->node, uuid_hash(&node->uuid));
    }
    HMAP_FOR_EACH_POP (node, node, &old) {
        VLOG_INFO("%s: no longer programmed", node->name);
        vtapd_switch_destroy(node->sw);
        free(node->name);
        free(node);
    }
    hmap_destroy(&old);
}

/* Adds 'message' (taking ownership) to the problems of 'row'. */
static void
add_problem(struct hmap *problems, const struct uuid *row, char *message)
{
    struct problem *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, uuid_hash(row), problems) {
        if (uuid_equals(&p->row, row)) {
            ds_put_format(&p->messages, "; %s", message);
            free(message);
            return;
        }
    }
    p = xzalloc(sizeof *p);
    p->row = *row;
    ds_init(&p->messages);
    ds_put_cstr(&p->messages, message);
    free(message);
    hmap_insert(problems, &p->node, uuid_hash(row));
}

static const char *
find_problem(const struct hmap *problems, const struct uuid *row)
{
    struct problem *p;

    HMAP_FOR_EACH_WITH_HASH (p, node, uuid_hash(row), problems) {
        if (uuid_equals(&p->row, row)) {
            return ds_cstr(&p->messages);
        }
    }
    return NULL;
}

/* The translation's input, built from the TAP database.  Its strings
 * belong to the IDLs. */
struct input {
    struct vtap_input in;
    const struct vtaprec_switch **switch_rows; /* Parallel to 'switches'. */
    struct vtap_switch_def *switches;
    struct vtap_port_fact **ports;             /* Parallel to 'switches'. */
    bool *known;                /* Whether switches[i]'s ports are known. */
    size_t n_switches;
    const struct vtaprec_filter **filter_rows; /* Parallel to 'filters'. */
    struct vtap_filter_def *filters;
    struct mirror_filter_rule **rules;         /* Parallel to 'filters'. */
    bool *filter_ok;
    size_t n_filters;
    struct vtap_tap_def *taps;
    const struct vtaprec_tap **tap_rows;
    struct vtap_collector_def **pools;         /* Parallel to 'taps'. */
    struct vtap_source_def *sources;
};

static const struct vtap_switch_def *
input_switch(const struct input *input, const struct vtaprec_switch *row)
{
    for (size_t i = 0; row && i < input->n_switches; i++) {
        if (input->switch_rows[i] == row) {
            return &input->switches[i];
        }
    }
    return NULL;
}

static const struct vtap_tap_def *
input_tap(const struct input *input, const struct vtaprec_tap *row)
{
    for (size_t i = 0; i < input->in.n_taps; i++) {
        if (input->tap_rows[i] == row) {
            return &input->taps[i];
        }
    }
    return NULL;
}

/* Returns the index of 'row' among the filters of 'input'. */
static size_t
input_filter(const struct input *input, const struct vtaprec_filter *row)
{
    size_t i;

    for (i = 0; i < input->n_filters; i++) {
        if (input->filter_rows[i] == row) {
            break;
        }
    }
    return i;
}

/* Returns the number of rows in table 'tc' of 'idl'. */
static size_t
count_rows(const struct ovsdb_idl *idl,
           const struct ovsdb_idl_table_class *tc)
{
    const struct ovsdb_idl_row *row;
    size_t n = 0;

    for (row = ovsdb_idl_first_row(idl, tc); row;
         row = ovsdb_idl_next_row(row)) {
        n++;
    }
    return n;
}

static void
build_switches(struct input *input, struct ovsdb_idl *idl)
{
    const struct vtaprec_switch *row;
    size_t n = count_rows(idl, &vtaprec_table_switch);

    input->switch_rows = xcalloc(n, sizeof *input->switch_rows);
    input->switches = xcalloc(n, sizeof *input->switches);
    input->ports = xcalloc(n, sizeof *input->ports);
    input->known = xcalloc(n, sizeof *input->known);
    VTAPREC_SWITCH_FOR_EACH (row, idl) {
        size_t i = input->n_switches++;
        struct vtap_switch_def *def = &input->switches[i];
        struct switch_node *node = find_switch(&row->header_.uuid);

        input->switch_rows[i] = row;
        def->name = row->name;
        def->is_hub = !strcmp(row->role, "hub");
        def->underlay_ip = row->underlay_ip;
        if (node) {
            input->known[i] = vtapd_switch_get_ports(node->sw, row->bridge,
                                                     &input->ports[i],
                                                     &def->n_ports);
            def->ports = input->ports[i];
        }
    }
}

static void
build_filters(struct input *input, struct ovsdb_idl *idl)
{
    const struct vtaprec_filter *row;
    size_t n = count_rows(idl, &vtaprec_table_filter);

    input->filter_rows = xcalloc(n, sizeof *input->filter_rows);
    input->filters = xcalloc(n, sizeof *input->filters);
    input->rules = xcalloc(n, sizeof *input->rules);
    input->filter_ok = xcalloc(n, sizeof *input->filter_ok);
    VTAPREC_FILTER_FOR_EACH (row, idl) {
        size_t i = input->n_filters++;
        struct mirror_filter_rule *rules = xcalloc(row->n_rules + 1,
                                                   sizeof *rules);

        input->filter_rows[i] = row;
        input->rules[i] = rules;
        input->filter_ok[i] = true;
        for (size_t j = 0; j < row->n_rules; j++) {
            const struct vtaprec_filter_rule *r = row->rules[j];
            char *error = vtapd_rule_from_db(
                r->direction, r->number, r->action,
                r->n_protocol ? r->protocol : NULL, r->src_cidr, r->dst_cidr,
                r->src_port, r->dst_port, &rules[j]);
            if (error) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

                VLOG_WARN_RL(&rl, "filter %s: rule %"PRId64": %s",
                             row->name, r->number, error);
                free(error);
                input->filter_ok[i] = false;
            }
        }
        input->filters[i].name = row->name;
        input->filters[i].rules = rules;
        input->filters[i].n_rules = row->n_rules;
    }
}

/* Makes 'tap' deliver to the members of 'pool', which it stores in a new
 * array '*members'. */
static void
build_pool(struct vtap_tap_def *tap, const struct vtaprec_collector_pool *pool,
           struct vtap_collector_def **members)
{
    *members = xcalloc(MAX(pool->n_members, 1), sizeof **members);
    for (size_t i = 0; i < pool->n_members; i++) {
        (*members)[i] = (struct vtap_collector_def) {
            .ip = pool->key_members[i],
            .weight = pool->value_members[i],
            .down = vtapdb_find_ip(pool->down, pool->n_down,
                                   pool->key_members[i]) != SIZE_MAX,
        };
    }
    tap->pool_name = pool->name;
    tap->pool = *members;
    tap->n_pool = pool->n_members;
}

static void
build_taps(struct input *input, struct ovsdb_idl *idl)
{
    const struct vtaprec_tap *row;
    size_t n = count_rows(idl, &vtaprec_table_tap);

    input->taps = xcalloc(n, sizeof *input->taps);
    input->tap_rows = xcalloc(n, sizeof *input->tap_rows);
    input->pools = xcalloc(n, sizeof *input->pools);
    VTAPREC_TAP_FOR_EACH (row, idl) {
        struct vtap_tap_def *tap = &input->taps[input->in.n_taps];

        input->tap_rows[input->in.n_taps++] = row;
        tap->uuid = row->header_.uuid;
        tap->name = row->name;
        tap->collector_ip = row->collector_ip;
        tap->udp_port = row->n_udp_port ? row->udp_port[0] : VTAP_VXLAN_PORT;
        tap->vni = row->vni;
        tap->snaplen = row->n_snaplen ? row->snaplen[0] : 0;
        tap->sampling = row->n_sampling ? row->sampling[0] : 1.0;
        tap->hub = input_switch(input, row->hub);
        tap->enabled = !row->n_enabled || row->enabled[0];
        tap->delivery = (row->delivery && !strcmp(row->delivery, "local")
                         ? VTAP_DELIVERY_LOCAL : VTAP_DELIVERY_VXLAN);
        tap->collector_port = row->collector_port;
        if (row->n_rate_limit) {
            tap->rate_limit = MIN(row->rate_limit[0], UINT32_MAX);
            tap->rate_unit = (row->rate_limit_unit
                              && !strcmp(row->rate_limit_unit, "kbps")
                              ? VTAP_RATE_KBPS : VTAP_RATE_PPS);
        }
        if (row->collector_pool) {
            build_pool(tap, row->collector_pool,
                       &input->pools[input->in.n_taps - 1]);
        }
    }
    input->in.taps = input->taps;
}

static enum vtap_direction
parse_direction(const char *s)
{
    return (!strcmp(s, "ingress") ? VTAP_DIR_INGRESS
            : !strcmp(s, "egress") ? VTAP_DIR_EGRESS
            : VTAP_DIR_BOTH);
}

static void
build_sources(struct input *input, struct ovsdb_idl *idl,
              struct hmap *problems)
{
    const struct vtaprec_tap_source *row;
    size_t n = count_rows(idl, &vtaprec_table_tap_source);

    input->sources = xcalloc(n, sizeof *input->sources);
    VTAPREC_TAP_SOURCE_FOR_EACH (row, idl) {
        struct vtap_source_def *s = &input->sources[input->in.n_sources];
        size_t f = row->filter ? input_filter(input, row->filter) : SIZE_MAX;

        s->tap = input_tap(input, row->tap);
        s->sw = input_switch(input, row->switch_);
        if (!s->tap || !s->sw) {
            continue;
        }
        if (f != SIZE_MAX && (f >= input->n_filters
                              || !input->filter_ok[f])) {
            add_problem(problems, &row->header_.uuid,
                        xasprintf("filter %s has a bad rule",
                                  row->filter->name));
            continue;
        }
        s->uuid = row->header_.uuid;
        s->port = row->port;
        s->iface_id = row->iface_id;
        s->direction = parse_direction(row->direction);
        s->filter = f != SIZE_MAX ? &input->filters[f] : NULL;
        input->in.n_sources++;
    }
    input->in.sources = input->sources;
}

static void
input_destroy(struct input *input)
{
    for (size_t i = 0; i < input->n_switches; i++) {
        free(input->ports[i]);
    }
    for (size_t i = 0; i < input->n_filters; i++) {
        free(input->rules[i]);
    }
    free(input->switch_rows);
    free(input->switches);
    free(input->ports);
    free(input->known);
    free(input->filter_rows);
    free(input->filters);
    free(input->rules);
    free(input->filter_ok);
    for (size_t i = 0; i < input->in.n_taps; i++) {
        free(input->pools[i]);
    }
    free(input->pools);
    free(input->taps);
    free(input->tap_rows);
    free(input->sources);
}

/* The problems of the last pass, for write_status(). */
static struct hmap last_problems = HMAP_INITIALIZER(&last_problems);

static void
problems_clear(struct hmap *problems)
{
    struct problem *p;

    HMAP_FOR_EACH_POP (p, node, problems) {
        ds_destroy(&p->messages);
        free(p);
    }
}

/* Computes what each switch must hold from the TAP database in 'idl' and
 * hands it to the switch.  Records the problems found for write_status(). */
static void
sync_switches(struct ovsdb_idl *idl)
{
    const struct vtaprec_global *global = vtaprec_global_first(idl);
    int64_t next_cfg = global ? global->next_cfg : 0;
    struct input input;

    stats_interval = MAX(1000, (global
                                ? smap_get_int(&global->options,
                                               "stats_interval",
                                               VTAPD_STATS_INTERVAL_DEFAULT)
                                : VTAPD_STATS_INTERVAL_DEFAULT));
    stats_write_at = MIN(stats_write_at, time_msec() + stats_interval);
    update_switches(idl);
    problems_clear(&last_problems);

    memset(&input, 0, sizeof input);
    build_switches(&input, idl);
    build_filters(&input, idl);
    build_taps(&input, idl);
    build_sources(&input, idl, &last_problems);

    for (size_t i = 0; i < input.n_switches; i++) {
        const struct vtaprec_switch *row = input.switch_rows[i];
        struct switch_node *node = find_switch(&row->header_.uuid);
        struct vtap_switch_state state;

        if (node) {
            vtapd_switch_set_stats_interval(node->sw, stats_interval);
        }

        if (!node || !input.known[i]) {
            /* Without the switch's ports, the translation would report
             * every source missing: wait for them. */
            if (node) {
                memset(&state, 0, sizeof state);
                vtapd_switch_sync(node->sw, row->bridge, &state, next_cfg);
            }
            continue;
        }
        vtap_compute_switch(&input.in, &input.switches[i], &state);
        for (size_t j = 0; j < state.n_problems; j++) {
            add_problem(&last_problems, &state.problems[j].row,
                        xstrdup(state.problems[j].message));
        }
        vtapd_switch_sync(node->sw, row->bridge, &state, next_cfg);
    }
    input_destroy(&input);
}

/* Writes into 'column', the status column of Tap or Tap_Source row 'row',
 * whose value is now 'old', its problems, unless it says so already.
 * Returns true if it wrote. */
static bool
update_problem_status(const struct ovsdb_idl_row *row, const struct smap *old,
                      const struct ovsdb_idl_column *column)
{
    const char *problem = find_problem(&last_problems, &row->uuid);
    struct smap status = SMAP_INITIALIZER(&status);
    bool changed;

    smap_add(&status, "state", problem ? "error" : "ok");
    if (problem) {
        smap_add(&status, "error", problem);
    }
    changed = !smap_equal(&status, old);
    if (changed) {
        struct ovsdb_datum datum;

        ovsdb_datum_from_smap(&datum, &status);
        ovsdb_idl_txn_write(row, column, &datum);
    }
    smap_destroy(&status);
    return changed;
}

/* Writes into the statistics column of 'row', a Tap or Tap_Source row, the
 * counters 'c', unless it holds them already.  Returns true if it wrote. */
static bool
update_statistics(const struct ovsdb_idl_row *row, char **old_keys,
                  const int64_t *old_values, size_t n_old,
                  const struct vtapd_counters *c,
                  void (*set)(const struct ovsdb_idl_row *, const char **,
                              const int64_t *, size_t))
{
    const char **keys;
    int64_t *values;
    size_t n;

    if (vtapd_counters_equal(c, old_keys, old_values, n_old)) {
        return false;
    }
    n = vtapd_counters_to_arrays(c, &keys, &values);
    set(row, keys, values, n);
    free(keys);
    free(values);
    return true;
}

static void
set_tap_statistics(const struct ovsdb_idl_row *row, const char **keys,
                   const int64_t *values, size_t n)
{
    vtaprec_tap_set_statistics(CONTAINER_OF(row, struct vtaprec_tap,
                                            header_), keys, values, n);
}

static void
set_source_statistics(const struct ovsdb_idl_row *row, const char **keys,
                      const int64_t *values, size_t n)
{
    vtaprec_tap_source_set_statistics(
        CONTAINER_OF(row, struct vtaprec_tap_source, header_), keys, values,
        n);
}

/* Adds to 'c' the counters of Tap_Source 'src' from its spoke's Mirror. */
static void
source_counters(const struct vtaprec_tap_source *src,
                struct vtapd_counters *c)
{
    struct switch_node *node = find_switch(&src->switch_->header_.uuid);

    if (node) {
        vtapd_switch_source_counters(node->sw, src->switch_->bridge,
                                     &src->header_.uuid, c);
    }
}

/* Writes to the statistics columns of the Taps and Tap_Sources in 'idl'
 * what the switches counted, where it changed.  A Tap's candidates are the
 * sum of its sources'; the rest comes from its hub.  Returns true if it
 * wrote anything. */
static bool
write_statistics(struct ovsdb_idl *idl)
{
    const struct vtaprec_tap_source *src;
    const struct vtaprec_tap *tap;
    struct shash tap_counters = SHASH_INITIALIZER(&tap_counters);
    bool changed = false;

    VTAPREC_TAP_FOR_EACH (tap, idl) {
        struct vtapd_counters *c = xmalloc(sizeof *c);
        struct switch_node *hub = (tap->hub
                                   ? find_switch(&tap->hub->header_.uuid)
                                   : NULL);

        vtapd_counters_init(c);
        if (hub) {
            vtapd_switch_tap_counters(hub->sw, &tap->header_.uuid, c);
        }
        shash_add(&tap_counters, tap->name, c);
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src, idl) {
        struct vtapd_counters c;
        struct vtapd_counters *sum = shash_find_data(&tap_counters,
                                                     src->tap->name);
        int64_t value;

        vtapd_counters_init(&c);
        source_counters(src, &c);
        changed |= update_statistics(&src->header_, src->key_statistics,
                                     src->value_statistics,
                                     src->n_statistics, &c,
                                     set_source_statistics);
        if (sum && vtapd_counters_get(&c, "candidate_packets", &value)) {
            vtapd_counters_add(sum, "candidate_packets", value);
        }
        if (sum && vtapd_counters_get(&c, "candidate_bytes", &value)) {
            vtapd_counters_add(sum, "candidate_bytes", value);
        }
        vtapd_counters_destroy(&c);
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        struct vtapd_counters *c = shash_find_data(&tap_counters, tap->name);

        changed |= update_statistics(&tap->header_, tap->key_statistics,
                                     tap->value_statistics,
                                     tap->n_statistics, c,
                                     set_tap_statistics);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &tap_counters) {
        vtapd_counters_destroy(node->data);
    }
    shash_destroy_free_data(&tap_counters);
    return changed;
}

/* Starts a transaction that writes back to the TAP database in 'idl' what
 * changed: switches' applied_cfg and status, Tap and Tap_Source problems,
 * and if 'with_statistics' their counters.  Returns it, or NULL if nothing
 * changed. */
static struct ovsdb_idl_txn *
write_status(struct ovsdb_idl *idl, bool with_statistics)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    const struct vtaprec_switch *sw_row;
    const struct vtaprec_tap *tap_row;
    const struct vtaprec_tap_source *src_row;
    bool changed = false;
    struct smap status;

    VTAPREC_SWITCH_FOR_EACH (sw_row, idl) {
        struct switch_node *node = find_switch(&sw_row->header_.uuid);
        int64_t applied;

        if (!node) {
            continue;
        }
        applied = vtapd_switch_get_applied_cfg(node->sw);
        if (applied > sw_row->applied_cfg) {
            vtaprec_switch_set_applied_cfg(sw_row, applied);
            changed = true;
        }
        smap_init(&status);
        vtapd_switch_get_status(node->sw, &status);
        if (!smap_equal(&status, &sw_row->status)) {
            vtaprec_switch_set_status(sw_row, &status);
            changed = true;
        }
        smap_destroy(&status);
    }
    VTAPREC_TAP_FOR_EACH (tap_row, idl) {
        changed |= update_problem_status(&tap_row->header_, &tap_row->status,
                                         &vtaprec_tap_col_status);
    }
    VTAPREC_TAP_SOURCE_FOR_EACH (src_row, idl) {
        changed |= update_problem_status(&src_row->header_, &src_row->status,
                                         &vtaprec_tap_source_col_status);
    }
    if (with_statistics) {
        changed |= write_statistics(idl);
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

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_DB,
        OPT_HTTP,
        OPT_PEER_CA_CERT,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"http", required_argument, NULL, OPT_HTTP},
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
            http_address = optarg;
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
    if (!db_remote) {
        db_remote = default_db();
    }
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
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, db);
    free(db);
    daemon_usage();
    vlog_usage();
    stream_usage("DATABASE or a switch's remotes", true, false, false);
    exit(EXIT_SUCCESS);
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
