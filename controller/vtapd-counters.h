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

#ifndef VTAPD_COUNTERS_H
#define VTAPD_COUNTERS_H 1

/* Named 64-bit counters that vtapd sums up from switches' statistics and
 * writes to the statistics columns of the TAP database, whose map values are
 * 64-bit integers (an simap's are not).
 *
 * Kept sorted by name, as the database keeps a map's keys, so that
 * comparing them with a column costs one pass, and held inline: vtapd reads
 * thousands of sources' counters every statistics interval, and a source
 * has four. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

/* The longest counter name: "collector_packets:" and an IPv6 address. */
#define VTAPD_COUNTER_NAME_MAX 64

/* One counter. */
struct vtapd_counter {
    char name[VTAPD_COUNTER_NAME_MAX];
    int64_t value;
};

/* Counters, sorted by name. */
struct vtapd_counters {
    struct vtapd_counter *items; /* 'inline_items' or allocated. */
    size_t n;
    size_t allocated;
    struct vtapd_counter inline_items[6];
};

/* The counters of one TAP database row, in a map of rows by UUID
 * (vtapd_row_counters_get()). */
struct vtapd_row_counters {
    struct hmap_node node;      /* In the map, by uuid_hash('row'). */
    struct uuid row;            /* A Tap or Tap_Source row. */
    struct vtapd_counters counters;
};

void vtapd_counters_init(struct vtapd_counters *);
void vtapd_counters_destroy(struct vtapd_counters *);
void vtapd_counters_add(struct vtapd_counters *, const char *name,
                        int64_t value);
bool vtapd_counters_get(const struct vtapd_counters *, const char *name,
                        int64_t *value);
size_t vtapd_counters_to_arrays(const struct vtapd_counters *,
                                const char ***keys, int64_t **values);
bool vtapd_counters_equal(const struct vtapd_counters *, char **keys,
                          const int64_t *values, size_t n);

struct vtapd_counters *vtapd_row_counters_get(struct hmap *,
                                              const struct uuid *row);
struct vtapd_counters *vtapd_row_counters_find(const struct hmap *,
                                               const struct uuid *row);
void vtapd_row_counters_destroy(struct hmap *);

#endif /* vtapd-counters.h */
