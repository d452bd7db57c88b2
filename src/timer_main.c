/*
 * focus-timer: the service's timer process (timer.h). Started once per
 * host by ./quickstart (and in the deployment, README.md); the process
 * it starts is a supervisor (supervise.h) whose one child runs the
 * timer, replaced within SUPERVISE_BACKOFF_MS when it dies.
 */
#include <stddef.h>

#include "config.h"
#include "log.h"
#include "supervise.h"
#include "timer.h"

int
main(void)
{
	if (config_load() != 0)
		return 2;
	log_start(config->log);
	return supervise(1, timer_main) == 0 ? 0 : 1;
}
