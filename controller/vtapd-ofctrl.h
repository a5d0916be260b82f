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

#ifndef VTAPD_OFCTRL_H
#define VTAPD_OFCTRL_H 1

/* The OpenFlow side of one switch that vtapd programs, as OVN's
 * controller/ofctrl.c: a connection to its bridge, what vtapd owns there
 * (flows in its cookie space, groups and meters with IDs in its space) as
 * the switch last reported it and as vtapd's own messages since changed it,
 * and the messages that make it hold the desired state.
 *
 * What is installed is dumped from the switch each time the connection
 * comes up.  vtapd_ofctrl_sync() compares the desired flows, groups and
 * meters with it and sends only the difference: meters first, outside any
 * bundle (bundles cannot carry meter-mods), then group-mods and flow-mods
 * in one atomic bundle, whose commit follows a barrier.  A bundle that
 * failed took no effect: the installed state is dumped again and the next
 * bundle waits, with backoff.  One bundle at most is in flight, and nothing
 * new is sent while the connection's queue holds messages, so a slow switch
 * never makes vtapd queue without bound.
 *
 * vtapd_ofctrl_seqno() moves whenever a sync might now do something it
 * could not before: the connection came up, a dump or a bundle completed or
 * failed, meter-mods were acknowledged, a backoff ended, the queue
 * drained.  A switch whose number did not move, and whose desired state did
 * not change, has nothing to sync. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/ofp-protocol.h"

struct ds;
struct smap;
struct uuid;
struct vtap_switch_state;
struct vtapd_counters;
struct vtapd_ofctrl;

struct vtapd_ofctrl *vtapd_ofctrl_create(const char *name,
                                         const char *remote,
                                         void (*report_error)(void *aux,
                                                              char *error),
                                         void *aux);
void vtapd_ofctrl_destroy(struct vtapd_ofctrl *);

void vtapd_ofctrl_run(struct vtapd_ofctrl *);
void vtapd_ofctrl_wait(struct vtapd_ofctrl *);

unsigned int vtapd_ofctrl_seqno(const struct vtapd_ofctrl *);
unsigned int vtapd_ofctrl_facts_seqno(const struct vtapd_ofctrl *);
bool vtapd_ofctrl_is_ready(const struct vtapd_ofctrl *);
enum ofp_version vtapd_ofctrl_version(const struct vtapd_ofctrl *);
void vtapd_ofctrl_normalize(const struct vtapd_ofctrl *,
                            struct vtap_switch_state *);
bool vtapd_ofctrl_sync(struct vtapd_ofctrl *,
                       const struct vtap_switch_state *desired);

bool vtapd_ofctrl_installed_id(const struct vtapd_ofctrl *, uint64_t cookie,
                               uint32_t *id);

void vtapd_ofctrl_get_status(const struct vtapd_ofctrl *, struct smap *);
void vtapd_ofctrl_show_installed(const struct vtapd_ofctrl *, struct ds *);
const char *vtapd_ofctrl_state_name(const struct vtapd_ofctrl *);
uint64_t vtapd_ofctrl_n_sent(const struct vtapd_ofctrl *);

void vtapd_ofctrl_set_stats_interval(struct vtapd_ofctrl *, int interval);
void vtapd_ofctrl_tap_counters(const struct vtapd_ofctrl *,
                               const struct vtap_switch_state *desired,
                               const struct uuid *tap, uint32_t id,
                               struct vtapd_counters *);

void vtapd_format_flows(const struct vtap_switch_state *, struct ds *);

#endif /* vtapd-ofctrl.h */
