# bench: benchmarks.  Not tests: they report ratios measured in one run and
# never pass or fail on a figure.  'make bench' needs root (namespaces).

EXTRA_DIST += bench/mirror-throughput bench/meter-throughput

.PHONY: bench
bench: all ovs-stock
	$(srcdir)/bench/mirror-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
	$(srcdir)/bench/meter-throughput --builddir '$(abs_top_builddir)' \
		$(BENCHFLAGS)
