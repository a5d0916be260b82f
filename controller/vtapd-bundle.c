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
#include "controller/vtapd-bundle.h"

#include <string.h>
#include "openflow/openflow.h"
#include "util.h"

/* Initializes 'b' with no bundle in flight. */
void
vtapd_bundle_init(struct vtapd_bundle *b)
{
    memset(b, 0, sizeof *b);
    b->state = VTAPD_BUNDLE_IDLE;
}

/* Frees what 'b' holds.  Accepts NULL. */
void
vtapd_bundle_destroy(struct vtapd_bundle *b)
{
    if (b) {
        free(b->add_xids);
        b->add_xids = NULL;
        b->n_add_xids = 0;
    }
}

/* Forgets the bundle in flight in 'b', if any, as when the connection that
 * carried it went away (the switch discards it then).  Its ID and first
 * error stay readable. */
void
vtapd_bundle_clear(struct vtapd_bundle *b)
{
    vtapd_bundle_destroy(b);
    b->state = VTAPD_BUNDLE_IDLE;
}

/* Returns true if a bundle is in flight in 'b'. */
bool
vtapd_bundle_is_busy(const struct vtapd_bundle *b)
{
    return b->state != VTAPD_BUNDLE_IDLE;
}

/* Records in 'b', which must be idle, that bundle 'id' was sent: its
 * OPEN_REQUEST with 'open_xid', the 'n_add_xids' ADDs with 'add_xids', and
 * a barrier with 'barrier_xid' after them. */
void
vtapd_bundle_start(struct vtapd_bundle *b, uint32_t id, ovs_be32 open_xid,
                   const ovs_be32 *add_xids, size_t n_add_xids,
                   ovs_be32 barrier_xid)
{
    ovs_assert(b->state == VTAPD_BUNDLE_IDLE);

    vtapd_bundle_destroy(b);
    b->state = VTAPD_BUNDLE_ADDING;
    b->id = id;
    b->opened = false;
    b->error = 0;
    b->open_xid = open_xid;
    b->barrier_xid = barrier_xid;
    b->ctrl_xid = 0;
    b->add_xids = (n_add_xids
                   ? xmemdup(add_xids, n_add_xids * sizeof *add_xids)
                   : NULL);
    b->n_add_xids = n_add_xids;
}

/* Records in 'b' the xid of the COMMIT_ or DISCARD_REQUEST that the caller
 * sent as vtapd_bundle_barrier_reply() asked. */
void
vtapd_bundle_expect(struct vtapd_bundle *b, ovs_be32 ctrl_xid)
{
    b->ctrl_xid = ctrl_xid;
}

/* Returns true if 'xid' is that of a message of the bundle in flight in
 * 'b'. */
bool
vtapd_bundle_owns_xid(const struct vtapd_bundle *b, ovs_be32 xid)
{
    if (b->state == VTAPD_BUNDLE_IDLE) {
        return false;
    }
    if (xid == b->open_xid || xid == b->barrier_xid
        || (b->state != VTAPD_BUNDLE_ADDING && xid == b->ctrl_xid)) {
        return true;
    }
    for (size_t i = 0; i < b->n_add_xids; i++) {
        if (xid == b->add_xids[i]) {
            return true;
        }
    }
    return false;
}

/* Ends the bundle in flight in 'b' and returns 'action'. */
static enum vtapd_bundle_action
finish(struct vtapd_bundle *b, enum vtapd_bundle_action action)
{
    vtapd_bundle_clear(b);
    return action;
}

/* Processes a barrier reply with 'xid' for 'b'.  The one after the ADDs
 * decides: commit if every message so far was accepted, otherwise discard
 * the bundle (or, if it never opened, give up on it). */
enum vtapd_bundle_action
vtapd_bundle_barrier_reply(struct vtapd_bundle *b, ovs_be32 xid)
{
    if (b->state != VTAPD_BUNDLE_ADDING || xid != b->barrier_xid) {
        return VTAPD_BUNDLE_NONE;
    }
    if (!b->opened) {
        return finish(b, VTAPD_BUNDLE_FAILED);
    } else if (b->error) {
        b->state = VTAPD_BUNDLE_DISCARDING;
        return VTAPD_BUNDLE_DISCARD;
    } else {
        b->state = VTAPD_BUNDLE_COMMITTING;
        return VTAPD_BUNDLE_COMMIT;
    }
}

/* Processes a bundle control reply of 'type' for bundle 'bundle_id' with
 * 'xid'. */
enum vtapd_bundle_action
vtapd_bundle_ctrl_reply(struct vtapd_bundle *b, ovs_be32 xid,
                        uint32_t bundle_id, uint16_t type)
{
    if (b->state == VTAPD_BUNDLE_IDLE || bundle_id != b->id) {
        return VTAPD_BUNDLE_NONE;
    }
    if (b->state == VTAPD_BUNDLE_ADDING) {
        if (type == OFPBCT_OPEN_REPLY && xid == b->open_xid) {
            b->opened = true;
        }
    } else if (xid == b->ctrl_xid) {
        if (b->state == VTAPD_BUNDLE_COMMITTING
            && type == OFPBCT_COMMIT_REPLY) {
            return finish(b, (b->error ? VTAPD_BUNDLE_FAILED
                              : VTAPD_BUNDLE_DONE));
        } else if (b->state == VTAPD_BUNDLE_DISCARDING
                   && type == OFPBCT_DISCARD_REPLY) {
            return finish(b, VTAPD_BUNDLE_FAILED);
        }
    }
    return VTAPD_BUNDLE_NONE;
}

/* Processes an OpenFlow error 'error' with 'xid'.  An error for any message
 * of the bundle fails it; it ends once the switch answered the COMMIT_ or
 * DISCARD_REQUEST (a switch that fails a commit reports the flow-mod that
 * failed first, then the commit). */
enum vtapd_bundle_action
vtapd_bundle_error(struct vtapd_bundle *b, ovs_be32 xid, enum ofperr error)
{
    if (!vtapd_bundle_owns_xid(b, xid)) {
        return VTAPD_BUNDLE_NONE;
    }
    if (!b->error) {
        b->error = error;
    }
    if (b->state != VTAPD_BUNDLE_ADDING && xid == b->ctrl_xid) {
        return finish(b, VTAPD_BUNDLE_FAILED);
    }
    return VTAPD_BUNDLE_NONE;
}
