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

#ifndef VTAP_OVS_COMPAT_LIB_H
#define VTAP_OVS_COMPAT_LIB_H 1

/* What differs, for the project's own code, between the versions of
 * libopenvswitch that it builds against (3.1.0 and 3.5.0): each difference
 * is one macro here, so that the code that uses it reads the same for
 * both.  configure passes VTAP_OVS_VERSION_NUMBER, such as 30500 for
 * 3.5.0. */

#include "daemon.h"

#ifndef VTAP_OVS_VERSION_NUMBER
#error "configure passes -DVTAP_OVS_VERSION_NUMBER (see Makefile.am)"
#endif

/* 3.5.0's daemonize_start() also asks whether the daemon keeps access to
 * hardware ports (for DPDK), which the daemons of ovs-vtap need no more
 * than the datapath. */
#if VTAP_OVS_VERSION_NUMBER >= 30500
#define VTAP_DAEMONIZE_START() daemonize_start(false, false)
#else
#define VTAP_DAEMONIZE_START() daemonize_start(false)
#endif

#endif /* lib/ovs-compat.h */
