/*
 * seed.h: benchmark data for focusctl.
 *   seed_main: focusctl seed --users N --sessions-per-user M (set-based SQL)
 */
#ifndef FOCUS_SEED_H
#define FOCUS_SEED_H

#include <libpq-fe.h>

int seed_main(int argc, char **argv);

#endif
