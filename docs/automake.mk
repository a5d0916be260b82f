# docs: user and developer documentation, installed under docdir.

dist_doc_DATA += \
	docs/benchmarks.md \
	docs/building.md \
	docs/database.md \
	docs/deployment.md \
	docs/http-api.md \
	docs/demo.md \
	docs/demo-topology.svg \
	docs/ovs-ext.md \
	docs/testing.md \
	docs/vtapd.md
