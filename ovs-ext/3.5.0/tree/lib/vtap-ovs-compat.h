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

#ifndef VTAP_OVS_COMPAT_H
#define VTAP_OVS_COMPAT_H 1

/* What differs, for the extension's own files in ovs-ext/tree/, between the
 * Open vSwitch versions that ovs-vtap builds against.  Each version's
 * ovs-ext/VERSION/tree/ has its own copy of this header. */

#include "classifier.h"

/* Open vSwitch 3.3 and later: classifier_lookup() also collects the
 * conjunctive flows that matched, which a mirror filter has none of. */
#define VTAP_CLASSIFIER_LOOKUP(CLS, VERSION, FLOW, WC) \
    classifier_lookup(CLS, VERSION, FLOW, WC, NULL)

#endif /* vtap-ovs-compat.h */
