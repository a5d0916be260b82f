# controller: vtapd, the daemon that programs the switches from the TAP
# database.  vtapd-diff.[ch] and vtapd-bundle.[ch] are its pure helpers
# (cmocka-tested), and so are vtapd-snapshot, vtapd-metrics and vtapd-rest,
# the pure parts of its HTTP API; vtapd-switch.[ch] keep one switch's OVSDB
# and OpenFlow connections; vtapd-http.[ch] run the HTTP API's thread and
# vtapd-api.[ch] its main-thread side.

noinst_LTLIBRARIES += controller/libvtapd.la
controller_libvtapd_la_SOURCES = \
	controller/vtapd-bundle.c \
	controller/vtapd-bundle.h \
	controller/vtapd-counters.c \
	controller/vtapd-counters.h \
	controller/vtapd-diff.c \
	controller/vtapd-diff.h \
	controller/vtapd-metrics.c \
	controller/vtapd-metrics.h \
	controller/vtapd-rest.c \
	controller/vtapd-rest.h \
	controller/vtapd-snapshot.c \
	controller/vtapd-snapshot.h

sbin_PROGRAMS += controller/vtapd
controller_vtapd_SOURCES = \
	controller/vtapd.c \
	controller/vtapd-api.c \
	controller/vtapd-api.h \
	controller/vtapd-http.c \
	controller/vtapd-http.h \
	controller/vtapd-switch.c \
	controller/vtapd-switch.h
controller_vtapd_CPPFLAGS = $(AM_CPPFLAGS) $(LIBEVENT_CFLAGS) \
	-DVTAP_RUNDIR_DEFAULT='"$(VTAP_RUNDIR)"' \
	-DVTAP_VERSION='"$(PACKAGE_VERSION)"'
controller_vtapd_LDADD = controller/libvtapd.la flows/libvtapflows.la \
	utilities/libvtapctl.la db/libvtapdb.la $(OVS_LIBOPENVSWITCH) \
	$(LIBEVENT_LIBS)
dist_man_MANS += controller/vtapd.8
