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

/* vtapctl: the command-line interface to the TAP database.
 *
 * Built on OVS's db-ctl-base as vtep-ctl and ovs-vsctl are: the generic
 * database commands (list, get, set, create, ...) come from there, and
 * the verbs of the TAP model (tap-add, source-add, rule-add, ...) from
 * vtapctl-cmds.[ch], which turn their words into the typed operations of
 * lib/vtapdb-ops.h that vtapd's HTTP API runs too.  The validation of
 * every row a transaction inserts or changes, whichever command changed
 * it, runs before the transaction is committed, so that a command that
 * fails leaves the database as it was. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "db-ctl-base.h"
#include "db/vtap-idl.h"
#include "db/vtapdb-check.h"
#include "fatal-signal.h"
#include "lib/vtapdb-ops.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"
#include "process.h"
#include "smap.h"
#include "sset.h"
#include "stream-ssl.h"
#include "stream.h"
#include "svec.h"
#include "table.h"
#include "util.h"
#include "utilities/vtapctl-cmds.h"

VLOG_DEFINE_THIS_MODULE(vtapctl);

/* --db: The database server to contact. */
static const char *db;

/* --oneline: Write each command's output as a single line? */
static bool oneline;

/* --dry-run: Do not commit any changes. */
static bool dry_run;

/* --no-leader-only: With a clustered TAP database, a follower may answer,
 * which may not have the latest changes yet.  A write still goes to the
 * leader (followers forward it). */
static bool leader_only = true;

/* --wait=applied: Wait until every enabled switch has applied the
 * configuration? */
static bool wait_applied;

/* --timeout: Time to wait for a connection to 'db' and for --wait. */
static unsigned int timeout;

/* Format for table output. */
static struct table_style table_style = TABLE_STYLE_DEFAULT;

/* The IDL and the current transaction, if any, for vtapctl_exit() only. */
static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

OVS_NO_RETURN static void vtapctl_exit(int status);
OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[], struct shash *local);
static bool do_vtapctl(const char *args, struct ctl_command *, size_t n,
                       struct ovsdb_idl *);

/* Returns the database vtapctl connects to by default: the unix socket
 * that 'vtap-db-ctl start_db' opens in the run directory, $VTAP_RUNDIR or
 * VTAP_RUNDIR_DEFAULT. */
static const char *
default_db(void)
{
    static char *def;

    if (!def) {
        const char *rundir = getenv("VTAP_RUNDIR");
        def = xasprintf("unix:%s/vtap.sock",
                        rundir && *rundir ? rundir : VTAP_RUNDIR_DEFAULT);
    }
    return def;
}

int
main(int argc, char *argv[])
{
    struct ctl_command *commands;
    struct shash local_options;
    struct ovsdb_idl *idl;
    unsigned int seqno;
    size_t n_commands;

    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");
    /* A failed transaction is reported once, by ctl_fatal(). */
    vlog_set_levels_from_string_assert("ovsdb_idl:console:err");

    vtapctl_cmds_init(vtapctl_exit);

    char *args = process_escape_args(argv);
    shash_init(&local_options);
    parse_options(argc, argv, &local_options);
    char *error = ctl_parse_commands(argc - optind, argv + optind,
                                     &local_options, &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    VLOG(ctl_might_write_to_db(commands, n_commands) ? VLL_INFO : VLL_DBG,
         "Called as %s", args);

    ctl_timeout_setup(timeout);

    /* The validation of a transaction reads every table, so vtapctl
     * replicates the whole (small) database. */
    /* One server: fail at once if it is not there.  A cluster's members:
     * keep trying them (within --timeout), since during an election none
     * is the leader for a moment. */
    bool retry = strchr(db, ',') != NULL;
    idl = the_idl = ovsdb_idl_create(db, &vtaprec_idl_class, true, retry);
    ovsdb_idl_set_leader_only(idl, leader_only);

    seqno = ovsdb_idl_get_seqno(idl);
    for (;;) {
        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            int retval = ovsdb_idl_get_last_error(idl);
            ctl_fatal("%s: database connection failed (%s)",
                      db, ovs_retval_to_string(retval));
        }

        if (seqno != ovsdb_idl_get_seqno(idl)) {
            seqno = ovsdb_idl_get_seqno(idl);
            if (do_vtapctl(args, commands, n_commands, idl)) {
                free(args);
                exit(EXIT_SUCCESS);
            }
        }

        if (seqno == ovsdb_idl_get_seqno(idl)) {
            ovsdb_idl_wait(idl);
            poll_block();
        }
    }
}

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_NO_SYSLOG,
        OPT_DRY_RUN,
        OPT_NO_LEADER_ONLY,
        OPT_WAIT,
        OPT_PEER_CA_CERT,
        OPT_LOCAL,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option global_long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"no-syslog", no_argument, NULL, OPT_NO_SYSLOG},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"no-leader-only", no_argument, NULL, OPT_NO_LEADER_ONLY},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        TABLE_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {NULL, 0, NULL, 0},
    };
    const int n_global_long_options = ARRAY_SIZE(global_long_options) - 1;
    size_t allocated_options, n_options, i;
    struct option *options;
    char *tmp, *short_options;

    tmp = ovs_cmdl_long_options_to_short_options(global_long_options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    /* Global options first, then every command's own options. */
    options = xmemdup(global_long_options, sizeof global_long_options);
    allocated_options = ARRAY_SIZE(global_long_options);
    n_options = n_global_long_options;
    ctl_add_cmd_options(&options, &n_options, &allocated_options, OPT_LOCAL);

    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_ONELINE:
            oneline = true;
            break;

        case OPT_NO_SYSLOG:
            vlog_set_levels(&this_module, VLF_SYSLOG, VLL_WARN);
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_NO_LEADER_ONLY:
            leader_only = false;
            break;

        case OPT_WAIT:
            if (!strcmp(optarg, "applied")) {
                wait_applied = true;
            } else if (!strcmp(optarg, "none")) {
                wait_applied = false;
            } else {
                ctl_fatal("--wait: \"%s\": not one of none or applied",
                          optarg);
            }
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 'h':
            usage();

        case 'V':
            ovs_print_version(0, 0);
            printf("DB Schema %s\n", vtaprec_get_db_version());
            exit(EXIT_SUCCESS);

        case 't':
            if (!str_to_uint(optarg, 10, &timeout) || !timeout) {
                ctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)
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

    if (!db) {
        db = default_db();
    }

    for (i = n_global_long_options; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);
}

/* Frees the current transaction and the IDL, then exits with 'status'. */
static void
vtapctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
    }
    ovsdb_idl_destroy(the_idl);
    exit(status);
}

static void
usage(void)
{
    printf("\
%s: TAP database configuration utility\n\
usage: %s [OPTIONS] COMMAND [ARG...]\n\
\n\
Overview:\n\
  show                        print the switches, taps, sources, filters\n\
                              and collector pools, with their status\n\
  show-dot                    print the topology (switches, sources, taps,\n\
                              pools, collectors) as a Graphviz graph\n\
  init                        create the database's global row if missing,\n\
                              and the role vtapd-host\n\
\n\
Connection commands:\n\
  set-connection [role=ROLE] [read-only|read-write] TARGET...\n\
                              serve the database on TARGETs (pssl:PORT),\n\
                              their clients with ROLE's rights\n\
  get-connection              print the remotes\n\
  del-connection              serve only the unix socket\n\
\n\
Switch commands:\n\
  switch-add SWITCH spoke|hub [bridge=BR] [openflow_remote=REMOTE]\n\
      [ovsdb_remote=REMOTE] [underlay_ip=IP] [underlay_mtu=BYTES]\n\
      [enabled=true|false]\n\
                              add a switch that vtapd programs\n\
  switch-del SWITCH           delete SWITCH (no source or tap may use it)\n\
  switch-list                 list the switches\n\
\n\
Tap commands:\n\
  tap-add TAP IP|POOL|local:HUB_PORT [vni=VNI] [udp_port=PORT]\n\
      [snaplen=BYTES] [sampling=P|N%%|1/N] [rate_limit=Npps|Nkbps]\n\
      [oversize=truncate|drop] [hub=SWITCH] [enabled=true|false]\n\
                              add a tap sending copies to IP or POOL, or\n\
                              decapsulated out of the hub's HUB_PORT\n\
  tap-del TAP                 delete TAP and its sources\n\
  tap-list                    list the taps\n\
  tap-stats [TAP]             print the counters of TAP (or of all taps)\n\
\n\
Source commands:\n\
  source-add TAP SWITCH PORT|iface-id=ID [direction=ingress|egress|both]\n\
      [filter=FILTER]         mirror PORT on SWITCH into TAP\n\
  source-del TAP SWITCH PORT|iface-id=ID\n\
                              stop mirroring PORT into TAP\n\
  source-list [TAP]           list the sources (of TAP)\n\
\n\
Filter commands:\n\
  filter-add FILTER [description=TEXT]   add an empty filter\n\
  filter-del FILTER           delete FILTER (no source may use it)\n\
  rule-add FILTER ingress|egress NUMBER accept|reject [protocol=PROTO]\n\
      [src_cidr=CIDR] [dst_cidr=CIDR] [src_port=PORT[-PORT]]\n\
      [dst_port=PORT[-PORT]] [description=TEXT]\n\
                              add a rule to FILTER\n\
  rule-del FILTER ingress|egress NUMBER  delete a rule from FILTER\n\
\n\
Collector pool commands:\n\
  collector-add POOL IP [WEIGHT]   add collector IP to POOL (created if\n\
                              missing), weight 1 by default\n\
  collector-del POOL [IP]     delete IP from POOL, or POOL\n\
  collector-down POOL IP      drain member IP of POOL (it stays a member)\n\
  collector-up POOL IP        send POOL's share of IP to it again\n\
\n\
%s\
%s\
\n\
Options:\n\
  --db=DATABASE               connect to DATABASE\n\
                              (default: %s)\n\
  --wait=applied              wait until every enabled switch has applied\n\
                              the new configuration (default: --wait=none)\n\
  -t, --timeout=SECS          wait at most SECS seconds\n\
  --dry-run                   do not commit changes to database\n\
  --oneline                   print exactly one line of output per command\n",
           program_name, program_name, ctl_get_db_cmd_usage(),
           ctl_list_db_tables_usage(), default_db());
    table_usage();
    vlog_usage();
    printf("\
  --no-syslog                 equivalent to --verbose=vtapctl:syslog:warn\n");
    stream_usage("database", true, true, false);
    printf("\n\
Other options:\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n");
    exit(EXIT_SUCCESS);
}

/* Running the commands. */

/* Returns true if a switch that is enabled has not yet applied
 * configuration 'next_cfg'. */
static bool
switches_pending(struct ovsdb_idl *idl, int64_t next_cfg)
{
    const struct vtaprec_switch *sw;

    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        if (vtapdb_switch_is_enabled(sw) && sw->applied_cfg < next_cfg) {
            return true;
        }
    }
    return false;
}

/* Prints the output of 'commands' and frees what they allocated. */
static void
print_output(struct ctl_command *commands, size_t n_commands)
{
    struct ctl_command *c;

    for (c = commands; c < &commands[n_commands]; c++) {
        struct ds *ds = &c->output;

        if (c->table) {
            table_print(c->table, &table_style);
        } else if (oneline) {
            ds_chomp(ds, '\n');
            for (size_t j = 0; j < ds->length; j++) {
                int ch = ds->string[j];
                if (ch == '\n') {
                    fputs("\\n", stdout);
                } else if (ch == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(ch);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(ds), stdout);
        }
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        shash_destroy_free_data(&c->options);
    }
    free(commands);
}

static bool
do_vtapctl(const char *args, struct ctl_command *commands, size_t n_commands,
           struct ovsdb_idl *idl)
{
    const struct vtaprec_global *global;
    enum ovsdb_idl_txn_status status;
    struct ovsdb_symbol_table *symtab;
    struct ovsdb_idl_txn *txn;
    struct ctl_context ctx;
    struct ctl_command *c;
    int64_t next_cfg = 0;
    bool try_again;
    char *error;

    txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }
    ovsdb_idl_txn_add_comment(txn, "vtapctl: %s", args);

    /* The global row is created by the first transaction that writes. */
    global = vtaprec_global_first(idl);
    if (!global && (wait_applied
                    || ctl_might_write_to_db(commands, n_commands))) {
        global = vtaprec_global_insert(txn);
    }
    if (wait_applied && global) {
        ovsdb_idl_txn_increment(txn, &global->header_,
                                &vtaprec_global_col_next_cfg, false);
    }

    symtab = ovsdb_symbol_table_create();
    error = vtapctl_cmds_execute(idl, txn, symtab, commands, n_commands,
                                 &try_again);
    if (error) {
        ctl_fatal("%s", error);
    }
    if (try_again) {
        goto try_again;
    }

    status = ovsdb_idl_txn_commit_block(txn);
    if (wait_applied && status == TXN_SUCCESS) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (c = commands; c < &commands[n_commands]; c++) {
            if (c->syntax->postprocess) {
                ctl_context_init(&ctx, c, idl, txn, symtab, NULL);
                (c->syntax->postprocess)(&ctx);
                if (ctx.error) {
                    ctl_fatal("%s", ctx.error);
                }
                ctl_context_done(&ctx, c);
            }
        }
    }

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        ctl_fatal("transaction aborted");

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s",
                  vtapdb_txn_error_message(ovsdb_idl_txn_get_error(txn)));

    case TXN_NOT_LOCKED:
        ctl_fatal("database not locked");

    default:
        OVS_NOT_REACHED();
    }

    ovsdb_symbol_table_destroy(symtab);
    print_output(commands, n_commands);

    /* As ovs-vsctl waits for ovs-vswitchd's cur_cfg, wait until every
     * enabled switch reports, in applied_cfg, that vtapd has installed
     * this configuration or a later one. */
    if (wait_applied && status == TXN_SUCCESS) {
        ovsdb_idl_enable_reconnect(idl);
        for (;;) {
            ovsdb_idl_run(idl);
            if (!switches_pending(idl, next_cfg)) {
                break;
            }
            ovsdb_idl_wait(idl);
            poll_block();
        }
    }
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;
    ovsdb_idl_destroy(idl);
    return true;

try_again:
    /* The transaction must be rerun with a fresher view of the database. */
    ovsdb_idl_txn_abort(txn);
    ovsdb_idl_txn_destroy(txn);
    the_idl_txn = NULL;

    ovsdb_symbol_table_destroy(symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
    }
    return false;
}
