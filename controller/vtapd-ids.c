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

#include <config.h>
#include "controller/vtapd-ids.h"

#include "flows/vtap-flows.h"
#include "hash.h"
#include "util.h"
#include "uuid.h"

/* The ID of one Tap. */
struct vtapd_id {
    struct hmap_node by_tap;    /* In vtapd_ids's 'by_tap'. */
    struct hmap_node by_id;     /* In vtapd_ids's 'by_id'. */
    struct uuid tap;
    uint32_t id;
};

void
vtapd_ids_init(struct vtapd_ids *ids)
{
    hmap_init(&ids->by_tap);
    hmap_init(&ids->by_id);
}

void
vtapd_ids_destroy(struct vtapd_ids *ids)
{
    struct vtapd_id *e;

    HMAP_FOR_EACH_POP (e, by_tap, &ids->by_tap) {
        free(e);
    }
    hmap_destroy(&ids->by_tap);
    hmap_destroy(&ids->by_id);
}

static struct vtapd_id *
find_by_tap(const struct vtapd_ids *ids, const struct uuid *tap)
{
    struct vtapd_id *e;

    HMAP_FOR_EACH_WITH_HASH (e, by_tap, uuid_hash(tap), &ids->by_tap) {
        if (uuid_equals(&e->tap, tap)) {
            return e;
        }
    }
    return NULL;
}

static struct vtapd_id *
find_by_id(const struct vtapd_ids *ids, uint32_t id)
{
    struct vtapd_id *e;

    HMAP_FOR_EACH_WITH_HASH (e, by_id, hash_int(id, 0), &ids->by_id) {
        if (e->id == id) {
            return e;
        }
    }
    return NULL;
}

/* Returns the ID of 'tap', or 0 if it has none. */
uint32_t
vtapd_ids_find(const struct vtapd_ids *ids, const struct uuid *tap)
{
    const struct vtapd_id *e = find_by_tap(ids, tap);
    return e ? e->id : 0;
}

static void
add(struct vtapd_ids *ids, const struct uuid *tap, uint32_t id)
{
    struct vtapd_id *e = xmalloc(sizeof *e);

    e->tap = *tap;
    e->id = id;
    hmap_insert(&ids->by_tap, &e->by_tap, uuid_hash(tap));
    hmap_insert(&ids->by_id, &e->by_id, hash_int(id, 0));
}

/* Gives 'tap', which has no ID yet, the ID 'id' (one in vtapd's space) if no
 * other Tap holds it, and returns true; returns false, changing nothing, if
 * 'tap' has an ID already or another Tap holds 'id'. */
bool
vtapd_ids_claim(struct vtapd_ids *ids, const struct uuid *tap, uint32_t id)
{
    if (!vtap_is_owned_id(id) || find_by_tap(ids, tap)
        || find_by_id(ids, id)) {
        return false;
    }
    add(ids, tap, id);
    return true;
}

/* Returns the ID of 'tap', giving it one first if it has none:
 * VTAP_GROUP_MARK and the low bits of its UUID, or the next ID that no Tap
 * holds. */
uint32_t
vtapd_ids_assign(struct vtapd_ids *ids, const struct uuid *tap)
{
    uint32_t id = vtapd_ids_find(ids, tap);

    if (!id) {
        id = VTAP_GROUP_MARK | (tap->parts[0] & ~VTAP_GROUP_MASK);
        while (find_by_id(ids, id)) {
            id = VTAP_GROUP_MARK | ((id + 1) & ~VTAP_GROUP_MASK);
        }
        add(ids, tap, id);
    }
    return id;
}

/* Frees the IDs of every Tap not among the 'n_taps' in 'taps'. */
void
vtapd_ids_retain(struct vtapd_ids *ids, const struct uuid *taps,
                 size_t n_taps)
{
    struct hmap keep = HMAP_INITIALIZER(&keep);
    struct vtapd_id *e;

    for (size_t i = 0; i < n_taps; i++) {
        e = find_by_tap(ids, &taps[i]);
        if (e) {
            hmap_remove(&ids->by_tap, &e->by_tap);
            hmap_insert(&keep, &e->by_tap, uuid_hash(&e->tap));
        }
    }
    HMAP_FOR_EACH_POP (e, by_tap, &ids->by_tap) {
        hmap_remove(&ids->by_id, &e->by_id);
        free(e);
    }
    hmap_swap(&keep, &ids->by_tap);
    hmap_destroy(&keep);
}

/* Returns how many Taps have an ID. */
size_t
vtapd_ids_count(const struct vtapd_ids *ids)
{
    return hmap_count(&ids->by_tap);
}
