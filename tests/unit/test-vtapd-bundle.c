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

/* Unit tests for controller/vtapd-bundle.c: the replies and errors of a
 * switch to a bundle of flow-mods, and what vtapd does next. */

#include <config.h>
#include "controller/vtapd-bundle.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "byte-order.h"
#include "openflow/openflow.h"
#include "util.h"

/* The bundle's ID and the xids of its messages in every test. */
#define ID 7
#define OPEN_XID CONSTANT_HTONL(1)
#define ADD1_XID CONSTANT_HTONL(2)
#define ADD2_XID CONSTANT_HTONL(3)
#define BARRIER_XID CONSTANT_HTONL(4)
#define CTRL_XID CONSTANT_HTONL(5)
#define OTHER_XID CONSTANT_HTONL(99)

static int
setup(void **state)
{
    static const ovs_be32 add_xids[] = { ADD1_XID, ADD2_XID };
    struct vtapd_bundle *b = malloc(sizeof *b);

    if (!b) {
        return -1;
    }
    vtapd_bundle_init(b);
    vtapd_bundle_start(b, ID, OPEN_XID, add_xids, ARRAY_SIZE(add_xids),
                       BARRIER_XID);
    *state = b;
    return 0;
}

static int
teardown(void **state)
{
    vtapd_bundle_destroy(*state);
    free(*state);
    return 0;
}

/* Feeds 'b' the OPEN_REPLY. */
static enum vtapd_bundle_action
opened(struct vtapd_bundle *b)
{
    return vtapd_bundle_ctrl_reply(b, OPEN_XID, ID, OFPBCT_OPEN_REPLY);
}

static void
test_commit(void **state)
{
    struct vtapd_bundle *b = *state;

    assert_true(vtapd_bundle_is_busy(b));
    assert_int_equal(opened(b), VTAPD_BUNDLE_NONE);
    /* Replies to others' messages or bundles change nothing. */
    assert_int_equal(vtapd_bundle_barrier_reply(b, OTHER_XID),
                     VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_ctrl_reply(b, OPEN_XID, ID + 1,
                                             OFPBCT_OPEN_REPLY),
                     VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_error(b, OTHER_XID,
                                        OFPERR_OFPBRC_BAD_TYPE),
                     VTAPD_BUNDLE_NONE);

    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_COMMIT);
    vtapd_bundle_expect(b, CTRL_XID);
    assert_true(vtapd_bundle_owns_xid(b, CTRL_XID));
    /* A reply of the wrong type does not end it. */
    assert_int_equal(vtapd_bundle_ctrl_reply(b, CTRL_XID, ID,
                                             OFPBCT_DISCARD_REPLY),
                     VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_ctrl_reply(b, CTRL_XID, ID,
                                             OFPBCT_COMMIT_REPLY),
                     VTAPD_BUNDLE_DONE);
    assert_false(vtapd_bundle_is_busy(b));
    assert_int_equal(b->error, 0);
    assert_false(vtapd_bundle_owns_xid(b, ADD1_XID));
}

static void
test_add_fails(void **state)
{
    struct vtapd_bundle *b = *state;

    assert_int_equal(opened(b), VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_error(b, ADD2_XID,
                                        OFPERR_OFPBAC_BAD_OUT_PORT),
                     VTAPD_BUNDLE_NONE);
    /* Never commit a bundle that lacks a flow-mod: discard it. */
    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_DISCARD);
    vtapd_bundle_expect(b, CTRL_XID);
    assert_int_equal(vtapd_bundle_ctrl_reply(b, CTRL_XID, ID,
                                             OFPBCT_DISCARD_REPLY),
                     VTAPD_BUNDLE_FAILED);
    assert_false(vtapd_bundle_is_busy(b));
    assert_int_equal(b->error, OFPERR_OFPBAC_BAD_OUT_PORT);
}

static void
test_open_fails(void **state)
{
    struct vtapd_bundle *b = *state;

    assert_int_equal(vtapd_bundle_error(b, OPEN_XID,
                                        OFPERR_OFPBFC_BAD_FLAGS),
                     VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_error(b, ADD1_XID, OFPERR_OFPBFC_BAD_ID),
                     VTAPD_BUNDLE_NONE);
    /* Nothing to discard. */
    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_FAILED);
    assert_false(vtapd_bundle_is_busy(b));
    assert_int_equal(b->error, OFPERR_OFPBFC_BAD_FLAGS);
}

static void
test_commit_fails(void **state)
{
    struct vtapd_bundle *b = *state;

    assert_int_equal(opened(b), VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_COMMIT);
    vtapd_bundle_expect(b, CTRL_XID);
    /* The switch names the flow-mod that failed, then fails the commit. */
    assert_int_equal(vtapd_bundle_error(b, ADD1_XID,
                                        OFPERR_OFPFMFC_TABLE_FULL),
                     VTAPD_BUNDLE_NONE);
    assert_true(vtapd_bundle_is_busy(b));
    assert_int_equal(vtapd_bundle_error(b, CTRL_XID,
                                        OFPERR_OFPBFC_MSG_FAILED),
                     VTAPD_BUNDLE_FAILED);
    assert_false(vtapd_bundle_is_busy(b));
    assert_int_equal(b->error, OFPERR_OFPFMFC_TABLE_FULL);
}

static void
test_clear(void **state)
{
    static const ovs_be32 add_xids[] = { ADD1_XID };
    struct vtapd_bundle *b = *state;

    /* A lost connection forgets the bundle; replies after it are others'. */
    vtapd_bundle_clear(b);
    assert_false(vtapd_bundle_is_busy(b));
    assert_int_equal(opened(b), VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_NONE);

    /* And the next bundle starts afresh. */
    vtapd_bundle_start(b, ID, OPEN_XID, add_xids, ARRAY_SIZE(add_xids),
                       BARRIER_XID);
    assert_true(vtapd_bundle_owns_xid(b, ADD1_XID));
    assert_false(vtapd_bundle_owns_xid(b, ADD2_XID));
    assert_int_equal(opened(b), VTAPD_BUNDLE_NONE);
    assert_int_equal(vtapd_bundle_barrier_reply(b, BARRIER_XID),
                     VTAPD_BUNDLE_COMMIT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
    };

    return cmocka_run_group_tests_name("vtapd-bundle", tests, NULL, NULL);
}
