# utilities: developer and demo scripts.  vtapctl arrives with the database
# issue.

EXTRA_DIST += \
	utilities/install-deps \
	utilities/vtap-dev \
	utilities/vtap-demo \
	utilities/vtap-sim.sh
