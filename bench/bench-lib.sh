# bench-lib.sh: what the benchmarks share.  Sourced, after vtap-sim.sh for
# bench_dummy_fleet.

# now: the time in seconds, with nanoseconds.
now() {
    date +%s.%N
}

# elapsed START: seconds since START (from now), to the millisecond.
elapsed() {
    awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'
}

# median FILE: the median of the numbers in FILE, one per line.
median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (!NR) { print "-"; exit }
        printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_dummy_fleet DIR M S: a simulation in DIR with the TAP database, a
# hub and M spokes s1...sM of S dummy ports each, every bridge on a dummy
# host of its own (hhub, hs1...hsM: its own ovs-vswitchd and ovsdb-server,
# Open vSwitch's dummy datapath: no namespace, no traffic, no root), in the
# TAP database with a Tap tJ per spoke J, through the hub to
# 172.31.255.100, whose sources are every port of the spoke.
bench_dummy_fleet() {
    local m=$2 s=$3 b j dir
    sim_init "$1" || return 1
    sim_tapdb_start || return 1
    sim_dummy_host_add hhub &&
        sim_exec hhub ovs-vsctl add-br hub -- set bridge hub datapath_type=dummy ||
        return 1
    dir=$SIM_DIR/hhub
    local args=(switch-add hub hub bridge=hub underlay_ip=172.31.255.10
                "ovsdb_remote=unix:$dir/db.sock" "openflow_remote=unix:$dir/hub.mgmt")
    for b in $(seq "$m"); do
        sim_dummy_host_add "hs$b" || return 1
        local vsctl=(-- add-br "s$b" -- set bridge "s$b" datapath_type=dummy)
        for j in $(seq "$s"); do
            vsctl+=(-- add-port "s$b" "s${b}p$j" -- set interface "s${b}p$j" type=dummy)
        done
        sim_exec "hs$b" ovs-vsctl "${vsctl[@]}" || return 1
        dir=$SIM_DIR/hs$b
        args+=(-- switch-add "s$b" spoke bridge="s$b" "underlay_ip=172.30.$((b / 250)).$((b % 250 + 1))"
               "ovsdb_remote=unix:$dir/db.sock" "openflow_remote=unix:$dir/s$b.mgmt"
               -- tap-add "t$b" 172.31.255.100 vni=$((100 + b)) hub=hub)
        for j in $(seq "$s"); do
            args+=(-- source-add "t$b" "s$b" "s${b}p$j")
        done
    done
    vtapctl --timeout=120 "${args[@]}"
}
