# controller: vtapd, the daemon that programs the switches from the TAP
# database.  Its pure helpers (cmocka-tested) are vtapd-diff (flow tables
# and diffs), vtapd-bundle (a bundle's state machine), vtapd-deps (which
# switches read which rows), vtapd-ids (stable group and meter IDs), and
# vtapd-snapshot, vtapd-metrics and vtapd-rest, the pure parts of its HTTP
# API.  vtapd.c runs the main loop; vtapd-input builds one switch's input
# from the TAP database, vtapd-monitor chooses what of it to monitor, and
# vtapd-status writes status back to it;
# vtapd-switch is one switch, made of its bridge in a shared Open_vSwitch
# database (vtapd-ovsdb) and its OpenFlow side (vtapd-ofctrl, with
# vtapd-stats); vtapd-http runs the HTTP API's thread and vtapd-api its
# main-thread side.

noinst_LTLIBRARIES += controller/libvtapd.la
controller_libvtapd_la_SOURCES = \
	controller/vtapd-bundle.c \
	controller/vtapd-bundle.h \
	controller/vtapd-counters.c \
	controller/vtapd-counters.h \
	controller/vtapd-deps.c \
	controller/vtapd-deps.h \
	controller/vtapd-diff.c \
	controller/vtapd-diff.h \
	controller/vtapd-ids.c \
	controller/vtapd-ids.h \
	controller/vtapd-metrics.c \
	controller/vtapd-metrics.h \
	controller/vtapd-rest.c \
	controller/vtapd-rest.h \
	controller/vtapd-snapshot.c \
	controller/vtapd-snapshot.h

# vtapd's IDL of the Open_vSwitch database: only the tables and columns it
# uses (see controller/vswitch-subset).
controller/vtapd-vswitch.ovsschema: $(OVS_SRCDIR)/vswitchd/vswitch.ovsschema \
		$(srcdir)/controller/vswitch-subset
	$(AM_V_GEN)$(MKDIR_P) controller && $(PYTHON3) \
		$(srcdir)/controller/vswitch-subset $< > $@.tmp && mv $@.tmp $@
controller/vtapd-vswitch-idl.ovsidl: controller/vtapd-vswitch.ovsschema \
		$(srcdir)/controller/vtapd-vswitch-idl.ann
	$(AM_V_GEN)$(OVSDB_IDLC) annotate controller/vtapd-vswitch.ovsschema \
		$(srcdir)/controller/vtapd-vswitch-idl.ann > $@.tmp && \
		mv $@.tmp $@
controller/vtapd-vswitch-idl.c: controller/vtapd-vswitch-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
controller/vtapd-vswitch-idl.h: controller/vtapd-vswitch-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += controller/vtapd-vswitch-idl.h
CLEANFILES += controller/vtapd-vswitch.ovsschema \
	controller/vtapd-vswitch-idl.ovsidl controller/vtapd-vswitch-idl.c \
	controller/vtapd-vswitch-idl.h
EXTRA_DIST += controller/vswitch-subset controller/vtapd-vswitch-idl.ann

sbin_PROGRAMS += controller/vtapd
controller_vtapd_SOURCES = \
	controller/vtapd.c \
	controller/vtapd-api.c \
	controller/vtapd-api.h \
	controller/vtapd-http.c \
	controller/vtapd-http.h \
	controller/vtapd-input.c \
	controller/vtapd-input.h \
	controller/vtapd-monitor.c \
	controller/vtapd-monitor.h \
	controller/vtapd-ofctrl.c \
	controller/vtapd-ofctrl.h \
	controller/vtapd-ovsdb.c \
	controller/vtapd-ovsdb.h \
	controller/vtapd-stats.c \
	controller/vtapd-stats.h \
	controller/vtapd-status.c \
	controller/vtapd-status.h \
	controller/vtapd-switch.c \
	controller/vtapd-switch.h
nodist_controller_vtapd_SOURCES = \
	controller/vtapd-vswitch-idl.c \
	controller/vtapd-vswitch-idl.h
controller_vtapd_CPPFLAGS = $(AM_CPPFLAGS) $(LIBEVENT_CFLAGS) \
	-DVTAP_RUNDIR_DEFAULT='"$(VTAP_RUNDIR)"' \
	-DVTAP_VERSION='"$(PACKAGE_VERSION)"'
controller_vtapd_LDADD = controller/libvtapd.la flows/libvtapflows.la \
	lib/libvtap.la db/libvtapdb.la $(OVS_LIBOPENVSWITCH) \
	$(LIBEVENT_LIBS)
dist_man_MANS += controller/vtapd.8
