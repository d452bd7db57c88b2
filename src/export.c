/*
 * export.c: see export.h. The statement (stmt.c STMT_EXPORT) returns text
 * rows, each carrying the route's outcome: the first row decides between
 * an error envelope and the file, whose head goes out before the second
 * row is read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "db.h"
#include "export.h"
#include "localdate.h"
#include "localtime.h"
#include "log.h"

enum export_format { FORMAT_CSV, FORMAT_JSON, FORMAT__MAX };
static const char *const format_names[FORMAT__MAX] = { "csv", "json" };
static const char *const format_types[FORMAT__MAX] = {
	"text/csv; charset=utf-8; header=present", "application/json",
};

/* The file's columns in the statement's order (stmt.c EXPORT_SHAPE,
 * from its object column on), and how JSON writes each. */
enum col_kind { COL_TEXT, COL_INT };
static const struct {
	const char   *name;
	enum col_kind kind;
} columns[] = {
	{ "id", COL_TEXT }, { "mode", COL_TEXT }, { "status", COL_TEXT }, { "source", COL_TEXT },
	{ "started_at", COL_TEXT }, { "started_local", COL_TEXT }, { "ended_at", COL_TEXT },
	{ "duration_seconds", COL_INT }, { "focused_seconds", COL_INT }, { "xp_awarded", COL_INT },
	{ "coins_awarded", COL_INT }, { "task_id", COL_TEXT }, { "task_title", COL_TEXT },
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* The longest row of a CSV file: every cell at its widest (a title of
 * FOCUS_MAX_TITLE_LEN characters of up to 4 bytes each; the other cells
 * are ids, names, timestamps and numbers, under 64 bytes), its commas and
 * CRLF. */
#define CSV_ROW_MAX (EXPORT_CELL_MAX(FOCUS_MAX_TITLE_LEN * 4) + NCOLUMNS * EXPORT_CELL_MAX(64) + NCOLUMNS + 2)

ssize_t
export_csv_cell(const char *in, size_t n, char *out, size_t cap)
{
	size_t i, used = 0;
	int    guard = n > 0 && strchr("=+-@", in[0]) != NULL;
	int    quote = 0;

	for (i = 0; i < n; i++)
		if (in[i] == ',' || in[i] == '"' || in[i] == '\r' || in[i] == '\n')
			quote = 1;
	if (EXPORT_CELL_MAX(n) > cap)
		return -1;
	if (quote)
		out[used++] = '"';
	if (guard)
		out[used++] = '\'';
	for (i = 0; i < n; i++) {
		if (in[i] == '"')
			out[used++] = '"';
		out[used++] = in[i];
	}
	if (quote)
		out[used++] = '"';
	return (ssize_t)used;
}

struct export_run {
	struct req        *rq;
	enum export_format format;
	const char        *filename;
	int                began;     /* the head went out */
	enum ferr          outcome;   /* the first row's */
	long               rows;      /* sessions written */
	int                failed;    /* a write or a row failed */
};

static int
write_csv_row(struct export_run *x, const PGresult *row, int col0)
{
	char    line[CSV_ROW_MAX];
	size_t  used = 0, k;
	ssize_t n;

	for (k = 0; k < NCOLUMNS; k++) {
		const char *v = PQgetvalue(row, 0, col0 + (int)k);
		size_t      len = PQgetisnull(row, 0, col0 + (int)k) ? 0 : (size_t)PQgetlength(row, 0, col0 + (int)k);

		if (k > 0)
			line[used++] = ',';
		if ((n = export_csv_cell(v, len, line + used, sizeof(line) - used - 3)) < 0)
			return -1;
		used += (size_t)n;
	}
	line[used++] = '\r';
	line[used++] = '\n';
	return http_write(x->rq, line, used);
}

static int
write_json_row(struct export_run *x, const PGresult *row, int col0)
{
	struct jsonw w;
	const char  *text;
	size_t       len, k;
	int          rc = 0;

	jw_init(&w);
	jw_obj(&w, NULL);
	for (k = 0; k < NCOLUMNS && rc == 0; k++) {
		int         col = col0 + (int)k;
		const char *v = PQgetvalue(row, 0, col);
		char       *end;
		long long   num;

		if (PQgetisnull(row, 0, col)) {
			jw_null(&w, columns[k].name);
		} else if (columns[k].kind == COL_INT) {
			num = strtoll(v, &end, 10);
			if (end == v || *end != '\0')
				rc = -1;
			jw_int(&w, columns[k].name, num);
		} else {
			jw_strn(&w, columns[k].name, v, (size_t)PQgetlength(row, 0, col));
		}
	}
	jw_end(&w);
	if (rc == 0 && jw_error(&w) == JW_OK && (text = jw_text(&w, &len)) != NULL) {
		if ((x->rows > 0 && http_write(x->rq, ",\n", 2) != 0) || http_write(x->rq, text, len) != 0)
			rc = -1;
	} else
		rc = -1;
	jw_free(&w);
	return rc;
}

/* The head of the file: status, type, Content-Disposition, and the CSV
 * header row or the JSON array's opening. */
static int
begin_file(struct export_run *x)
{
	char disposition[128];
	size_t k;

	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", x->filename);
	if (http_add_header(x->rq, "Content-Disposition", disposition) != 0)
		return -1;
	http_send_head(x->rq, 200, format_types[x->format], -1);
	x->began = 1;
	if (x->format == FORMAT_JSON)
		return http_write(x->rq, "[", 1);
	for (k = 0; k < NCOLUMNS; k++)
		if (http_write(x->rq, columns[k].name, strlen(columns[k].name)) != 0 ||
		    http_write(x->rq, k + 1 < NCOLUMNS ? "," : "\r\n", k + 1 < NCOLUMNS ? 1 : 2) != 0)
			return -1;
	return 0;
}

/* db_stream's row handler */
static int
on_row(const PGresult *row, void *arg)
{
	struct export_run *x = arg;
	int                col0 = stmt_table[STMT_EXPORT].shape.object;

	if (!x->began) {
		if ((x->outcome = api_outcome(row, x->rq->user_id)) != FERR_OK)
			return 1;
		if (begin_file(x) != 0) {
			x->failed = 1;
			return 1;
		}
	}
	/* no session in the range: the one row's session columns are NULL */
	if (PQgetisnull(row, 0, col0))
		return 0;
	if ((x->format == FORMAT_CSV ? write_csv_row(x, row, col0) : write_json_row(x, row, col0)) != 0) {
		x->failed = 1;
		return 1;
	}
	x->rows++;
	return 0;
}

enum ferr
export_sessions(struct req *rq)
{
	struct export_run x = { .rq = rq, .format = FORMAT_CSV, .outcome = FERR_INTERNAL };
	char      format[8], from[LOCALDATE_LEN + 1], to[LOCALDATE_LEN + 1];
	char      filename[64], rows[24];
	int       r, has_from, has_to;
	enum ferr e;

	r = http_query_get(rq->query, "format", format, sizeof(format));
	if (r > 0 && strcmp(format, format_names[FORMAT_JSON]) == 0)
		x.format = FORMAT_JSON;
	else if (r != 0 && (r < 0 || strcmp(format, format_names[FORMAT_CSV]) != 0)) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "format must be csv or json.");
		return FERR_BAD_REQUEST;
	}
	if ((e = localtime_query_date(rq, "from", from, &has_from)) != FERR_OK ||
	    (e = localtime_query_date(rq, "to", to, &has_to)) != FERR_OK)
		return e;
	if (has_from != has_to) {
		snprintf(rq->err_msg, sizeof(rq->err_msg), "from and to go together (YYYY-MM-DD, inclusive); "
		    "without both, everything is exported.");
		return FERR_BAD_REQUEST;
	}
	/* API.md: focus-<from>-<to>.<ext>; the whole history: focus-all */
	if (has_from)
		snprintf(filename, sizeof(filename), "focus-%s-%s.%s", from, to, format_names[x.format]);
	else
		snprintf(filename, sizeof(filename), "focus-all.%s", format_names[x.format]);
	x.filename = filename;
	{
		const char *params[] = { rq->token_hash, has_from ? from : NULL, has_to ? to : NULL };
		e = db_stream(STMT_EXPORT, params, on_row, &x, &rq->round_trips, rq->request_id);
	}
	if (!x.began) {
		if (e == FERR_OK)
			e = x.failed ? FERR_INTERNAL : x.outcome;
		if (e == FERR_BAD_REQUEST)
			snprintf(rq->err_msg, sizeof(rq->err_msg), "from must not be after to.");
		return e;
	}
	/* The head went out with 200: an error now can only cut the file
	 * short. The JSON array then stays unclosed, so that a reader sees a
	 * broken file rather than a short one; the log says why. */
	snprintf(rows, sizeof(rows), "%ld", x.rows);
	if (e != FERR_OK || x.failed) {
		log_kv(LOG_ERROR, "export_cut", "req", rq->request_id, "rows", rows, NULL);
		return FERR_OK;
	}
	if (x.format == FORMAT_JSON && http_write(rq, "]\n", 2) != 0)
		log_kv(LOG_ERROR, "export_cut", "req", rq->request_id, "rows", rows, NULL);
	return FERR_OK;
}
