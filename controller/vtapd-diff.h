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

#ifndef VTAPD_DIFF_H
#define VTAPD_DIFF_H 1

/* vtapd's pure helpers: which flow-mods turn the flows a switch holds into
 * the flows it must hold.  (What a Filter_Rule row means to the translation
 * is db/vtapdb-check.h's vtapdb_rule_to_mirror_filter().)
 * No I/O, no IDL: values in, values out.
 *
 * Flows are compared as a switch compares them, by table, priority and
 * match, found through hash maps, and their actions as bytes: actions are
 * normalised once, when vtapd takes them in (vtapd_normalize_actions()),
 * into the form a switch's dump decodes to, so that equal actions are equal
 * bytes. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/compiler.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofp-protocol.h"

struct ofpact;
struct vtap_flow;
struct vtap_group;
struct vtap_meter;

/* What one flow-mod does. */
enum vtapd_flow_op_type {
    VTAPD_FLOW_ADD,             /* Add a flow the switch lacks, or replace
                                 * one whose cookie differs. */
    VTAPD_FLOW_MODIFY,          /* Change a flow's actions. */
    VTAPD_FLOW_DELETE,          /* Delete a flow that must go. */
};

/* One flow-mod to send. */
struct vtapd_flow_op {
    enum vtapd_flow_op_type type;
    const struct vtap_flow *flow; /* Desired flow, or installed for DELETE. */
};

/* Flows keyed as a switch keys them: table, priority and match. */
struct vtapd_flow_table {
    struct hmap flows;          /* Of struct vtapd_flow_node. */
};

/* A flow in a vtapd_flow_table. */
struct vtapd_flow_node {
    struct hmap_node node;      /* By vtapd_flow_hash(). */
    struct vtap_flow *flow;     /* Owned, with its actions. */
};

#define VTAPD_FLOW_TABLE_FOR_EACH(FLOW, NODE, TABLE)                    \
    HMAP_FOR_EACH (NODE, node, &(TABLE)->flows)                         \
        if (((FLOW) = (NODE)->flow), true)

void vtapd_flow_table_init(struct vtapd_flow_table *);
void vtapd_flow_table_destroy(struct vtapd_flow_table *);
void vtapd_flow_table_clear(struct vtapd_flow_table *);
void vtapd_flow_table_swap(struct vtapd_flow_table *,
                           struct vtapd_flow_table *);
size_t vtapd_flow_table_count(const struct vtapd_flow_table *);
void vtapd_flow_table_add(struct vtapd_flow_table *,
                          const struct vtap_flow *);
const struct vtap_flow *vtapd_flow_table_find(const struct vtapd_flow_table *,
                                              const struct vtap_flow *);

size_t vtapd_diff_flows(const struct vtap_flow *desired, size_t n_desired,
                        const struct vtapd_flow_table *installed,
                        struct vtapd_flow_op **ops);

bool vtapd_normalize_instructions(struct ofpact **, size_t *len,
                                  enum ofp_version);
bool vtapd_normalize_actions(struct ofpact **, size_t *len,
                             enum ofp_version);

/* What one group-mod or meter-mod does. */
enum vtapd_id_op_type {
    VTAPD_ID_ADD,               /* Add a group or meter the switch lacks. */
    VTAPD_ID_MODIFY,            /* Change one that differs. */
    VTAPD_ID_DELETE,            /* Delete one that must go. */
};

/* One group-mod or meter-mod to send. */
struct vtapd_id_op {
    enum vtapd_id_op_type type;
    size_t index;               /* Into the desired array, or into the
                                 * installed one for VTAPD_ID_DELETE. */
};

size_t vtapd_diff_groups(const struct vtap_group *desired, size_t n_desired,
                         const struct vtap_group *installed,
                         size_t n_installed, struct vtapd_id_op **ops);
size_t vtapd_diff_meters(const struct vtap_meter *desired, size_t n_desired,
                         const struct vtap_meter *installed,
                         size_t n_installed, struct vtapd_id_op **ops);

#endif /* vtapd-diff.h */
