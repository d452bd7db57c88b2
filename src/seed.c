#include <stdio.h>

#include "seed.h"

int
seed_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "focusctl seed: not built yet\n");
	return 1;
}

int
seed_explain(PGconn *c)
{
	(void)c;
	fprintf(stderr, "focusctl explain: not built yet\n");
	return 1;
}
