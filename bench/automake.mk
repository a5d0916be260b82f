# bench: benchmarks.  Not tests: they report ratios measured in one run and
# never pass or fail on a figure.  'make bench' needs root (namespaces);
# BENCHFLAGS go to the throughput benchmarks.

EXTRA_DIST += bench/mirror-throughput bench/meter-throughput \
	bench/control-plane bench/fastpath-cost bench/vtapd-failover \
	bench/vtapd-per-host bench/bench-lib.sh

.PHONY: bench
bench: all ovs-stock
	$(srcdir)/bench/mirror-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
	$(srcdir)/bench/meter-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
	$(srcdir)/bench/fastpath-cost --builddir '$(abs_top_builddir)'

# The control plane at fleet scale (minutes: 100 bridges x 64 sources).
.PHONY: bench-control-plane
bench-control-plane: all
	$(srcdir)/bench/control-plane --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)

# Instructions per production packet in the datapath, under callgrind (no
# root: dummy ports).
.PHONY: bench-fastpath-cost
bench-fastpath-cost: all ovs-stock
	$(srcdir)/bench/fastpath-cost --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)

# A standby vtapd taking over from a killed active one (no root: dummy
# hosts).
.PHONY: bench-vtapd-failover
bench-vtapd-failover: all
	$(srcdir)/bench/vtapd-failover --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)

# A vtapd per host beside a central one: rows held, memory, and the work a
# change on another host costs (no root: dummy hosts).
.PHONY: bench-vtapd-per-host
bench-vtapd-per-host: all
	$(srcdir)/bench/vtapd-per-host --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
