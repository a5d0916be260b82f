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

#ifndef VTAPD_SNAPSHOT_H
#define VTAPD_SNAPSHOT_H 1

/* An immutable view of the TAP database, for vtapd's HTTP thread.
 *
 * The main thread builds a snapshot (controller/vtapd-api.c) each time the
 * TAP database or the connection to it changes and publishes it; the HTTP
 * thread serves /healthz, /metrics and every GET from the snapshot it last
 * took.  Nothing in a snapshot changes after it is published, and it holds
 * no pointer into an IDL, so the two threads share it without a lock: only
 * its reference count is atomic. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ovs-atomic.h"
#include "smap.h"

struct json;

/* A Switch row, for the metrics. */
struct vtapd_snapshot_switch {
    char *name;
    bool enabled;               /* 'enabled' empty or true. */
    int64_t applied_cfg;
    struct smap status;         /* Switch 'status' column. */
};

/* A Tap row, for the metrics. */
struct vtapd_snapshot_tap {
    char *name;
    struct smap status;         /* Tap 'status' column. */
    struct smap statistics;     /* Tap 'statistics' column. */
};

/* A Tap_Source row, for the metrics. */
struct vtapd_snapshot_source {
    char *tap;                  /* Name of its Tap. */
    char *sw;                   /* Name of its Switch. */
    char *port;                 /* Port name, or NULL. */
    char *iface_id;             /* iface-id, or NULL. */
    struct smap statistics;     /* Tap_Source 'statistics' column. */
};

/* What the REST API lists, one JSON array of objects each. */
enum vtapd_collection {
    VTAPD_SWITCHES,
    VTAPD_TAPS,
    VTAPD_SOURCES,
    VTAPD_FILTERS,
    VTAPD_POOLS,
    VTAPD_N_COLLECTIONS
};

struct vtapd_snapshot {
    struct ovs_refcount ref_cnt;
    bool connected;             /* Connected to the TAP database? */
    bool has_global;            /* Is there a Global row? */
    int64_t next_cfg;           /* Global 'next_cfg', if 'has_global'. */

    struct vtapd_snapshot_switch *switches;
    size_t n_switches;
    struct vtapd_snapshot_tap *taps;
    size_t n_taps;
    struct vtapd_snapshot_source *sources;
    size_t n_sources;

    /* For each collection, a JSON array of objects sorted by their "name"
     * (or, for sources, "id"), as the REST API shows them. */
    struct json *collections[VTAPD_N_COLLECTIONS];
};

struct vtapd_snapshot *vtapd_snapshot_create(void);
struct vtapd_snapshot *vtapd_snapshot_ref(const struct vtapd_snapshot *);
void vtapd_snapshot_unref(struct vtapd_snapshot *);

const struct json *vtapd_snapshot_find(const struct vtapd_snapshot *,
                                       enum vtapd_collection,
                                       const char *key);
const struct json *vtapd_json_array_find(const struct json *array,
                                         const char *member,
                                         const char *key);

#endif /* vtapd-snapshot.h */
