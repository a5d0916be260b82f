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
 * typed operations, the errors for bad requests, HTTP statuses from the
 * operations' error codes, and lookups in a snapshot. */

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
#include "lib/vtapdb-ops.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "svec.h"
#include "util.h"

/* Appends the segments of 'path', after its leading '/', to 'segments'. */
static void
split_path(const char *path, struct svec *segments)
{
    char *copy = xstrdup(path + 1);

    for (char *seg = copy, *end; seg; seg = end ? end + 1 : NULL) {
        end = strchr(seg, '/');
        if (end) {
            *end = '\0';
        }
        svec_add(segments, seg);
    }
    free(copy);
}

/* Parses a request for 'method' on 'path' with 'body' and returns, as
 * text, "STATUS OPS" (the operations of a write, each as the vtapctl
 * command that does the same, separated by " -- "), "STATUS GET" for a
 * read, or "STATUS error: MESSAGE". */
static char *
parse(enum vtapd_rest_method method, const char *path, const char *body)
{
    struct svec segments = SVEC_EMPTY_INITIALIZER;
    struct vtapd_rest_op op;
    struct ds s = DS_EMPTY_INITIALIZER;
    char *error;
    int status;

    split_path(path, &segments);
    vtapd_rest_op_init(&op);
    status = vtapd_rest_parse(method, &segments, body, &op, &error);
    if (status) {
        ds_put_format(&s, "%d error: %s", status, error);
        free(error);
    } else if (!op.write) {
        ds_put_cstr(&s, "0 GET");
    } else {
        ds_put_format(&s, "%d ", op.success_status);
        for (size_t i = 0; i < op.n_ops; i++) {
            ds_put_cstr(&s, i ? " -- " : "");
            vtapdb_op_format(&op.ops[i], &s);
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
                 "201 pool-add p -- collector-add p 10.0.0.9 -- "
                 "collector-add p 10.0.0.10 3");
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
    /* A name that is no command-line word: the operation looks it up like
     * any other. */
    assert_parse(DELETE, "/v1/taps/--", NULL, "204 tap-del --");
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
    /* Values are the operations' to check (lib/vtapdb-ops.h): a body
     * passes them on as they are. */
    assert_parse(POST, "/v1/taps",
                 "{\"name\": \"t\", \"collector_port\": \"a b\"}",
                 "201 tap-add t local:a b");
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

/* Returns the HTTP status of an error with 'code' about 'field' for a
 * request 'method' on 'path' with 'body'. */
static int
error_status(enum vtapd_rest_method method, const char *path,
             const char *body, enum vtapdb_error_code code, const char *field)
{
    struct svec segments = SVEC_EMPTY_INITIALIZER;
    struct vtapdb_error *e;
    struct vtapd_rest_op op;
    char *error;
    int status;

    split_path(path, &segments);
    vtapd_rest_op_init(&op);
    assert_int_equal(vtapd_rest_parse(method, &segments, body, &op, &error),
                     0);
    e = vtapdb_error_create(code, field, "x", "%s: \"x\": something",
                            field);
    status = vtapd_rest_error_status(&op, e);
    vtapdb_error_destroy(e);
    vtapd_rest_op_destroy(&op);
    svec_destroy(&segments);
    return status;
}

/* vtapd_rest_error_status(): statuses from the operations' error codes,
 * never from their messages. */
static void
test_error_status(void **state OVS_UNUSED)
{
    static const char tap[] = "{\"name\": \"t1\", \"collector_ip\": "
                              "\"1.2.3.4\", \"hub\": \"h\"}";
    static const char rule[] = "{\"direction\": \"ingress\", \"number\": "
                               "1, \"action\": \"accept\"}";

    /* Everything a DELETE names comes from its path. */
    assert_int_equal(error_status(DELETE, "/v1/sources/t1/s1/vm1", NULL,
                                  VTAPDB_ERR_NOT_FOUND, "tap"), 404);
    assert_int_equal(error_status(DELETE, "/v1/sources/t1/s1/vm1", NULL,
                                  VTAPDB_ERR_NOT_FOUND, "port"), 404);
    assert_int_equal(error_status(DELETE, "/v1/filters/web/rules/ingress/x",
                                  NULL, VTAPDB_ERR_INVALID, "number"), 400);
    assert_int_equal(error_status(DELETE, "/v1/filters/web", NULL,
                                  VTAPDB_ERR_IN_USE, "name"), 409);

    /* A POST's body names objects, which are missing from the request,
     * but a sub-collection's parent comes from the path. */
    assert_int_equal(error_status(POST, "/v1/taps", tap,
                                  VTAPDB_ERR_NOT_FOUND, "hub"), 400);
    assert_int_equal(error_status(POST, "/v1/taps", tap,
                                  VTAPDB_ERR_CONFLICT, "name"), 409);
    assert_int_equal(error_status(POST, "/v1/taps", tap,
                                  VTAPDB_ERR_INVALID, "vni"), 400);
    assert_int_equal(error_status(POST, "/v1/filters/web/rules", rule,
                                  VTAPDB_ERR_NOT_FOUND, "filter"), 404);
    assert_int_equal(error_status(POST, "/v1/collector-pools/p/members",
                                  "{\"ip\": \"10.0.0.1\"}",
                                  VTAPDB_ERR_NOT_FOUND, "pool"), 404);
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
    char *body = vtapd_rest_error_body(405, "name: \"a\\b\": bad");
    struct vtapdb_error *e;

    assert_string_equal(body, "{\"code\":\"method_not_allowed\","
                        "\"error\":\"name: \\\"a\\\\b\\\": bad\"}");
    free(body);

    e = vtapdb_error_create(VTAPDB_ERR_IN_USE, "name", "web", "name: "
                            "\"web\": in use");
    body = vtapd_rest_op_error_body(e);
    assert_string_equal(body, "{\"code\":\"in_use\",\"error\":\"name: "
                        "\\\"web\\\": in use\",\"field\":\"name\","
                        "\"value\":\"web\"}");
    free(body);
    vtapdb_error_destroy(e);
}

static void
test_authorized(void **state OVS_UNUSED)
{
    assert_true(vtapd_rest_authorized("Bearer s3cret", "s3cret"));
    assert_true(vtapd_rest_authorized("bearer   s3cret", "s3cret"));
    assert_false(vtapd_rest_authorized(NULL, "s3cret"));
    assert_false(vtapd_rest_authorized("", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearer", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearer ", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearers3cret", "s3cret"));
    assert_false(vtapd_rest_authorized("Basic s3cret", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearer s3cre", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearer s3cretX", "s3cret"));
    assert_false(vtapd_rest_authorized("Bearer S3cret", "s3cret"));
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
        cmocka_unit_test(test_authorized),
    };

    return cmocka_run_group_tests_name("vtapd-rest", tests, NULL, NULL);
}
