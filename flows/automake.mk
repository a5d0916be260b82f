# flows: pure functions from TAP definitions to desired switch state, and
# the parsers and validators of those definitions.  No I/O.

noinst_LTLIBRARIES += flows/libvtapflows.la
flows_libvtapflows_la_SOURCES = \
	flows/vtap-field.c \
	flows/vtap-field.h
