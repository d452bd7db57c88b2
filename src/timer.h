/*
 * timer.h: the service's timer process (focus-timer). It applies every
 * time's up and auto-start at its moment for all users, one statement
 * per tick (stmt.c timer_tick, reusing sql/009_cycle.sql
 * focus_catch_up), sleeps until the next deadline (timer_next), and wakes
 * early when PostgreSQL notifies it (sql/012_live.sql: every committed
 * change to a person's sessions or settings NOTIFYs focus_state with
 * the person's id). It is also the publisher: for each person notified it
 * reads the new /active object (state_of, many people per round trip)
 * and posts it to nchan (publish.h), so every writer, its own ticks and
 * the lazy catch-up of a read included, is published without publishing
 * anything itself.
 *
 * Safe to run twice: transitions are guarded by focus_catch_up's row
 * locks and the ledger's keys; only the holder of an advisory lock
 * publishes, so a second instance does not send every event twice, and
 * takes over when the first one's connection ends.
 */
#ifndef FOCUS_TIMER_H
#define FOCUS_TIMER_H

/* The timer's loop, run by the supervisor's child (supervise.h) until
 * SIGTERM or SIGINT. 0 after a stop; 1 when it cannot start. */
int timer_main(void);

#endif
