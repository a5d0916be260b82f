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
#include "controller/vtapd-counters.h"

#include <string.h>
#include "util.h"
#include "uuid.h"

void
vtapd_counters_init(struct vtapd_counters *c)
{
    c->items = c->inline_items;
    c->n = 0;
    c->allocated = ARRAY_SIZE(c->inline_items);
}

void
vtapd_counters_destroy(struct vtapd_counters *c)
{
    if (c->items != c->inline_items) {
        free(c->items);
    }
}

/* Returns the position of counter 'name' in 'c', or where it would go,
 * and whether it is there in '*found'. */
static size_t
find_counter(const struct vtapd_counters *c, const char *name, bool *found)
{
    size_t lo = 0, hi = c->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(c->items[mid].name, name);

        if (!cmp) {
            *found = true;
            return mid;
        } else if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *found = false;
    return lo;
}

/* Adds 'value' to counter 'name', which starts at 0.  A name longer than
 * VTAPD_COUNTER_NAME_MAX - 1 bytes is cut. */
void
vtapd_counters_add(struct vtapd_counters *c, const char *name, int64_t value)
{
    bool found;
    size_t i = find_counter(c, name, &found);

    if (!found) {
        if (c->n >= c->allocated) {
            struct vtapd_counter *items = xmalloc(2 * c->allocated
                                                  * sizeof *items);

            memcpy(items, c->items, c->n * sizeof *items);
            vtapd_counters_destroy(c);
            c->items = items;
            c->allocated *= 2;
        }
        memmove(&c->items[i + 1], &c->items[i],
                (c->n - i) * sizeof *c->items);
        ovs_strlcpy(c->items[i].name, name, sizeof c->items[i].name);
        c->items[i].value = 0;
        c->n++;
    }
    c->items[i].value += value;
}

/* Stores counter 'name' in '*value' and returns true, or returns false if
 * there is no such counter. */
bool
vtapd_counters_get(const struct vtapd_counters *c, const char *name,
                   int64_t *value)
{
    bool found;
    size_t i = find_counter(c, name, &found);

    if (found) {
        *value = c->items[i].value;
    }
    return found;
}

/* Stores the counters' names, sorted, in a new array '*keys' (pointing into
 * 'c') and their values in a new array '*values', as an IDL setter of a map
 * column takes them, and returns how many there are. */
size_t
vtapd_counters_to_arrays(const struct vtapd_counters *c, const char ***keys,
                         int64_t **values)
{
    *keys = xmalloc(MAX(c->n, 1) * sizeof **keys);
    *values = xmalloc(MAX(c->n, 1) * sizeof **values);
    for (size_t i = 0; i < c->n; i++) {
        (*keys)[i] = c->items[i].name;
        (*values)[i] = c->items[i].value;
    }
    return c->n;
}

/* Returns true if 'c' holds exactly the 'n' counters named 'keys' with
 * 'values', sorted as a database map keeps them: writing them again would
 * change nothing. */
bool
vtapd_counters_equal(const struct vtapd_counters *c, char **keys,
                     const int64_t *values, size_t n)
{
    if (n != c->n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (values[i] != c->items[i].value
            || strcmp(keys[i], c->items[i].name)) {
            return false;
        }
    }
    return true;
}

/* Returns the counters of 'row' in 'map', or NULL if it has none. */
struct vtapd_counters *
vtapd_row_counters_find(const struct hmap *map, const struct uuid *row)
{
    struct vtapd_row_counters *rc;

    HMAP_FOR_EACH_WITH_HASH (rc, node, uuid_hash(row), map) {
        if (uuid_equals(&rc->row, row)) {
            return &rc->counters;
        }
    }
    return NULL;
}

/* Returns the counters of 'row' in 'map', adding empty ones first if it has
 * none. */
struct vtapd_counters *
vtapd_row_counters_get(struct hmap *map, const struct uuid *row)
{
    struct vtapd_counters *c = vtapd_row_counters_find(map, row);

    if (!c) {
        struct vtapd_row_counters *rc = xmalloc(sizeof *rc);

        rc->row = *row;
        vtapd_counters_init(&rc->counters);
        hmap_insert(map, &rc->node, uuid_hash(row));
        c = &rc->counters;
    }
    return c;
}

/* Frees every entry of 'map' and 'map' itself (not the hmap struct). */
void
vtapd_row_counters_destroy(struct hmap *map)
{
    struct vtapd_row_counters *rc;

    HMAP_FOR_EACH_POP (rc, node, map) {
        vtapd_counters_destroy(&rc->counters);
        free(rc);
    }
    hmap_destroy(map);
}
