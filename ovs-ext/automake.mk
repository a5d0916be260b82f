# ovs-ext: the patch series against Open vSwitch 3.1.0 and 3.5.0 and the
# extension's own source files, and the rules that build the patched Open
# vSwitch of the version that configure found.
#
# configure copies the pristine OVS source into ovs/ and configures it.  On
# every build, ovs-tree-sync brings ovs/ in line with ovs-ext/ (copying only
# files whose content changed, so OVS's own make rebuilds only what they
# affect), then OVS's make builds libopenvswitch, ovs-vswitchd, ovsdb-server
# and the utilities.  'make ovs-stock' builds an unpatched copy in
# ovs-stock/, which the tests use to show that each fix is needed.

# Each version's series names its patches: those shared by every version,
# in patches/, and its own, in VERSION/patches/.
OVS_EXT_SERIES = ovs-ext/3.1.0/series ovs-ext/3.5.0/series
OVS_EXT_PATCHES = \
	ovs-ext/patches/0002-mirror-snaplen-before-tunnel-push.patch \
	ovs-ext/patches/0003-lib-extension-files.patch \
	ovs-ext/patches/0006-xlate-tunnel-header-stats.patch \
	ovs-ext/patches/0008-mirror-sample-depth.patch \
	ovs-ext/patches/0009-mirror-snaplen-patch-port.patch \
	ovs-ext/3.1.0/patches/0001-mirror-revalidate-on-change.patch \
	ovs-ext/3.1.0/patches/0004-mirror-64-per-bridge.patch \
	ovs-ext/3.1.0/patches/0005-mirror-sample-filter.patch \
	ovs-ext/3.1.0/patches/0007-ofp-actions-sample-clone.patch \
	ovs-ext/3.1.0/patches/0010-mirror-review-fixes.patch \
	ovs-ext/3.1.0/patches/0011-mirror-keep-mac-learning.patch \
	ovs-ext/3.1.0/patches/0012-mirror-own-snaplen.patch \
	ovs-ext/3.1.0/patches/0013-mirror-rate-limit-meter.patch \
	ovs-ext/3.1.0/patches/0014-mirror-max-copy-len.patch \
	ovs-ext/3.1.0/patches/0015-mirror-256-per-bridge.patch \
	ovs-ext/3.5.0/patches/0001-mirror-revalidate-on-change.patch \
	ovs-ext/3.5.0/patches/0004-mirror-64-per-bridge.patch \
	ovs-ext/3.5.0/patches/0005-mirror-sample-filter.patch \
	ovs-ext/3.5.0/patches/0007-ofp-actions-sample-clone.patch \
	ovs-ext/3.5.0/patches/0010-mirror-review-fixes.patch \
	ovs-ext/3.5.0/patches/0011-mirror-keep-mac-learning.patch \
	ovs-ext/3.5.0/patches/0012-mirror-own-snaplen.patch \
	ovs-ext/3.5.0/patches/0013-mirror-rate-limit-meter.patch \
	ovs-ext/3.5.0/patches/0014-mirror-max-copy-len.patch \
	ovs-ext/3.5.0/patches/0015-mirror-256-per-bridge.patch
# The extension's own files, at the paths they take in the OVS tree: those
# of every version, then each version's own.
OVS_EXT_TREE_FILES = \
	ovs-ext/tree/lib/mirror-filter.c \
	ovs-ext/tree/lib/mirror-filter.h \
	ovs-ext/tree/lib/vtap-field.c \
	ovs-ext/tree/lib/vtap-field.h \
	ovs-ext/3.1.0/tree/lib/vtap-ovs-compat.h \
	ovs-ext/3.5.0/tree/lib/vtap-ovs-compat.h

EXTRA_DIST += \
	ovs-ext/README.md \
	ovs-ext/ovs-tree-sync \
	$(OVS_EXT_SERIES) \
	$(OVS_EXT_PATCHES) \
	$(OVS_EXT_TREE_FILES)

ovs-ext-sync.stamp: $(top_srcdir)/ovs-ext/ovs-tree-sync \
		$(OVS_EXT_SERIES:%=$(top_srcdir)/%) \
		$(OVS_EXT_PATCHES:%=$(top_srcdir)/%) \
		$(OVS_EXT_TREE_FILES:%=$(top_srcdir)/%)
	$(AM_V_GEN)$(top_srcdir)/ovs-ext/ovs-tree-sync \
		'$(OVS_PRISTINE)' '$(OVS_BUILDDIR)' '$(top_srcdir)/ovs-ext' \
		'$(OVS_VERSION)'
	$(AM_V_at)touch $@
CLEANFILES += ovs-ext-sync.stamp

# OVS's own make decides what is stale in ovs/, so this always runs it.
.PHONY: ovs-build
ovs-build: ovs-ext-sync.stamp
	$(AM_V_GEN)$(MAKE) -C '$(OVS_BUILDDIR)' all
BUILT_SOURCES += ovs-build

# Open vSwitch's own tests of mirroring, on the patched build, run
# OVS_MIRROR_TEST_RUNS times over: a mirror's index follows the order of
# the database's rows (random UUIDs), so a translation bug that depends on
# the order of mirrors fails only some runs.  OVS's make check builds its
# test programs first.
OVS_MIRROR_TEST_RUNS = 5
.PHONY: check-ovs-mirror
check-ovs-mirror: ovs-build
	$(AM_V_at)for run in `seq $(OVS_MIRROR_TEST_RUNS)`; do \
	    echo "Open vSwitch's own mirror tests, run $$run of $(OVS_MIRROR_TEST_RUNS)"; \
	    $(MAKE) -C '$(OVS_BUILDDIR)' check \
	        TESTSUITEFLAGS='-j2 -k mirror $(TESTSUITEFLAGS)' || exit 1; \
	done

# Open vSwitch's whole testsuite on the patched build and on stock: fails if
# a test fails on the patched build that passes on stock.  Long (two runs of
# about 2,600 tests), so not part of 'make check'; see docs/testing.md.
.PHONY: check-ovs-full
check-ovs-full: ovs-build ovs-stock
	$(AM_V_at)$(srcdir)/tests/compare-ovs-suites '$(OVS_BUILDDIR)' \
		'$(abs_top_builddir)/ovs-stock'

# An unpatched Open vSwitch, for tests and benchmarks that compare with it.
.PHONY: ovs-stock
ovs-stock: ovs-stock/.built
# It is configured as ovs/ is, so it is rebuilt whenever ovs/ is
# reconfigured.
ovs-stock/.built: $(OVS_BUILDDIR)/.ovs-vtap-configure-args
	$(AM_V_GEN)rm -rf ovs-stock && cp -a '$(OVS_PRISTINE)' ovs-stock
	$(AM_V_at)cd ovs-stock && ./configure $(OVS_CONFIGURE_FLAGS) \
		CC='$(CC)' CFLAGS='$(CFLAGS)' CPPFLAGS='$(CPPFLAGS)' \
		LDFLAGS='$(LDFLAGS)' \
		> configure.log 2>&1 || { cat configure.log; exit 1; }
	$(AM_V_at)$(MAKE) -C ovs-stock all
	$(AM_V_at)touch $@

install-exec-local:
	$(MAKE) -C '$(OVS_BUILDDIR)' install DESTDIR='$(DESTDIR)'

uninstall-local:
	$(MAKE) -C '$(OVS_BUILDDIR)' uninstall DESTDIR='$(DESTDIR)'

clean-local:
	-$(MAKE) -C '$(OVS_BUILDDIR)' clean
	rm -rf ovs-stock

distclean-local:
	rm -rf '$(OVS_BUILDDIR)' '$(OVS_PRISTINE)' ovs-configure.log
