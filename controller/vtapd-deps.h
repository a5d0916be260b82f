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

#ifndef VTAPD_DEPS_H
#define VTAPD_DEPS_H 1

/* Which switches read which TAP database rows: what makes vtapd's work
 * proportional to what changed.
 *
 * Each time vtapd computes what a switch must hold, it records the rows
 * that went into it (vtapd_deps_of_input(), vtapd_deps_set()): for a spoke,
 * its sources, their Taps, filters and rules, and their Taps' hubs; for a
 * hub, the Taps delivered through it, their pools, and any source that
 * names it.  A pool's members matter to its hub alone.  When rows change, the switches to compute again are those
 * that read them last time (vtapd_deps_mark()), which covers a row that
 * moved away or was deleted, plus those that a changed row names now (a
 * source's spoke, a Tap's hub), which covers one that moved in.  Every
 * other switch holds what it held.  No I/O, no IDL. */

#include <stddef.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

struct hmapx;
struct vtap_input;
struct vtap_switch_def;

/* The rows each owner (a switch) read, and the owners of each row. */
struct vtapd_deps {
    struct hmap rows;           /* Of struct vtapd_dep_row, by UUID. */
    struct hmap owners;         /* Of struct vtapd_dep_owner, by pointer. */
};

void vtapd_deps_init(struct vtapd_deps *);
void vtapd_deps_destroy(struct vtapd_deps *);
void vtapd_deps_set(struct vtapd_deps *, void *owner,
                    const struct uuid *rows, size_t n_rows);
void vtapd_deps_remove(struct vtapd_deps *, void *owner);
void vtapd_deps_mark(const struct vtapd_deps *, const struct uuid *row,
                     struct hmapx *owners);
size_t vtapd_deps_count(const struct vtapd_deps *, const void *owner);

void vtapd_deps_of_input(const struct vtap_input *,
                         const struct vtap_switch_def *,
                         struct uuid **rows, size_t *n_rows);

#endif /* vtapd-deps.h */
