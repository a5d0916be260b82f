# db: the TAP database.  Its schema (vtap.ovsschema, served by ovsdb-server),
# its documentation (vtap.xml, from which vtap(5) is generated as OVS
# generates ovs-vswitchd.conf.db(5)), the C IDL that ovsdb-idlc generates
# from the schema, and the validators of its rows.  vtapctl links
# db/libvtapdb.la, and so will vtapd.

VTAP_SCHEMA = db/vtap.ovsschema
dist_pkgdata_DATA = $(VTAP_SCHEMA)
EXTRA_DIST += db/vtap-idl.ann db/vtap.xml

# OVS's Python tools (ovsdb-idlc, ovsdb-doc) from the patched build tree.
PYTHON3 = python3
VTAP_PYTHON_ENV = PYTHONPATH='$(OVS_SRCDIR)/python' \
	PYTHONDONTWRITEBYTECODE=yes $(PYTHON3)
OVSDB_IDLC = $(VTAP_PYTHON_ENV) '$(OVS_SRCDIR)/ovsdb/ovsdb-idlc.in'
OVSDB_DOC = $(VTAP_PYTHON_ENV) '$(OVS_SRCDIR)/ovsdb/ovsdb-doc'

db/vtap-idl.ovsidl: $(srcdir)/$(VTAP_SCHEMA) $(srcdir)/db/vtap-idl.ann
	$(AM_V_GEN)$(MKDIR_P) db && $(OVSDB_IDLC) annotate \
		$(srcdir)/$(VTAP_SCHEMA) $(srcdir)/db/vtap-idl.ann > $@.tmp && \
		mv $@.tmp $@
db/vtap-idl.c: db/vtap-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@
db/vtap-idl.h: db/vtap-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += db/vtap-idl.h
CLEANFILES += db/vtap-idl.ovsidl db/vtap-idl.c db/vtap-idl.h

noinst_LTLIBRARIES += db/libvtapdb.la
db_libvtapdb_la_SOURCES = \
	db/vtapdb-check.c \
	db/vtapdb-check.h
nodist_db_libvtapdb_la_SOURCES = \
	db/vtap-idl.c \
	db/vtap-idl.h

# vtap(5), generated from the schema and its documentation.
man_MANS += db/vtap.5
db/vtap.5: $(srcdir)/$(VTAP_SCHEMA) $(srcdir)/db/vtap.xml
	$(AM_V_GEN)$(MKDIR_P) db && $(OVSDB_DOC) --version=$(VERSION) \
		$(srcdir)/$(VTAP_SCHEMA) $(srcdir)/db/vtap.xml > $@.tmp && \
		mv $@.tmp $@
CLEANFILES += db/vtap.5
