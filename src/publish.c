#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "config.h"
#include "limits.h"
#include "log.h"
#include "publish.h"

/* The process's one handle: reused, so its connection to nginx stays
 * open between events (nginx keepalive on the publisher server). */
static CURL *handle;

int
publish_channel_ok(const char *s)
{
	size_t i, n = s != NULL ? strlen(s) : 0;

	if (n != FOCUS_CHANNEL_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || s[i] == '-'))
			return 0;
	return 1;
}

int
publish_enabled(void)
{
	return config->nchan_socket[0] != '\0';
}

int
publish_init(void)
{
	if (!publish_enabled()) {
		log_kv(LOG_WARN, "publish", "err", "FOCUS_NCHAN_SOCKET is not set; no live events", NULL);
		return 0;
	}
	if ((handle = curl_easy_init()) == NULL)
		return -1;
	return 0;
}

void
publish_shutdown(void)
{
	curl_easy_cleanup(handle);
	handle = NULL;
}

/* nchan's answer (the channel's info) is not needed */
static size_t
discard(char *ptr, size_t size, size_t nmemb, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * nmemb;
}

int
publish_state(const char *channel, const char *data, size_t len, const char *req_id)
{
	/* the host is nginx's publisher server on the socket; the path is
	 * its location (nginx/focus-site.conf.in "/pub/<channel>") */
	char               url[64 + FOCUS_CHANNEL_LEN], errbuf[CURL_ERROR_SIZE] = "", st[16];
	struct curl_slist *headers = NULL, *h;
	CURLcode           rc;
	long               status = 0;

	if (!publish_enabled())
		return 0;
	if (handle == NULL || !publish_channel_ok(channel))
		return -1;
	snprintf(url, sizeof(url), "http://nchan/pub/%s", channel);
	/* the event's name (SSE "event: state"), read by nchan per message */
	if ((h = curl_slist_append(headers, "Content-Type: application/json")) == NULL)
		goto oom;
	headers = h;
	if ((h = curl_slist_append(headers, "X-EventSource-Event: state")) == NULL)
		goto oom;
	headers = h;
	/* no "Expect: 100-continue" round trip for a small body */
	if ((h = curl_slist_append(headers, "Expect:")) == NULL)
		goto oom;
	headers = h;

	rc = curl_easy_setopt(handle, CURLOPT_UNIX_SOCKET_PATH, config->nchan_socket);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_URL, url);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errbuf);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http");
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, (long)FOCUS_PUBLISH_TIMEOUT_MS);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_POSTFIELDS, data);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	if (rc == CURLE_OK) rc = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, discard);
	if (rc == CURLE_OK) rc = curl_easy_perform(handle);
	if (rc == CURLE_OK) rc = curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
	/* the handle outlives this call; the list and errbuf do not */
	(void)curl_easy_setopt(handle, CURLOPT_HTTPHEADER, NULL);
	(void)curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK) {
		log_kv(LOG_ERROR, "publish_failed", "req", req_id, "channel", channel,
		    "err", errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc), NULL);
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(st, sizeof(st), "%ld", status);
		log_kv(LOG_ERROR, "publish_failed", "req", req_id, "channel", channel, "status", st, NULL);
		return -1;
	}
	return 0;
oom:
	curl_slist_free_all(headers);
	log_kv(LOG_ERROR, "publish_failed", "req", req_id, "channel", channel, "err", "out of memory", NULL);
	return -1;
}
