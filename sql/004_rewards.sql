-- 004_rewards.sql: the reward tables written by every complete, made
-- cheaper to write without giving up a rule. Applied once by focusctl
-- migrate, after 001 to 003, on new databases and old ones alike.

-- The ledger's idempotency key is its primary key. The surrogate id it had
-- was read by nothing, yet every complete drew it from a sequence and wrote
-- it into an index of its own: two indexes kept the same one-row-per-key
-- rule. Dropping it made the ledger insert of a complete cost 15 µs instead
-- of 37 µs (database only, t/bench/README.md, step 18).
ALTER TABLE points_ledger DROP COLUMN id;
ALTER TABLE points_ledger DROP CONSTRAINT points_ledger_idempotency_key_key;
ALTER TABLE points_ledger ADD CONSTRAINT points_ledger_pkey PRIMARY KEY (idempotency_key);

-- Single-column rules as domains, for the reason 003_open_sessions.sql
-- gives: a table's CHECKs are rebuilt from their text for every statement
-- that writes it, a domain's are compiled once per connection. The rule
-- that ties two columns together (longest_days >= current_days) stays a
-- CHECK of its table.
CREATE DOMAIN focus_total AS bigint CHECK (VALUE >= 0);
CREATE DOMAIN focus_positive AS integer CHECK (VALUE >= 1);

ALTER TABLE points_ledger
	DROP CONSTRAINT points_ledger_xp_check,
	DROP CONSTRAINT points_ledger_coins_check,
	ALTER COLUMN xp TYPE focus_amount,
	ALTER COLUMN coins TYPE focus_amount;
ALTER TABLE user_progress
	DROP CONSTRAINT user_progress_xp_check,
	DROP CONSTRAINT user_progress_level_check,
	ALTER COLUMN xp TYPE focus_total,
	ALTER COLUMN level TYPE focus_positive;
ALTER TABLE user_wallet
	DROP CONSTRAINT user_wallet_coins_check,
	ALTER COLUMN coins TYPE focus_total;
ALTER TABLE user_streaks
	DROP CONSTRAINT user_streaks_current_days_check,
	ALTER COLUMN current_days TYPE focus_positive;

-- The level for a running XP total, as 001_core.sql defines it, with the
-- square root in float8 instead of numeric: 1.7 times as fast at level 4,
-- 2.6 times at level 23 (each complete calls it twice). The levels are the
-- same: floor(100 * L * sqrt(L)) comes out equal in both for every L from
-- 1 to 1,000,000 (checked in SQL), and a total that reaches level
-- 1,000,000 would take 4 * 10^16 XP.
CREATE OR REPLACE FUNCTION focus_level_for_xp(xp bigint) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
	lvl  integer := 1;
	need bigint := 0;
BEGIN
	LOOP
		need := need + floor(100 * lvl * sqrt(lvl::float8))::bigint;
		EXIT WHEN xp < need;
		lvl := lvl + 1;
	END LOOP;
	RETURN lvl;
END
$$;
