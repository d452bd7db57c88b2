/*
 * ferr.h: the one error code every module returns, and its mapping to
 * HTTP status, the API's "error" kind and the fixed sentence a client sees.
 * Handlers never write a status number; they return an enum ferr.
 */
#ifndef FOCUS_FERR_H
#define FOCUS_FERR_H

#define FOCUS_MUSTCHECK __attribute__((warn_unused_result))

/*        name             status kind                      sentence */
#define FERR_LIST(X) \
	X(FERR_OK,           200, "ok",                     "OK.") \
	X(FERR_BAD_REQUEST,  400, "bad_request",            "The request is malformed.") \
	X(FERR_UNAUTHORIZED, 401, "unauthorized",           "Sign in first: the token is missing, unknown or expired.") \
	X(FERR_FORBIDDEN,    403, "forbidden",              "This request did not come from the service's own page.") \
	X(FERR_NOT_FOUND,    404, "not_found",              "No such resource.") \
	X(FERR_METHOD,       405, "method_not_allowed",     "This method is not allowed on this resource.") \
	X(FERR_CONFLICT,     409, "conflict",               "The resource is not in a state that allows this.") \
	X(FERR_PRECONDITION, 412, "precondition_failed",    "The state changed since the version named in If-Match.") \
	X(FERR_TOO_LARGE,    413, "payload_too_large",      "The request body is too large.") \
	X(FERR_MEDIA_TYPE,   415, "unsupported_media_type", "The request body must be JSON (Content-Type: application/json).") \
	X(FERR_VALIDATION,   422, "validation_error",       "A field is out of range or of the wrong type.") \
	X(FERR_RATE_LIMITED, 429, "too_many_requests",      "Too many attempts; try again later.") \
	X(FERR_INTERNAL,     500, "internal",               "Something went wrong on our side.") \
	X(FERR_STORAGE,      502, "storage_error",          "The file storage did not answer as expected.") \
	X(FERR_UNAVAILABLE,  503, "unavailable",            "The service is unavailable right now; try again shortly.")

enum ferr {
#define FERR_ENUM(name, status, kind, text) name,
	FERR_LIST(FERR_ENUM)
#undef FERR_ENUM
	FERR__MAX
};

/* HTTP status, "error" kind and default sentence of an error code. */
int         ferr_status(enum ferr e);
const char *ferr_kind(enum ferr e);
const char *ferr_text(enum ferr e);

#endif
