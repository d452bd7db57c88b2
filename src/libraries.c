#include <stdio.h>
#include <string.h>

#include "api.h"
#include "libraries.h"
#include "pgbin.h"
#include "render.h"
#include "tracks.h"
#include "validate.h"

static const char *const library_types[] = {
	"custom", "ambient", "nature", "lofi", "classical", "white_noise", NULL };

enum { LIB_NAME, LIB_DESCRIPTION, LIB_TYPE, LIB__MAX };
static const struct field library_fields[LIB__MAX] = {
	[LIB_NAME]        = { "name", FIELD_STR, 1, FOCUS_MAX_LIBRARY_NAME, NULL, 0 },
	[LIB_DESCRIPTION] = { "description", FIELD_STR, 0, FOCUS_MAX_DESCRIPTION, NULL, 1 },
	[LIB_TYPE]        = { "library_type", FIELD_ENUM, 0, 0, library_types, 0 },
};
const struct field_table libraries_body = { "library", library_fields, LIB__MAX };

/* Where a statement's library columns (LIBRARY_COLS) begin: after outcome
 * and user_id, and for library_list after the total. */
#define LIBRARY_COL0 2
#define LIST_TOTAL_COL 2
#define LIST_LIBRARY_COL0 3

static int
render_library_row(struct printbuf *pb, const PGresult *res, const void *arg)
{
	(void)arg;
	return render_library_at(pb, res, 0, LIBRARY_COL0);
}

/* {"libraries":[...],"total":N,"page":P,"page_size":S} */
static int
render_list(struct printbuf *pb, const PGresult *res, const void *arg)
{
	const struct api_page *pg = arg;

	return render_page(pb, res, "libraries", LIST_TOTAL_COL, LIST_LIBRARY_COL0,
	    render_library_at, pg->page, pg->limit);
}

enum ferr
libraries_list(struct req *rq)
{
	struct api_page pg;
	enum ferr       e;

	if ((e = api_page_params(rq, &pg)) != FERR_OK)
		return e;
	{
		const char *params[] = { rq->token_hash, pg.limit, pg.offset };
		return api_reply_rendered(rq, STMT_LIBRARY_LIST, params, render_list, &pg);
	}
}

enum ferr
libraries_create(struct req *rq)
{
	struct field_value v[LIB__MAX];
	enum ferr e;

	if ((e = validate_fields(rq->body, library_fields, LIB__MAX, v, rq->err_msg,
	    sizeof(rq->err_msg))) != FERR_OK)
		return e;
	if (!v[LIB_NAME].present) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "name is required.");
		return FERR_VALIDATION;
	}
	{
		const char *params[] = { rq->token_hash, v[LIB_NAME].s,
		    v[LIB_DESCRIPTION].present ? v[LIB_DESCRIPTION].s : NULL,
		    v[LIB_TYPE].present ? v[LIB_TYPE].s : "custom" };
		return api_reply_rendered(rq, STMT_LIBRARY_CREATE, params, render_library_row, NULL);
	}
}

enum ferr
libraries_get(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	return api_reply_rendered(rq, STMT_LIBRARY_GET, params, render_library_row, NULL);
}

enum ferr
libraries_favorite(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	return api_reply_rendered(rq, STMT_LIBRARY_FAVORITE, params, render_library_row, NULL);
}

enum ferr
libraries_delete(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	PGresult   *res = NULL;
	const char *key;
	size_t      len;
	enum ferr   e;
	int         row;

	if ((e = api_exec(rq, STMT_LIBRARY_DELETE, params, &res)) != FERR_OK) {
		PQclear(res);
		return e;
	}
	/* The rows are gone (committed); now the objects. A failure leaves
	 * an orphan object, never a row without its object. */
	for (row = 0; row < PQntuples(res); row++)
		if (pgbin_text(res, row, DELETED_KEY_COL, &key, &len) == PGBIN_OK)
			tracks_forget_object(key, rq->request_id);
	return api_send_rendered(rq, STMT_LIBRARY_DELETE, res, render_deleted, NULL);
}
