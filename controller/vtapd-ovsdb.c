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
#include "controller/vtapd-ovsdb.h"

#include <string.h>
#include "controller/vtapd-counters.h"
#include "controller/vtapd-vswitch-idl.h"
#include "coverage.h"
#include "flow.h"
#include "flows/vtap-flows.h"
#include "openvswitch/dynamic-string.h"
#include "hmapx.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(vtapd_ovsdb);

COVERAGE_DEFINE(vtapd_ovsdb_txn);

/* The value of VTAP_OWNER_KEY in the ports and Mirror rows vtapd owns, and
 * the key that names a Mirror row's Tap_Source. */
#define OWNER_VALUE "vtapd"
#define SOURCE_KEY "vtap-source"

/* A bridge that a switch asked about, in its database. */
struct vtapd_ovsdb_bridge {
    struct hmap_node node;      /* In vtapd_ovsdb's 'bridges', by name. */
    char *name;
    unsigned int seqno;         /* Moves when the bridge changes. */
    unsigned int facts_seqno;   /* Moves when its ports change. */
    bool in_txn;                /* Written to the transaction of this pass
                                 * or the one in flight. */
    bool deferred;              /* Had changes while a transaction was in
                                 * flight: they wait for it. */
    int64_t wait_cur_cfg;       /* cur_cfg that applies its last changes. */
    bool retry;                 /* Its last transaction failed: it tries
                                 * again once the database changed. */
    char *error;                /* Why it failed, for the next sync. */
    uint64_t n_txns;            /* Transactions that carried its changes. */
    struct ovs_list rows;       /* Its 'row_entry's. */
    struct uuid row_uuid;       /* Its Bridge row's UUID when 'rows' were
                                 * built, or all-zero if it had none. */
};

/* Which bridge a Port, Interface or Mirror row belongs to, and for a
 * Mirror row of vtapd's, which Tap_Source it mirrors. */
struct row_entry {
    struct hmap_node node;      /* In vtapd_ovsdb's 'rows', by UUID. */
    struct ovs_list in_bridge;  /* In db_bridge's 'rows'. */
    struct uuid uuid;
    struct vtapd_ovsdb_bridge *bridge;
    struct hmap_node by_source; /* In 'mirrors', if 'is_mirror'. */
    struct uuid source;         /* external_ids:vtap-source. */
    bool is_mirror;             /* An owned Mirror row with a source. */
};

/* One Open_vSwitch database. */
struct vtapd_ovsdb {
    struct hmap_node node;      /* In 'databases', by remote. */
    char *remote;
    int refcount;
    struct ovsdb_idl *idl;
    struct ovsdb_idl_index *bridge_by_name;
    unsigned int idl_seqno;     /* IDL seqno when last looked at. */
    bool connected;             /* Connection state when last looked at. */
    struct hmap bridges;        /* Bridges asked about, by name. */
    struct hmap rows;           /* 'row_entry's of those bridges' rows. */
    struct hmap mirrors;        /* Those of owned Mirror rows, by source
                                 * UUID. */

    struct ovsdb_idl_txn *txn;  /* Being written in this pass, or in
                                 * flight. */
    bool txn_committed;         /* Whether 'txn' is in flight. */
    bool failed;                /* The last transaction failed... */
    unsigned int failed_seqno;  /* ...at this IDL seqno. */
};

/* Every database, by remote. */
static struct hmap databases = HMAP_INITIALIZER(&databases);

static void bridge_rebuild_rows(struct vtapd_ovsdb *, struct vtapd_ovsdb_bridge *);

/* Returns the database at 'remote', connecting to it if no switch uses it
 * yet, with a reference the caller must release with vtapd_ovsdb_put(). */
struct vtapd_ovsdb *
vtapd_ovsdb_get(const char *remote)
{
    struct vtapd_ovsdb *db;

    HMAP_FOR_EACH_WITH_HASH (db, node, hash_string(remote, 0), &databases) {
        if (!strcmp(db->remote, remote)) {
            db->refcount++;
            return db;
        }
    }

    db = xzalloc(sizeof *db);
    db->remote = xstrdup(remote);
    db->refcount = 1;
    hmap_init(&db->bridges);
    hmap_init(&db->rows);
    hmap_init(&db->mirrors);
    /* The IDL's schema is the subset of columns vtapd uses: all of it. */
    db->idl = ovsdb_idl_create(remote, &vswrec_idl_class, true, true);
    ovsdb_idl_track_add_all(db->idl);
    /* ovs-vswitchd rewrites a Mirror's counters every few seconds: they
     * are read when vtapd writes its own, and worth no wake-up. */
    ovsdb_idl_omit_alert(db->idl, &vswrec_mirror_col_statistics);
    db->bridge_by_name = ovsdb_idl_index_create1(db->idl,
                                                 &vswrec_bridge_col_name);
    hmap_insert(&databases, &db->node, hash_string(remote, 0));
    return db;
}

/* Releases a reference to 'db', disconnecting from it with the last. */
void
vtapd_ovsdb_put(struct vtapd_ovsdb *db)
{
    if (!db || --db->refcount) {
        return;
    }

    struct row_entry *e;
    HMAP_FOR_EACH_POP (e, node, &db->rows) {
        free(e);
    }
    hmap_destroy(&db->rows);
    hmap_destroy(&db->mirrors);

    struct vtapd_ovsdb_bridge *b;
    HMAP_FOR_EACH_POP (b, node, &db->bridges) {
        free(b->error);
        free(b->name);
        free(b);
    }
    hmap_destroy(&db->bridges);

    if (db->txn) {
        ovsdb_idl_txn_destroy(db->txn);
    }
    ovsdb_idl_destroy(db->idl);
    hmap_remove(&databases, &db->node);
    free(db->remote);
    free(db);
}

/* Returns the remote 'db' connects to. */
const char *
vtapd_ovsdb_remote(const struct vtapd_ovsdb *db)
{
    return db->remote;
}

static struct vtapd_ovsdb_bridge *
find_db_bridge(const struct vtapd_ovsdb *db, const char *name)
{
    struct vtapd_ovsdb_bridge *b;

    HMAP_FOR_EACH_WITH_HASH (b, node, hash_string(name, 0), &db->bridges) {
        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

/* Returns the record of bridge 'name' in 'db', creating it first. */
static struct vtapd_ovsdb_bridge *
get_db_bridge(struct vtapd_ovsdb *db, const char *name)
{
    struct vtapd_ovsdb_bridge *b = find_db_bridge(db, name);

    if (!b) {
        b = xzalloc(sizeof *b);
        b->name = xstrdup(name);
        ovs_list_init(&b->rows);
        hmap_insert(&db->bridges, &b->node, hash_string(name, 0));
        bridge_rebuild_rows(db, b);
    }
    return b;
}

/* Returns the Bridge row named 'name' in 'db', or NULL. */
static const struct vswrec_bridge *
find_bridge(const struct vtapd_ovsdb *db, const char *name)
{
    struct vswrec_bridge *key = vswrec_bridge_index_init_row(
        db->bridge_by_name);
    const struct vswrec_bridge *br;

    vswrec_bridge_index_set_name(key, name);
    br = vswrec_bridge_index_find(db->bridge_by_name, key);
    vswrec_bridge_index_destroy_row(key);
    return br;
}

static struct row_entry *
find_row_entry(const struct vtapd_ovsdb *db, const struct uuid *uuid)
{
    struct row_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, uuid_hash(uuid), &db->rows) {
        if (uuid_equals(&e->uuid, uuid)) {
            return e;
        }
    }
    return NULL;
}

static bool is_owned(const struct smap *external_ids);

/* Adds an entry for the row with 'uuid' to bridge 'b', and returns it. */
static struct row_entry *
add_row_entry(struct vtapd_ovsdb *db, struct vtapd_ovsdb_bridge *b,
              const struct uuid *uuid)
{
    struct row_entry *e = find_row_entry(db, uuid);

    if (!e) {
        e = xzalloc(sizeof *e);
        e->uuid = *uuid;
        e->bridge = b;
        hmap_insert(&db->rows, &e->node, uuid_hash(uuid));
        ovs_list_push_back(&b->rows, &e->in_bridge);
    }
    return e;
}

/* Adds the entry of Mirror row 'm' of bridge 'b', with the Tap_Source it
 * mirrors if it is vtapd's. */
static void
add_mirror_entry(struct vtapd_ovsdb *db, struct vtapd_ovsdb_bridge *b,
                 const struct vswrec_mirror *m)
{
    struct row_entry *e = add_row_entry(db, b, &m->header_.uuid);
    const char *source = smap_get(&m->external_ids, SOURCE_KEY);

    if (!e->is_mirror && source && is_owned(&m->external_ids)
        && uuid_from_string(&e->source, source)) {
        e->is_mirror = true;
        hmap_insert(&db->mirrors, &e->by_source, uuid_hash(&e->source));
    }
}

/* Makes the row entries of 'b' the ports, interfaces and Mirror rows its
 * Bridge row now has, so that a change to any of them is told to be 'b''s.
 * Costs the number of those rows: a bridge's own change costs only it. */
static void
bridge_rebuild_rows(struct vtapd_ovsdb *db, struct vtapd_ovsdb_bridge *b)
{
    const struct vswrec_bridge *br = find_bridge(db, b->name);
    struct row_entry *e;

    LIST_FOR_EACH_POP (e, in_bridge, &b->rows) {
        hmap_remove(&db->rows, &e->node);
        if (e->is_mirror) {
            hmap_remove(&db->mirrors, &e->by_source);
        }
        free(e);
    }
    if (!br) {
        uuid_zero(&b->row_uuid);
        return;
    }
    b->row_uuid = br->header_.uuid;
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct vswrec_port *port = br->ports[i];

        add_row_entry(db, b, &port->header_.uuid);
        for (size_t j = 0; j < port->n_interfaces; j++) {
            add_row_entry(db, b, &port->interfaces[j]->header_.uuid);
        }
    }
    for (size_t i = 0; i < br->n_mirrors; i++) {
        add_mirror_entry(db, b, br->mirrors[i]);
    }
}

/* Records that bridge 'b' changed. */
static void
bridge_changed(struct vtapd_ovsdb_bridge *b)
{
    b->seqno++;
}

/* Records that the ports of bridge 'b', which the translation reads,
 * changed. */
static void
bridge_facts_changed(struct vtapd_ovsdb_bridge *b)
{
    b->facts_seqno++;
    bridge_changed(b);
}

/* Records that everything of every bridge of 'db' changed. */
static void
all_bridges_changed(struct vtapd_ovsdb *db)
{
    struct vtapd_ovsdb_bridge *b;

    HMAP_FOR_EACH (b, node, &db->bridges) {
        bridge_facts_changed(b);
    }
}

/* Adds to 'changed' the bridges of 'db' whose rows in table 'tc' changed,
 * as the IDL's change tracking lists them. */
static void
find_tracked_rows(struct vtapd_ovsdb *db,
                  const struct ovsdb_idl_table_class *tc,
                  struct hmapx *changed)
{
    const struct ovsdb_idl_row *row;

    for (row = ovsdb_idl_track_get_first(db->idl, tc); row;
         row = ovsdb_idl_track_get_next(row)) {
        struct row_entry *e = find_row_entry(db, &row->uuid);

        if (e) {
            hmapx_add(changed, e->bridge);
        }
    }
}

/* Adds to 'facts' the bridges of 'db' whose Bridge row is not the one
 * their row entries were built from: a bridge deleted or created while
 * the connection was down does not show in the change tracking of the
 * snapshot that follows (the IDL forgets its old rows untracked). */
static void
find_replaced_bridges(struct vtapd_ovsdb *db, struct hmapx *facts)
{
    struct vtapd_ovsdb_bridge *b;

    HMAP_FOR_EACH (b, node, &db->bridges) {
        const struct vswrec_bridge *br = find_bridge(db, b->name);

        if (br ? !uuid_equals(&br->header_.uuid, &b->row_uuid)
               : !uuid_is_zero(&b->row_uuid)) {
            hmapx_add(facts, b);
        }
    }
}

/* Tells the bridges that wait for cur_cfg of 'db' to reach their changes
 * that it has. */
static void
check_cur_cfg(struct vtapd_ovsdb *db)
{
    const struct vswrec_open_vswitch *ovs = vswrec_open_vswitch_first(
        db->idl);
    struct vtapd_ovsdb_bridge *b;

    if (!ovs) {
        return;
    }
    HMAP_FOR_EACH (b, node, &db->bridges) {
        if (b->wait_cur_cfg && ovs->cur_cfg >= b->wait_cur_cfg) {
            b->wait_cur_cfg = 0;
            bridge_changed(b);
        }
    }
}

/* Turns what the IDL of 'db' tracked since the last call into changes of
 * its bridges, whose row entries are rebuilt.  A change of a bridge's
 * ports (its ports column, a Port or Interface row) is a change of the
 * facts the translation reads; a change of its Mirror rows is only a
 * change of what it holds.  Costs the changed rows and the bridges of
 * 'db'. */
static void
process_changes(struct vtapd_ovsdb *db)
{
    struct hmapx changed = HMAPX_INITIALIZER(&changed);
    struct hmapx facts = HMAPX_INITIALIZER(&facts);
    const struct vswrec_bridge *br;
    struct hmapx_node *node;

    VSWREC_BRIDGE_FOR_EACH_TRACKED (br, db->idl) {
        struct vtapd_ovsdb_bridge *b = find_db_bridge(db, br->name);

        if (b) {
            hmapx_add(&changed, b);
            if (vswrec_bridge_is_new(br) || vswrec_bridge_is_deleted(br)
                || vswrec_bridge_is_updated(br, VSWREC_BRIDGE_COL_PORTS)) {
                hmapx_add(&facts, b);
            }
        }
    }
    find_replaced_bridges(db, &facts);
    find_tracked_rows(db, &vswrec_table_port, &facts);
    find_tracked_rows(db, &vswrec_table_interface, &facts);
    find_tracked_rows(db, &vswrec_table_mirror, &changed);
    HMAPX_FOR_EACH (node, &facts) {
        hmapx_add(&changed, node->data);
    }
    HMAPX_FOR_EACH (node, &changed) {
        bridge_rebuild_rows(db, node->data);
        if (hmapx_contains(&facts, node->data)) {
            bridge_facts_changed(node->data);
        } else {
            bridge_changed(node->data);
        }
    }
    hmapx_destroy(&changed);
    hmapx_destroy(&facts);
    if (vswrec_open_vswitch_track_get_first(db->idl)) {
        check_cur_cfg(db);
    }
    ovsdb_idl_track_clear(db->idl);
}

/* Ends the transaction of 'db' that completed with 'status': the bridges
 * it carried wait for ovs-vswitchd to apply it, or learn of its failure
 * and try again once the database has changed. */
static void
txn_done(struct vtapd_ovsdb *db, enum ovsdb_idl_txn_status status)
{
    bool ok = status == TXN_SUCCESS || status == TXN_UNCHANGED;
    int64_t next_cfg = (status == TXN_SUCCESS
                        ? ovsdb_idl_txn_get_increment_new_value(db->txn)
                        : 0);
    struct vtapd_ovsdb_bridge *b;

    if (!ok) {
        db->failed = true;
        db->failed_seqno = ovsdb_idl_get_seqno(db->idl);
    }
    HMAP_FOR_EACH (b, node, &db->bridges) {
        if (b->in_txn) {
            b->in_txn = false;
            b->wait_cur_cfg = next_cfg;
            if (!ok) {
                free(b->error);
                b->error = xasprintf("OVSDB transaction %s: %s",
                                     ovsdb_idl_txn_status_to_string(status),
                                     ovsdb_idl_txn_get_error(db->txn));
                b->retry = true;
            }
            bridge_changed(b);
        } else if (b->deferred) {
            b->deferred = false;
            bridge_changed(b);
        }
    }
    ovsdb_idl_txn_destroy(db->txn);
    db->txn = NULL;
    db->txn_committed = false;
    check_cur_cfg(db);
}

/* Tells the bridges whose transaction failed that the database of 'db' has
 * changed since, so that they may try again. */
static void
retry_failed(struct vtapd_ovsdb *db)
{
    struct vtapd_ovsdb_bridge *b;

    HMAP_FOR_EACH (b, node, &db->bridges) {
        if (b->retry) {
            b->retry = false;
            bridge_changed(b);
        }
    }
}

static void
vtapd_ovsdb_run(struct vtapd_ovsdb *db)
{
    ovsdb_idl_run(db->idl);
    if (db->txn && db->txn_committed) {
        enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(db->txn);

        if (status != TXN_INCOMPLETE) {
            txn_done(db, status);
        }
    }

    bool connected = (ovsdb_idl_is_connected(db->idl)
                      && ovsdb_idl_has_ever_connected(db->idl));
    if (connected != db->connected) {
        db->connected = connected;
        all_bridges_changed(db);
    }
    if (ovsdb_idl_get_seqno(db->idl) != db->idl_seqno) {
        db->idl_seqno = ovsdb_idl_get_seqno(db->idl);
        process_changes(db);
    }
    if (db->failed && db->failed_seqno != ovsdb_idl_get_seqno(db->idl)) {
        retry_failed(db);
    }
}

/* Lets every database's IDL do its work, and turns what changed into
 * changes of its bridges. */
void
vtapd_ovsdb_run_all(void)
{
    struct vtapd_ovsdb *db;

    HMAP_FOR_EACH (db, node, &databases) {
        vtapd_ovsdb_run(db);
    }
}

/* Commits the transaction that switches wrote to 'db' in this pass, if
 * any, incrementing next_cfg as ovs-vsctl does, so that cur_cfg tells when
 * ovs-vswitchd has reconfigured. */
static void
vtapd_ovsdb_commit(struct vtapd_ovsdb *db)
{
    const struct vswrec_open_vswitch *ovs;
    struct vtapd_ovsdb_bridge *b;

    if (!db->txn || db->txn_committed) {
        return;
    }
    ovs = vswrec_open_vswitch_first(db->idl);
    if (ovs) {
        ovsdb_idl_txn_increment(db->txn, &ovs->header_,
                                &vswrec_open_vswitch_col_next_cfg, false);
    }
    HMAP_FOR_EACH (b, node, &db->bridges) {
        b->n_txns += b->in_txn;
    }
    COVERAGE_INC(vtapd_ovsdb_txn);
    db->txn_committed = true;
    db->failed = false;

    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(db->txn);
    if (status != TXN_INCOMPLETE) {
        txn_done(db, status);
    }
}

/* Commits, for every database, what the switches wrote in this pass. */
void
vtapd_ovsdb_commit_all(void)
{
    struct vtapd_ovsdb *db;

    HMAP_FOR_EACH (db, node, &databases) {
        vtapd_ovsdb_commit(db);
    }
}

/* Arranges for poll_block() to wake when a database has news. */
void
vtapd_ovsdb_wait_all(void)
{
    struct vtapd_ovsdb *db;

    HMAP_FOR_EACH (db, node, &databases) {
        ovsdb_idl_wait(db->idl);
        if (db->txn) {
            ovsdb_idl_txn_wait(db->txn);
        }
    }
}

/* Returns true if 'db' is connected and has its contents. */
bool
vtapd_ovsdb_is_connected(const struct vtapd_ovsdb *db)
{
    return db->connected;
}

/* Returns the bridge named 'bridge' of 'db', which stays valid as long as
 * 'db', whether or not the database has such a bridge. */
struct vtapd_ovsdb_bridge *
vtapd_ovsdb_get_bridge(struct vtapd_ovsdb *db, const char *bridge)
{
    return get_db_bridge(db, bridge);
}

/* Returns the sequence number of 'b', which moves whenever something that
 * a switch on it reads from its database changes. */
unsigned int
vtapd_ovsdb_bridge_seqno(const struct vtapd_ovsdb_bridge *b)
{
    return b->seqno;
}

/* Returns the sequence number of the ports of 'b', which moves whenever
 * what vtapd_ovsdb_get_ports() tells of them may have changed (it moves
 * with vtapd_ovsdb_bridge_seqno()). */
unsigned int
vtapd_ovsdb_bridge_facts_seqno(const struct vtapd_ovsdb_bridge *b)
{
    return b->facts_seqno;
}

/* Returns the number of transactions that carried changes of 'bridge'. */
uint64_t
vtapd_ovsdb_n_txns(const struct vtapd_ovsdb *db, const char *bridge)
{
    const struct vtapd_ovsdb_bridge *b = find_db_bridge(db, bridge);
    return b ? b->n_txns : 0;
}

/* Returns the OpenFlow port number of 'iface', or OFPP_NONE if it has none
 * (yet). */
static ofp_port_t
iface_ofport(const struct vswrec_interface *iface)
{
    return (iface->n_ofport && *iface->ofport > 0
            && *iface->ofport < ofp_to_u16(OFPP_MAX)
            ? u16_to_ofp(*iface->ofport) : OFPP_NONE);
}

/* Stores in '*ports' and '*n_ports' what 'db' says about the ports of
 * 'bridge', as the translation reads them: names, interface types,
 * iface-ids, OpenFlow port numbers and MTUs.  The strings belong to the IDL and
 * live until it next runs; the caller frees the array.  Returns false,
 * with nothing stored, if the database is not known yet or has no such
 * bridge. */
bool
vtapd_ovsdb_get_ports(const struct vtapd_ovsdb *db, const char *bridge,
                      struct vtap_port_fact **ports, size_t *n_ports)
{
    const struct vswrec_bridge *br;

    *ports = NULL;
    *n_ports = 0;
    if (!ovsdb_idl_has_ever_connected(db->idl)) {
        return false;
    }
    br = find_bridge(db, bridge);
    if (!br) {
        return false;
    }
    *ports = xcalloc(br->n_ports, sizeof **ports);
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct vswrec_port *port = br->ports[i];
        struct vtap_port_fact *p = &(*ports)[(*n_ports)++];

        p->name = port->name;
        p->type = "";
        p->ofport = OFPP_NONE;
        if (port->n_interfaces) {
            const struct vswrec_interface *iface = port->interfaces[0];

            p->type = iface->type;
            p->iface_id = smap_get(&iface->external_ids, "iface-id");
            p->ofport = iface_ofport(iface);
            p->mtu = iface->n_mtu && *iface->mtu > 0 ? *iface->mtu : 0;
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

/* A bridge's sync in progress: its database, its Bridge row, and where its
 * errors go. */
struct bridge_sync {
    struct vtapd_ovsdb *db;
    struct vtapd_ovsdb_bridge *b;
    const struct vswrec_bridge *br;
    char **error;               /* The last error, replaced by a new one. */
};

/* Records 'error' (taking ownership) as the last error of the sync 's'. */
static void
sync_error(struct bridge_sync *s, char *error)
{
    free(*s->error);
    *s->error = error;
}

/* Returns the transaction of this pass of the database of 's', opening it
 * first, and counts the bridge of 's' as written to it. */
static struct ovsdb_idl_txn *
sync_txn(struct bridge_sync *s)
{
    if (!s->db->txn) {
        s->db->txn = ovsdb_idl_txn_create(s->db->idl);
        ovsdb_idl_txn_add_comment(s->db->txn,
                                  "vtapd: TAP ports and mirrors");
    }
    s->b->in_txn = true;
    return s->db->txn;
}

static void
tunnel_options(const struct vtap_tunnel *t, struct smap *options)
{
    smap_init(options);
    smap_add(options, "remote_ip", t->remote_ip);
    smap_add(options, "key", t->key);
    smap_add_format(options, "dst_port", "%"PRIu16, t->dst_port);
}

/* Adds to the bridge of 's' the tunnel port 't', and it to 'ports'. */
static void
create_tunnel(struct bridge_sync *s, const struct vtap_tunnel *t,
              const struct smap *options, struct shash *ports)
{
    struct smap owner = SMAP_CONST1(&owner, VTAP_OWNER_KEY, OWNER_VALUE);
    struct ovsdb_idl_txn *txn = sync_txn(s);
    struct vswrec_interface *iface = vswrec_interface_insert(txn);
    struct vswrec_port *port = vswrec_port_insert(txn);

    vswrec_interface_set_name(iface, t->name);
    vswrec_interface_set_type(iface, "vxlan");
    vswrec_interface_set_options(iface, options);
    vswrec_interface_set_external_ids(iface, &owner);
    vswrec_port_set_name(port, t->name);
    vswrec_port_set_interfaces(port, &iface, 1);
    vswrec_port_set_external_ids(port, &owner);
    vswrec_bridge_update_ports_addvalue(s->br, port);
    shash_add(ports, t->name, port);
}

/* Makes the tunnel ports of the bridge of 's' those of 'desired'.  Adds
 * every port of the bridge, and every port it creates, to 'ports' by name.
 * Adds to 'unusable' the desired tunnels that a port vtapd does not own is
 * in the way of. */
static void
sync_tunnels(struct bridge_sync *s, const struct vtap_switch_state *desired,
             struct shash *ports, struct sset *unusable)
{
    const struct vswrec_bridge *br = s->br;
    struct sset wanted = SSET_INITIALIZER(&wanted);

    for (size_t i = 0; i < br->n_ports; i++) {
        shash_add_once(ports, br->ports[i]->name, br->ports[i]);
    }
    for (size_t i = 0; i < desired->n_tunnels; i++) {
        const struct vtap_tunnel *t = &desired->tunnels[i];
        const struct vswrec_port *port = shash_find_data(ports, t->name);
        struct smap options;

        sset_add(&wanted, t->name);
        tunnel_options(t, &options);
        if (!port) {
            create_tunnel(s, t, &options, ports);
        } else if (!is_owned(&port->external_ids)
                   || port->n_interfaces != 1) {
            sync_error(s, xasprintf("port %s exists and is not vtapd's",
                                    t->name));
            sset_add(unusable, t->name);
        } else {
            const struct vswrec_interface *iface = port->interfaces[0];

            if (strcmp(iface->type, "vxlan")) {
                sync_txn(s);
                vswrec_interface_set_type(iface, "vxlan");
            }
            if (!smap_equal(&iface->options, &options)) {
                sync_txn(s);
                vswrec_interface_set_options(iface, &options);
            }
        }
        smap_destroy(&options);
    }
    for (size_t i = 0; i < br->n_ports; i++) {
        const struct vswrec_port *port = br->ports[i];

        if (is_owned(&port->external_ids)
            && !sset_contains(&wanted, port->name)) {
            sync_txn(s);
            vswrec_bridge_update_ports_delvalue(br, port);
        }
    }
    sset_destroy(&wanted);
}

/* Returns true if the 'n' ports in 'have' are exactly 'want' (none if
 * 'want' is NULL). */
static bool
ports_equal(struct vswrec_port **have, size_t n,
            const struct vswrec_port *want)
{
    return want ? n == 1 && have[0] == want : n == 0;
}

/* Returns the oversize column of Mirror 'm'. */
static const char *
mirror_oversize(const struct vtap_mirror *m)
{
    return m->truncate_oversize ? "truncate" : "drop";
}

/* Returns the rate_limit_unit of Mirror 'm'. */
static const char *
mirror_rate_unit(const struct vtap_mirror *m)
{
    return m->rate_kbps ? "kbps" : "pps";
}

/* Returns true if Mirror row 'row' already is 'm', with ports 'src', 'dst'
 * and 'out'. */
static bool
mirror_equal(const struct vswrec_mirror *row, const struct vtap_mirror *m,
             const struct vswrec_port *src, const struct vswrec_port *dst,
             const struct vswrec_port *out, const struct smap *ids)
{
    if (!ports_equal(row->select_src_port, row->n_select_src_port, src)
        || !ports_equal(row->select_dst_port, row->n_select_dst_port, dst)
        || row->output_port != out
        || row->n_snaplen != (m->snaplen ? 1 : 0)
        || (m->snaplen && row->snaplen[0] != m->snaplen)
        || row->n_sample_probability != 1
        || row->sample_probability[0] != m->sample_probability
        || row->n_rate_limit != (m->rate_limit ? 1 : 0)
        || (m->rate_limit && (row->rate_limit[0] != m->rate_limit
                              || !row->rate_limit_unit
                              || strcmp(row->rate_limit_unit,
                                        mirror_rate_unit(m))))
        || row->n_max_copy_len != (m->max_copy_len ? 1 : 0)
        || (m->max_copy_len
            && (row->max_copy_len[0] != m->max_copy_len
                || !row->oversize
                || strcmp(row->oversize, mirror_oversize(m))))
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
mirror_write(const struct vswrec_mirror *row, const struct vtap_mirror *m,
             struct vswrec_port *src, struct vswrec_port *dst,
             const struct vswrec_port *out, const struct smap *ids)
{
    int64_t snaplen = m->snaplen;
    int64_t rate_limit = m->rate_limit;
    int64_t max_copy_len = m->max_copy_len;

    vswrec_mirror_set_name(row, m->name);
    vswrec_mirror_set_select_src_port(row, &src, src ? 1 : 0);
    vswrec_mirror_set_select_dst_port(row, &dst, dst ? 1 : 0);
    vswrec_mirror_set_output_port(row, out);
    vswrec_mirror_set_snaplen(row, &snaplen, m->snaplen ? 1 : 0);
    vswrec_mirror_set_sample_probability(row, &m->sample_probability, 1);
    vswrec_mirror_set_rate_limit(row, &rate_limit, m->rate_limit ? 1 : 0);
    vswrec_mirror_set_rate_limit_unit(row, m->rate_limit ? mirror_rate_unit(m)
                                                         : NULL);
    vswrec_mirror_set_max_copy_len(row, &max_copy_len,
                                   m->max_copy_len ? 1 : 0);
    vswrec_mirror_set_oversize(row, m->max_copy_len ? mirror_oversize(m)
                                                    : NULL);
    vswrec_mirror_set_filter_rules(row, m->rule_numbers,
                                   (const char **) m->rules, m->n_rules);
    vswrec_mirror_set_external_ids(row, ids);
}

/* Makes Mirror 'm' of the bridge of 's' what 'desired' says, if its ports
 * exist ('ports' has every port of the bridge by name and 'unusable' those
 * vtapd may not use).  'row' is its row, or NULL if it has none yet. */
static void
sync_mirror(struct bridge_sync *s, const struct vtap_mirror *m,
            const struct vswrec_mirror *row, const struct shash *ports,
            const struct sset *unusable)
{
    struct vswrec_port *src = NULL, *dst = NULL, *out;
    struct smap ids = SMAP_INITIALIZER(&ids);

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
        return;
    }
    if (row && !is_owned(&row->external_ids)) {
        sync_error(s, xasprintf("mirror %s exists and is not vtapd's",
                                m->name));
        return;
    }

    smap_add(&ids, VTAP_OWNER_KEY, OWNER_VALUE);
    smap_add_format(&ids, SOURCE_KEY, UUID_FMT, UUID_ARGS(&m->source));
    if (!row) {
        row = vswrec_mirror_insert(sync_txn(s));
        vswrec_bridge_update_mirrors_addvalue(s->br, row);
        mirror_write(row, m, src, dst, out, &ids);
    } else if (!mirror_equal(row, m, src, dst, out, &ids)) {
        sync_txn(s);
        mirror_write(row, m, src, dst, out, &ids);
    }
    smap_destroy(&ids);
}

/* Makes the owned Mirror rows of the bridge of 's' those of 'desired'.
 * 'ports' has every port of the bridge by name. */
static void
sync_mirrors(struct bridge_sync *s, const struct vtap_switch_state *desired,
             const struct shash *ports, const struct sset *unusable)
{
    const struct vswrec_bridge *br = s->br;
    struct shash rows = SHASH_INITIALIZER(&rows);
    struct sset wanted = SSET_INITIALIZER(&wanted);

    for (size_t i = 0; i < br->n_mirrors; i++) {
        shash_add_once(&rows, br->mirrors[i]->name, br->mirrors[i]);
    }
    for (size_t i = 0; i < desired->n_mirrors; i++) {
        const struct vtap_mirror *m = &desired->mirrors[i];

        sset_add(&wanted, m->name);
        sync_mirror(s, m, shash_find_data(&rows, m->name), ports, unusable);
    }
    for (size_t i = 0; i < br->n_mirrors; i++) {
        const struct vswrec_mirror *row = br->mirrors[i];

        if (is_owned(&row->external_ids)
            && !sset_contains(&wanted, row->name)) {
            sync_txn(s);
            vswrec_bridge_update_mirrors_delvalue(br, row);
        }
    }
    sset_destroy(&wanted);
    shash_destroy(&rows);
}

/* Returns true if every port vtapd owns on 'br' has an OpenFlow port
 * number, or ovs-vswitchd gave up on it (-1, reported in '*error'): a
 * hub's flows need them. */
static bool
tunnels_settled(struct bridge_sync *s)
{
    for (size_t i = 0; i < s->br->n_ports; i++) {
        const struct vswrec_port *port = s->br->ports[i];
        const struct vswrec_interface *iface;

        if (!is_owned(&port->external_ids) || !port->n_interfaces) {
            continue;
        }
        iface = port->interfaces[0];
        if (!iface->n_ofport) {
            return false;
        } else if (*iface->ofport < 0) {
            sync_error(s, xasprintf("port %s: ovs-vswitchd could not add "
                                    "it", port->name));
        }
    }
    return true;
}

/* Makes the tunnel ports and Mirror rows vtapd owns on 'bridge' of 'db'
 * what 'desired' says, writing the changes into the transaction of this
 * pass, which vtapd_ovsdb_commit_all() commits: the tunnels and the
 * Mirrors that output to them go together.  Stores the last problem met,
 * if any, in '*error' (replacing what it held).  Returns where the bridge
 * is. */
enum vtapd_ovsdb_sync
vtapd_ovsdb_sync_bridge(struct vtapd_ovsdb *db, const char *bridge,
                        const struct vtap_switch_state *desired, char **error)
{
    struct bridge_sync s = {
        .db = db,
        .b = get_db_bridge(db, bridge),
        .br = find_bridge(db, bridge),
        .error = error,
    };

    if (s.b->error) {
        sync_error(&s, s.b->error);
        s.b->error = NULL;
    }
    if (!db->connected || !vswrec_open_vswitch_first(db->idl)) {
        return VTAPD_OVSDB_UNAVAILABLE;
    } else if (!s.br) {
        sync_error(&s, xasprintf("no bridge %s", bridge));
        return VTAPD_OVSDB_UNAVAILABLE;
    } else if (db->failed
               && db->failed_seqno == ovsdb_idl_get_seqno(db->idl)) {
        /* Retry a failed transaction only once the database changed. */
        return VTAPD_OVSDB_UNAVAILABLE;
    } else if (db->txn_committed) {
        /* The rows it reads may be about to change. */
        s.b->deferred = true;
        return VTAPD_OVSDB_PENDING;
    }

    struct shash ports = SHASH_INITIALIZER(&ports);
    struct sset unusable = SSET_INITIALIZER(&unusable);
    sync_tunnels(&s, desired, &ports, &unusable);
    sync_mirrors(&s, desired, &ports, &unusable);
    shash_destroy(&ports);
    sset_destroy(&unusable);

    return (s.b->in_txn || s.b->wait_cur_cfg || !tunnels_settled(&s)
            ? VTAPD_OVSDB_PENDING : VTAPD_OVSDB_SYNCED);
}

/* Adds to 'counters' the statistics of the Mirror row vtapd owns in 'db'
 * for the Tap_Source with 'source', as ovs-vswitchd last wrote them:
 * candidate_packets and _bytes, tx_packets and _bytes when it counts them,
 * with a rate limit meter_dropped_packets and _bytes, and oversize_packets
 * and _bytes.  Adds nothing if
 * it has no such row. */
void
vtapd_ovsdb_source_counters(const struct vtapd_ovsdb *db,
                            const struct uuid *source,
                            struct vtapd_counters *counters)
{
    static const char *const keys[] = {
        "candidate_packets", "candidate_bytes", "tx_packets", "tx_bytes",
        "meter_dropped_packets", "meter_dropped_bytes",
        "oversize_packets", "oversize_bytes",
    };
    const struct row_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, by_source, uuid_hash(source), &db->mirrors) {
        const struct vswrec_mirror *m;

        if (!uuid_equals(&e->source, source)) {
            continue;
        }
        m = vswrec_mirror_get_for_uuid(db->idl, &e->uuid);
        for (size_t j = 0; m && j < m->n_statistics; j++) {
            for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
                if (!strcmp(m->key_statistics[j], keys[k])) {
                    vtapd_counters_add(counters, keys[k],
                                       m->value_statistics[j]);
                }
            }
        }
        return;
    }
}

static void
format_port_names(struct vswrec_port **ports, size_t n, struct ds *s)
{
    ds_put_char(s, '[');
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s%s", i ? "," : "", ports[i]->name);
    }
    ds_put_char(s, ']');
}

/* Appends to 's' the ports and Mirror rows vtapd owns on 'bridge' of 'db',
 * as the database shows them. */
void
vtapd_ovsdb_show_bridge(const struct vtapd_ovsdb *db, const char *bridge,
                        struct ds *s)
{
    const struct vswrec_bridge *br = find_bridge(db, bridge);

    for (size_t i = 0; br && i < br->n_ports; i++) {
        const struct vswrec_port *port = br->ports[i];
        const struct vswrec_interface *iface;

        if (!is_owned(&port->external_ids) || !port->n_interfaces) {
            continue;
        }
        iface = port->interfaces[0];
        ds_put_format(s, "  port %s: %s remote_ip=%s key=%s dst_port=%s\n",
                      port->name, iface->type,
                      smap_get_def(&iface->options, "remote_ip", ""),
                      smap_get_def(&iface->options, "key", ""),
                      smap_get_def(&iface->options, "dst_port", ""));
    }
    for (size_t i = 0; br && i < br->n_mirrors; i++) {
        const struct vswrec_mirror *m = br->mirrors[i];

        if (!is_owned(&m->external_ids)) {
            continue;
        }
        ds_put_format(s, "  mirror %s: select_src_port=", m->name);
        format_port_names(m->select_src_port, m->n_select_src_port, s);
        ds_put_cstr(s, " select_dst_port=");
        format_port_names(m->select_dst_port, m->n_select_dst_port, s);
        ds_put_format(s, " output_port=%s uuid="UUID_FMT"\n",
                      m->output_port ? m->output_port->name : "[]",
                      UUID_ARGS(&m->header_.uuid));
    }
}
