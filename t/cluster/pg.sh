# t/cluster/pg.sh: PostgreSQL made highly available by pg_auto_failover
# (sourced by t/cluster/run after net.sh): a monitor and two nodes, each in
# its own namespace, all on port 5432 of their own address.
PGBIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
MONITOR_URI="postgres://autoctl_node@$NET.11:5432/pg_auto_failover?sslmode=disable"
# what the workers are given: both nodes, and libpq keeps the one that
# takes writes (after a failover, the other). A connection whose packets
# go unacknowledged for 3 s (its host cut off) is given up by the kernel
# (tcp_user_timeout), and an idle one is probed: a worker does not keep a
# connection that a partition broke, to block on it when the link is back.
CLUSTER_DB="host=$NET.12,$NET.13 port=5432 dbname=focus user=postgres target_session_attrs=read-write connect_timeout=2 keepalives_idle=5 keepalives_interval=1 keepalives_count=3 tcp_user_timeout=3000"

# pg_autoctl as postgres inside machine NAME, its config and state under
# the node's own directory; it speaks TCP to 127.0.0.1, its namespace's
# own loopback.
autoctl() { # name args...
	local n=$1
	shift
	(cd / && exec ip netns exec "fc-$n" runuser -u postgres -- env XDG_CONFIG_HOME="$STATE/$n/xdg" \
		XDG_DATA_HOME="$STATE/$n/xdg" XDG_RUNTIME_DIR="$STATE/$n" PGHOST=127.0.0.1 \
		pg_autoctl "$@")
}

# A data directory made by us, so that its settings are small from the
# first start: pg_autoctl sizes shared_buffers to a quarter of the
# machine's memory otherwise. Keepalives: a client whose host is cut off
# is noticed in seconds (its backend ends, its locks go), not hours.
# postgresql.auto.conf is read last, over pg_autoctl's own include;
# pg_basebackup carries it to the standby.
# The unix socket: pg_autoctl runs a crashed primary's crash recovery
# (before pg_rewind, to rejoin as a standby) with listen_addresses off
# (-h ''); with no socket either, that postmaster refuses to start ("no
# socket created for listening") and the old primary never rejoins. Every
# node is on port 5432 and they share one file system, so the socket is
# in Linux's abstract namespace ('@'), which is the network namespace's
# own: the same line, cloned by pg_basebackup, names each node's own.
pg_initdb() { # name
	mkdir -p "$STATE/$1"
	chown postgres: "$STATE/$1"
	(cd / && runuser -u postgres -- "$PGBIN/initdb" -D "$STATE/$1/data" -A trust -U postgres \
		--locale=C.UTF-8 -E UTF8 >/dev/null)
	cat >>"$STATE/$1/data/postgresql.auto.conf" <<-EOF
	unix_socket_directories = '@focus-pg'
	shared_buffers = '16MB'
	max_connections = 30
	work_mem = '4MB'
	maintenance_work_mem = '16MB'
	effective_cache_size = '128MB'
	tcp_keepalives_idle = 5
	tcp_keepalives_interval = 1
	tcp_keepalives_count = 3
	EOF
}

# pg_autoctl run in the background of machine NAME (it supervises its
# PostgreSQL; its pid lives in the namespace, which the teardown empties)
autoctl_run() { # name
	autoctl "$1" run --pgdata "$STATE/$1/data" >>"$STATE/$1/autoctl.log" 2>&1 &
	disown $!       # the teardown kills it, without a "Killed" notice
}

# SQL on the monitor, from the driver's address (the monitor's pg_hba
# lets autoctl_node in from the whole range)
monitor_sql() { psql -X -h "$NET.11" -U autoctl_node -d pg_auto_failover -Atc "$1" 2>/dev/null; }

# "pg1:primary:primary pg2:secondary:secondary": each node's reported
# and goal state
pg_states() {
	monitor_sql "SELECT nodename || ':' || reportedstate || ':' || goalstate
		FROM pgautofailover.node ORDER BY nodename" | tr '\n' ' '
}

# Poll until one node is primary and the other secondary (both reported
# and assigned), at most $1 seconds; print the primary's name. With a
# second argument, a primary other than that node.
pg_wait_pair() { # seconds [not-this-primary]
	local end st p
	end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -le "$end" ]; do
		st=$(pg_states)
		case "$st" in
		*pg1:primary:primary*pg2:secondary:secondary*) p=pg1 ;;
		*pg1:secondary:secondary*pg2:primary:primary*) p=pg2 ;;
		*) p="" ;;
		esac
		if [ -n "$p" ] && [ "$p" != "${2:-}" ]; then
			echo "$p"
			return 0
		fi
		sleep 0.2
	done
	echo "pg_auto_failover: no primary and secondary after $1 s: $st" >&2
	return 1
}

# Poll until a node other than $2 is the primary: reported and assigned
# 'primary', or 'wait_primary' (promoted, taking writes while its standby
# is away: synchronous replication is off until one has caught up), at
# most $1 seconds; print its name. This is the promotion the failover
# scenario waits for; the old primary rejoining as its standby (a
# pg_rewind or a new base backup, tens of seconds on a busy machine) is
# pg_wait_pair's.
pg_wait_promoted() { # seconds old-primary
	local end st n p=""
	end=$(($(date +%s) + $1))
	while [ "$(date +%s)" -le "$end" ]; do
		st=$(pg_states)
		for n in pg1 pg2; do
			[ "$n" != "$2" ] || continue
			case " $st" in
			*" $n:primary:primary "* | *" $n:wait_primary:wait_primary "*) p=$n ;;
			esac
		done
		if [ -n "$p" ]; then
			echo "$p"
			return 0
		fi
		sleep 0.2
	done
	echo "pg_auto_failover: no node promoted after $1 s: $st" >&2
	return 1
}

pg_up() {
	local end
	pg_initdb mon
	autoctl mon create monitor --pgdata "$STATE/mon/data" --pgport 5432 --hostname "$NET.11" \
		--auth trust --no-ssl --pgctl "$PGBIN/pg_ctl" >>"$STATE/mon/autoctl.log" 2>&1
	autoctl_run mon
	end=$(($(date +%s) + 30))
	until monitor_sql 'SELECT 1' >/dev/null; do
		[ "$(date +%s)" -le "$end" ] || { echo "the monitor did not start" >&2; return 1; }
		sleep 0.2
	done
	# Failure detection in seconds rather than tens of them (defaults:
	# a 5 s health check period, 20 s to call a node unhealthy, 30 s for
	# a lost primary to demote itself): the same machinery, sooner.
	(cd / && in_ns mon psql -X -q -h 127.0.0.1 -U postgres -d pg_auto_failover \
		-c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
		-c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
		-c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
		-c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 5000" \
		-c "SELECT pg_reload_conf()" >/dev/null)
	# the first node: our data directory, registered as the primary
	pg_initdb pg1
	pg_create pg1
	autoctl_run pg1
	end=$(($(date +%s) + 60))
	until pg_states | grep -q 'pg1:single:single'; do
		[ "$(date +%s)" -le "$end" ] || { echo "pg1 did not become primary: $(pg_states)" >&2; return 1; }
		sleep 0.2
	done
	# the second: pg_autoctl clones the primary (pg_basebackup), and the
	# monitor turns on synchronous replication once it has caught up
	mkdir -p "$STATE/pg2"
	chown postgres: "$STATE/pg2"
	pg_create pg2
	autoctl_run pg2
	pg_wait_pair 120 >/dev/null
}

pg_create() { # name
	autoctl "$1" create postgres --pgdata "$STATE/$1/data" --pgport 5432 --hostname "$(host_ip "$1")" \
		--name "$1" --dbname focus --monitor "$MONITOR_URI" --auth trust --no-ssl --pg-hba-lan \
		--pgctl "$PGBIN/pg_ctl" >>"$STATE/$1/autoctl.log" 2>&1
}

# The postmaster of node NAME: the first line of its postmaster.pid
pg_postmaster() { head -n 1 "$STATE/$1/data/postmaster.pid"; }
