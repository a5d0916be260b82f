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
#include "controller/vtapd-snapshot.h"

#include <string.h>

#include "openvswitch/json.h"
#include "util.h"

/* Returns a new, empty snapshot with one reference, which the caller
 * fills in before publishing it. */
struct vtapd_snapshot *
vtapd_snapshot_create(void)
{
    struct vtapd_snapshot *snap = xzalloc(sizeof *snap);

    ovs_refcount_init(&snap->ref_cnt);
    for (size_t i = 0; i < VTAPD_N_COLLECTIONS; i++) {
        snap->collections[i] = json_array_create_empty();
    }
    return snap;
}

/* Takes a reference to 'snap_', which may be null. */
struct vtapd_snapshot *
vtapd_snapshot_ref(const struct vtapd_snapshot *snap_)
{
    struct vtapd_snapshot *snap = CONST_CAST(struct vtapd_snapshot *, snap_);

    if (snap) {
        ovs_refcount_ref(&snap->ref_cnt);
    }
    return snap;
}

/* Drops a reference to 'snap', which may be null, and frees it with the
 * last one, in whichever thread that is. */
void
vtapd_snapshot_unref(struct vtapd_snapshot *snap)
{
    if (!snap || ovs_refcount_unref_relaxed(&snap->ref_cnt) > 1) {
        return;
    }
    for (size_t i = 0; i < snap->n_switches; i++) {
        free(snap->switches[i].name);
        smap_destroy(&snap->switches[i].status);
    }
    for (size_t i = 0; i < snap->n_taps; i++) {
        free(snap->taps[i].name);
        smap_destroy(&snap->taps[i].status);
        smap_destroy(&snap->taps[i].statistics);
    }
    for (size_t i = 0; i < snap->n_sources; i++) {
        free(snap->sources[i].tap);
        free(snap->sources[i].sw);
        free(snap->sources[i].port);
        free(snap->sources[i].iface_id);
        smap_destroy(&snap->sources[i].statistics);
    }
    free(snap->switches);
    free(snap->taps);
    free(snap->sources);
    for (size_t i = 0; i < VTAPD_N_COLLECTIONS; i++) {
        json_destroy(snap->collections[i]);
    }
    free(snap);
}

/* Returns the object in JSON array 'array' whose string member 'member' is
 * 'key', or NULL. */
const struct json *
vtapd_json_array_find(const struct json *array, const char *member,
                      const char *key)
{
    for (size_t i = 0; array && i < array->array.n; i++) {
        const struct json *elem = array->array.elems[i];
        const struct json *value;

        if (elem->type != JSON_OBJECT) {
            continue;
        }
        value = shash_find_data(json_object(elem), member);
        if (value && value->type == JSON_STRING
            && !strcmp(json_string(value), key)) {
            return elem;
        }
    }
    return NULL;
}

/* Returns the object of 'collection' in 'snap' whose name (for sources, the
 * id) is 'key', or NULL. */
const struct json *
vtapd_snapshot_find(const struct vtapd_snapshot *snap,
                    enum vtapd_collection collection, const char *key)
{
    return vtapd_json_array_find(snap->collections[collection],
                                 collection == VTAPD_SOURCES ? "id" : "name",
                                 key);
}
