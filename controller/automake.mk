# controller: vtapd, the daemon that programs the switches from the TAP
# database.  vtapd-diff.[ch] and vtapd-bundle.[ch] are its pure helpers
# (cmocka-tested); vtapd-switch.[ch] keep one switch's OVSDB and OpenFlow
# connections.

noinst_LTLIBRARIES += controller/libvtapd.la
controller_libvtapd_la_SOURCES = \
	controller/vtapd-bundle.c \
	controller/vtapd-bundle.h \
	controller/vtapd-counters.c \
	controller/vtapd-counters.h \
	controller/vtapd-diff.c \
	controller/vtapd-diff.h

sbin_PROGRAMS += controller/vtapd
controller_vtapd_SOURCES = \
	controller/vtapd.c \
	controller/vtapd-switch.c \
	controller/vtapd-switch.h
controller_vtapd_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVTAP_RUNDIR_DEFAULT='"$(VTAP_RUNDIR)"' \
	-DVTAP_VERSION='"$(PACKAGE_VERSION)"'
controller_vtapd_LDADD = controller/libvtapd.la flows/libvtapflows.la \
	db/libvtapdb.la $(OVS_LIBOPENVSWITCH)
dist_man_MANS += controller/vtapd.8
