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

#ifndef VTAPD_OVSDB_H
#define VTAPD_OVSDB_H 1

/* The OVSDB side of the switches vtapd programs: one connection (an IDL)
 * per Open_vSwitch database, shared by every switch whose ovsdb_remote it
 * is, as a hypervisor's bridges share its database.
 *
 * A switch reads its bridge's ports from here, and makes its bridge's
 * tunnel ports and Mirror rows what the translation says
 * (vtapd_ovsdb_sync_bridge()).  The changes of every bridge of one
 * database that are due in one pass of the main loop go into one
 * transaction, committed by vtapd_ovsdb_commit_all(), which increments
 * Open_vSwitch next_cfg as ovs-vsctl does; a bridge counts as holding its
 * rows once ovs-vswitchd has reconfigured (cur_cfg) and given vtapd's ports
 * their OpenFlow numbers.
 *
 * What changes is told per bridge: the IDL's change tracking maps each
 * changed Bridge, Port, Interface or Mirror row to the bridge it belongs
 * to, and that bridge's sequence number moves (vtapd_ovsdb_bridge_seqno()),
 * as it does when a transaction of the bridge completes, when cur_cfg
 * reaches it, and when the connection comes or goes.  A switch whose
 * bridge's number did not move has nothing new to read here. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct uuid;
struct vtapd_counters;
struct vtap_port_fact;
struct vtap_switch_state;
struct vtapd_ovsdb;
struct vtapd_ovsdb_bridge;

struct vtapd_ovsdb *vtapd_ovsdb_get(const char *remote);
void vtapd_ovsdb_put(struct vtapd_ovsdb *);
const char *vtapd_ovsdb_remote(const struct vtapd_ovsdb *);

void vtapd_ovsdb_run_all(void);
void vtapd_ovsdb_commit_all(void);
void vtapd_ovsdb_wait_all(void);

bool vtapd_ovsdb_is_connected(const struct vtapd_ovsdb *);
struct vtapd_ovsdb_bridge *vtapd_ovsdb_get_bridge(struct vtapd_ovsdb *,
                                                  const char *bridge);
unsigned int vtapd_ovsdb_bridge_seqno(const struct vtapd_ovsdb_bridge *);
unsigned int vtapd_ovsdb_bridge_facts_seqno(
    const struct vtapd_ovsdb_bridge *);
bool vtapd_ovsdb_get_ports(const struct vtapd_ovsdb *, const char *bridge,
                           struct vtap_port_fact **ports, size_t *n_ports);

/* Where a bridge's rows are after vtapd_ovsdb_sync_bridge(). */
enum vtapd_ovsdb_sync {
    VTAPD_OVSDB_SYNCED,         /* They are the desired ones, and
                                 * ovs-vswitchd has applied them. */
    VTAPD_OVSDB_PENDING,        /* Not yet: changes were just written or
                                 * are in flight, or ovs-vswitchd has not
                                 * caught up.  The bridge's sequence
                                 * number moves when that changes. */
    VTAPD_OVSDB_UNAVAILABLE,    /* No connection, no such bridge, or a
                                 * failed transaction waits for the
                                 * database to change. */
};

enum vtapd_ovsdb_sync vtapd_ovsdb_sync_bridge(
    struct vtapd_ovsdb *, const char *bridge,
    const struct vtap_switch_state *desired, char **error);

void vtapd_ovsdb_source_counters(const struct vtapd_ovsdb *,
                                 const struct uuid *source,
                                 struct vtapd_counters *);
void vtapd_ovsdb_show_bridge(const struct vtapd_ovsdb *, const char *bridge,
                             struct ds *);

uint64_t vtapd_ovsdb_n_txns(const struct vtapd_ovsdb *, const char *bridge);

#endif /* vtapd-ovsdb.h */
