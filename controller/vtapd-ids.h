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

#ifndef VTAPD_IDS_H
#define VTAPD_IDS_H 1

/* The group and meter IDs of the Taps delivered through one hub (a Tap's
 * group and meter have the same ID).
 *
 * A Tap keeps its ID for as long as it is delivered through the hub: a Tap
 * that comes or goes changes no other Tap's ID, and a new Tap never takes
 * an ID that another Tap holds.  A new Tap's ID is VTAP_GROUP_MARK and the
 * low 16 bits of its UUID, or the next free one.  A restarted vtapd first
 * learns back the IDs the hub's flows use (vtapd_ids_claim()), so that
 * what the hub holds stays as it is.  No I/O. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/uuid.h"

/* The IDs of one hub's Taps. */
struct vtapd_ids {
    struct hmap by_tap;         /* Of struct vtapd_id, by Tap UUID. */
    struct hmap by_id;          /* The same, by ID. */
};

void vtapd_ids_init(struct vtapd_ids *);
void vtapd_ids_destroy(struct vtapd_ids *);
uint32_t vtapd_ids_find(const struct vtapd_ids *, const struct uuid *tap);
bool vtapd_ids_claim(struct vtapd_ids *, const struct uuid *tap,
                     uint32_t id);
uint32_t vtapd_ids_assign(struct vtapd_ids *, const struct uuid *tap);
void vtapd_ids_retain(struct vtapd_ids *, const struct uuid *taps,
                      size_t n_taps);
size_t vtapd_ids_count(const struct vtapd_ids *);

#endif /* vtapd-ids.h */
