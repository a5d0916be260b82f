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

void
vtapd_counters_init(struct vtapd_counters *c)
{
    shash_init(&c->by_name);
}

void
vtapd_counters_destroy(struct vtapd_counters *c)
{
    shash_destroy_free_data(&c->by_name);
}

/* Adds 'value' to counter 'name', which starts at 0. */
void
vtapd_counters_add(struct vtapd_counters *c, const char *name, int64_t value)
{
    int64_t *counter = shash_find_data(&c->by_name, name);

    if (!counter) {
        counter = xzalloc(sizeof *counter);
        shash_add(&c->by_name, name, counter);
    }
    *counter += value;
}

/* Stores counter 'name' in '*value' and returns true, or returns false if
 * there is no such counter. */
bool
vtapd_counters_get(const struct vtapd_counters *c, const char *name,
                   int64_t *value)
{
    const int64_t *counter = shash_find_data(&c->by_name, name);

    if (counter) {
        *value = *counter;
    }
    return counter != NULL;
}

/* Stores the counters' names, sorted, in a new array '*keys' (pointing into
 * 'c') and their values in a new array '*values', as an IDL setter of a map
 * column takes them, and returns how many there are. */
size_t
vtapd_counters_to_arrays(const struct vtapd_counters *c, const char ***keys,
                         int64_t **values)
{
    const struct shash_node **nodes = shash_sort(&c->by_name);
    size_t n = shash_count(&c->by_name);

    *keys = xmalloc(MAX(n, 1) * sizeof **keys);
    *values = xmalloc(MAX(n, 1) * sizeof **values);
    for (size_t i = 0; i < n; i++) {
        (*keys)[i] = nodes[i]->name;
        (*values)[i] = *(const int64_t *) nodes[i]->data;
    }
    free(nodes);
    return n;
}

/* Returns true if 'c' holds exactly the 'n' counters named 'keys' with
 * 'values': writing them again would change nothing. */
bool
vtapd_counters_equal(const struct vtapd_counters *c, char **keys,
                     const int64_t *values, size_t n)
{
    if (n != shash_count(&c->by_name)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t value;

        if (!vtapd_counters_get(c, keys[i], &value) || value != values[i]) {
            return false;
        }
    }
    return true;
}
