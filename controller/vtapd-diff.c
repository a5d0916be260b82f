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
#include "controller/vtapd-diff.h"

#include <string.h>
#include "flows/vtap-flows.h"
#include "mirror-filter.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "util.h"

/* Parses 'text', a CIDR or a port range, into 'dst' with 'parse', and sets
 * '*has' if 'text' is nonnull.  Returns NULL or an error message prefixed by
 * 'column'. */
#define PARSE_OPTIONAL(TEXT, PARSE, DST, HAS, COLUMN)                   \
    ((TEXT) ? parse_optional__(PARSE(TEXT, DST), &(HAS), COLUMN) : NULL)

static char *
parse_optional__(char *error, bool *has, const char *column)
{
    if (error) {
        char *msg = xasprintf("%s: %s", column, error);
        free(error);
        return msg;
    }
    *has = true;
    return NULL;
}

/* Converts the columns of a Filter_Rule row into 'rule', the form the
 * translation and ovs-vswitchd's filter_rules use: an egress rule (packets
 * from the VM) applies to packets the port sends, MIRROR_FILTER_FROM_PORT;
 * an ingress rule to packets sent to the port, MIRROR_FILTER_TO_PORT.
 * 'protocol' is NULL for any protocol.  Returns NULL, or an error message
 * the caller must free. */
char *
vtapd_rule_from_db(const char *direction, int64_t number,
                   const char *action, const int64_t *protocol,
                   const char *src_cidr, const char *dst_cidr,
                   const char *src_port, const char *dst_port,
                   struct mirror_filter_rule *rule)
{
    char *error;

    memset(rule, 0, sizeof *rule);
    if (!strcmp(direction, "egress")) {
        rule->directions = MIRROR_FILTER_FROM_PORT;
    } else if (!strcmp(direction, "ingress")) {
        rule->directions = MIRROR_FILTER_TO_PORT;
    } else {
        return xasprintf("direction: \"%s\" is not ingress or egress",
                         direction);
    }
    if (number < MIRROR_FILTER_NUMBER_MIN
        || number > MIRROR_FILTER_NUMBER_MAX) {
        return xasprintf("number: %"PRId64" is not between %d and %d",
                         number, MIRROR_FILTER_NUMBER_MIN,
                         MIRROR_FILTER_NUMBER_MAX);
    }
    rule->number = number;
    if (!strcmp(action, "accept") || !strcmp(action, "reject")) {
        rule->accept = !strcmp(action, "accept");
    } else {
        return xasprintf("action: \"%s\" is not accept or reject", action);
    }
    if (protocol && (*protocol < 0 || *protocol > 255)) {
        return xasprintf("protocol: %"PRId64" is not between 0 and 255",
                         *protocol);
    }
    rule->proto = protocol ? *protocol : -1;

    error = PARSE_OPTIONAL(src_cidr, vtap_parse_cidr, &rule->src,
                           rule->has_src, "src_cidr");
    if (!error) {
        error = PARSE_OPTIONAL(dst_cidr, vtap_parse_cidr, &rule->dst,
                               rule->has_dst, "dst_cidr");
    }
    if (!error) {
        error = PARSE_OPTIONAL(src_port, vtap_parse_port_range,
                               &rule->src_ports, rule->has_src_ports,
                               "src_port");
    }
    if (!error) {
        error = PARSE_OPTIONAL(dst_port, vtap_parse_port_range,
                               &rule->dst_ports, rule->has_dst_ports,
                               "dst_port");
    }
    return error;
}

/* Returns true if 'a' and 'b' are the same OpenFlow flow: the same table,
 * priority and match, which a *_STRICT flow-mod names. */
static bool
same_flow(const struct vtap_flow *a, const struct vtap_flow *b)
{
    return (a->table_id == b->table_id
            && a->priority == b->priority
            && match_equal(&a->match, &b->match));
}

static void
add_op(struct vtapd_flow_op **ops, size_t *n, size_t *allocated,
       enum vtapd_flow_op_type type, const struct vtap_flow *flow)
{
    if (*n >= *allocated) {
        *ops = x2nrealloc(*ops, allocated, sizeof **ops);
    }
    (*ops)[*n].type = type;
    (*ops)[*n].flow = flow;
    (*n)++;
}

/* Computes the flow-mods that turn the 'n_installed' flows in 'installed'
 * into the 'n_desired' flows in 'desired': deletions first, then additions
 * and modifications.  A flow is the same flow in both if its table,
 * priority and match are.  A flow whose actions differ (as text: actions
 * built separately may differ in padding bytes) is modified.  A flow whose
 * cookie differs is added again, which replaces it: a modification cannot
 * change a cookie in OpenFlow 1.1 and later.  Stores a newly allocated
 * array in '*ops' (NULL if none) and returns its length.  The operations
 * point into 'desired' and 'installed'. */
size_t
vtapd_diff_flows(const struct vtap_flow *desired, size_t n_desired,
                 const struct vtap_flow *installed, size_t n_installed,
                 struct vtapd_flow_op **ops)
{
    size_t n = 0, allocated = 0;

    *ops = NULL;
    for (size_t i = 0; i < n_installed; i++) {
        bool found = false;

        for (size_t j = 0; j < n_desired && !found; j++) {
            found = same_flow(&installed[i], &desired[j]);
        }
        if (!found) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_DELETE, &installed[i]);
        }
    }
    for (size_t i = 0; i < n_desired; i++) {
        const struct vtap_flow *d = &desired[i];
        const struct vtap_flow *have = NULL;

        for (size_t j = 0; j < n_installed && !have; j++) {
            if (same_flow(d, &installed[j])) {
                have = &installed[j];
            }
        }
        if (!have || have->cookie != d->cookie) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_ADD, d);
        } else if (!ofpacts_equal_stringwise(have->ofpacts, have->ofpacts_len,
                                             d->ofpacts, d->ofpacts_len)) {
            add_op(ops, &n, &allocated, VTAPD_FLOW_MODIFY, d);
        }
    }
    return n;
}
