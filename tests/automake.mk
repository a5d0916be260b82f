# tests: cmocka unit tests (TESTS, run by automake's test harness) and the
# autotest suite in tests/testsuite (build-system and system tests).
#
# The system tests start simulated hosts in network namespaces with real,
# patched ovsdb-server and ovs-vswitchd daemons; they need root.  Run a
# subset with e.g. 'make check TESTSUITEFLAGS="-k mirror"'.

TESTSUITE_AT = \
	tests/testsuite.at \
	tests/sim-macros.at \
	tests/ovs-ext.at \
	tests/vtapctl.at \
	tests/dummy-mirror.at \
	tests/nx-sample.at \
	tests/system-mirror.at \
	tests/system-demo.at \
	tests/vagrant.at \
	tests/guest.at \
	tests/system-vtapd.at \
	tests/system-hub.at \
	tests/http.at \
	tests/fleet.at
TESTSUITE = $(srcdir)/tests/testsuite
AUTOM4TE = autom4te
AUTOTEST = $(AUTOM4TE) -l autotest

EXTRA_DIST += \
	$(TESTSUITE_AT) \
	$(TESTSUITE) \
	tests/atlocal.in \
	tests/package.m4 \
	tests/sim-sweep

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN){ \
	  echo '# Generated from configure.ac: do not edit.'; \
	  echo 'm4_define([AT_PACKAGE_NAME], [$(PACKAGE_NAME)])'; \
	  echo 'm4_define([AT_PACKAGE_TARNAME], [$(PACKAGE_TARNAME)])'; \
	  echo 'm4_define([AT_PACKAGE_VERSION], [$(PACKAGE_VERSION)])'; \
	  echo 'm4_define([AT_PACKAGE_STRING], [$(PACKAGE_STRING)])'; \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} > $@.tmp && mv $@.tmp $@

$(TESTSUITE): $(srcdir)/tests/package.m4 $(TESTSUITE_AT:%=$(srcdir)/%)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -I '$(srcdir)/tests' -o $@.tmp $@.at && mv $@.tmp $@

# Paths the testsuite puts first in PATH.
AUTOTEST_PATH = $(OVS_BUILDDIR)/utilities:$(OVS_BUILDDIR)/vswitchd:$(OVS_BUILDDIR)/ovsdb:$(abs_top_srcdir)/utilities:$(abs_top_builddir)/utilities:$(abs_top_builddir)/controller

# The kernel datapath suite: the same simulated hosts with their bridges on
# the Linux kernel's openvswitch module, run in a guest (utilities/vtap-guest)
# that boots Debian's kernel, since the machine that builds may have no such
# module or must not load it.
KERNEL_TESTSUITE_AT = \
	tests/kernel-testsuite.at \
	tests/sim-macros.at \
	tests/system-kernel.at
KERNEL_TESTSUITE = $(srcdir)/tests/kernel-testsuite
EXTRA_DIST += \
	tests/kernel-testsuite.at \
	tests/system-kernel.at \
	$(KERNEL_TESTSUITE) \
	tests/kernel-check

$(KERNEL_TESTSUITE): $(srcdir)/tests/package.m4 $(KERNEL_TESTSUITE_AT:%=$(srcdir)/%)
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -I '$(srcdir)/tests' -o $@.tmp $@.at && mv $@.tmp $@

# Boots a guest, runs the kernel datapath suite in it, and shows its output
# (each test's result line, as the host's suite prints them).  The guest's
# log, console and failed tests' directories stay in tests/kernel/.
check-kernel: all tests/atconfig tests/atlocal $(KERNEL_TESTSUITE)
	$(AM_V_at)rm -rf tests/kernel; rc=0; \
	'$(srcdir)/utilities/vtap-guest' --builddir='$(abs_top_builddir)' \
		--results='$(abs_top_builddir)/tests/kernel' --timeout=1500 \
		run kernel tests/kernel-check '$(AUTOTEST_PATH)' \
		$(TESTSUITEFLAGS) || rc=$$?; \
	cat '$(abs_top_builddir)/tests/kernel/kernel/output' 2> /dev/null; \
	exit $$rc
.PHONY: check-kernel

# Removes what an interrupted earlier run may have left (namespaces,
# daemons), then runs the suite with bash, which the simulation needs.
check-local: tests/atconfig tests/atlocal $(TESTSUITE)
	$(AM_V_at)$(srcdir)/tests/sim-sweep tests/testsuite.dir
	/bin/bash '$(TESTSUITE)' -C tests \
		AUTOTEST_PATH='$(AUTOTEST_PATH)' $(TESTSUITEFLAGS)

# Runs the tests that show each ovs-ext fix is needed against stock Open
# vSwitch of the build's version, and fails unless every one of them fails
# there.
check-stock: ovs-stock tests/atconfig tests/atlocal $(TESTSUITE)
	$(AM_V_at)$(srcdir)/tests/sim-sweep tests/stock.dir
	$(AM_V_at)$(srcdir)/tests/check-stock '$(TESTSUITE)' \
		'$(abs_top_builddir)/ovs-stock/vswitchd/ovs-vswitchd' \
		'$(AUTOTEST_PATH)'
EXTRA_DIST += tests/check-stock tests/compare-ovs-suites

clean-local: clean-testsuite
clean-testsuite:
	test ! -f '$(TESTSUITE)' || $(SHELL) '$(TESTSUITE)' -C tests --clean
	rm -rf tests/stock.dir tests/kernel
.PHONY: clean-testsuite check-stock

DISTCLEANFILES += tests/atconfig tests/atlocal

# cmocka unit tests: each driver links only the code under test.
UNIT_TESTS = \
	tests/unit/test-vtap-field \
	tests/unit/test-mirror-filter \
	tests/unit/test-vtap-flows \
	tests/unit/test-vtapdb-check \
	tests/unit/test-vtapdb-ops \
	tests/unit/test-vtapd-diff \
	tests/unit/test-vtapd-deps \
	tests/unit/test-vtapd-ids \
	tests/unit/test-vtapd-bundle \
	tests/unit/test-vtapd-rest \
	tests/unit/test-vtapd-metrics
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

tests_unit_test_vtap_field_SOURCES = tests/unit/test-vtap-field.c
tests_unit_test_vtap_field_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtap_field_LDADD = \
	$(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_mirror_filter_SOURCES = tests/unit/test-mirror-filter.c
tests_unit_test_mirror_filter_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_mirror_filter_LDADD = $(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_vtapdb_check_SOURCES = tests/unit/test-vtapdb-check.c
tests_unit_test_vtapdb_check_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapdb_check_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVTAP_SCHEMA_FILE='"$(abs_top_srcdir)/$(VTAP_SCHEMA)"'
tests_unit_test_vtapdb_check_LDADD = \
	db/libvtapdb.la $(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_vtapdb_ops_SOURCES = tests/unit/test-vtapdb-ops.c
tests_unit_test_vtapdb_ops_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapdb_ops_LDADD = \
	lib/libvtap.la db/libvtapdb.la $(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_vtap_flows_SOURCES = tests/unit/test-vtap-flows.c
tests_unit_test_vtap_flows_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtap_flows_LDADD = \
	flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_vtapd_diff_SOURCES = tests/unit/test-vtapd-diff.c
tests_unit_test_vtapd_diff_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_diff_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) \
	$(CMOCKA_LIBS)

tests_unit_test_vtapd_deps_SOURCES = tests/unit/test-vtapd-deps.c
tests_unit_test_vtapd_deps_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_deps_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) \
	$(CMOCKA_LIBS)

tests_unit_test_vtapd_ids_SOURCES = tests/unit/test-vtapd-ids.c
tests_unit_test_vtapd_ids_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_ids_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) \
	$(CMOCKA_LIBS)

tests_unit_test_vtapd_bundle_SOURCES = tests/unit/test-vtapd-bundle.c
tests_unit_test_vtapd_bundle_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_bundle_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) \
	$(CMOCKA_LIBS)

tests_unit_test_vtapd_rest_SOURCES = tests/unit/test-vtapd-rest.c
tests_unit_test_vtapd_rest_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_rest_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la lib/libvtap.la db/libvtapdb.la \
	$(OVS_LIBOPENVSWITCH) $(CMOCKA_LIBS)

tests_unit_test_vtapd_metrics_SOURCES = tests/unit/test-vtapd-metrics.c
tests_unit_test_vtapd_metrics_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_vtapd_metrics_LDADD = \
	controller/libvtapd.la flows/libvtapflows.la $(OVS_LIBOPENVSWITCH) \
	$(CMOCKA_LIBS)
