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

#ifndef VTAPD_BUNDLE_H
#define VTAPD_BUNDLE_H 1

/* The state of one OpenFlow bundle of flow-mods in flight to a switch, as a
 * pure state machine: the caller encodes and sends the messages and feeds in
 * the switch's replies; this module says what to send next and when the
 * bundle took effect or did not.  No I/O.
 *
 * The sequence, as vconn_bundle_transact() in OVS's lib/vconn.c but without
 * blocking: the caller sends OPEN_REQUEST, one ADD per flow-mod and a
 * barrier all at once (vtapd_bundle_start()).  A switch does not drop a
 * bundle whose ADD failed, it leaves the message out, so the commit waits for
 * the barrier: with no error before the barrier reply, the caller sends
 * COMMIT_REQUEST, and the bundle took effect when COMMIT_REPLY arrives;
 * after an error, it sends DISCARD_REQUEST (if the bundle was opened) and
 * the bundle failed as a whole. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "openvswitch/ofp-errors.h"

/* Where a bundle is. */
enum vtapd_bundle_state {
    VTAPD_BUNDLE_IDLE,          /* None in flight. */
    VTAPD_BUNDLE_ADDING,        /* OPEN, ADDs, barrier sent. */
    VTAPD_BUNDLE_COMMITTING,    /* COMMIT_REQUEST sent. */
    VTAPD_BUNDLE_DISCARDING,    /* DISCARD_REQUEST sent after an error. */
};

/* What the caller must do after a message from the switch. */
enum vtapd_bundle_action {
    VTAPD_BUNDLE_NONE,          /* Nothing (yet). */
    VTAPD_BUNDLE_COMMIT,        /* Send COMMIT_REQUEST, then _expect(). */
    VTAPD_BUNDLE_DISCARD,       /* Send DISCARD_REQUEST, then _expect(). */
    VTAPD_BUNDLE_DONE,          /* Committed: every flow-mod took effect. */
    VTAPD_BUNDLE_FAILED,        /* None of the flow-mods took effect. */
};

/* One bundle in flight. */
struct vtapd_bundle {
    enum vtapd_bundle_state state;
    uint32_t id;                /* Bundle ID. */
    bool opened;                /* OPEN_REPLY received. */
    enum ofperr error;          /* First error received, or 0. */
    ovs_be32 open_xid;          /* OPEN_REQUEST's xid. */
    ovs_be32 barrier_xid;       /* The barrier after the ADDs. */
    ovs_be32 ctrl_xid;          /* COMMIT_ or DISCARD_REQUEST's xid. */
    ovs_be32 *add_xids;         /* Each ADD's xid. */
    size_t n_add_xids;
};

void vtapd_bundle_init(struct vtapd_bundle *);
void vtapd_bundle_destroy(struct vtapd_bundle *);
void vtapd_bundle_clear(struct vtapd_bundle *);
bool vtapd_bundle_is_busy(const struct vtapd_bundle *);

void vtapd_bundle_start(struct vtapd_bundle *, uint32_t id,
                        ovs_be32 open_xid, const ovs_be32 *add_xids,
                        size_t n_add_xids, ovs_be32 barrier_xid);
void vtapd_bundle_expect(struct vtapd_bundle *, ovs_be32 ctrl_xid);

bool vtapd_bundle_owns_xid(const struct vtapd_bundle *, ovs_be32 xid);
enum vtapd_bundle_action vtapd_bundle_barrier_reply(struct vtapd_bundle *,
                                                    ovs_be32 xid);
enum vtapd_bundle_action vtapd_bundle_ctrl_reply(struct vtapd_bundle *,
                                                 ovs_be32 xid,
                                                 uint32_t bundle_id,
                                                 uint16_t type);
enum vtapd_bundle_action vtapd_bundle_error(struct vtapd_bundle *,
                                            ovs_be32 xid, enum ofperr);

#endif /* vtapd-bundle.h */
