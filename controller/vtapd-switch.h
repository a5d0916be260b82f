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

#ifndef VTAPD_SWITCH_H
#define VTAPD_SWITCH_H 1

/* One switch that vtapd programs: a bridge in an Open_vSwitch database
 * (controller/vtapd-ovsdb.h, shared with the database's other bridges) and
 * an OpenFlow connection to it (controller/vtapd-ofctrl.h).
 *
 * The caller hands in the state the switch must hold (from
 * flows/vtap-flows.h) when it changes; the switch compares it with what is
 * installed and sends only the difference: one OVSDB transaction for ports
 * and Mirror rows (a spoke's tunnel and the Mirror that outputs to it are
 * created together), flow-mods in one atomic OpenFlow bundle.  A
 * configuration counts as applied once ovs-vswitchd has reconfigured
 * (Open_vSwitch cur_cfg) and the switch committed the bundle.
 *
 * Work is driven by change: vtapd_switch_needs_compute() says whether
 * anything the switch's computation reads from the switch itself (its
 * ports, its connection, what a dump found) changed since it was last
 * computed, vtapd_switch_needs_sync() whether anything that decides what a
 * sync does (what it holds, what it acknowledged or refused) changed since
 * the last sync; a switch for which neither is true, and whose definitions
 * did not change, is neither computed nor compared. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct smap;
struct uuid;
struct vtapd_counters;
struct vtap_port_fact;
struct vtap_switch_state;
struct vtap_tap_def;
struct vtapd_switch;

struct vtapd_switch *vtapd_switch_create(const char *name,
                                         const char *bridge,
                                         const char *ovsdb_remote,
                                         const char *openflow_remote);
void vtapd_switch_destroy(struct vtapd_switch *);
bool vtapd_switch_has_config(const struct vtapd_switch *, const char *bridge,
                             const char *ovsdb_remote,
                             const char *openflow_remote);

void vtapd_switch_run(struct vtapd_switch *);
void vtapd_switch_wait(struct vtapd_switch *);

bool vtapd_switch_needs_compute(const struct vtapd_switch *);
bool vtapd_switch_needs_sync(const struct vtapd_switch *);
bool vtapd_switch_get_ports(const struct vtapd_switch *,
                            struct vtap_port_fact **ports, size_t *n_ports);
void vtapd_switch_assign_ids(struct vtapd_switch *, struct vtap_tap_def **,
                             size_t n_taps);
void vtapd_switch_sync(struct vtapd_switch *,
                       struct vtap_switch_state *desired);
void vtapd_switch_resync(struct vtapd_switch *);
void vtapd_switch_set_cfg(struct vtapd_switch *, int64_t next_cfg);

int64_t vtapd_switch_get_applied_cfg(const struct vtapd_switch *);
unsigned int vtapd_switch_status_seqno(const struct vtapd_switch *);
void vtapd_switch_get_status(const struct vtapd_switch *, struct smap *);
const struct vtap_switch_state *vtapd_switch_get_desired(
    const struct vtapd_switch *);

/* How often vtapd reads a switch's counters, by default, in ms. */
#define VTAPD_STATS_INTERVAL_DEFAULT 5000

void vtapd_switch_set_stats_interval(struct vtapd_switch *, int interval);
void vtapd_switch_tap_counters(const struct vtapd_switch *,
                               const struct uuid *tap,
                               struct vtapd_counters *);
void vtapd_switch_source_counters(const struct vtapd_switch *,
                                  const struct uuid *source,
                                  struct vtapd_counters *);

void vtapd_switch_show_desired(const struct vtapd_switch *, struct ds *);
void vtapd_switch_show_installed(const struct vtapd_switch *, struct ds *);
void vtapd_switch_show_counters(const struct vtapd_switch *, struct ds *);

#endif /* vtapd-switch.h */
