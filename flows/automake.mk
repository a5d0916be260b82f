# flows: pure functions from TAP definitions to desired switch state.  No
# I/O.  The parsers and validators of the values in those definitions live
# in the OVS tree (ovs-ext/tree/lib/vtap-field.[ch] and mirror-filter.[ch]),
# compiled into libopenvswitch, because ovs-vswitchd needs them too.

noinst_LTLIBRARIES += flows/libvtapflows.la
flows_libvtapflows_la_SOURCES = \
	flows/vtap-flows.c \
	flows/vtap-flows.h
