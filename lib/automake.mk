# lib: the library of typed operations on the TAP database, the one write
# path that vtapctl's verbs and vtapd's HTTP API share.  It links
# db/libvtapdb.la (the IDL and the row validators) and no CLI code.

noinst_LTLIBRARIES += lib/libvtap.la
lib_libvtap_la_SOURCES = \
	lib/vtapdb-ops.c \
	lib/vtapdb-ops.h \
	lib/vtapdb-rbac.c \
	lib/vtapdb-rbac.h

# What differs between the Open vSwitch versions, for the project's code.
EXTRA_DIST += lib/ovs-compat.h
