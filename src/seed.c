/*
 * seed.c: benchmark data (focusctl seed). Set-based: seeding is a handful
 * of INSERT ... SELECT over generate_series, so 10,000 users x 100
 * sessions take seconds, not a million round trips. The plans are checked
 * by explain.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "pgcli.h"
#include "seed.h"
#include "stmt.h"

/* Bounds for focusctl seed: a million users of a thousand sessions would
 * be a billion rows, beyond what a test machine should be asked to hold. */
#define SEED_MAX_USERS             1000000
#define SEED_MAX_SESSIONS_PER_USER 10000

/* One statement per table, each run with the two bounds as parameters.
 * Every seeded user's sessions are spread over the last year, newest
 * first in id order; all are closed except, for every third user, the
 * newest one, which is left active (focus_sessions_one_open allows one);
 * every closed one ended before now. */
static const char *const seed_sql[] = {
	"CREATE TEMP TABLE seed_users ON COMMIT DROP AS\n"
	"SELECT gen_random_uuid() AS id, g AS n FROM generate_series(1, $1::integer) AS g",

	"INSERT INTO users (id, name)\n"
	"SELECT id, 'seed-' || left(id::text, 8) || '-' || n FROM seed_users",

	"INSERT INTO focus_sessions (user_id, mode, duration_seconds, started_at, expires_at,\n"
	"	completed_at, abandoned_at, status, focused_seconds, xp_awarded, coins_awarded)\n"
	"SELECT u.id, x.mode, x.dur, x.started, x.started + make_interval(secs => x.dur),\n"
	"	CASE WHEN x.status = 'completed' THEN x.started + make_interval(secs => x.dur) END,\n"
	"	CASE WHEN x.status = 'abandoned' THEN x.started + interval '5 minutes' END,\n"
	"	x.status,\n"
	"	CASE WHEN x.status = 'completed' THEN x.dur END,\n"
	"	CASE WHEN x.status = 'completed' THEN focus_reward_xp(x.mode, x.dur, 0) ELSE 0 END,\n"
	"	CASE WHEN x.status = 'completed' THEN focus_reward_coins(x.mode, x.dur, 0) ELSE 0 END\n"
	"FROM seed_users u CROSS JOIN generate_series(1, $2::integer) AS g,\n"
	"LATERAL (SELECT\n"
	"	(ARRAY['focus', 'focus', 'focus', 'break', 'long_break'])[1 + (u.n + g) % 5] AS mode,\n"
	"	(ARRAY[1500, 1500, 3000, 300, 900])[1 + (u.n + g) % 5] AS dur,\n"
	"	CASE WHEN g = $2::integer AND u.n % 3 = 0 THEN now() - interval '1 minute'\n"
	/* a closed newest session ended before now: no two sessions of a
	 * person overlap (sql/010_history.sql), and a start at now must not
	 * meet one that ends later */
	"	     WHEN g = $2::integer THEN now() - interval '1 minute'\n"
	"	          - make_interval(secs => (ARRAY[1500, 1500, 3000, 300, 900])[1 + (u.n + g) % 5])\n"
	"	     ELSE now() - make_interval(secs => (($2::integer - g) * 31536000.0 / $2::integer)) END AS started,\n"
	"	CASE WHEN g = $2::integer AND u.n % 3 = 0 THEN 'active'\n"
	"	     WHEN (u.n * 7 + g) % 10 < 7 THEN 'completed'\n"
	"	     WHEN (u.n * 7 + g) % 10 < 9 THEN 'abandoned' ELSE 'expired' END AS status) AS x",

	/* every sixth user's open session is paused */
	"UPDATE focus_sessions f SET status = 'paused', paused_at = now() - interval '30 seconds'\n"
	"FROM seed_users u WHERE f.user_id = u.id AND u.n % 6 = 0 AND f.open AND f.status = 'active'",

	/* two API tokens per user (their values are never known: the hash
	 * of random bytes), and some failed sign-ins */
	"INSERT INTO sessions (token_hash, user_id, expires_at)\n"
	"SELECT sha256(gen_random_uuid()::text::bytea), u.id, now() + make_interval(days => g * 15)\n"
	"FROM seed_users u CROSS JOIN generate_series(1, 2) AS g",

	"INSERT INTO login_failures (name, client, failed_at)\n"
	"SELECT 'seed-' || n, '10.0.' || (n % 250) || '.' || (n % 200), now() - make_interval(secs => n % 3600)\n"
	"FROM seed_users WHERE n % 4 = 0",

	"INSERT INTO points_ledger (user_id, session_id, idempotency_key, xp, coins)\n"
	"SELECT f.user_id, f.id, 'focus_complete:' || f.id, f.xp_awarded, f.coins_awarded\n"
	"FROM focus_sessions f JOIN seed_users u ON u.id = f.user_id WHERE f.status = 'completed'",

	"INSERT INTO user_progress (user_id, xp, level)\n"
	"SELECT l.user_id, sum(l.xp), focus_level_for_xp(sum(l.xp))\n"
	"FROM points_ledger l JOIN seed_users u ON u.id = l.user_id GROUP BY l.user_id",

	"INSERT INTO user_wallet (user_id, coins)\n"
	"SELECT l.user_id, sum(l.coins) FROM points_ledger l JOIN seed_users u ON u.id = l.user_id\n"
	"GROUP BY l.user_id",

	/* the stored streak, as a completion leaves it: counted from the
	 * sessions in the person's zone (sql/015_streak_local.sql) */
	"INSERT INTO user_streaks (user_id, current_days, longest_days, last_day, time_zone, day_start_hour)\n"
	"SELECT u.id, k.current_days, k.longest_days, k.last_day, st.time_zone, st.day_start_hour\n"
	"FROM seed_users u JOIN focus_settings st ON st.user_id = u.id\n"
	"CROSS JOIN LATERAL focus_streak_scan(u.id, st.time_zone, st.day_start_hour, NULL, NULL) k\n"
	"WHERE k.last_day IS NOT NULL\n"
	/* over the stale rows the sessions' insert left (its trigger) */
	"ON CONFLICT (user_id) DO UPDATE SET current_days = excluded.current_days,\n"
	"	longest_days = excluded.longest_days, last_day = excluded.last_day,\n"
	"	time_zone = excluded.time_zone, day_start_hour = excluded.day_start_hour",

	"INSERT INTO focus_libraries (user_id, name, description, is_favorite, created_at)\n"
	"SELECT u.id, 'Library ' || g, 'seeded', g = 1, now() - make_interval(days => g)\n"
	"FROM seed_users u CROSS JOIN generate_series(1, 3) AS g",

	"INSERT INTO focus_tracks (library_id, user_id, track_title, track_url, mime_type, size_bytes)\n"
	"SELECT l.id, l.user_id, 'Track ' || g, 'https://example.com/' || g || '.mp3', 'audio/mpeg', 1000000\n"
	"FROM focus_libraries l JOIN seed_users u ON u.id = l.user_id CROSS JOIN generate_series(1, 4) AS g",

	/* two Idempotency-Keys per user from the last day (younger than their
	 * 24 hours, as the live ones of active people are) */
	"INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at)\n"
	"SELECT u.id, 'seed-' || g, sha256(convert_to(u.id::text || g, 'UTF8')), 200, '{\"data\":{}}',\n"
	"	now() - make_interval(secs => (u.n * 7 + g * 3600) % 72000)\n"
	"FROM seed_users u CROSS JOIN generate_series(1, 2) AS g",

	"ANALYZE",
};

/* Run sql; with params, both seed bounds go as integers (int4, OID 23),
 * typed here since a statement may use only one of them. */
static int
run(PGconn *c, const char *sql, int nparams, const char *const *params)
{
	static const Oid int4[2] = { 23, 23 };

	return pgcli_ok(PQexecParams(c, sql, nparams, nparams == 2 ? int4 : NULL, params, NULL, NULL, 0), NULL);
}

int
seed_main(int argc, char **argv)
{
	long        users = 0, per_user = 0;
	char        ubuf[16], sbuf[16];
	const char *params[2] = { ubuf, sbuf };
	PGconn     *c;
	size_t      i;
	int         a;

	for (a = 0; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--users") == 0)
			users = strtol(argv[a + 1], NULL, 10);
		else if (strcmp(argv[a], "--sessions-per-user") == 0)
			per_user = strtol(argv[a + 1], NULL, 10);
	}
	if (a != argc || users < 1 || users > SEED_MAX_USERS ||
	    per_user < 1 || per_user > SEED_MAX_SESSIONS_PER_USER) {
		fprintf(stderr, "usage: focusctl seed --users 1..%d --sessions-per-user 1..%d\n",
		    SEED_MAX_USERS, SEED_MAX_SESSIONS_PER_USER);
		return 2;
	}
	if ((c = db_conn()) == NULL) {
		fprintf(stderr, "focusctl: cannot connect to the database (FOCUS_DB)\n");
		return 1;
	}
	snprintf(ubuf, sizeof(ubuf), "%ld", users);
	snprintf(sbuf, sizeof(sbuf), "%ld", per_user);
	if (run(c, "BEGIN", 0, NULL) != 0)
		return 1;
	for (i = 0; i < sizeof(seed_sql) / sizeof(seed_sql[0]); i++) {
		const char *sql = seed_sql[i];
		int         n = strchr(sql, '$') != NULL ? 2 : 0;

		if (strcmp(sql, "ANALYZE") == 0) {
			if (run(c, "COMMIT", 0, NULL) != 0)
				return 1;
		}
		if (run(c, sql, n, n > 0 ? params : NULL) != 0) {
			(void)run(c, "ROLLBACK", 0, NULL);
			return 1;
		}
	}
	printf("seeded %ld users with %ld sessions each\n", users, per_user);
	return 0;
}
