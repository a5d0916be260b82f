# bench: benchmarks.  Not tests: they report ratios measured in one run and
# never pass or fail on a figure.  'make bench' needs root (namespaces).

EXTRA_DIST += bench/mirror-throughput bench/meter-throughput \
	bench/control-plane

.PHONY: bench
bench: all ovs-stock
	$(srcdir)/bench/mirror-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
	$(srcdir)/bench/meter-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)

# The control plane at fleet scale (minutes: 100 bridges x 64 sources).
.PHONY: bench-control-plane
bench-control-plane: all
	$(srcdir)/bench/control-plane --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
