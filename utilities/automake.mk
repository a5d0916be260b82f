# utilities: vtapctl, the TAP database helper vtap-db-ctl, and developer and
# demo scripts.

EXTRA_DIST += \
	utilities/fetch-ovs-source \
	utilities/install-deps \
	utilities/vtap-debian-root \
	utilities/vtap-dev \
	utilities/vtap-demo \
	utilities/vtap-guest \
	utilities/vtap-provision \
	utilities/vtap-sim.sh

# Where vtap-db-ctl runs ovsdb-server and keeps the database by default,
# as OVS keeps its own under $(localstatedir)/run/openvswitch.
VTAP_RUNDIR = $(localstatedir)/run/ovs-vtap
VTAP_DBDIR = $(sysconfdir)/ovs-vtap
VTAP_LOGDIR = $(localstatedir)/log/ovs-vtap

bin_PROGRAMS += utilities/vtapctl
utilities_vtapctl_SOURCES = \
	utilities/vtapctl.c \
	utilities/vtapctl-cmds.c \
	utilities/vtapctl-cmds.h
utilities_vtapctl_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVTAP_RUNDIR_DEFAULT='"$(VTAP_RUNDIR)"'
utilities_vtapctl_LDADD = lib/libvtap.la db/libvtapdb.la \
	$(OVS_LIBOPENVSWITCH)
dist_man_MANS += utilities/vtapctl.8 utilities/vtap-db-ctl.8

bin_SCRIPTS = utilities/vtap-db-ctl
EXTRA_DIST += utilities/vtap-db-ctl.in
CLEANFILES += utilities/vtap-db-ctl
utilities/vtap-db-ctl: $(srcdir)/utilities/vtap-db-ctl.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && sed \
		-e 's|@VTAP_RUNDIR[@]|$(VTAP_RUNDIR)|g' \
		-e 's|@VTAP_DBDIR[@]|$(VTAP_DBDIR)|g' \
		-e 's|@VTAP_LOGDIR[@]|$(VTAP_LOGDIR)|g' \
		-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
		-e 's|@bindir[@]|$(bindir)|g' \
		-e 's|@sbindir[@]|$(sbindir)|g' \
		$(srcdir)/utilities/vtap-db-ctl.in > $@.tmp && \
		chmod +x $@.tmp && mv $@.tmp $@
