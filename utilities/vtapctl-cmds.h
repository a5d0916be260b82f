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

#ifndef VTAPCTL_CMDS_H
#define VTAPCTL_CMDS_H 1

/* vtapctl's commands.
 *
 * The verbs that write turn their words into the typed operations of
 * lib/vtapdb-ops.h, the write path that vtapd's HTTP API shares, so that a
 * change made with vtapctl gets exactly the validation that the same
 * request over HTTP gets.  db-ctl-base's generic commands (set, create,
 * ...) write columns directly; the check of every row the transaction would
 * leave behind (vtapdb_txn_finish()) covers them too.
 *
 * vtapctl calls vtapctl_cmds_init() once, parses its commands with
 * db-ctl-base's ctl_parse_commands() and runs them in a transaction with
 * vtapctl_cmds_execute().  To add a verb, add an operation to
 * lib/vtapdb-ops.h and the verb to the command table in vtapctl-cmds.c. */

#include <stdbool.h>
#include <stddef.h>

#include "openvswitch/compiler.h"

struct ctl_command;
struct ovsdb_idl;
struct ovsdb_idl_txn;
struct ovsdb_symbol_table;
struct vtaprec_switch;

void vtapctl_cmds_init(void (*exit_func)(int status));

char *vtapctl_cmds_execute(struct ovsdb_idl *, struct ovsdb_idl_txn *,
                           struct ovsdb_symbol_table *,
                           struct ctl_command *, size_t n_commands,
                           bool *try_again)
    OVS_WARN_UNUSED_RESULT;


#endif /* utilities/vtapctl-cmds.h */
