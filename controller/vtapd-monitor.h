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

#ifndef VTAPD_MONITOR_H
#define VTAPD_MONITOR_H 1

/* What vtapd asks the TAP database to send it.
 *
 * No vtapd monitors the database server's own tables (Connection, the RBAC
 * tables), which it never reads.  A central vtapd monitors every other
 * row.  A vtapd per host monitors only what its switches read (conditional
 * monitoring, as ovn-controller does with the southbound database): the
 * Switch rows it programs and every hub, the
 * Tap_Source rows on its switches, and, on a hub, the sources of the Taps
 * delivered through it (whose candidates it adds up).  Taps, filters, rules
 * and pools are few and are monitored whole.  With a thousand hypervisors,
 * each vtapd holds its own sources, not the fleet's.  (The HTTP API, with
 * --http, has a connection and a full replica of its own.)
 *
 * The source condition names Switch and Tap rows by UUID, known only once
 * the rows arrive, so it follows the database.  Until the server has
 * answered the latest condition, vtapd's replica lacks rows that it will
 * have (a switch without its sources): vtapd_monitor_run() says when it is
 * whole, and vtapd computes nothing before then. */

#include <stdbool.h>

struct ds;
struct ovsdb_idl;
struct sset;

void vtapd_monitor_init(struct ovsdb_idl *, const struct sset *own_switches);
bool vtapd_monitor_run(struct ovsdb_idl *);
void vtapd_monitor_show(struct ovsdb_idl *, struct ds *);

#endif /* vtapd-monitor.h */
