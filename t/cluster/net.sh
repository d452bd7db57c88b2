# t/cluster/net.sh: the cluster's machines as network namespaces on one
# bridge (sourced by t/cluster/run). Every name starts with fc- and every
# address is in 10.77.0.0/24, so the topology collides with nothing else on
# the machine; the bridge's own address (the test driver's, in the root
# namespace) is 10.77.0.1.
NET=10.77.0
BRIDGE=fc-br
# name:address of each machine
HOSTS="lb:10 mon:11 pg1:12 pg2:13 redis:14 web1:21 web2:22"

host_ip() { # name
	local h
	for h in $HOSTS; do
		[ "${h%%:*}" = "$1" ] && { echo "$NET.${h#*:}"; return 0; }
	done
	return 1
}

# Run a command inside machine NAME's namespace.
in_ns() { # name command...
	local n=$1
	shift
	ip netns exec "fc-$n" "$@"
}

net_up() {
	local h n
	ip link add "$BRIDGE" type bridge
	ip addr add "$NET.1/24" dev "$BRIDGE"
	ip link set "$BRIDGE" up
	for h in $HOSTS; do
		n=${h%%:*}
		ip netns add "fc-$n"
		ip link add "fc-$n-h" type veth peer name eth0 netns "fc-$n"
		ip link set "fc-$n-h" master "$BRIDGE" up
		in_ns "$n" ip addr add "$NET.${h#*:}/24" dev eth0
		in_ns "$n" ip link set eth0 up
		in_ns "$n" ip link set lo up
	done
}

# Cut machine NAME off (its link down, as a pulled cable), and back.
net_cut() { ip link set "fc-$1-h" down; }
net_mend() { ip link set "fc-$1-h" up; }

# Every process living in our namespaces was started by this run: kill
# them by pid, then remove the namespaces and the bridge. Safe to run
# when half of it exists (the trap calls it after any failure).
net_down() {
	local h n pids
	for h in $HOSTS; do
		n=${h%%:*}
		ip netns list 2>/dev/null | grep -qw "fc-$n" || continue
		pids=$(ip netns pids "fc-$n" 2>/dev/null || true)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
	done
	for h in $HOSTS; do
		n=${h%%:*}
		ip link del "fc-$n-h" 2>/dev/null || true
		ip netns del "fc-$n" 2>/dev/null || true
	done
	ip link del "$BRIDGE" 2>/dev/null || true
}
