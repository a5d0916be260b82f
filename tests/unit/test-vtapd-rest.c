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

/* Unit tests for controller/vtapd-rest.c: paths, methods and JSON bodies to
 * vtapctl command lines, the errors for bad requests, and lookups in a
 * snapshot. */

#include <config.h>
#include "controller/vtapd-rest.h"

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
#include "svec.h"
#include "util.h"

/* Parses a request for 'method' on 'path' with 'body' and returns, as
 * text, "STATUS ARGV..." (the vtapctl command line of a write, joined by
 * spaces), "STATUS GET" for a read, or "STATUS error: MESSAGE". */
static char *
parse(enum vtapd_rest_method method, const char *path, const char *body)
{
    struct svec segments = SVEC_EMPTY_INITIALIZER;
    struct vtapd_rest_op op;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *copy = xstrdup(path + 1);
    char *error;
    int status;

    for (char *seg = copy, *end; seg; seg = end ? end + 1 : NULL) {
        end = strchr(seg, '/');
        if (end) {
            *end = '\0';
        }
        svec_add(&segments, seg);
    }
    free(copy);

    vtapd_rest_op_init(&op);
    status = vtapd_rest_parse(method, &segments, body, &op, &error);
    if (status) {
        ds_put_format(&s, "%d error: %s", status, error);
        free(error);
    } else if (!op.write) {
        ds_put_cstr(&s, "0 GET");
    } else {
        ds_put_format(&s, "%d", op.success_status);
        for (size_t i = 0; i < op.argv.n; i++) {
            ds_put_format(&s, " %s", op.argv.names[i]);
        }
    }
    vtapd_rest_op_destroy(&op);
    svec_destroy(&segments);
    return ds_steal_cstr(&s);
}

static void
assert_parse(enum vtapd_rest_method method, const char *path,
             const char *body, const char *expected)
{
    char *text = parse(method, path, body);
    assert_string_equal(text, expected);
    free(text);
}

#define POST VTAPD_REST_POST
#define DELETE VTAPD_REST_DELETE
#define GET VTAPD_REST_GET

static void
test_post_bodies(void **state OVS_UNUSED)
{
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t1\", \"collector_ip\": \"10.0.0.5\", "
                 "\"vni\": 7, \"sampling\": 0.25, \"enabled\": false, "
                 "\"rate_limit\": \"100pps\"}",
                 "201 tap-add t1 10.0.0.5 vni=7 sampling=0.25 "
                 "rate_limit=100pps enabled=false");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t2\", \"collector_pool\": \"p\", "
                 "\"sampling\": \"1/100\"}",
                 "201 tap-add t2 p sampling=1/100");
    /* JSON numbers as encoders write them: the shortest spelling that reads
     * back as the same double, never 9.9999999999999995e-07. */
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t4\", \"collector_ip\": \"10.0.0.5\", "
                 "\"sampling\": 0.000001}",
                 "201 tap-add t4 10.0.0.5 sampling=1e-06");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t5\", \"collector_ip\": \"10.0.0.5\", "
                 "\"sampling\": 1E-3}",
                 "201 tap-add t5 10.0.0.5 sampling=0.001");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t6\", \"collector_ip\": \"10.0.0.5\", "
                 "\"sampling\": 0.1}",
                 "201 tap-add t6 10.0.0.5 sampling=0.1");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t3\", \"collector_port\": \"ids0\", "
                 "\"hub\": \"h\"}",
                 "201 tap-add t3 local:ids0 hub=h");
    assert_parse(POST, "/v1/sources",
                 "{\"tap\": \"t1\", \"switch\": \"s1\", \"iface_id\": \"a\","
                 " \"direction\": \"ingress\"}",
                 "201 source-add t1 s1 iface-id=a direction=ingress");
    assert_parse(POST, "/v1/filters",
                 "{\"name\": \"web\", \"rules\": [{\"direction\": \"ingress\","
                 " \"number\": 10, \"action\": \"accept\", \"protocol\": 6, "
                 "\"dst_port\": \"80-90\"}, {\"direction\": \"egress\", "
                 "\"number\": 20, \"action\": \"reject\"}]}",
                 "201 filter-add web -- rule-add web ingress 10 accept "
                 "protocol=6 dst_port=80-90 -- rule-add web egress 20 "
                 "reject");
    assert_parse(POST, "/v1/filters/web/rules",
                 "{\"direction\": \"egress\", \"number\": 5, "
                 "\"action\": \"accept\", \"src_port\": 53}",
                 "201 rule-add web egress 5 accept src_port=53");
    assert_parse(POST, "/v1/collector-pools",
                 "{\"name\": \"p\", \"members\": [{\"ip\": \"10.0.0.9\"}, "
                 "{\"ip\": \"10.0.0.10\", \"weight\": 3}]}",
                 "201 collector-add p 10.0.0.9 -- collector-add p 10.0.0.10 "
                 "3");
    assert_parse(POST, "/v1/collector-pools/p/members",
                 "{\"ip\": \"10.0.0.11\"}",
                 "201 collector-add p 10.0.0.11");
}

static void
test_deletes_and_gets(void **state OVS_UNUSED)
{
    assert_parse(DELETE, "/v1/taps/t1", NULL, "204 tap-del t1");
    assert_parse(DELETE, "/v1/sources/t1/s1/iface-id=a", NULL,
                 "204 source-del t1 s1 iface-id=a");
    assert_parse(DELETE, "/v1/filters/web", NULL, "204 filter-del web");
    assert_parse(DELETE, "/v1/filters/web/rules/ingress/10", NULL,
                 "204 rule-del web ingress 10");
    assert_parse(DELETE, "/v1/collector-pools/p", NULL,
                 "204 collector-del p");
    assert_parse(DELETE, "/v1/collector-pools/p/members/10.0.0.9", NULL,
                 "204 collector-del p 10.0.0.9");
    assert_parse(GET, "/v1/switches", NULL, "0 GET");
    assert_parse(GET, "/v1/switches/s1", NULL, "0 GET");
    assert_parse(GET, "/v1/sources/t1/s1/vm1", NULL, "0 GET");
    assert_parse(GET, "/v1/filters/web/rules", NULL, "0 GET");
}

static void
test_bad_requests(void **state OVS_UNUSED)
{
    assert_parse(GET, "/v2/taps", NULL, "404 error: path: no such resource");
    assert_parse(GET, "/v1/taps/t1/x", NULL,
                 "404 error: path: no such resource");
    assert_parse(GET, "/v1//taps", NULL, "404 error: path: no such resource");
    assert_parse(GET, "/v1/sources/t1/s1", NULL,
                 "404 error: path: no such resource");
    assert_parse(DELETE, "/v1/taps/--", NULL,
                 "404 error: path: no such resource");
    assert_parse(POST, "/v1/switches", "{}",
                 "405 error: method: not allowed here (allowed: GET)");
    assert_parse(POST, "/v1/taps/t1", "{}",
                 "405 error: method: not allowed here (allowed: GET, "
                 "DELETE)");
    assert_parse(DELETE, "/v1/taps", NULL,
                 "405 error: method: not allowed here (allowed: GET, "
                 "POST)");
    assert_parse(VTAPD_REST_OTHER, "/v1/taps", NULL,
                 "405 error: method: not allowed here (allowed: GET, "
                 "POST)");
    assert_parse(DELETE, "/v1/taps/t1", "{}",
                 "400 error: body: not allowed with DELETE");
    assert_parse(POST, "/v1/taps", NULL,
                 "400 error: body: missing (expected a JSON object)");
    assert_parse(POST, "/v1/taps", "[1]",
                 "400 error: body: [1]: expected a JSON object");
    assert_parse(POST, "/v1/taps", "{\"name\": ",
                 "400 error: body: not valid JSON (line 0, column 9, byte 9: "
                 "unexpected end of input)");
    assert_parse(POST, "/v1/taps", "{\"zz\": 1, \"aa\": 2}",
                 "400 error: aa: unknown field (expected one of name, "
                 "collector_ip, collector_pool, collector_port, vni, "
                 "udp_port, snaplen, sampling, rate_limit, hub, enabled)");
    assert_parse(POST, "/v1/taps", "{\"collector_ip\": \"10.0.0.1\"}",
                 "400 error: name: missing (a required field)");
    assert_parse(POST, "/v1/taps", "{\"name\": \"t\"}",
                 "400 error: collector_ip or collector_pool or "
                 "collector_port: missing (a required field)");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_pool\": \"p\", "
                 "\"collector_port\": \"ids0\"}",
                 "400 error: collector_port: not allowed with "
                 "collector_pool");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_ip\": \"local:x\"}",
                 "400 error: collector_ip: \"local:x\": not an IPv4 or IPv6 "
                 "address");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_port\": \"a b\"}",
                 "400 error: collector_port: \"a b\": not a port name or "
                 "iface-id (expected 1 or more characters, no white space)");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_ip\": \"1.2.3.4\", "
                 "\"collector_pool\": \"p\"}",
                 "400 error: collector_pool: not allowed with collector_ip");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_ip\": \"1.2.3.4\", "
                 "\"vni\": 1.5}",
                 "400 error: vni: 1.5: expected an integer");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_ip\": \"1.2.3.4\", "
                 "\"enabled\": \"yes\"}",
                 "400 error: enabled: \"yes\": expected true or false");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_ip\": \"web\"}",
                 "400 error: collector_ip: \"web\": not an IPv4 or IPv6 "
                 "address");
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"--\", \"collector_ip\": \"1.2.3.4\"}",
                 "400 error: name: \"--\": not a valid value");
    assert_parse(POST, "/v1/sources",
                 "{\"tap\": \"t\", \"switch\": \"s\", \"port\": "
                 "\"iface-id=x\"}",
                 "400 error: port: \"iface-id=x\": not a valid value");
    assert_parse(POST, "/v1/filters",
                 "{\"name\": \"f\", \"rules\": {}}",
                 "400 error: rules: {}: expected an array of objects");
    assert_parse(POST, "/v1/filters",
                 "{\"name\": \"f\", \"rules\": [{\"number\": 1}]}",
                 "400 error: rules[0]: direction: missing (a required "
                 "field)");
    assert_parse(POST, "/v1/collector-pools",
                 "{\"name\": \"p\", \"members\": []}",
                 "400 error: members: []: expected at least one");
    assert_parse(POST, "/v1/collector-pools", "{\"name\": \"p\"}",
                 "400 error: members: missing (a required field)");
}

/* vtapd_rest_error_status() on the errors of vtapctl's verbs. */
static void
test_error_status(void **state OVS_UNUSED)
{
    struct svec segments = SVEC_EMPTY_INITIALIZER;
    struct vtapd_rest_op op;
    char *error;

    svec_add(&segments, "v1");
    svec_add(&segments, "sources");
    svec_add(&segments, "t1");
    svec_add(&segments, "s1");
    svec_add(&segments, "vm1");
    vtapd_rest_op_init(&op);
    assert_int_equal(vtapd_rest_parse(DELETE, &segments, NULL, &op, &error),
                     0);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "source-del: tap: \"t1\": no Tap with this "
                         "name"), 404);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "source-del: port: \"vm1\": not a source of "
                         "tap \"t1\" on switch \"s1\""), 404);
    vtapd_rest_op_destroy(&op);

    svec_clear(&segments);
    svec_add(&segments, "v1");
    svec_add(&segments, "filters");
    svec_add(&segments, "web");
    svec_add(&segments, "rules");
    svec_add(&segments, "ingress");
    svec_add(&segments, "x");
    vtapd_rest_op_init(&op);
    assert_int_equal(vtapd_rest_parse(DELETE, &segments, NULL, &op, &error),
                     0);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "rule-del: number: \"x\": not a rule number "
                         "(expected 1-32766)"), 400);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "rule-del: filter: \"web\": no Filter with "
                         "this name"), 404);
    vtapd_rest_op_destroy(&op);

    svec_clear(&segments);
    svec_add(&segments, "v1");
    svec_add(&segments, "taps");
    vtapd_rest_op_init(&op);
    assert_int_equal(vtapd_rest_parse(POST, &segments,
                                      "{\"name\": \"t1\", \"collector_ip\": "
                                      "\"1.2.3.4\", \"hub\": \"h\"}",
                                      &op, &error), 0);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "tap-add: hub: \"h\": no Switch with this "
                         "name"), 400);
    assert_int_equal(vtapd_rest_error_status(
                         &op, "tap-add: name: \"t1\": a Tap with this name "
                         "already exists"), 409);
    vtapd_rest_op_destroy(&op);
    svec_destroy(&segments);
}

/* Returns a snapshot with one filter "web" with rule "ingress/10". */
static struct vtapd_snapshot *
make_snapshot(void)
{
    struct vtapd_snapshot *snap = vtapd_snapshot_create();

    json_array_add(snap->collections[VTAPD_FILTERS], json_from_string(
                       "{\"name\": \"web\", \"rules\": [{\"id\": "
                       "\"ingress/10\", \"number\": 10}]}"));
    return snap;
}

static void
test_lookup(void **state OVS_UNUSED)
{
    struct vtapd_snapshot *snap = make_snapshot();
    struct vtapd_rest_op op;
    const struct json *json;
    char *error;

    vtapd_rest_op_init(&op);
    op.collection = VTAPD_FILTERS;
    json = vtapd_rest_lookup(snap, &op, &error);
    assert_int_equal(json->type, JSON_ARRAY);

    op.key = xstrdup("web");
    op.sub = VTAPD_REST_SUB_RULES;
    op.sub_key = xstrdup("ingress/10");
    json = vtapd_rest_lookup(snap, &op, &error);
    assert_non_null(json);
    assert_int_equal(json_integer(shash_find_data(json_object(json),
                                                  "number")), 10);

    free(op.sub_key);
    op.sub_key = xstrdup("egress/10");
    assert_null(vtapd_rest_lookup(snap, &op, &error));
    assert_string_equal(error, "id: \"egress/10\": no such rule in Filter "
                        "\"web\"");
    free(error);

    free(op.key);
    op.key = xstrdup("nope");
    assert_null(vtapd_rest_lookup(snap, &op, &error));
    assert_string_equal(error, "name: \"nope\": no Filter with this name");
    free(error);

    vtapd_rest_op_destroy(&op);
    vtapd_snapshot_unref(snap);
}

static void
test_error_body(void **state OVS_UNUSED)
{
    char *body = vtapd_rest_error_body("name: \"a\\b\": bad");

    assert_string_equal(body, "{\"error\":\"name: \\\"a\\\\b\\\": bad\"}");
    free(body);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_post_bodies),
        cmocka_unit_test(test_deletes_and_gets),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_error_status),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_error_body),
    };

    return cmocka_run_group_tests_name("vtapd-rest", tests, NULL, NULL);
}
