/*
 * fuzz_input.c: libFuzzer target for everything a client controls before
 * the database: the request path through the real route table, the query
 * string, the JSON body and its validation against every handler's own
 * field table (routes.c body_tables; batch items against the batch's).
 * Build and run with t/fuzz/run; a crashing input goes into
 * t/fuzz/regression/ and stays there.
 *
 * Input layout: path \n query \n body (each part may be empty).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "http.h"
#include "idempotency.h"
#include "localdate.h"
#include "localtime.h"
#include "rfc3339.h"
#include "router.h"
#include "routes.h"
#include "sessions.h"
#include "storage.h"
#include "validate.h"

/* room for the largest table's values */
#define FUZZ_MAX_FIELDS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char         *p = (const char *)data, *end = p + size, *nl;
	char               *query, allow[64], out[64];
	struct req          rq;
	struct field_value  v[FUZZ_MAX_FIELDS];
	json_object        *obj = NULL, *updates;
	enum ferr           e;
	long long           n;
	size_t              plen, qlen;
	int                 m;

	memset(&rq, 0, sizeof(rq));
	nl = memchr(p, '\n', size);
	plen = nl != NULL ? (size_t)(nl - p) : size;
	if (plen < sizeof(rq.path)) {
		memcpy(rq.path, p, plen);
		rq.path[plen] = '\0';
		for (m = 0; m < HTTP__MAX; m++) {
			rq.method = (enum http_method)m;
			(void)router_match(routes, routes_count, &rq, &e, allow, sizeof(allow));
		}
		(void)storage_key_valid(rq.path);
	}
	p = nl != NULL ? nl + 1 : end;
	nl = memchr(p, '\n', (size_t)(end - p));
	qlen = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
	if ((query = malloc(qlen + 1)) != NULL) {
		memcpy(query, p, qlen);
		query[qlen] = '\0';
		(void)http_query_get(query, "page", out, sizeof(out));
		(void)http_query_get(query, "track_title", out, sizeof(out));
		(void)validate_query_int(query, "page_size", 20, 1, 100, &n, out, sizeof(out));
		/* the local dates of stats, series and export */
		if (http_query_get(query, "from", out, sizeof(out)) > 0) {
			char day[LOCALDATE_LEN + 1];
			(void)localtime_stats_wanted(query);
			if (localdate_parse(out, strlen(out), day) == 0 && strlen(day) != LOCALDATE_LEN)
				abort();
		}
		free(query);
	}
	p = nl != NULL ? nl + 1 : end;
	/* the body's bytes as an Idempotency-Key and as a timestamp */
	(void)idempotency_key_valid(p, (size_t)(end - p));
	(void)rfc3339_valid(p, (size_t)(end - p));
	if (http_parse_json(p, (size_t)(end - p), &obj) == FERR_OK) {
		const struct field_table *item = &history_item_body;
		size_t                    t, i;

		for (t = 0; t < body_tables_count; t++) {
			if (body_tables[t]->n > FUZZ_MAX_FIELDS)
				abort();        /* FUZZ_MAX_FIELDS is too small: a bug here */
			(void)validate_fields(obj, body_tables[t]->fields, body_tables[t]->n, v,
			    out, sizeof(out));
		}
		if (json_object_object_get_ex(obj, "updates", &updates) &&
		    json_object_is_type(updates, json_type_array))
			for (i = 0; i < json_object_array_length(updates) && i < 200; i++)
				(void)validate_fields(json_object_array_get_idx(updates, i), item->fields,
				    item->n, v, out, sizeof(out));
		json_object_put(obj);
	}
	return 0;
}
