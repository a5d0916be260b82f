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

#ifndef VTAPD_METRICS_H
#define VTAPD_METRICS_H 1

/* /metrics: a snapshot of the TAP database in Prometheus's text exposition
 * format, version 0.0.4.  Pure: a snapshot in, text out. */

struct ds;
struct vtapd_snapshot;

/* The Content-Type of what vtapd_metrics_format() writes. */
#define VTAPD_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

void vtapd_metrics_format(const struct vtapd_snapshot *, struct ds *);
void vtapd_metrics_escape_label(const char *value, struct ds *);

#endif /* vtapd-metrics.h */
