# flows: pure functions from TAP definitions to desired switch state.  No
# I/O.  The parsers and validators of the values in those definitions live
# in the OVS tree (ovs-ext/tree/lib/vtap-field.[ch]), compiled into
# libopenvswitch, because ovs-vswitchd's Mirror filters need them too.
