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
 * 64-bit integers (an simap's are not). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/shash.h"

struct vtapd_counters {
    struct shash by_name;       /* Each value an int64_t, owned. */
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

#endif /* vtapd-counters.h */
