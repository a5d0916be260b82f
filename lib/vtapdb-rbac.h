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

#ifndef VTAPDB_RBAC_H
#define VTAPDB_RBAC_H 1

/* Who may write what in the TAP database, with OVSDB's role-based access
 * control (as OVN's southbound database has it for chassis).
 *
 * ovsdb-server gives a role to the clients of a remote that a Connection
 * row (Global connections) names with that role; such a client may write
 * only what the role's RBAC_Permission rows allow, in rows whose
 * authorization column equals the common name of its TLS certificate.
 * Clients of any other remote (the local unix socket, a Connection without
 * a role) may write everything.
 *
 * One role is defined: VTAPDB_HOST_ROLE, for the vtapd of a hypervisor or
 * a hub, whose certificate's common name is its Switch's name (ovs-pki -u
 * req+sign NAME).  It may insert or delete nothing and update only:
 *
 *   - its Switch row's status and applied_cfg (authorized by name);
 *   - the status and statistics of the sources on its switch (by
 *     switch_name, which the write path keeps equal to the switch's name);
 *   - the status and statistics of the Taps delivered through it, if it is
 *     a hub (by hub_name, kept likewise).
 *
 * Definitions are written only by other clients: operators' vtapctl and
 * the HTTP API. */

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct vtaprec_rbac_role;

#define VTAPDB_HOST_ROLE "vtapd-host"

void vtapdb_rbac_ensure_host_role(struct ovsdb_idl *, struct ovsdb_idl_txn *);
const struct vtaprec_rbac_role *vtapdb_rbac_find_role(struct ovsdb_idl *,
                                                      const char *name);

#endif /* lib/vtapdb-rbac.h */
