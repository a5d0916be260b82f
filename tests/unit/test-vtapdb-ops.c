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

/* Unit tests for lib/vtapdb-ops.c's pure parts: the message for people of a
 * transaction's error, and its name. */

#include <config.h>
#include "lib/vtapdb-ops.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "util.h"

/* Checks that the message for IDL error 'error' is 'expected'. */
static void
check_message(const char *error, const char *expected)
{
    char *message = vtapdb_txn_error_message(error);

    assert_string_equal(message, expected);
    free(message);
}

static void
test_txn_error_message(void **state OVS_UNUSED)
{
    /* What the database returns, as the IDL gives it. */
    check_message("{\"details\":\"RBAC rules for client \\\"hv1\\\" role "
                  "\\\"vtapd-host\\\" prohibit row insertion into table "
                  "\\\"Tap\\\".\",\"error\":\"permission error\"}",
                  "permission error: RBAC rules for client \"hv1\" role "
                  "\"vtapd-host\" prohibit row insertion into table "
                  "\"Tap\".");
    check_message("{\"error\":\"referential integrity violation\"}",
                  "referential integrity violation");
    /* Anything else is shown as it is. */
    check_message("{\"details\":\"no error member\"}",
                  "{\"details\":\"no error member\"}");
    check_message("{\"error\":42}", "{\"error\":42}");
    check_message("connection dropped", "connection dropped");
    check_message("", "");
    check_message(NULL, "error");
}

static void
test_txn_error_is(void **state OVS_UNUSED)
{
    assert_true(vtapdb_txn_error_is("{\"details\":\"x\",\"error\":"
                                    "\"permission error\"}",
                                    "permission error"));
    assert_false(vtapdb_txn_error_is("{\"error\":\"constraint violation\"}",
                                     "permission error"));
    assert_false(vtapdb_txn_error_is("permission error",
                                     "permission error"));
    assert_false(vtapdb_txn_error_is(NULL, "permission error"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txn_error_message),
        cmocka_unit_test(test_txn_error_is),
    };

    return cmocka_run_group_tests_name("vtapdb-ops", tests, NULL, NULL);
}
