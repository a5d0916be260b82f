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

#ifndef VTAPD_INPUT_H
#define VTAPD_INPUT_H 1

/* The translation's input (flows/vtap-flows.h) for one switch, built from
 * the TAP database: only what that switch's computation reads, found
 * through the IDL's indexes (sources by switch, Taps by hub), so that
 * computing one switch costs its own sources and Taps, not the fleet's.
 *
 * For a spoke: the sources that name it, their Taps, filters and rules,
 * and the Taps' hubs.  For a hub: also the Taps delivered through it, with
 * their pools. */

#include <stddef.h>
#include "flows/vtap-flows.h"

struct ovsdb_idl;
struct vtaprec_switch;

/* The input for one switch.  Its strings belong to the IDLs. */
struct vtapd_input {
    struct vtap_input in;       /* What the translation reads. */
    struct vtap_switch_def *sw; /* The switch computed. */
    struct vtap_switch_def *switches; /* It, then the hubs of its Taps. */
    size_t n_switches;
    struct vtap_tap_def *taps;  /* Writable: vtapd sets 'id' on a hub. */
    struct vtap_collector_def **pools; /* Parallel to 'taps'. */
    struct vtap_filter_def *filters;
    struct mirror_filter_rule **rules; /* Parallel to 'filters'. */
    struct uuid **rule_uuids;   /* Parallel to 'filters'. */
    size_t n_filters;
    struct vtap_source_def *sources;
    struct vtap_problem *problems; /* Sources left out, and why. */
    size_t n_problems;
    struct uuid *left_out_reads; /* The rows read to leave them out (each
                                  * source, its filter and rules), which
                                  * the translation's input does not name:
                                  * a fix to one must compute the switch
                                  * again. */
    size_t n_left_out_reads;
};

void vtapd_input_register(struct ovsdb_idl *);
void vtapd_input_build(struct vtapd_input *, const struct vtaprec_switch *,
                       const struct vtap_port_fact *ports, size_t n_ports);
void vtapd_input_destroy(struct vtapd_input *);

enum vtap_direction vtapd_parse_direction(const char *);

#endif /* vtapd-input.h */
