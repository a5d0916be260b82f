# vtap-sim.sh: simulated hypervisors for ovs-vtap's system tests and demo.
#
# Source this file from bash.  A simulation is a set of Linux network
# namespaces on this machine:
#
#   - an underlay namespace holding a Linux bridge, the physical network;
#   - hosts: each runs its own ovsdb-server and ovs-vswitchd (userspace
#     datapath, or with SIM_DATAPATH=system the kernel's, one per namespace)
#     with its own run, database and log directories, and has
#     br-phy (carrying the host's underlay IP, with a veth into the
#     underlay bridge) and br-int (where VMs and tunnel ports attach);
#   - VMs: a namespace whose eth0 is a veth into a host's br-int;
#   - collectors: a namespace whose eth0 is on the underlay.
#
# Every namespace, daemon and capture a simulation starts is recorded under
# its directory, and sim_destroy removes them all, by name and by PID; the
# caller arranges for sim_destroy to run on exit, failure or interrupt.
# Nothing is sent to any address outside the simulation's namespaces.
#
# Required environment: OVS_BUILDDIR, the Open vSwitch build tree whose
# ovsdb-server, ovs-vswitchd and utilities the hosts run.  OVS_VSWITCHD may
# name another ovs-vswitchd binary (the tests use it to run stock OVS).

SIM_UNDERLAY_NET=172.31.255
SIM_MTU=1600
# The datapath of the hosts' bridges: netdev (userspace, the default) or
# system (the Linux kernel's openvswitch module: tests/kernel-testsuite).
SIM_DATAPATH=${SIM_DATAPATH:-netdev}

# sim_log MESSAGE...: prints a progress line on stderr.
sim_log() {
    echo "sim: $*" >&2
}

# sim_fail MESSAGE...: prints an error and returns 1.
sim_fail() {
    echo "sim: error: $*" >&2
    return 1
}

# sim_init DIR: starts a simulation whose state lives in DIR.  Namespace
# names get a prefix unique to this simulation.
sim_init() {
    SIM_DIR=$(mkdir -p "$1" && cd "$1" && pwd) || return 1
    SIM_PREFIX=vt$$x$RANDOM
    SIM_OVSDB_SERVER=$OVS_BUILDDIR/ovsdb/ovsdb-server
    SIM_OVSDB_TOOL=$OVS_BUILDDIR/ovsdb/ovsdb-tool
    SIM_VSWITCHD=${OVS_VSWITCHD:-$OVS_BUILDDIR/vswitchd/ovs-vswitchd}
    sim_log "ovs-vswitchd: $SIM_VSWITCHD"
    SIM_SCHEMA=$OVS_BUILDDIR/vswitchd/vswitch.ovsschema
    local f
    for f in "$SIM_OVSDB_SERVER" "$SIM_OVSDB_TOOL" "$SIM_VSWITCHD" \
             "$OVS_BUILDDIR/utilities/ovs-vsctl" "$SIM_SCHEMA"; do
        [ -e "$f" ] || { sim_fail "$f not found: build Open vSwitch first"; return 1; }
    done
    : > "$SIM_DIR/netns.list"
    : > "$SIM_DIR/pids.list"
    echo "$SIM_PREFIX" > "$SIM_DIR/prefix"
}

# sim_ns NAME: prints the namespace name of simulated node NAME.
sim_ns() {
    echo "$SIM_PREFIX-$1"
}

# sim_netns_add NAME: creates the namespace of node NAME with loopback up.
sim_netns_add() {
    local ns
    [ -n "${SIM_PREFIX:-}" ] || { sim_fail "no simulation: call sim_init first"; return 1; }
    ns=$(sim_ns "$1")
    ip netns add "$ns" || return 1
    echo "$ns" >> "$SIM_DIR/netns.list"
    ip -n "$ns" link set lo up
    # IPv6 autoconfiguration and MLD chatter would mix with test traffic.
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1
}

# sim_cmd NAME: sets the array SIM_CMD to the command prefix that runs a
# program in node NAME's namespace, where for a host the OVS utilities talk
# to that host's daemons.
sim_cmd() {
    local dir=$SIM_DIR/$1
    SIM_CMD=()
    # A dummy host (sim_dummy_host_add) has no namespace of its own.
    [ -e "$dir/dummy" ] || SIM_CMD=(ip netns exec "$(sim_ns "$1")")
    SIM_CMD+=(env
             PATH="$OVS_BUILDDIR/utilities:$OVS_BUILDDIR/ovsdb:$PATH"
             OVS_RUNDIR="$dir" OVS_DBDIR="$dir" OVS_LOGDIR="$dir"
             OVS_SYSCONFDIR="$dir" OVS_PKGDATADIR="$OVS_BUILDDIR")
}

# sim_exec NAME COMMAND...: runs COMMAND in node NAME's namespace.
sim_exec() {
    local SIM_CMD
    sim_cmd "$1"
    shift
    "${SIM_CMD[@]}" "$@"
}

# sim_vsctl HOST ARGS...: ovs-vsctl on HOST's database.
sim_vsctl() {
    local host=$1
    shift
    sim_exec "$host" ovs-vsctl --timeout=30 "$@"
}

# sim_ofctl HOST ARGS...: ovs-ofctl on HOST's switch.
sim_ofctl() {
    local host=$1
    shift
    sim_exec "$host" ovs-ofctl "$@"
}

# sim_appctl HOST ARGS...: ovs-appctl to HOST's ovs-vswitchd.
sim_appctl() {
    local host=$1
    shift
    sim_exec "$host" ovs-appctl --timeout=30 \
        -t "$SIM_DIR/$host/ovs-vswitchd.ctl" "$@"
}

# sim_record_pid PIDFILE: remembers a daemon for sim_destroy.
sim_record_pid() {
    echo "$1" >> "$SIM_DIR/pids.list"
}

# sim_underlay_create: creates the underlay namespace and its bridge.
sim_underlay_create() {
    local ns
    sim_netns_add underlay || return 1
    ns=$(sim_ns underlay)
    ip -n "$ns" link add br0 type bridge || return 1
    ip -n "$ns" link set br0 mtu $SIM_MTU up
}

# sim_underlay_attach NAME IFACE: connects node NAME to the underlay with a
# veth whose end in NAME is IFACE.
sim_underlay_attach() {
    local name=$1 iface=$2 ul
    ul=$(sim_ns underlay)
    ip -n "$ul" link add "$name" type veth peer name "$iface" \
        netns "$(sim_ns "$name")" || return 1
    ip -n "$ul" link set "$name" mtu $SIM_MTU master br0 up &&
    ip -n "$(sim_ns "$name")" link set "$iface" mtu $SIM_MTU up
}

# sim_host_add NAME N: creates host NAME with underlay IP 172.31.255.N and
# bridge MAC 02:00:00:00:ff:NN, starts its daemons and builds br-phy and
# br-int.
sim_host_add() {
    local name=$1 n=$2
    local dir=$SIM_DIR/$name ip=$SIM_UNDERLAY_NET.$n
    local mac
    mac=$(printf '02:00:00:00:ff:%02x' "$n")

    mkdir -p "$dir" && sim_netns_add "$name" || return 1
    echo "$ip" > "$dir/underlay-ip"
    echo "$mac" > "$dir/underlay-mac"

    sim_daemons_start "$name" || return 1

    sim_underlay_attach "$name" ul0 || return 1
    # The kernel would answer ARP for br-phy's address from ul0's own MAC.
    ip -n "$(sim_ns "$name")" link set ul0 arp off

    sim_vsctl "$name" \
        -- add-br br-phy \
        -- set bridge br-phy datapath_type="$SIM_DATAPATH" \
               other_config:hwaddr="$mac" \
        -- add-port br-phy ul0 \
        -- add-br br-int \
        -- set bridge br-int datapath_type="$SIM_DATAPATH" \
               fail_mode=standalone \
        || return 1
    ip -n "$(sim_ns "$name")" link set br-phy mtu $SIM_MTU up &&
    ip -n "$(sim_ns "$name")" addr add "$ip/24" dev br-phy &&
    ip -n "$(sim_ns "$name")" link set br-int up || return 1
    sim_appctl "$name" ovs/route/add "$SIM_UNDERLAY_NET.0/24" br-phy > /dev/null
}

# sim_daemons_start NAME [VSWITCHD-OPTION...]: creates host NAME's database
# and starts its ovsdb-server and ovs-vswitchd, each with its own pidfile,
# unixctl socket and log in $SIM_DIR/NAME.
sim_daemons_start() {
    local name=$1 dir=$SIM_DIR/$1
    shift
    "$SIM_OVSDB_TOOL" create "$dir/conf.db" "$SIM_SCHEMA" &&
    sim_ovsdb_server_start "$name" &&
    sim_vsctl "$name" --no-wait init || return 1
    : > "$dir/vswitchd.args"
    [ $# -eq 0 ] || printf '%s\n' "$@" > "$dir/vswitchd.args"
    sim_vswitchd_start "$name"
}

# sim_ovsdb_server_start NAME: starts host NAME's ovsdb-server on its
# database file.  With SIM_OVSDB_MANAGERS set, it also takes its remotes
# and SSL settings from the database, as Open vSwitch's ovs-ctl starts it
# (ovs-vsctl set-manager, set-ssl).
sim_ovsdb_server_start() {
    local name=$1 dir=$SIM_DIR/$1 db_args=
    if [ -n "${SIM_OVSDB_MANAGERS:-}" ]; then
        db_args="--remote=db:Open_vSwitch,Open_vSwitch,manager_options
                 --private-key=db:Open_vSwitch,SSL,private_key
                 --certificate=db:Open_vSwitch,SSL,certificate
                 --ca-cert=db:Open_vSwitch,SSL,ca_cert"
    fi
    # $db_args is unquoted on purpose: none or four words.
    # shellcheck disable=SC2086
    sim_exec "$name" "$SIM_OVSDB_SERVER" "$dir/conf.db" $db_args \
        --remote=punix:"$dir/db.sock" --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" --log-file="$dir/ovsdb-server.log" \
        --detach --no-chdir -vconsole:off 2>> "$dir/startup.err" || return 1
    sim_record_pid "$dir/ovsdb-server.pid" &&
        sim_log_everything "$dir/ovsdb-server.ctl"
}

# sim_vswitchd_start NAME: starts host NAME's ovs-vswitchd with the options
# its host was created with.
sim_vswitchd_start() {
    local name=$1 dir=$SIM_DIR/$1 args=()
    mapfile -t args < "$dir/vswitchd.args"
    sim_exec "$name" "$SIM_VSWITCHD" unix:"$dir/db.sock" \
        --pidfile="$dir/ovs-vswitchd.pid" --unixctl="$dir/ovs-vswitchd.ctl" \
        --log-file="$dir/ovs-vswitchd.log" --detach --no-chdir \
        -vconsole:off -vfile:info "${args[@]}" 2>> "$dir/startup.err" ||
        return 1
    sim_record_pid "$dir/ovs-vswitchd.pid" &&
        sim_log_everything "$dir/ovs-vswitchd.ctl"
}

# sim_vswitchd_restart HOST NODE...: stops HOST's ovs-vswitchd by its PID
# and starts it again, as an upgrade or a crash would, then gives it back
# what lives only in its memory: the route to the underlay and the tunnel
# neighbours NODE... (see sim_neigh_set).
sim_vswitchd_restart() {
    local host=$1 node
    shift
    sim_stop_pid "$SIM_DIR/$host/ovs-vswitchd.pid" &&
    sim_vswitchd_start "$host" &&
    sim_vsctl "$host" --timeout=30 wait-until bridge br-int || return 1
    sim_appctl "$host" ovs/route/add "$SIM_UNDERLAY_NET.0/24" br-phy \
        > /dev/null || return 1
    for node in "$@"; do
        sim_neigh_set "$host" "$node" || return 1
    done
}

# sim_dummy_host_add NAME: starts host NAME's daemons with Open vSwitch's
# dummy datapath and netdevs, in no namespace: a host for tests that need
# no root, that inject packets with netdev-dummy/receive and read the
# datapath with dpctl/dump-flows.  The daemons' sockets live in
# $SIM_DIR/NAME, so several can run side by side.
sim_dummy_host_add() {
    local name=$1 dir=$SIM_DIR/$1
    mkdir -p "$dir" && touch "$dir/dummy" || return 1
    sim_daemons_start "$name" --enable-dummy --disable-system \
        --disable-system-route
}

# sim_dp_port HOST PORT: the datapath port number of PORT on HOST's switch,
# as dpif/show lists it.
sim_dp_port() {
    sim_appctl "$1" dpif/show |
        sed -n "s/^ *$2 [0-9]*\/\([0-9]*\):.*/\1/p"
}

# sim_node_ip NAME: the underlay address of a host or a collector.
sim_node_ip() {
    cat "$SIM_DIR/$1/underlay-ip"
}

# sim_neigh_set HOST NODE: tells HOST's tunnel neighbour cache the MAC of
# NODE (a host or a collector), so that no copy waits for ARP.
sim_neigh_set() {
    sim_appctl "$1" tnl/arp/set br-phy "$(sim_node_ip "$2")" \
        "$(cat "$SIM_DIR/$2/underlay-mac")" > /dev/null
}

# sim_vm_add HOST VM N: creates VM namespace VM with eth0 at 10.0.0.N and
# MAC 02:00:00:00:00:NN, plugged into HOST's br-int as port VM.
sim_vm_add() {
    local host=$1 vm=$2 n=$3 ns hostns mac
    mac=$(printf '02:00:00:00:00:%02x' "$n")
    mkdir -p "$SIM_DIR/$vm" && sim_netns_add "$vm" || return 1
    ns=$(sim_ns "$vm")
    hostns=$(sim_ns "$host")
    echo "10.0.0.$n" > "$SIM_DIR/$vm/ip"
    echo "$mac" > "$SIM_DIR/$vm/mac"
    ip -n "$hostns" link add "$vm" type veth peer name eth0 netns "$ns" &&
    ip -n "$hostns" link set "$vm" arp off up &&
    ip -n "$ns" link set eth0 address "$mac" up &&
    ip -n "$ns" addr add "10.0.0.$n/24" dev eth0 || return 1
    # TCP through the userspace datapath needs real checksums.
    ip netns exec "$ns" ethtool -K eth0 tx off > /dev/null 2>&1
    sim_vsctl "$host" add-port br-int "$vm" \
        -- set interface "$vm" external_ids:iface-id="$vm"
}

# sim_vm_ip VM: VM's address.
sim_vm_ip() {
    cat "$SIM_DIR/$1/ip"
}

# sim_vm_arp_seed VM PEER...: fills VM's ARP cache with each PEER's MAC, so
# that the first packets carry data, not ARP.
sim_vm_arp_seed() {
    local vm=$1 peer
    shift
    for peer in "$@"; do
        ip -n "$(sim_ns "$vm")" neigh replace "$(sim_vm_ip "$peer")" \
            lladdr "$(cat "$SIM_DIR/$peer/mac")" dev eth0 nud permanent || return 1
    done
}

# sim_collector_add NAME N: creates collector NAME on the underlay at
# 172.31.255.N with MAC 02:00:00:00:ff:NN.
sim_collector_add() {
    local name=$1 n=$2 ns mac
    mac=$(printf '02:00:00:00:ff:%02x' "$n")
    mkdir -p "$SIM_DIR/$name" && sim_netns_add "$name" || return 1
    ns=$(sim_ns "$name")
    echo "$SIM_UNDERLAY_NET.$n" > "$SIM_DIR/$name/underlay-ip"
    echo "$mac" > "$SIM_DIR/$name/underlay-mac"
    sim_underlay_attach "$name" eth0 || return 1
    ip -n "$ns" link set eth0 address "$mac" &&
    ip -n "$ns" addr add "$SIM_UNDERLAY_NET.$n/24" dev eth0
}

# sim_capture_start NODE NAME [FILTER]: starts tshark on NODE's eth0 (or
# on ul0 for a host), writing $SIM_DIR/NAME.pcap, and waits until it
# captures.  FILTER is a capture filter (default: udp port 4789).
sim_capture_start() {
    local node=$1 name=$2 filter=${3:-udp port 4789}
    local iface=eth0 pcap=$SIM_DIR/$2.pcap log=$SIM_DIR/$2.tshark.log i
    [ -e "$SIM_DIR/$node/conf.db" ] && iface=ul0
    rm -f "$pcap"
    # The log exists before tshark starts, so that the wait below never
    # looks for a file that the background shell has not created yet.
    : > "$log"
    ip netns exec "$(sim_ns "$node")" tshark -q -n -i "$iface" -f "$filter" \
        -w "$pcap" < /dev/null > "$log" 2>&1 &
    echo $! > "$SIM_DIR/$name.tshark.pid"
    echo "$SIM_DIR/$name.tshark.pid" >> "$SIM_DIR/pids.list"
    for i in $(seq 100); do
        grep -q "^Capturing on" "$log" && [ -s "$pcap" ] && return 0
        kill -0 "$(cat "$SIM_DIR/$name.tshark.pid")" 2>/dev/null || break
        sleep 0.1
    done
    cat "$log" >&2
    sim_fail "tshark did not start capturing on $node"
}

# sim_capture_stop NAME: stops capture NAME and waits until its file is
# complete.  Fails if tshark did not stop on its own, or there was no such
# capture.
sim_capture_stop() {
    local pidfile=$SIM_DIR/$1.tshark.pid pid i
    pid=$(cat "$pidfile" 2>/dev/null) || { sim_fail "no capture $1"; return 1; }
    # SIGINT makes tshark flush and close the file.
    kill -INT "$pid" 2>/dev/null
    for i in $(seq 100); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$pidfile"
            return 0
        fi
        sleep 0.1
    done
    sim_stop_pid "$pidfile" && rm -f "$pidfile"
    sim_fail "tshark capture $1 did not stop within 10 s"
}

# sim_pcap NAME: prints the path of capture NAME.
sim_pcap() {
    echo "$SIM_DIR/$1.pcap"
}

# sim_wait_for SECONDS COMMAND...: runs COMMAND every 0.1 s until it
# succeeds; fails after SECONDS.
sim_wait_for() {
    local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
    shift
    until "$@"; do
        [ "$(date +%s%N)" -lt $deadline ] || return 1
        sleep 0.1
    done
}

# sim_log_everything CTL: turns off log rate limiting in the daemon whose
# control socket is CTL.  A rate-limited module replaces what it drops by
# "Dropped N log messages", which says nothing of what they were; with
# every message in the log, sim_check_logs judges each one.
sim_log_everything() {
    "$OVS_BUILDDIR/utilities/ovs-appctl" --timeout=30 -t "$1" \
        vlog/disable-rate-limit > /dev/null
}

# sim_check_logs [PATTERN...]: prints every WARN, ERR or EMER line in the
# simulation's daemon logs that matches none of the extended regular
# expressions PATTERN, and fails if there is one.  As OVS's own check_logs,
# it lets pass what says only that the machine was busy, but not for long:
# a poll interval of up to 4 s with its faults, disk and context switch
# counts, an RCU thread kept waiting up to 2 s, and (Open vSwitch 3.3 and
# later) a task of ovsdb-server's cooperative multitasking that ran up to
# 4 s before it yielded.
sim_check_logs() {
    local log bad=0 pattern lines
    for log in "$SIM_DIR"/*/*.log; do
        [ -e "$log" ] || continue
        lines=$(grep -E '\|(WARN|ERR|EMER)\|' "$log")
        for pattern in "$@" \
            'timeval\|WARN\|Unreasonably long [1-3][0-9]{3}ms poll interval' \
            'timeval\|WARN\|faults: [0-9]+ minor, [0-9]+ major' \
            'timeval\|WARN\|disk: [0-9]+ reads, [0-9]+ writes' \
            'timeval\|WARN\|context switches: [0-9]+ voluntary, [0-9]+ involuntary' \
            'ovs_rcu.*\|WARN\|blocked (1000|2000) ms waiting for .* to quiesce' \
            'cooperative_multitasking\|WARN\|.*: yield for .*: elapsed\(([0-9]{1,3}|[1-3][0-9]{3})\) >= threshold\([0-9]+\), overrun: [0-9]+'; do
            lines=$(printf '%s\n' "$lines" | grep -Ev -e "$pattern")
        done
        lines=$(printf '%s\n' "$lines" | sed '/^$/d')
        if [ -n "$lines" ]; then
            echo "unexpected warnings in ${log#"$SIM_DIR"/}:"
            printf '%s\n' "$lines"
            bad=1
        fi
    done
    return $bad
}

# sim_pid_is_ours PID: true if process PID belongs to this simulation: it
# runs in one of its namespaces or, for a dummy host's daemons, names the
# simulation's folder on its command line.  A pidfile left by a run that was
# killed long ago may name a process that has nothing to do with it.
sim_pid_is_ours() {
    local pid=$1 ns
    [ -r "/proc/$pid/cmdline" ] || return 1
    ns=$(ip netns identify "$pid" 2>/dev/null)
    if [ -n "$ns" ]; then
        grep -qxF -- "$ns" "$SIM_DIR/netns.list"
    else
        tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$SIM_DIR/"
    fi
}

# sim_stop_pid PIDFILE: ends the process named in PIDFILE, if it is still
# running and is the simulation's, and waits for it.  Fails if it would not
# end.
sim_stop_pid() {
    local pid i
    pid=$(cat "$1" 2>/dev/null) || return 0
    [ -n "$pid" ] && sim_pid_is_ours "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    sleep 0.1
    ! kill -0 "$pid" 2>/dev/null
}

# sim_destroy: stops every process and removes every namespace that the
# simulation started.  Safe to run more than once.
sim_destroy() {
    [ -n "${SIM_DIR:-}" ] && [ -d "$SIM_DIR" ] || return 0
    local pidfile pid ns i pids=() alive
    if [ -f "$SIM_DIR/pids.list" ]; then
        # Signal every process first and then wait for them together: a
        # daemon can take a second or two to exit.
        while read -r pidfile; do
            pid=$(cat "$pidfile" 2>/dev/null) || continue
            if [ -n "$pid" ] && sim_pid_is_ours "$pid" \
               && kill -TERM "$pid" 2>/dev/null; then
                pids+=("$pid")
            fi
        done < "$SIM_DIR/pids.list"
        for i in $(seq 50); do
            alive=()
            for pid in "${pids[@]}"; do
                kill -0 "$pid" 2>/dev/null && alive+=("$pid")
            done
            pids=("${alive[@]}")
            [ ${#pids[@]} -eq 0 ] && break
            sleep 0.1
        done
        for pid in "${pids[@]}"; do
            kill -KILL "$pid" 2>/dev/null
        done
        : > "$SIM_DIR/pids.list"
    fi
    if [ -f "$SIM_DIR/netns.list" ]; then
        while read -r ns; do
            ip netns del "$ns" 2>/dev/null
        done < "$SIM_DIR/netns.list"
        : > "$SIM_DIR/netns.list"
    fi
    return 0
}

# sim_spawn NODE NAME COMMAND...: runs COMMAND in NODE's namespace in the
# background, with output in $SIM_DIR/NAME.out; sim_destroy ends it.
sim_spawn() {
    local node=$1 name=$2 SIM_CMD
    shift 2
    sim_cmd "$node"
    # A simple command, so that $! is COMMAND's own PID (ip and env exec it).
    "${SIM_CMD[@]}" "$@" < /dev/null > "$SIM_DIR/$name.out" 2>&1 &
    echo $! > "$SIM_DIR/$name.pid"
    echo "$SIM_DIR/$name.pid" >> "$SIM_DIR/pids.list"
}

# sim_udp_send VM DST COUNT SIZE PORT...: sends COUNT rounds of one UDP
# datagram of SIZE bytes from VM to address DST on each PORT, 2 ms apart.
sim_udp_send() {
    local vm=$1 dst=$2 count=$3 size=$4
    shift 4
    sim_exec "$vm" python3 -c '
import socket, sys, time
dst, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ports = [int(p) for p in sys.argv[4:]]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    for port in ports:
        s.sendto(b"x" * size, (dst, port))
    time.sleep(0.002)
' "$dst" "$count" "$size" "$@"
}

# sim_kill NAME: ends a process started by sim_spawn.
sim_kill() {
    sim_stop_pid "$SIM_DIR/$1.pid"
    rm -f "$SIM_DIR/$1.pid"
}

# sim_topology_hub_spoke VNI: builds the smallest hub-and-spoke TAP network:
#
#   vm1, vm2, vm3 --- spoke1 (172.31.255.1) ---+
#                                              |  underlay 172.31.255.0/24
#                     hub    (172.31.255.10) --+
#                                              |
#                     col    (172.31.255.100) -+
#
# spoke1's br-int gets port vx-hub, a VXLAN tunnel to the hub with key VNI;
# a Mirror whose output is vx-hub sends copies to the hub.  The hub's br-int
# takes every VXLAN packet in on vx-in (ofport 1) and sends it on, with its
# VNI, through vx-col (ofport 2) to the collector col.
sim_topology_hub_spoke() {
    local vni=$1 vm
    sim_underlay_create &&
    sim_host_add spoke1 1 &&
    sim_host_add hub 10 &&
    sim_collector_add col 100 || return 1
    sim_vm_add spoke1 vm1 1 && sim_vm_add spoke1 vm2 2 &&
    sim_vm_add spoke1 vm3 3 || return 1
    for vm in vm1 vm2 vm3; do
        sim_vm_arp_seed "$vm" $(echo vm1 vm2 vm3 | sed "s/$vm//") || return 1
    done
    sim_neigh_set spoke1 hub && sim_neigh_set hub spoke1 &&
    sim_neigh_set hub col || return 1

    sim_vsctl spoke1 add-port br-int vx-hub \
        -- set interface vx-hub type=vxlan \
               options:remote_ip="$(sim_node_ip hub)" options:key="$vni" \
        || return 1
    sim_vsctl hub \
        -- add-port br-int vx-in \
        -- set interface vx-in type=vxlan ofport_request=1 \
               options:remote_ip=flow options:key=flow \
        -- add-port br-int vx-col \
        -- set interface vx-col type=vxlan ofport_request=2 \
               options:remote_ip="$(sim_node_ip col)" options:key=flow \
        || return 1
    sim_ofctl hub del-flows br-int &&
    sim_ofctl hub add-flow br-int in_port=1,actions=output:2
}

# sim_mirror_add HOST NAME SETTINGS...: creates Mirror NAME on HOST's br-int
# with output port vx-hub.  SETTINGS are Mirror column settings, where @vmN
# names port vmN: e.g. select_src_port=@vm1 snaplen=128.
sim_mirror_add() {
    local host=$1 name=$2 args=() refs=() s port
    shift 2
    for s in "$@"; do
        for port in $(echo "$s" | grep -o '@vm[0-9]*' | sort -u); do
            case " ${refs[*]} " in
                *" $port "*) ;;
                *) refs+=("$port")
                   args+=(-- --id="$port" get port "${port#@}") ;;
            esac
        done
    done
    sim_vsctl "$host" "${args[@]}" \
        -- --id=@out get port vx-hub \
        -- --id=@m create mirror name="$name" output_port=@out "$@" \
        -- add bridge br-int mirrors @m > /dev/null
}

# sim_copies CAPTURE [FIELDS...]: prints one line per VXLAN copy in capture
# CAPTURE that reached the collector ($SIM_COLLECTOR, by default col), with
# tshark FIELDS separated by tabs.
# A field named inner.F is F of the encapsulated packet, outer.F is F of the
# VXLAN packet itself.  By default: vxlan.vni inner.ip.src inner.ip.dst
# frame.len.
sim_copies() {
    local pcap fields=() picks=() f field pick
    local -A column=()
    pcap=$(sim_pcap "$1")
    shift
    [ $# -gt 0 ] || set -- vxlan.vni inner.ip.src inner.ip.dst frame.len
    # tshark prints a field once however often it is named, so each field
    # is asked for once and each requested column says which one it reads.
    for f in "$@"; do
        case $f in
            inner.*) field=${f#inner.}; pick=last ;;
            outer.*) field=${f#outer.}; pick=first ;;
            *) field=$f; pick=all ;;
        esac
        if [ -z "${column[$field]:-}" ]; then
            fields+=("$field")
            column[$field]=${#fields[@]}
        fi
        picks+=("${column[$field]}:$pick")
    done
    tshark -n -r "$pcap" \
        -Y "vxlan && ip.dst == $(sim_node_ip "${SIM_COLLECTOR:-col}")" \
        -T fields -E occurrence=a $(printf -- '-e %s ' "${fields[@]}") \
        2>/dev/null \
    | awk -F '\t' -v picks="${picks[*]}" '
        BEGIN { n = split(picks, pick, " ") }
        {
            line = ""
            for (i = 1; i <= n; i++) {
                split(pick[i], p, ":")
                k = split($p[1], v, ",")
                x = p[2] == "last" ? v[k] : p[2] == "first" ? v[1] : $p[1]
                line = line (i > 1 ? "\t" : "") x
            }
            print line
        }'
}

# sim_dummy_topology VNI: a dummy host "hv" whose br-int has ports vm1 and
# vm2 (ofports 1 and 2) and vx-hub (ofport 3), a VXLAN tunnel with key VNI
# to 1.1.2.93 through br-phy (1.1.2.92/24), the neighbour's MAC pre-seeded.
# vx-hub is no-flood, so that only a mirror sends packets into the tunnel.
sim_dummy_topology() {
    local vni=$1
    sim_dummy_host_add hv || return 1
    sim_vsctl hv \
        -- add-br br-phy -- set bridge br-phy datapath_type=dummy \
        -- add-port br-phy p0 -- set interface p0 type=dummy \
        -- add-br br-int -- set bridge br-int datapath_type=dummy \
               fail_mode=standalone \
        -- add-port br-int vm1 -- set interface vm1 type=dummy ofport_request=1 \
        -- add-port br-int vm2 -- set interface vm2 type=dummy ofport_request=2 \
        -- add-port br-int vx-hub -- set interface vx-hub type=vxlan \
               ofport_request=3 options:remote_ip=1.1.2.93 options:key="$vni" \
        || return 1
    sim_appctl hv netdev-dummy/ip4addr br-phy 1.1.2.92/24 > /dev/null &&
    sim_appctl hv ovs/route/add 1.1.2.0/24 br-phy > /dev/null &&
    sim_appctl hv tnl/arp/set br-phy 1.1.2.93 02:00:00:00:ff:5d > /dev/null &&
    sim_ofctl hv mod-port br-int vx-hub no-flood
}

# sim_count_copies CAPTURE REGEX: prints how many lines of 'sim_copies
# CAPTURE' match the extended regular expression REGEX; fails if none do.
sim_count_copies() {
    sim_copies "$1" | grep -cE -- "$2"
}

# sim_tapdb_env: exports VTAP_RUNDIR, VTAP_DBDIR and VTAP_LOGDIR, all
# $SIM_DIR/tapdb, so that vtap-db-ctl, vtapctl and vtapd find the TAP
# database there, and VTAP_SCHEMA, by default the source tree's schema.
sim_tapdb_env() {
    VTAP_RUNDIR=$SIM_DIR/tapdb VTAP_DBDIR=$SIM_DIR/tapdb
    VTAP_LOGDIR=$SIM_DIR/tapdb
    VTAP_SCHEMA=${VTAP_SCHEMA:-$(dirname "${BASH_SOURCE[0]}")/../db/vtap.ovsschema}
    export VTAP_RUNDIR VTAP_DBDIR VTAP_LOGDIR VTAP_SCHEMA
}

# sim_tapdb_start: starts the TAP database's ovsdb-server with vtap-db-ctl
# (from PATH) in $SIM_DIR/tapdb (see sim_tapdb_env); sim_destroy stops it.
sim_tapdb_start() {
    sim_tapdb_env
    mkdir -p "$VTAP_RUNDIR" && vtap-db-ctl start_db > /dev/null || return 1
    sim_record_pid "$VTAP_RUNDIR/vtap-ovsdb-server.pid" &&
        sim_log_everything "$VTAP_RUNDIR/vtap-ovsdb-server.ctl"
}

# sim_vtapd_start [OPTION...]: starts vtapd (from PATH, or $VTAPD) in the
# root namespace on the TAP database of sim_tapdb_start, detached, with its
# pidfile, control socket and log in $SIM_DIR/vtapd.  It reaches each
# host's database and bridge through their unix sockets.
#
# The sim_vtapd_* functions act on $SIM_DIR/$SIM_VTAPD instead if
# SIM_VTAPD is set: a second vtapd, standing by, runs as SIM_VTAPD=vtapd2.
sim_vtapd_start() {
    local dir=$SIM_DIR/${SIM_VTAPD:-vtapd}
    mkdir -p "$dir" || return 1
    "${VTAPD:-vtapd}" --db="unix:$VTAP_RUNDIR/vtap.sock" \
        --pidfile="$dir/vtapd.pid" --unixctl="$dir/vtapd.ctl" \
        --log-file="$dir/vtapd.log" --detach --no-chdir \
        -vconsole:off -vfile:info "$@" 2>> "$dir/startup.err" || return 1
    sim_record_pid "$dir/vtapd.pid" && sim_log_everything "$dir/vtapd.ctl"
}

# sim_vtapd_stop: asks vtapd to exit and waits until it has; if it does
# not within 5 s, ends it by the PID in its pidfile.
sim_vtapd_stop() {
    local pidfile=$SIM_DIR/${SIM_VTAPD:-vtapd}/vtapd.pid pid
    pid=$(cat "$pidfile" 2>/dev/null) || return 0
    sim_vtapd_appctl exit > /dev/null 2>&1 &&
        sim_wait_for 5 eval '! kill -0 "$pid" 2>/dev/null' && return 0
    sim_stop_pid "$pidfile"
}

# sim_vtapd_ticks: vtapd's CPU time so far, user and system, in clock ticks
# (100 a second).
sim_vtapd_ticks() {
    awk '{ print $14 + $15 }' \
        "/proc/$(cat "$SIM_DIR/${SIM_VTAPD:-vtapd}/vtapd.pid")/stat"
}

# sim_counters_grown BEFORE AFTER: prints, for each line "NAME KEY=N ..."
# of file AFTER (as vtapd/show-counters prints them), how much each
# counter grew since file BEFORE: "NAME KEY=+N ...".
sim_counters_grown() {
    awk 'FNR == NR {
             for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] }
             next
         }
         {
             printf "%s", $1
             for (i = 2; i <= NF; i++) {
                 split($i, kv, "=")
                 printf " %s=+%d", kv[1], kv[2] - v[$1, kv[1]]
             }
             print ""
         }' "$1" "$2"
}

# sim_vtapd_appctl ARGS...: ovs-appctl to vtapd.
sim_vtapd_appctl() {
    "$OVS_BUILDDIR/utilities/ovs-appctl" --timeout=30 \
        -t "$SIM_DIR/${SIM_VTAPD:-vtapd}/vtapd.ctl" "$@"
}

# sim_vtap_switch_add HOST ROLE [SETTING...]: adds host HOST's br-int to
# the TAP database as a switch of ROLE (spoke or hub), with its underlay IP
# and MTU and, as remotes, its database's and its bridge's unix sockets.
sim_vtap_switch_add() {
    local host=$1 role=$2
    shift 2
    vtapctl switch-add "$host" "$role" underlay_ip="$(sim_node_ip "$host")" \
        underlay_mtu=$SIM_MTU \
        ovsdb_remote="unix:$SIM_DIR/$host/db.sock" \
        openflow_remote="unix:$SIM_DIR/$host/br-int.mgmt" "$@"
}

# sim_topology_vtapd: the network of sim_topology_hub_spoke, with no
# tunnel, mirror or flow of its own, for vtapd to program:
#
#   vm1, vm2 --- spoke1 (172.31.255.1) ---+
#   vm3      --- spoke2 (172.31.255.2) ---+  underlay 172.31.255.0/24
#                hub    (172.31.255.10) --+
#                col    (172.31.255.100) -+
#
# The tunnel neighbours are seeded (spokes -> hub -> col), and the TAP
# database is started (sim_tapdb_start; a caller in a subshell must run
# sim_tapdb_env itself); vtapd is not.
sim_topology_vtapd() {
    local vm
    sim_underlay_create &&
    sim_host_add spoke1 1 &&
    sim_host_add spoke2 2 &&
    sim_host_add hub 10 &&
    sim_collector_add col 100 || return 1
    sim_vm_add spoke1 vm1 1 && sim_vm_add spoke1 vm2 2 &&
    sim_vm_add spoke2 vm3 3 || return 1
    sim_vm_arp_seed vm1 vm2 vm3 && sim_vm_arp_seed vm2 vm1 vm3 &&
    sim_vm_arp_seed vm3 vm1 vm2 || return 1
    # spoke1 and spoke2 reach each other through the underlay for production
    # traffic between vm1/vm2 and vm3: a VXLAN port each, key 1.
    sim_vsctl spoke1 add-port br-int vx-prod \
        -- set interface vx-prod type=vxlan \
               options:remote_ip="$(sim_node_ip spoke2)" options:key=1 &&
    sim_vsctl spoke2 add-port br-int vx-prod \
        -- set interface vx-prod type=vxlan \
               options:remote_ip="$(sim_node_ip spoke1)" options:key=1 ||
        return 1
    sim_neigh_set spoke1 hub && sim_neigh_set spoke2 hub &&
    sim_neigh_set spoke1 spoke2 && sim_neigh_set spoke2 spoke1 &&
    sim_neigh_set hub col || return 1
    sim_tapdb_start
}
