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
#include "controller/vtapd-metrics.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "controller/vtapd-snapshot.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "util.h"

/* One label of a sample: NAME="VALUE". */
struct label {
    const char *name;
    const char *value;
};

/* Writes 'value' into 'out' as the text format wants a label value: with
 * backslash, double quote and line feed escaped, and nothing else, since
 * the value is UTF-8 and the database holds only UTF-8. */
void
vtapd_metrics_escape_label(const char *value, struct ds *out)
{
    for (const char *p = value; *p; p++) {
        switch (*p) {
        case '\\':
            ds_put_cstr(out, "\\\\");
            break;
        case '"':
            ds_put_cstr(out, "\\\"");
            break;
        case '\n':
            ds_put_cstr(out, "\\n");
            break;
        default:
            ds_put_char(out, *p);
        }
    }
}

/* Writes the HELP and TYPE lines of family 'name'.  'help' is a constant
 * of ours that needs no escaping. */
static void
put_family(struct ds *out, const char *name, const char *type,
           const char *help)
{
    ds_put_format(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                  type);
}

/* Writes one sample of 'name' with the 'n' 'labels' (a null value leaves
 * a label out) and 'value'. */
static void
put_sample(struct ds *out, const char *name, const struct label labels[],
           size_t n, uint64_t value)
{
    bool first = true;

    ds_put_cstr(out, name);
    for (size_t i = 0; i < n; i++) {
        if (labels[i].value) {
            ds_put_format(out, "%s%s=\"", first ? "{" : ",", labels[i].name);
            vtapd_metrics_escape_label(labels[i].value, out);
            ds_put_char(out, '"');
            first = false;
        }
    }
    ds_put_format(out, "%s %"PRIu64"\n", first ? "" : "}", value);
}

/* Parses counter 'key' of 'stats' into '*value'.  Returns false if it is
 * absent or not a count: a counter that vtapd has not written yet is left
 * out rather than shown as zero. */
static bool
get_counter(const struct smap *stats, const char *key, uint64_t *value)
{
    const char *s = smap_get(stats, key);

    unsigned long long int n;

    /* strtoull() would take "-1" for a huge count. */
    if (!s || !isdigit((unsigned char) s[0])
        || !str_to_ullong(s, 10, &n)) {
        return false;
    }
    *value = n;
    return true;
}

/* A counter of Tap.statistics or Tap_Source.statistics: its key there, its
 * metric name and its help. */
struct counter {
    const char *key;
    const char *name;
    const char *help;
};

static const struct counter tap_counters[] = {
    { "candidate_packets", "vtap_tap_candidate_packets_total",
      "Packets that passed the filter at the Tap's spokes, before sampling." },
    { "candidate_bytes", "vtap_tap_candidate_bytes_total",
      "Bytes of the packets that passed the filter at the Tap's spokes." },
    { "hub_packets", "vtap_tap_hub_packets_total",
      "Copies the hub received for the Tap." },
    { "hub_bytes", "vtap_tap_hub_bytes_total",
      "Bytes of the copies the hub received for the Tap." },
    { "meter_dropped_packets", "vtap_tap_meter_dropped_packets_total",
      "Copies the Tap's rate limit dropped at the hub." },
    { "meter_dropped_bytes", "vtap_tap_meter_dropped_bytes_total",
      "Bytes of the copies the Tap's rate limit dropped at the hub." },
    { "delivered_packets", "vtap_tap_delivered_packets_total",
      "Copies the hub sent on to the Tap's collectors." },
    { "delivered_bytes", "vtap_tap_delivered_bytes_total",
      "Bytes of the copies the hub sent on to the Tap's collectors." },
};

static const struct counter source_counters[] = {
    { "candidate_packets", "vtap_source_candidate_packets_total",
      "Packets the source's Mirror selected and its filter accepted." },
    { "candidate_bytes", "vtap_source_candidate_bytes_total",
      "Bytes of the packets the source's Mirror selected and its filter "
      "accepted." },
    { "tx_packets", "vtap_source_tx_packets_total",
      "Copies the source sent (counted without sampling, or with a rate "
      "limit)." },
    { "tx_bytes", "vtap_source_tx_bytes_total",
      "Bytes of the copies the source sent (counted without sampling, or "
      "with a rate limit)." },
    { "meter_dropped_packets", "vtap_source_meter_dropped_packets_total",
      "Copies the Tap's rate limit dropped at the source's spoke." },
    { "meter_dropped_bytes", "vtap_source_meter_dropped_bytes_total",
      "Bytes of the copies the Tap's rate limit dropped at the source's "
      "spoke." },
    { "oversize_packets", "vtap_source_oversize_packets_total",
      "Candidates whose copies were too long for the underlay MTU, dropped "
      "or truncated." },
    { "oversize_bytes", "vtap_source_oversize_bytes_total",
      "Bytes of the candidates whose copies were too long for the underlay "
      "MTU." },
};

/* Writes family 'c' of the taps' counters. */
static void
put_tap_counter(const struct vtapd_snapshot *snap, const struct counter *c,
                struct ds *out)
{
    put_family(out, c->name, "counter", c->help);
    for (size_t i = 0; i < snap->n_taps; i++) {
        const struct vtapd_snapshot_tap *tap = &snap->taps[i];
        struct label labels[] = { { "tap", tap->name } };
        uint64_t value;

        if (get_counter(&tap->statistics, c->key, &value)) {
            put_sample(out, c->name, labels, ARRAY_SIZE(labels), value);
        }
    }
}

/* Writes family 'name' from the per-collector counters of the taps: the
 * statistics keys "PREFIX:IP" (e.g. "collector_packets:10.0.0.9"), with the
 * IP as label "collector". */
static void
put_collector_counter(const struct vtapd_snapshot *snap, const char *prefix,
                      const char *name, const char *help, struct ds *out)
{
    size_t prefix_len = strlen(prefix);

    put_family(out, name, "counter", help);
    for (size_t i = 0; i < snap->n_taps; i++) {
        const struct vtapd_snapshot_tap *tap = &snap->taps[i];
        const struct smap_node **nodes = smap_sort(&tap->statistics);

        for (size_t j = 0; j < smap_count(&tap->statistics); j++) {
            const char *key = nodes[j]->key;
            uint64_t value;

            if (!strncmp(key, prefix, prefix_len) && key[prefix_len] == ':'
                && key[prefix_len + 1]
                && get_counter(&tap->statistics, key, &value)) {
                struct label labels[] = {
                    { "tap", tap->name },
                    { "collector", key + prefix_len + 1 },
                };
                put_sample(out, name, labels, ARRAY_SIZE(labels), value);
            }
        }
        free(nodes);
    }
}

/* Writes family 'c' of the sources' counters, with the labels that
 * identify a source: tap, switch, and port or iface_id. */
static void
put_source_counter(const struct vtapd_snapshot *snap,
                   const struct counter *c, struct ds *out)
{
    put_family(out, c->name, "counter", c->help);
    for (size_t i = 0; i < snap->n_sources; i++) {
        const struct vtapd_snapshot_source *src = &snap->sources[i];
        struct label labels[] = {
            { "tap", src->tap },
            { "switch", src->sw },
            { "port", src->port },
            { "iface_id", src->iface_id },
        };
        uint64_t value;

        if (get_counter(&src->statistics, c->key, &value)) {
            put_sample(out, c->name, labels, ARRAY_SIZE(labels), value);
        }
    }
}

/* Writes gauge 'name', 1 for each tap whose status "state" is "ok" and 0
 * for the others. */
static void
put_tap_ok(const struct vtapd_snapshot *snap, struct ds *out)
{
    const char *name = "vtap_tap_ok";

    put_family(out, name, "gauge",
               "1 if vtapd found no problem with the Tap, 0 if its status "
               "reports one.");
    for (size_t i = 0; i < snap->n_taps; i++) {
        const struct vtapd_snapshot_tap *tap = &snap->taps[i];
        struct label labels[] = { { "tap", tap->name } };
        const char *state = smap_get(&tap->status, "state");

        if (state) {
            put_sample(out, name, labels, ARRAY_SIZE(labels),
                       !strcmp(state, "ok"));
        }
    }
}

/* Writes gauge vtap_pool_member_up: for each member of each pool, 0 if it is
 * marked down (vtapctl collector-down), 1 otherwise.  Reads the pools as
 * the REST API shows them, which the snapshot already holds. */
static void
put_pool_members(const struct vtapd_snapshot *snap, struct ds *out)
{
    const char *name = "vtap_pool_member_up";
    const struct json *pools = snap->collections[VTAPD_POOLS];

    put_family(out, name, "gauge",
               "0 if the pool member is marked down (drained), 1 if it "
               "receives its share of the pool's flows.");
    for (size_t i = 0; pools && i < pools->array.n; i++) {
        const struct shash *pool = json_object(pools->array.elems[i]);
        const struct json *members = shash_find_data(pool, "members");
        const char *pool_name = json_string(shash_find_data(pool, "name"));

        for (size_t j = 0; members && j < members->array.n; j++) {
            const struct shash *member = json_object(members->array.elems[j]);
            const struct json *down = shash_find_data(member, "down");
            struct label labels[] = {
                { "pool", pool_name },
                { "collector", json_string(shash_find_data(member, "ip")) },
            };

            put_sample(out, name, labels, ARRAY_SIZE(labels),
                       !(down && down->type == JSON_TRUE));
        }
    }
}

/* Writes gauge 'name', for each switch whose status has 'key': 1 if its
 * value is 'up', 0 otherwise. */
static void
put_switch_state(const struct vtapd_snapshot *snap, const char *name,
                 const char *key, const char *up, const char *help,
                 struct ds *out)
{
    put_family(out, name, "gauge", help);
    for (size_t i = 0; i < snap->n_switches; i++) {
        const struct vtapd_snapshot_switch *sw = &snap->switches[i];
        struct label labels[] = { { "switch", sw->name } };
        const char *value = smap_get(&sw->status, key);

        if (value) {
            put_sample(out, name, labels, ARRAY_SIZE(labels),
                       !strcmp(value, up));
        }
    }
}

/* Writes the families of the switches: their connection states, whether
 * they are enabled, and the configuration each applied. */
static void
put_switches(const struct vtapd_snapshot *snap, struct ds *out)
{
    const char *name;

    put_switch_state(snap, "vtap_switch_connected", "connected", "true",
                     "1 if vtapd is connected to both the switch's OVSDB "
                     "and OpenFlow remotes.", out);
    put_switch_state(snap, "vtap_switch_ovsdb_connected", "ovsdb",
                     "connected", "1 if vtapd is connected to the switch's "
                     "OVSDB remote.", out);
    put_switch_state(snap, "vtap_switch_openflow_connected", "openflow",
                     "connected", "1 if vtapd is connected to the switch's "
                     "OpenFlow remote.", out);

    name = "vtap_switch_enabled";
    put_family(out, name, "gauge",
               "1 if the switch is enabled, 0 if vtapd leaves it alone.");
    for (size_t i = 0; i < snap->n_switches; i++) {
        struct label labels[] = { { "switch", snap->switches[i].name } };
        put_sample(out, name, labels, 1, snap->switches[i].enabled);
    }

    name = "vtap_switch_applied_cfg";
    put_family(out, name, "gauge",
               "The configuration number the switch last applied (compare "
               "with vtap_next_cfg).");
    for (size_t i = 0; i < snap->n_switches; i++) {
        struct label labels[] = { { "switch", snap->switches[i].name } };
        put_sample(out, name, labels, 1,
                   MAX(snap->switches[i].applied_cfg, 0));
    }
}

/* Writes 'snap' into 'out' as /metrics shows it.  Every family has its
 * HELP and TYPE lines even without a sample, so that the set of families
 * does not depend on the database's contents. */
void
vtapd_metrics_format(const struct vtapd_snapshot *snap, struct ds *out)
{
    put_family(out, "vtap_database_connected", "gauge",
               "1 if vtapd is connected to the TAP database.");
    put_sample(out, "vtap_database_connected", NULL, 0, snap->connected);

    put_family(out, "vtap_next_cfg", "gauge",
               "The configuration number the TAP database asks for.");
    if (snap->has_global) {
        put_sample(out, "vtap_next_cfg", NULL, 0, MAX(snap->next_cfg, 0));
    }

    put_switches(snap, out);

    put_tap_ok(snap, out);
    for (size_t i = 0; i < ARRAY_SIZE(tap_counters); i++) {
        put_tap_counter(snap, &tap_counters[i], out);
    }
    put_collector_counter(snap, "collector_packets",
                          "vtap_tap_collector_packets_total",
                          "Copies the hub sent to one collector of the "
                          "Tap's pool.", out);
    put_collector_counter(snap, "collector_bytes",
                          "vtap_tap_collector_bytes_total",
                          "Bytes of the copies the hub sent to one "
                          "collector of the Tap's pool.", out);

    for (size_t i = 0; i < ARRAY_SIZE(source_counters); i++) {
        put_source_counter(snap, &source_counters[i], out);
    }

    put_pool_members(snap, out);
}
