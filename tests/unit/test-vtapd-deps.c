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

/* Unit tests for controller/vtapd-deps.c: which switches a change makes
 * vtapd compute again.  The fleet is two spokes and a hub; each switch's
 * input is what vtapd's input builder gives it (its own sources with their
 * Taps, and for the hub the Taps delivered through it), and a change is
 * turned into dirty switches as vtapd's main loop does it: the switches
 * that read the row, plus the one a changed row now names. */

#include <config.h>
#include "controller/vtapd-deps.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "flows/vtap-flows.h"
#include "hmapx.h"
#include "mirror-filter.h"
#include "util.h"
#include "uuid.h"

static struct uuid
uuid_n(uint32_t n)
{
    struct uuid u = { .parts = { n, 0xaaaa, 0xbbbb, 0xcccc } };
    return u;
}

/* Row numbers of the fleet's rows. */
enum {
    SPOKE1 = 1, SPOKE2, HUB,    /* Switch rows. */
    T1 = 10, T2, T3,            /* Tap rows: T1, T2 via HUB; T3 direct. */
    S1 = 20, S2, S3, S4,        /* Tap_Source rows. */
    F = 30, R1, R2,             /* A filter and its rules. */
    POOL = 40,                  /* T2's collector pool. */
    OTHER = 99,                 /* A row no switch reads. */
};

/* The fleet, as the TAP database defines it:
 *
 *   T1 (via HUB): S1 on SPOKE1, S2 on SPOKE2
 *   T2 (via HUB, pool POOL): S3 on SPOKE2 with filter F (rules R1, R2)
 *   T3 (direct to a collector): S4 on SPOKE1 */
struct fleet {
    struct vtap_switch_def spoke1, spoke2, hub;
    struct vtap_tap_def t1, t2, t3;
    struct mirror_filter_rule rules[2];
    struct uuid rule_uuids[2];
    struct vtap_filter_def filter;
    struct vtapd_deps deps;
};

static void
fleet_init(struct fleet *f)
{
    memset(f, 0, sizeof *f);
    f->spoke1 = (struct vtap_switch_def) { .name = "spoke1",
                                           .uuid = uuid_n(SPOKE1) };
    f->spoke2 = (struct vtap_switch_def) { .name = "spoke2",
                                           .uuid = uuid_n(SPOKE2) };
    f->hub = (struct vtap_switch_def) { .name = "hub", .is_hub = true,
                                        .uuid = uuid_n(HUB) };
    f->t1 = (struct vtap_tap_def) { .uuid = uuid_n(T1), .name = "t1",
                                    .hub = &f->hub, .enabled = true };
    f->t2 = (struct vtap_tap_def) { .uuid = uuid_n(T2), .name = "t2",
                                    .hub = &f->hub, .pool_name = "p",
                                    .pool_uuid = uuid_n(POOL),
                                    .enabled = true };
    f->t3 = (struct vtap_tap_def) { .uuid = uuid_n(T3), .name = "t3",
                                    .collector_ip = "10.9.9.9",
                                    .enabled = true };
    f->rule_uuids[0] = uuid_n(R1);
    f->rule_uuids[1] = uuid_n(R2);
    f->filter = (struct vtap_filter_def) {
        .name = "f", .rules = f->rules, .n_rules = 2, .uuid = uuid_n(F),
        .rule_uuids = f->rule_uuids,
    };
    vtapd_deps_init(&f->deps);
}

/* Records what switch 'sw' reads, from the input vtapd builds for it:
 * 'sources' of 'n' sources on it, and 'taps' of 'n_taps' Taps. */
static void
fleet_compute(struct fleet *f, const struct vtap_switch_def *sw,
              const struct vtap_source_def *sources, size_t n,
              const struct vtap_tap_def *taps, size_t n_taps)
{
    struct vtap_input in = {
        .taps = taps, .n_taps = n_taps, .sources = sources, .n_sources = n,
    };
    struct uuid *rows;
    size_t n_rows;

    vtapd_deps_of_input(&in, sw, &rows, &n_rows);
    vtapd_deps_set(&f->deps, CONST_CAST(struct vtap_switch_def *, sw),
                   rows, n_rows);
    free(rows);
}

/* Computes every switch of the fleet as defined above. */
static void
fleet_compute_all(struct fleet *f)
{
    struct vtap_source_def spoke1[] = {
        { .uuid = uuid_n(S1), .tap = &f->t1, .sw = &f->spoke1 },
        { .uuid = uuid_n(S4), .tap = &f->t3, .sw = &f->spoke1 },
    };
    struct vtap_source_def spoke2[] = {
        { .uuid = uuid_n(S2), .tap = &f->t1, .sw = &f->spoke2 },
        { .uuid = uuid_n(S3), .tap = &f->t2, .sw = &f->spoke2,
          .filter = &f->filter },
    };
    struct vtap_tap_def spoke1_taps[] = { f->t1, f->t3 };
    struct vtap_tap_def spoke2_taps[] = { f->t1, f->t2 };
    struct vtap_tap_def hub_taps[] = { f->t1, f->t2 };

    spoke1[0].tap = &spoke1_taps[0];
    spoke1[1].tap = &spoke1_taps[1];
    spoke2[0].tap = &spoke2_taps[0];
    spoke2[1].tap = &spoke2_taps[1];
    fleet_compute(f, &f->spoke1, spoke1, ARRAY_SIZE(spoke1), spoke1_taps,
                  ARRAY_SIZE(spoke1_taps));
    fleet_compute(f, &f->spoke2, spoke2, ARRAY_SIZE(spoke2), spoke2_taps,
                  ARRAY_SIZE(spoke2_taps));
    fleet_compute(f, &f->hub, NULL, 0, hub_taps, ARRAY_SIZE(hub_taps));
}

/* Bits for the switches of a dirty set, to compare it in one assert. */
enum { D_SPOKE1 = 1, D_SPOKE2 = 2, D_HUB = 4 };

/* Returns the switches that a change of row 'row' makes dirty, as bits,
 * with 'names' the switch the changed row now names (a source's spoke, a
 * Tap's hub), or NULL. */
static unsigned int
dirty_after(struct fleet *f, uint32_t row, const struct vtap_switch_def *names)
{
    struct hmapx dirty = HMAPX_INITIALIZER(&dirty);
    struct uuid uuid = uuid_n(row);
    unsigned int bits = 0;

    vtapd_deps_mark(&f->deps, &uuid, &dirty);
    if (names) {
        hmapx_add(&dirty, CONST_CAST(struct vtap_switch_def *, names));
    }
    bits |= hmapx_contains(&dirty, &f->spoke1) ? D_SPOKE1 : 0;
    bits |= hmapx_contains(&dirty, &f->spoke2) ? D_SPOKE2 : 0;
    bits |= hmapx_contains(&dirty, &f->hub) ? D_HUB : 0;
    assert_int_equal(hmapx_count(&dirty), __builtin_popcount(bits));
    hmapx_destroy(&dirty);
    return bits;
}

static int
setup(void **state)
{
    struct fleet *f = xmalloc(sizeof *f);

    fleet_init(f);
    fleet_compute_all(f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fleet *f = *state;

    vtapd_deps_destroy(&f->deps);
    free(f);
    return 0;
}

/* A source's change is its spoke's work alone: a hub does not read
 * sources. */
static void
test_source_change(void **state)
{
    struct fleet *f = *state;

    assert_int_equal(dirty_after(f, S1, &f->spoke1), D_SPOKE1);
    assert_int_equal(dirty_after(f, S3, &f->spoke2), D_SPOKE2);
    /* A new source, which nobody read yet, on spoke2. */
    assert_int_equal(dirty_after(f, 77, &f->spoke2), D_SPOKE2);
    /* A deleted one: who read it. */
    assert_int_equal(dirty_after(f, S4, NULL), D_SPOKE1);
}

/* A source that moved to another spoke: the one it left read it, the one
 * it names now gets it; once both are computed again, only the new one
 * reads it. */
static void
test_source_moves(void **state)
{
    struct fleet *f = *state;
    struct vtap_source_def moved[] = {
        { .uuid = uuid_n(S2), .tap = &f->t1, .sw = &f->spoke2 },
        { .uuid = uuid_n(S3), .tap = &f->t2, .sw = &f->spoke2,
          .filter = &f->filter },
        { .uuid = uuid_n(S1), .tap = &f->t1, .sw = &f->spoke2 },
    };
    struct vtap_source_def left[] = {
        { .uuid = uuid_n(S4), .tap = &f->t3, .sw = &f->spoke1 },
    };

    assert_int_equal(dirty_after(f, S1, &f->spoke2), D_SPOKE1 | D_SPOKE2);
    fleet_compute(f, &f->spoke1, left, ARRAY_SIZE(left), &f->t3, 1);
    fleet_compute(f, &f->spoke2, moved, ARRAY_SIZE(moved), &f->t1, 1);
    assert_int_equal(dirty_after(f, S1, &f->spoke2), D_SPOKE2);
    /* spoke1 no longer reads T1. */
    assert_int_equal(dirty_after(f, T1, &f->hub), D_SPOKE2 | D_HUB);
}

/* A Tap's change is the work of the spokes of its sources and of its
 * hub; a direct Tap has no hub. */
static void
test_tap_change(void **state)
{
    struct fleet *f = *state;

    assert_int_equal(dirty_after(f, T1, &f->hub),
                     D_SPOKE1 | D_SPOKE2 | D_HUB);
    assert_int_equal(dirty_after(f, T2, &f->hub), D_SPOKE2 | D_HUB);
    assert_int_equal(dirty_after(f, T3, NULL), D_SPOKE1);
    /* A new Tap with no source yet: its hub alone. */
    assert_int_equal(dirty_after(f, 78, &f->hub), D_HUB);
}

/* Filters and their rules concern the spokes of the sources that use
 * them; pools the hubs of the Taps that deliver to them. */
static void
test_filter_and_pool_change(void **state)
{
    struct fleet *f = *state;

    assert_int_equal(dirty_after(f, F, NULL), D_SPOKE2);
    assert_int_equal(dirty_after(f, R2, NULL), D_SPOKE2);
    /* A spoke reads whether a Tap has a pool, not the pool. */
    assert_int_equal(dirty_after(f, POOL, NULL), D_HUB);
}

/* A hub's own row (its underlay address, say) concerns the spokes that
 * tunnel to it; the hub itself is dirty by its own change. */
static void
test_hub_row_change(void **state)
{
    struct fleet *f = *state;

    assert_int_equal(dirty_after(f, HUB, &f->hub),
                     D_SPOKE1 | D_SPOKE2 | D_HUB);
    assert_int_equal(dirty_after(f, SPOKE1, &f->spoke1), D_SPOKE1);
}

/* What no switch reads is nobody's work, and computing a switch again from
 * the same input changes nothing of what it reads. */
static void
test_unchanged(void **state)
{
    struct fleet *f = *state;
    size_t before[3] = {
        vtapd_deps_count(&f->deps, &f->spoke1),
        vtapd_deps_count(&f->deps, &f->spoke2),
        vtapd_deps_count(&f->deps, &f->hub),
    };

    assert_int_equal(dirty_after(f, OTHER, NULL), 0);
    fleet_compute_all(f);
    assert_int_equal(vtapd_deps_count(&f->deps, &f->spoke1), before[0]);
    assert_int_equal(vtapd_deps_count(&f->deps, &f->spoke2), before[1]);
    assert_int_equal(vtapd_deps_count(&f->deps, &f->hub), before[2]);
    /* S1, T1, HUB; S4, T3. */
    assert_int_equal(before[0], 5);
    /* S2, T1, HUB; S3, T2, F, R1, R2 (HUB again, counted once). */
    assert_int_equal(before[1], 8);
    /* T1, HUB; T2, POOL (the hub's own row, as its Taps' hub). */
    assert_int_equal(before[2], 4);
}

/* A switch that is gone reads nothing. */
static void
test_remove(void **state)
{
    struct fleet *f = *state;

    vtapd_deps_remove(&f->deps, &f->spoke2);
    assert_int_equal(dirty_after(f, T2, NULL), D_HUB);
    assert_int_equal(dirty_after(f, F, NULL), 0);
    assert_int_equal(vtapd_deps_count(&f->deps, &f->spoke2), 0);
    vtapd_deps_remove(&f->deps, &f->spoke2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_source_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_moves, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tap_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filter_and_pool_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hub_row_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
    };

    return cmocka_run_group_tests_name("vtapd-deps", tests, NULL, NULL);
}
