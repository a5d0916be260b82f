# flows: pure functions from TAP definitions to desired switch state.  No
# I/O.  The parsers of the values in those definitions that ovs-vswitchd
# reads too live in the OVS tree (ovs-ext/tree/lib/vtap-field.[ch] and
# mirror-filter.[ch]), compiled into libopenvswitch; the others, and the
# TAP database's defaults that flows use, in db/vtapdb-check.h.

noinst_LTLIBRARIES += flows/libvtapflows.la
flows_libvtapflows_la_SOURCES = \
	flows/vtap-flows.c \
	flows/vtap-flows.h
