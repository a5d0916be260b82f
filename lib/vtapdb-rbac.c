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
#include "lib/vtapdb-rbac.h"

#include <string.h>
#include "db/vtap-idl.h"
#include "hmapx.h"
#include "ovsdb-idl.h"
#include "util.h"

/* What VTAPDB_HOST_ROLE may update: in 'table', the columns 'update' of
 * the rows whose column 'authorization' is the client's name. */
struct host_permission {
    const char *table;
    const char *authorization;
    const char *update[2];
};

static const struct host_permission host_permissions[] = {
    {"Switch", "name", {"status", "applied_cfg"}},
    {"Tap_Source", "switch_name", {"status", "statistics"}},
    {"Tap", "hub_name", {"status", "statistics"}},
};

/* Returns true if 'row' is 'p' exactly. */
static bool
permission_is(const struct vtaprec_rbac_permission *row,
              const struct host_permission *p)
{
    if (!row || strcmp(row->table, p->table) || row->insert_delete
        || row->n_authorization != 1
        || strcmp(row->authorization[0], p->authorization)
        || row->n_update != ARRAY_SIZE(p->update)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(p->update); i++) {
        bool found = false;

        for (size_t j = 0; j < row->n_update; j++) {
            found |= !strcmp(row->update[j], p->update[i]);
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

/* Returns the RBAC_Role row of 'idl' named 'name', or NULL. */
const struct vtaprec_rbac_role *
vtapdb_rbac_find_role(struct ovsdb_idl *idl, const char *name)
{
    const struct vtaprec_rbac_role *role;

    VTAPREC_RBAC_ROLE_FOR_EACH (role, idl) {
        if (!strcmp(role->name, name)) {
            return role;
        }
    }
    return NULL;
}

/* Returns the permission of 'role' for 'table', or NULL. */
static const struct vtaprec_rbac_permission *
role_permission(const struct vtaprec_rbac_role *role, const char *table)
{
    for (size_t i = 0; i < role->n_permissions; i++) {
        if (!strcmp(role->key_permissions[i], table)) {
            return role->value_permissions[i];
        }
    }
    return NULL;
}

/* Returns true if 'role' holds the host permissions, and no other. */
static bool
role_is_host(const struct vtaprec_rbac_role *role)
{
    if (role->n_permissions != ARRAY_SIZE(host_permissions)) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(host_permissions); i++) {
        const struct host_permission *p = &host_permissions[i];

        if (!permission_is(role_permission(role, p->table), p)) {
            return false;
        }
    }
    return true;
}

/* Deletes, in the transaction open on 'idl', the permissions of 'role'
 * that no other role holds, each once (two tables of a role may share
 * one). */
static void
delete_own_permissions(struct ovsdb_idl *idl,
                       const struct vtaprec_rbac_role *role)
{
    struct hmapx others = HMAPX_INITIALIZER(&others);
    struct hmapx own = HMAPX_INITIALIZER(&own);
    const struct vtaprec_rbac_role *other;
    struct hmapx_node *node;

    VTAPREC_RBAC_ROLE_FOR_EACH (other, idl) {
        for (size_t i = 0; other != role && i < other->n_permissions; i++) {
            hmapx_add(&others, other->value_permissions[i]);
        }
    }
    for (size_t i = 0; i < role->n_permissions; i++) {
        const struct vtaprec_rbac_permission *perm
            = role->value_permissions[i];

        if (perm && !hmapx_contains(&others, perm)) {
            hmapx_add(&own, CONST_CAST(void *, (const void *) perm));
        }
    }
    HMAPX_FOR_EACH (node, &own) {
        vtaprec_rbac_permission_delete(node->data);
    }
    hmapx_destroy(&others);
    hmapx_destroy(&own);
}

/* Makes, in 'txn' on 'idl', the RBAC_Role row VTAPDB_HOST_ROLE and its
 * RBAC_Permission rows what this version of ovs-vtap defines, unless they
 * are already: so that a database made or converted by an older version
 * gets them, and one whose rows someone changed gets them back.  Does
 * nothing against a server whose schema has no RBAC tables. */
void
vtapdb_rbac_ensure_host_role(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
    const struct vtaprec_rbac_role *role;

    if (!ovsdb_idl_server_has_table(idl, &vtaprec_table_rbac_role)) {
        return;
    }
    role = vtapdb_rbac_find_role(idl, VTAPDB_HOST_ROLE);
    if (role && role_is_host(role)) {
        return;
    }
    if (role) {
        delete_own_permissions(idl, role);
    } else {
        role = vtaprec_rbac_role_insert(txn);
        vtaprec_rbac_role_set_name(role, VTAPDB_HOST_ROLE);
    }

    size_t n = ARRAY_SIZE(host_permissions);
    const char **tables = xmalloc(n * sizeof *tables);
    struct vtaprec_rbac_permission **perms = xmalloc(n * sizeof *perms);
    for (size_t i = 0; i < n; i++) {
        const struct host_permission *p = &host_permissions[i];
        struct vtaprec_rbac_permission *perm
            = vtaprec_rbac_permission_insert(txn);

        vtaprec_rbac_permission_set_table(perm, p->table);
        vtaprec_rbac_permission_set_authorization(
            perm, CONST_CAST(const char **, &p->authorization), 1);
        vtaprec_rbac_permission_set_insert_delete(perm, false);
        vtaprec_rbac_permission_set_update(
            perm, CONST_CAST(const char **, p->update), ARRAY_SIZE(p->update));
        tables[i] = p->table;
        perms[i] = perm;
    }
    vtaprec_rbac_role_set_permissions(role, tables, perms, n);
    free(tables);
    free(perms);
}
