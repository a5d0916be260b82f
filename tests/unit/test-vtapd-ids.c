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

/* Unit tests for controller/vtapd-ids.c: a hub's group and meter IDs stay
 * with their Taps. */

#include <config.h>
#include "controller/vtapd-ids.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "flows/vtap-flows.h"
#include "util.h"

/* Returns a Tap UUID whose first 32 bits are 'low'. */
static struct uuid
tap_uuid(uint32_t low, uint32_t other)
{
    struct uuid u = { .parts = { low, other, 0x1234, 0x5678 } };
    return u;
}

static void
test_assign_from_uuid(void **state OVS_UNUSED)
{
    struct vtapd_ids ids;
    struct uuid a = tap_uuid(0xabcd0042, 1);

    vtapd_ids_init(&ids);
    assert_int_equal(vtapd_ids_find(&ids, &a), 0);
    assert_int_equal(vtapd_ids_assign(&ids, &a), 0x76740042);
    assert_true(vtap_is_owned_id(vtapd_ids_find(&ids, &a)));
    /* Asked again, the same. */
    assert_int_equal(vtapd_ids_assign(&ids, &a), 0x76740042);
    assert_int_equal(vtapd_ids_count(&ids), 1);
    vtapd_ids_destroy(&ids);
}

/* Taps that come and go change no other Tap's ID, and a new Tap never
 * takes an ID another holds. */
static void
test_stable(void **state OVS_UNUSED)
{
    struct uuid a = tap_uuid(0x00000001, 1);
    struct uuid b = tap_uuid(0x11110001, 2);  /* Same low bits as 'a'. */
    struct uuid c = tap_uuid(0x22220002, 3);  /* Wants what 'b' got. */
    struct uuid d = tap_uuid(0x33330001, 4);  /* Same low bits again. */
    struct vtapd_ids ids;

    vtapd_ids_init(&ids);
    assert_int_equal(vtapd_ids_assign(&ids, &a), 0x76740001);
    assert_int_equal(vtapd_ids_assign(&ids, &b), 0x76740002);
    assert_int_equal(vtapd_ids_assign(&ids, &c), 0x76740003);

    /* 'a' goes: 'b' and 'c' keep theirs, though 'b' would now fit in
     * 'a''s. */
    struct uuid kept[] = { b, c };
    vtapd_ids_retain(&ids, kept, ARRAY_SIZE(kept));
    assert_int_equal(vtapd_ids_count(&ids), 2);
    assert_int_equal(vtapd_ids_find(&ids, &a), 0);
    assert_int_equal(vtapd_ids_assign(&ids, &b), 0x76740002);
    assert_int_equal(vtapd_ids_assign(&ids, &c), 0x76740003);

    /* A new Tap takes the freed ID, not one that is held. */
    assert_int_equal(vtapd_ids_assign(&ids, &d), 0x76740001);

    /* Keeping everyone, in another order, changes nothing. */
    struct uuid all[] = { d, c, b };
    vtapd_ids_retain(&ids, all, ARRAY_SIZE(all));
    assert_int_equal(vtapd_ids_find(&ids, &b), 0x76740002);
    assert_int_equal(vtapd_ids_find(&ids, &c), 0x76740003);
    assert_int_equal(vtapd_ids_find(&ids, &d), 0x76740001);
    vtapd_ids_destroy(&ids);
}

/* After a restart, the IDs the hub's flows use are claimed first: the Taps
 * keep them, and a new Tap whose own ID is one of them goes around it. */
static void
test_claim(void **state OVS_UNUSED)
{
    struct uuid a = tap_uuid(0x00000005, 1);
    struct uuid b = tap_uuid(0x00000007, 2);
    struct vtapd_ids ids;

    vtapd_ids_init(&ids);
    /* The switch says 'a' uses 0x76740007, which is 'b''s own. */
    assert_true(vtapd_ids_claim(&ids, &a, 0x76740007));
    assert_int_equal(vtapd_ids_assign(&ids, &a), 0x76740007);
    assert_int_equal(vtapd_ids_assign(&ids, &b), 0x76740008);

    /* Claims that cannot be: held by another, a Tap with one already, an
     * ID outside vtapd's space. */
    struct uuid c = tap_uuid(0x00000009, 3);
    assert_false(vtapd_ids_claim(&ids, &c, 0x76740007));
    assert_false(vtapd_ids_claim(&ids, &a, 0x76740100));
    assert_false(vtapd_ids_claim(&ids, &c, 0x00000009));
    assert_int_equal(vtapd_ids_find(&ids, &c), 0);
    vtapd_ids_destroy(&ids);
}

/* Wrapping around the 16 bits of the space stays in it. */
static void
test_wrap(void **state OVS_UNUSED)
{
    struct uuid a = tap_uuid(0x0000ffff, 1);
    struct uuid b = tap_uuid(0x1111ffff, 2);
    struct vtapd_ids ids;

    vtapd_ids_init(&ids);
    assert_int_equal(vtapd_ids_assign(&ids, &a), 0x7674ffff);
    assert_int_equal(vtapd_ids_assign(&ids, &b), 0x76740000);
    assert_true(vtap_is_owned_id(0x76740000));
    vtapd_ids_destroy(&ids);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assign_from_uuid),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_claim),
        cmocka_unit_test(test_wrap),
    };

    return cmocka_run_group_tests_name("vtapd-ids", tests, NULL, NULL);
}
