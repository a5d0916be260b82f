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
#include "controller/vtapd-monitor.h"

#include <limits.h>
#include <string.h>
#include "db/vtap-idl.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "sset.h"
#include "util.h"

/* The names of the switches of a vtapd per host; NULL for a central vtapd,
 * which monitors every row. */
static const struct sset *own_switches;

/* The IDL and condition sequence numbers when the conditions were last set,
 * and the condition sequence number at which the server will have answered
 * them. */
static unsigned int set_idl_seqno = UINT_MAX;
static unsigned int set_cond_seqno = UINT_MAX;
static unsigned int expected_cond_seqno;

/* The tables of the database's server: who may connect and what they may
 * write.  vtapd reads none of them. */
static const struct ovsdb_idl_table_class *const server_tables[] = {
    &vtaprec_table_connection,
    &vtaprec_table_rbac_role,
    &vtaprec_table_rbac_permission,
};

static unsigned int set_conditions(struct ovsdb_idl *);

/* Returns true if 'tc' is one of the server's tables. */
static bool
is_server_table(const struct ovsdb_idl_table_class *tc)
{
    for (size_t i = 0; i < ARRAY_SIZE(server_tables); i++) {
        if (tc == server_tables[i]) {
            return true;
        }
    }
    return false;
}

/* Leaves the server's tables, and Global's column that refers to them, out
 * of what 'idl' monitors. */
static void
omit_server_tables(struct ovsdb_idl *idl)
{
    for (size_t i = 0; i < ARRAY_SIZE(server_tables); i++) {
        for (size_t j = 0; j < server_tables[i]->n_columns; j++) {
            ovsdb_idl_omit(idl, &server_tables[i]->columns[j]);
        }
    }
    ovsdb_idl_omit(idl, &vtaprec_global_col_connections);
}

/* Makes 'idl' monitor what vtapd reads: with the switches named in 'own',
 * only what they read, or, if 'own' is empty, every row.  Call before the
 * IDL first connects, so that the first reply already honours the
 * conditions; 'own' must outlive 'idl'. */
void
vtapd_monitor_init(struct ovsdb_idl *idl, const struct sset *own)
{
    omit_server_tables(idl);
    own_switches = sset_is_empty(own) ? NULL : own;
    if (own_switches) {
        expected_cond_seqno = set_conditions(idl);
        set_idl_seqno = ovsdb_idl_get_seqno(idl);
        set_cond_seqno = ovsdb_idl_get_condition_seqno(idl);
    }
}

/* Monitors the own switches by name and every hub, which the own switches'
 * Taps may be delivered through.  Returns the condition sequence number at
 * which the server will have answered. */
static unsigned int
set_switch_condition(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_condition cond;
    const char *name;

    ovsdb_idl_condition_init(&cond);
    SSET_FOR_EACH (name, own_switches) {
        vtaprec_switch_add_clause_name(&cond, OVSDB_F_EQ, name);
    }
    vtaprec_switch_add_clause_role(&cond, OVSDB_F_EQ, "hub");
    unsigned int seqno = vtaprec_switch_set_condition(idl, &cond);
    ovsdb_idl_condition_destroy(&cond);
    return seqno;
}

/* Monitors the sources on the own switches, and those of the Taps that an
 * own hub delivers.  Without such rows yet, the condition matches nothing.
 * Returns the condition sequence number at which the server will have
 * answered. */
static unsigned int
set_source_condition(struct ovsdb_idl *idl)
{
    const struct vtaprec_switch *sw;
    const struct vtaprec_tap *tap;
    struct ovsdb_idl_condition cond;

    ovsdb_idl_condition_init(&cond);
    VTAPREC_SWITCH_FOR_EACH (sw, idl) {
        if (sset_contains(own_switches, sw->name)) {
            vtaprec_tap_source_add_clause_switch_(&cond, OVSDB_F_EQ,
                                                  &sw->header_.uuid);
        }
    }
    VTAPREC_TAP_FOR_EACH (tap, idl) {
        if (tap->hub && sset_contains(own_switches, tap->hub->name)) {
            vtaprec_tap_source_add_clause_tap(&cond, OVSDB_F_EQ,
                                              &tap->header_.uuid);
        }
    }
    unsigned int seqno = vtaprec_tap_source_set_condition(idl, &cond);
    ovsdb_idl_condition_destroy(&cond);
    return seqno;
}

/* Sets the conditions of 'idl' from what it holds now.  Setting a condition
 * equal to the last one sends nothing.  Returns the condition sequence
 * number at which the server will have answered every condition. */
static unsigned int
set_conditions(struct ovsdb_idl *idl)
{
    unsigned int a = set_switch_condition(idl);
    unsigned int b = set_source_condition(idl);
    return MAX(a, b);
}

/* Brings the conditions of 'idl' up to date with what it holds.  Returns
 * true if 'idl' holds every row it should for that: always for a central
 * vtapd; for a vtapd per host, once the server has answered the latest
 * conditions. */
bool
vtapd_monitor_run(struct ovsdb_idl *idl)
{
    if (!own_switches) {
        return true;
    }

    /* The conditions depend on the rows, and whether they are answered on
     * the condition sequence number (which a reconnection may leave where
     * it was, with the conditions sent again): recompute on either. */
    unsigned int idl_seqno = ovsdb_idl_get_seqno(idl);
    unsigned int cond_seqno = ovsdb_idl_get_condition_seqno(idl);
    if (idl_seqno != set_idl_seqno || cond_seqno != set_cond_seqno) {
        expected_cond_seqno = set_conditions(idl);
        set_idl_seqno = idl_seqno;
        set_cond_seqno = cond_seqno;
    }
    return cond_seqno == expected_cond_seqno;
}

/* Appends to 'out' what 'idl' monitors and how many rows of each table that
 * vtapd reads it holds. */
void
vtapd_monitor_show(struct ovsdb_idl *idl, struct ds *out)
{
    const struct ovsdb_idl_class *class = &vtaprec_idl_class;

    ds_put_format(out, "Monitoring: %s",
                  own_switches ? "the rows of its switches" : "every row");
    if (own_switches) {
        ds_put_format(out, " (%s)",
                      (ovsdb_idl_get_condition_seqno(idl)
                       == expected_cond_seqno ? "complete" : "pending"));
    }
    ds_put_char(out, '\n');
    for (size_t i = 0; i < class->n_tables; i++) {
        const struct ovsdb_idl_table_class *tc = &class->tables[i];
        size_t n = 0;

        if (is_server_table(tc)) {
            continue;
        }

        for (const struct ovsdb_idl_row *row = ovsdb_idl_first_row(idl, tc);
             row; row = ovsdb_idl_next_row(row)) {
            n++;
        }
        ds_put_format(out, "%s: %"PRIuSIZE"\n", tc->name, n);
    }
}
