#include <stdio.h>
#include <string.h>

#include "api.h"
#include "libraries.h"
#include "tracks.h"
#include "validate.h"

static const char *const library_types[] = {
	"custom", "ambient", "nature", "lofi", "classical", "white_noise", NULL };

enum { LIB_NAME, LIB_DESCRIPTION, LIB_TYPE, LIB__MAX };
static const struct field library_fields[LIB__MAX] = {
	[LIB_NAME]        = { "name", FIELD_STR, 1, FOCUS_MAX_LIBRARY_NAME, NULL, 0 },
	[LIB_DESCRIPTION] = { "description", FIELD_STR, 0, FOCUS_MAX_DESCRIPTION, NULL, 1 },
	[LIB_TYPE]        = { "library_type", FIELD_ENUM, 0, 0, library_types, 1 },
};

enum ferr
libraries_list(struct req *rq)
{
	struct api_page pg;
	enum ferr       e;

	if ((e = api_page_params(rq, &pg)) != FERR_OK)
		return e;
	{
		const char *params[] = { rq->token_hash, pg.limit, pg.offset, pg.page };
		return api_reply(rq, STMT_LIBRARY_LIST, params);
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
		return api_reply(rq, STMT_LIBRARY_CREATE, params);
	}
}

enum ferr
libraries_get(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	return api_reply(rq, STMT_LIBRARY_GET, params);
}

enum ferr
libraries_favorite(struct req *rq)
{
	const char *params[] = { rq->token_hash, rq->params[0] };
	return api_reply(rq, STMT_LIBRARY_FAVORITE, params);
}

enum ferr
libraries_delete(struct req *rq)
{
	const char  *params[] = { rq->token_hash, rq->params[0] };
	json_object *data = NULL, *keys;
	enum ferr    e;
	size_t       i;

	if ((e = api_run_json(rq, STMT_LIBRARY_DELETE, params, &data)) == FERR_OK) {
		/* The rows are gone (committed); now the objects. A failure
		 * leaves an orphan object, never a row without its object. */
		if (json_object_object_get_ex(data, "storage_keys", &keys))
			for (i = 0; i < json_object_array_length(keys); i++)
				tracks_forget_object(json_object_get_string(
				    json_object_array_get_idx(keys, i)), rq->request_id);
		json_object_object_del(data, "storage_keys");
		http_send_json(rq, data);
	}
	json_object_put(data);
	return e;
}
