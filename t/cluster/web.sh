# t/cluster/web.sh: the stateless tiers (sourced by t/cluster/run): two
# web hosts, each nginx with the service's own site config and its two
# supervised worker pools, and the load balancer in front of them.

# The worker's settings, the same on every web host: the database by its
# multi-host string, one signing key for the storage links.
web_env() { # name
	cat <<-EOF2
	FOCUS_DB='$CLUSTER_DB'
	FOCUS_SQL_DIR='$TOP/sql'
	FOCUS_STORAGE_DIR='$STATE/$1/storage'
	FOCUS_STORAGE_SECRET='$STORAGE_SECRET'
	FOCUS_PUBLIC_ORIGIN='http://$NET.10:8080'
	FOCUS_LOG='$STATE/$1/log/focus.log'
	FOCUS_RETRY_AFTER=1
	FOCUS_NCHAN_SOCKET='$STATE/$1/run/nchan.sock'
	EOF2
}

# The service's nginx templates, for web host NAME. The live events'
# placeholders (nchan's publisher socket, its Redis upstream: issue 18)
# are filled too; a template without them is unchanged by those.
web_render() { # template output name
	sed -e "s|@LISTEN@|$(host_ip "$3"):8080|g" -e "s|@HTML@|$TOP/nginx/html|g" \
		-e "s|@NCHAN_SOCKET@|$STATE/$3/run/nchan.sock|g" \
		-e "s|@NCHAN_REDIS@|nchan_redis_pass focus_redis;|g" \
		-e "s|@NCHAN_SUB_SOCKET@|$STATE/$3/run/nchan-sub.sock|g" \
		-e "s|@NCHAN_REDIS_UPSTREAM@|upstream focus_redis { nchan_redis_server redis://$NET.14:6379; nchan_redis_connect_timeout 2s; nchan_redis_reconnect_delay_max 1s; }|g" \
		-e "s|@WORKER_CONNECTIONS@|1024|g" -e "s|@WORKER_RLIMIT@|3072|g" \
		-e "s|@CONF@|$TOP/nginx|g" -e "s|@SOCKET@|$STATE/$3/run/focus.sock|g" \
		-e "s|@STORAGE_SOCKET@|$STATE/$3/run/focus-storage.sock|g" \
		-e "s|@LOGS@|$STATE/$3/log|g" -e "s|@VAR@|$STATE/$3|g" "$1" >"$2"
}

# One pool on web host NAME: spawn-fcgi starts the supervisor inside the
# namespace (src/supervise.c keeps FOCUS_WORKERS workers)
web_pool() { # name pool workers
	(set -a && . "$STATE/$1/focus.env" && FOCUS_WORKERS=$3 &&
		in_ns "$1" spawn-fcgi -s "$STATE/$1/run/$2.sock" -M 0600 -F 1 \
			-P "$STATE/$1/run/$2.pid" -- "$BUILD/src/focus-fcgi" >/dev/null)
}

web_up() { # name
	local n=$1
	mkdir -p "$STATE/$n/run" "$STATE/$n/log" "$STATE/$n/nginx" "$STATE/$n/storage"
	web_env "$n" >"$STATE/$n/focus.env"
	web_pool "$n" focus 2
	web_pool "$n" focus-storage 1
	# the timer process, where this build has one (issue 18): one per
	# web host, both on the one database
	if [ -x "$BUILD/src/focus-timer" ]; then
		(set -a && . "$STATE/$n/focus.env" &&
			exec ip netns exec "fc-$n" "$BUILD/src/focus-timer" </dev/null \
			>>"$STATE/$n/log/timer.out" 2>&1) &
		disown $!
	fi
	web_render "$TOP/nginx/focus-site.conf.in" "$STATE/$n/focus-site.conf" "$n"
	web_render "$TOP/nginx/nginx.conf.in" "$STATE/$n/nginx.conf" "$n"
	sed -i '1i user root;' "$STATE/$n/nginx.conf"
	# nchan's own nginx, where the tree has one (nginx/nchan.conf.in)
	if [ -f "$TOP/nginx/nchan.conf.in" ]; then
		mkdir -p "$STATE/$n/nchan-nginx"
		web_render "$TOP/nginx/nchan.conf.in" "$STATE/$n/nchan.conf" "$n"
		sed -i '1i user root;' "$STATE/$n/nchan.conf"
		in_ns "$n" nginx -c "$STATE/$n/nchan.conf" -e "$STATE/$n/log/nchan-error.log"
	fi
	in_ns "$n" nginx -c "$STATE/$n/nginx.conf" -e "$STATE/$n/log/nginx-error.log"
}

lb_up() {
	mkdir -p "$STATE/lb"
	sed -e "s|@VAR@|$STATE/lb|g" -e "s|@LISTEN@|$NET.10:8080|g" -e "s|@WEB1@|$NET.21|g" \
		-e "s|@WEB2@|$NET.22|g" "$TOP/t/cluster/lb.conf.in" >"$STATE/lb/nginx.conf"
	in_ns lb nginx -c "$STATE/lb/nginx.conf" -e "$STATE/lb/nginx-error.log"
}

# Poll URL until it answers 200, at most $2 seconds
wait_200() { # url seconds
	local end
	end=$(($(date +%s) + $2))
	until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1")" = 200 ]; do
		[ "$(date +%s)" -le "$end" ] || return 1
		sleep 0.2
	done
}
