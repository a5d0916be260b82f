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

#ifndef VTAPD_STATUS_H
#define VTAPD_STATUS_H 1

/* What vtapd writes back to the TAP database: each Switch's applied_cfg and
 * status, each Tap's and Tap_Source's status (the problems that keep it
 * from working), and their statistics.
 *
 * Writes are bounded by change: a Tap or Tap_Source row's status is looked
 * at only when it is new or changed, or when the problems the switches
 * report about it change (vtapd_status_set_problems()); a Switch row's
 * only when its switch's status moved; statistics once per interval, and
 * written only where they changed.  Everything that is due goes into one
 * transaction. */

#include <stdbool.h>
#include <stddef.h>

struct ovsdb_idl;
struct ovsdb_idl_txn;
struct uuid;
struct vtap_problem;
struct vtaprec_switch;
struct vtapd_switch;

void vtapd_status_init(
    struct vtapd_switch *(*find_switch)(const struct uuid *), bool per_host);
void vtapd_status_set_problems(const void *owner, const char *owner_name,
                               const struct vtap_problem *, size_t n);
void vtapd_status_forget(const void *owner);
void vtapd_status_touch(const struct uuid *row);
void vtapd_status_touch_all(void);
bool vtapd_status_is_due(void);

bool vtapd_status_write_rows(struct ovsdb_idl *);
bool vtapd_status_write_switch(const struct vtaprec_switch *,
                               const struct vtapd_switch *);
bool vtapd_status_write_statistics(struct ovsdb_idl *);

#endif /* vtapd-status.h */
