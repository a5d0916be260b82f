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

/* Unit tests for controller/vtapd-metrics.c: a snapshot in Prometheus's
 * text format, label escaping, and counters that are absent or bad. */

#include <config.h>
#include "controller/vtapd-metrics.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "controller/vtapd-snapshot.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "smap.h"
#include "util.h"

static char *
escape(const char *value)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    vtapd_metrics_escape_label(value, &s);
    return ds_steal_cstr(&s);
}

static void
assert_escape(const char *value, const char *expected)
{
    char *s = escape(value);
    assert_string_equal(s, expected);
    free(s);
}

static void
test_escape(void **state OVS_UNUSED)
{
    assert_escape("plain", "plain");
    assert_escape("", "");
    assert_escape("a\"b", "a\\\"b");
    assert_escape("a\\b", "a\\\\b");
    assert_escape("a\nb", "a\\nb");
    assert_escape("\\\"\n", "\\\\\\\"\\n");
    /* UTF-8 passes as it is. */
    assert_escape("caf\xc3\xa9", "caf\xc3\xa9");
}

/* Returns a snapshot with a switch, two taps and two sources. */
static struct vtapd_snapshot *
make_snapshot(void)
{
    struct vtapd_snapshot *snap = vtapd_snapshot_create();

    snap->connected = true;
    snap->has_global = true;
    snap->next_cfg = 4;

    snap->n_switches = 1;
    snap->switches = xcalloc(1, sizeof *snap->switches);
    snap->switches[0].name = xstrdup("hub");
    snap->switches[0].enabled = true;
    snap->switches[0].applied_cfg = 3;
    smap_init(&snap->switches[0].status);
    smap_add(&snap->switches[0].status, "connected", "false");
    smap_add(&snap->switches[0].status, "ovsdb", "connected");
    smap_add(&snap->switches[0].status, "openflow", "disconnected");

    snap->n_taps = 2;
    snap->taps = xcalloc(2, sizeof *snap->taps);
    snap->taps[0].name = xstrdup("t1");
    smap_init(&snap->taps[0].status);
    smap_add(&snap->taps[0].status, "state", "ok");
    smap_init(&snap->taps[0].statistics);
    smap_add(&snap->taps[0].statistics, "candidate_packets", "10");
    smap_add(&snap->taps[0].statistics, "collector_packets:10.0.0.9", "4");
    smap_add(&snap->taps[0].statistics, "collector_packets:2001:db8::1",
             "6");
    smap_add(&snap->taps[0].statistics, "collector_packets:", "1");
    smap_add(&snap->taps[0].statistics, "hub_packets", "-1");
    smap_add(&snap->taps[0].statistics, "hub_bytes", "12x");
    snap->taps[1].name = xstrdup("t2");
    smap_init(&snap->taps[1].status);
    smap_add(&snap->taps[1].status, "state", "error");
    smap_init(&snap->taps[1].statistics);

    snap->n_sources = 2;
    snap->sources = xcalloc(2, sizeof *snap->sources);
    snap->sources[0].tap = xstrdup("t1");
    snap->sources[0].sw = xstrdup("hub");
    snap->sources[0].port = xstrdup("vm\"1\\");
    smap_init(&snap->sources[0].statistics);
    smap_add(&snap->sources[0].statistics, "tx_packets",
             "18446744073709551615");
    snap->sources[1].tap = xstrdup("t1");
    snap->sources[1].sw = xstrdup("hub");
    snap->sources[1].iface_id = xstrdup("5f1c");
    smap_init(&snap->sources[1].statistics);
    smap_add(&snap->sources[1].statistics, "candidate_bytes", "0");

    /* A pool with a member marked down, as the REST API shows it. */
    json_destroy(snap->collections[VTAPD_POOLS]);
    snap->collections[VTAPD_POOLS] = json_from_string(
        "[{\"name\": \"tools\", \"members\": ["
        "{\"ip\": \"10.0.0.9\", \"weight\": 1, \"down\": false}, "
        "{\"ip\": \"10.0.0.10\", \"weight\": 2, \"down\": true}]}]");
    return snap;
}

/* Returns the lines of 'text' that start with 'prefix', joined. */
static char *
grep(const char *text, const char *prefix)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t len = strlen(prefix);

    for (const char *line = text; *line; ) {
        const char *end = strchr(line, '\n');
        size_t n = end ? end - line + 1 : strlen(line);

        if (!strncmp(line, prefix, len)) {
            ds_put_buffer(&s, line, n);
        }
        line += n;
    }
    return ds_steal_cstr(&s);
}

static void
assert_lines(const char *text, const char *prefix, const char *expected)
{
    char *lines = grep(text, prefix);
    assert_string_equal(lines, expected);
    free(lines);
}

static void
test_format(void **state OVS_UNUSED)
{
    struct vtapd_snapshot *snap = make_snapshot();
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *text;

    vtapd_metrics_format(snap, &s);
    text = ds_cstr(&s);

    assert_lines(text, "vtap_database_connected", "vtap_database_connected 1\n");
    assert_lines(text, "vtap_next_cfg", "vtap_next_cfg 4\n");
    assert_lines(text, "vtap_switch_connected",
                 "vtap_switch_connected{switch=\"hub\"} 0\n");
    assert_lines(text, "vtap_switch_ovsdb_connected",
                 "vtap_switch_ovsdb_connected{switch=\"hub\"} 1\n");
    assert_lines(text, "vtap_switch_applied_cfg",
                 "vtap_switch_applied_cfg{switch=\"hub\"} 3\n");
    assert_lines(text, "vtap_tap_ok",
                 "vtap_tap_ok{tap=\"t1\"} 1\nvtap_tap_ok{tap=\"t2\"} 0\n");
    assert_lines(text, "vtap_tap_candidate_packets_total",
                 "vtap_tap_candidate_packets_total{tap=\"t1\"} 10\n");
    /* Absent, negative and malformed counters are left out. */
    assert_lines(text, "vtap_tap_hub_", "");
    assert_lines(text, "vtap_tap_collector_packets_total",
                 "vtap_tap_collector_packets_total{tap=\"t1\","
                 "collector=\"10.0.0.9\"} 4\n"
                 "vtap_tap_collector_packets_total{tap=\"t1\","
                 "collector=\"2001:db8::1\"} 6\n");
    assert_lines(text, "vtap_source_tx_packets_total",
                 "vtap_source_tx_packets_total{tap=\"t1\",switch=\"hub\","
                 "port=\"vm\\\"1\\\\\"} 18446744073709551615\n");
    assert_lines(text, "vtap_source_candidate_bytes_total",
                 "vtap_source_candidate_bytes_total{tap=\"t1\","
                 "switch=\"hub\",iface_id=\"5f1c\"} 0\n");
    assert_lines(text, "vtap_pool_member_up",
                 "vtap_pool_member_up{pool=\"tools\",collector=\"10.0.0.9\"}"
                 " 1\n"
                 "vtap_pool_member_up{pool=\"tools\","
                 "collector=\"10.0.0.10\"} 0\n");

    /* Each family once, HELP before TYPE before its samples. */
    assert_lines(text, "# TYPE vtap_tap_hub_packets_total",
                 "# TYPE vtap_tap_hub_packets_total counter\n");
    assert_lines(text, "# HELP vtap_next_cfg ",
                 "# HELP vtap_next_cfg The configuration number the TAP "
                 "database asks for.\n");
    assert_true(strstr(text, "# TYPE vtap_next_cfg gauge\nvtap_next_cfg 4\n")
                != NULL);

    ds_destroy(&s);
    vtapd_snapshot_unref(snap);
}

/* An empty, disconnected snapshot still has every family. */
static void
test_empty(void **state OVS_UNUSED)
{
    struct vtapd_snapshot *snap = vtapd_snapshot_create();
    struct ds s = DS_EMPTY_INITIALIZER;
    char *types;

    vtapd_metrics_format(snap, &s);
    assert_lines(ds_cstr(&s), "vtap_", "vtap_database_connected 0\n");
    types = grep(ds_cstr(&s), "# TYPE ");
    assert_true(strstr(types, "# TYPE vtap_source_tx_bytes_total counter\n")
                != NULL);
    free(types);
    ds_destroy(&s);
    vtapd_snapshot_unref(snap);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_empty),
    };

    return cmocka_run_group_tests_name("vtapd-metrics", tests, NULL, NULL);
}
