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

#ifndef VTAPD_API_H
#define VTAPD_API_H 1

/* The main thread's side of vtapd's HTTP API: it builds the snapshots that
 * the HTTP thread serves from the TAP database's IDL, and runs the REST
 * API's writes against that IDL with the typed operations of
 * lib/vtapdb-ops.h, which vtapctl's verbs run too. */

#include "ovsdb-idl.h"

struct vtapd_rest_op;

struct vtapd_snapshot *vtapd_api_snapshot(struct ovsdb_idl *,
                                          bool connected);

/* A write of the REST API that the main thread runs. */
struct vtapd_api_write;

struct vtapd_api_write *vtapd_api_write_start(struct ovsdb_idl *,
                                              const struct vtapd_rest_op *,
                                              const char *comment);
bool vtapd_api_write_run(struct vtapd_api_write *, int *status,
                         char **body);
void vtapd_api_write_wait(struct vtapd_api_write *);
void vtapd_api_write_destroy(struct vtapd_api_write *);

#endif /* vtapd-api.h */
