/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hook on eap's SSL_CTX, and the HUP-safe swap of the trust set.
 *
 * FreeRADIUS re-instantiates phonecert on HUP and frees the old instance a
 * minute later; eap is never re-instantiated, so its SSL_CTX and the callback
 * installed on it live on. The hook therefore belongs to no instance: it is
 * found again by instance name on HUP. Each handshake and post-auth takes a
 * reference on the current generation (trust set + policy) and drops it when
 * done, so a HUP replaces the generation atomically while work in flight
 * finishes on the one it started with.
 *
 * The hook also stands in front of eap's session-cache lookup, so that no
 * session resumes without what post-auth re-checks (get_decided_session),
 * and, with fleet_secret_file, in front of eap's new-session callback, to
 * seal what eap caches (seal_new_session): a session whose seal does not
 * hold is not resumed either.
 */
#include <freeradius/radiusd.h>

#include <pthread.h>

#include "attributes.h"
#include "phonecert.h"
#include "session_seal.h"

#include "../core/text.h"

typedef SSL_SESSION *get_session_fn(SSL *ssl, unsigned char const *id, int len, int *copy);
typedef int new_session_fn(SSL *ssl, SSL_SESSION *session);

struct phonecert_hook {
	char			*instance_name;
	char			*eap_name;
	char			*tls_config_name;
	bool			resumes_sessions;	/* eap's tls-config has a session cache */
	char const		*cache_server;		/* its tls-cache virtual server (eap's, lives as long), or NULL */
	get_session_fn		*eap_get_session;	/* eap's session-cache lookup, behind get_decided_session */
	new_session_fn		*eap_new_session;	/* eap's new-session callback, behind seal_new_session */
	pthread_mutex_t		mutex;			/* guards current and every generation's users */
	phonecert_generation_t	*current;
};

/* A server has a handful of eap tls-configs at most. Registered at start-up (single-threaded), never freed. */
#define MAX_HOOKS 16
static phonecert_hook_t *hooks[MAX_HOOKS];
static size_t hook_count;

/* FreeRADIUS owns the SSL_CTX's app data; our own ex-data slot marks a hooked SSL_CTX. */
static int hooked_index = -1;

void generation_free(phonecert_generation_t *generation)
{
	if (!generation) return;
	pc_trust_free(generation->trust);
	pc_blocklist_free(generation->blocklist);
	pc_keyring_free(generation->keyring);
	free(generation);
}

phonecert_hook_t *hook_find(char const *instance_name)
{
	for (size_t i = 0; i < hook_count; i++) {
		if (strcmp(hooks[i]->instance_name, instance_name) == 0) return hooks[i];
	}
	return NULL;
}

bool hook_same_eap(phonecert_hook_t const *hook, char const *eap_name, char const *tls_config_name)
{
	return strcmp(hook->eap_name, eap_name) == 0 && strcmp(hook->tls_config_name, tls_config_name) == 0;
}

bool hook_resumes_sessions(phonecert_hook_t const *hook)
{
	return hook->resumes_sessions;
}

bool hook_in_cache_server(phonecert_hook_t const *hook, REQUEST const *request)
{
	return hook->cache_server && request->server && strcmp(hook->cache_server, request->server) == 0;
}

/* Whether eap's SSL_CTX can be hooked; if not, err says why. */
static bool can_hook(SSL_CTX *ssl_ctx, char const *eap_name, char const *tls_config_name, char *err, size_t len)
{
	if (hooked_index < 0) hooked_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (hooked_index < 0) {
		snprintf(err, len, "Cannot allocate OpenSSL ex-data for the SSL_CTX");
		return false;
	}
	if (SSL_CTX_get_ex_data(ssl_ctx, hooked_index)) {
		snprintf(err, len, "Another phonecert instance already decides the handshakes of eap %s tls-config %s",
			 eap_name, tls_config_name);
		return false;
	}
	if (hook_count == MAX_HOOKS) {
		snprintf(err, len, "Too many phonecert instances (at most %d)", MAX_HOOKS);
		return false;
	}
	return true;
}

static void hook_free(phonecert_hook_t *hook)
{
	if (!hook) return;
	free(hook->instance_name);
	free(hook->eap_name);
	free(hook->tls_config_name);
	pthread_mutex_destroy(&hook->mutex);
	free(hook);
}

static phonecert_hook_t *hook_new(char const *instance_name, char const *eap_name, char const *tls_config_name)
{
	phonecert_hook_t *hook = calloc(1, sizeof(*hook));

	if (!hook) return NULL;
	if (pthread_mutex_init(&hook->mutex, NULL) != 0) {
		free(hook);
		return NULL;
	}
	hook->instance_name = strdup(instance_name);
	hook->eap_name = strdup(eap_name);
	hook->tls_config_name = strdup(tls_config_name);
	if (!hook->instance_name || !hook->eap_name || !hook->tls_config_name) {
		hook_free(hook);
		return NULL;
	}
	return hook;
}

/*
 * Why a cached session must not resume, or NULL. No certificate is verified
 * on resumption, and post-auth can only re-check what was cached with the
 * session: one whose client certificate phonecert did not decide (cached
 * before phonecert was there, or by a cache that lost the attributes, such
 * as a tls-cache site that does not store Phonecert-*) must be decided
 * again. Sessions without a client certificate (PEAP, TTLS) never met
 * phonecert and are eap's own.
 */
static char const *unresumable(SSL_SESSION *session)
{
	if (!SSL_SESSION_get0_peer(session)) return NULL;
	/* eap reads the cached attributes from the session OpenSSL has replaced by then (eap_tls.c, tls.c). */
	if (SSL_SESSION_get_protocol_version(session) == TLS1_3_VERSION) {
		return "FreeRADIUS 3.2 does not restore the cached attributes of a resumed TLS 1.3 session";
	}
	return attributes_unresumable(SSL_SESSION_get_ex_data(session, fr_tls_ex_index_vps));
}

/* The hook on eap's own SSL_CTX: realm_dir may have switched ssl to another, which shares its session cache. */
static phonecert_hook_t *hook_of(SSL *ssl)
{
	fr_tls_server_conf_t const *conf = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_CONF);

	return conf ? SSL_CTX_get_ex_data(conf->ctx, hooked_index) : NULL;
}

/* In the server's log whatever its debug level: a seal that does not hold may be someone writing the store. */
static void log_seal_warning(REQUEST *request, char const *fmt, ...) CC_HINT(format (printf, 2, 3));
static void log_seal_warning(REQUEST *request, char const *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (request) radlog_request(L_WARN, L_DBG_LVL_OFF, request, "%s", message);
	else WARN("%s", message);
}

/*
 * eap's new-session callback, behind phonecert. OpenSSL announces a new
 * session when a full handshake finishes, before eap caches the session's
 * certificate list with it (tls_success): the seal goes into that list.
 */
static int seal_new_session(SSL *ssl, SSL_SESSION *session)
{
	phonecert_hook_t *hook = hook_of(ssl);
	REQUEST *request = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST);
	phonecert_generation_t *generation;
	char err[256];

	if (!hook) {
		ERROR("phonecert: a new TLS session on an SSL_CTX phonecert did not hook: not caching it");
		return 0;
	}
	generation = hook_acquire(hook);
	if (generation->keyring && !session_seal_add(generation->keyring, ssl, session, err, sizeof(err))) {
		log_seal_warning(request, "phonecert: the new TLS session is not sealed (%s): no server will resume it", err);
	}
	hook_release(hook, generation);
	return hook->eap_new_session(ssl, session);
}

/* Whether the fleet's seal on a cached session does not hold; if so, logged with why. */
static bool seal_broken(phonecert_hook_t *hook, REQUEST *request, SSL_SESSION *session, unsigned char const *id, int len)
{
	phonecert_generation_t *generation = hook_acquire(hook);
	char why[512], hex[2 * SSL_MAX_SSL_SESSION_ID_LENGTH + 1];
	char const *problem = generation->keyring ?
		session_seal_problem(generation->keyring, session, id, len, why, sizeof(why)) : NULL;

	if (problem) {
		pc_hex(hex, sizeof(hex), id, len > 0 ? (size_t)len : 0);
		log_seal_warning(request, "phonecert: not resuming the cached TLS session %s: %s; a full handshake decides "
				 "again", hex, problem);
	}
	hook_release(hook, generation);
	return problem != NULL;
}

/*
 * eap's session-cache lookup, behind phonecert: a session that must not
 * resume is a cache miss, whichever cache (persist_dir or a tls-cache
 * virtual server): the client makes a full handshake, decided afresh.
 */
static SSL_SESSION *get_decided_session(SSL *ssl, unsigned char const *id, int len, int *copy)
{
	phonecert_hook_t *hook = hook_of(ssl);
	REQUEST *request = SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST);
	SSL_SESSION *session;

	if (!hook) {
		ERROR("phonecert: a TLS session lookup on an SSL_CTX phonecert did not hook: not resuming");
		return NULL;
	}
	session = hook->eap_get_session(ssl, id, len, copy);
	if (!session) return NULL;
	if (!seal_broken(hook, request, session, id, len)) {
		char const *why = unresumable(session);

		if (!why) return session;
		if (request) RWDEBUG("phonecert: not resuming the cached TLS session: %s; a full handshake decides again", why);
	}
	if (!*copy) SSL_SESSION_free(session);	/* ours to free: eap handed over its reference */
	return NULL;
}

phonecert_hook_t *hook_install(SSL_CTX *ssl_ctx, char const *instance_name, char const *eap_name,
			       char const *tls_config_name, fr_tls_server_conf_t const *tls_conf,
			       phonecert_generation_t *generation, char *err, size_t len)
{
	phonecert_hook_t *hook;
	if (!can_hook(ssl_ctx, eap_name, tls_config_name, err, len)) return NULL;

	pc_certreq_advertise(ssl_ctx, generation->trust);
	if (!pc_certreq_fits(ssl_ctx, MAX_RECORD_SIZE, tls_config_name, err, len)) return NULL;

	hook = hook_new(instance_name, eap_name, tls_config_name);
	if (!hook) {
		snprintf(err, len, "Out of memory");
		return NULL;
	}
	hook->resumes_sessions = tls_conf->session_cache_enable;
	if (tls_conf->session_cache_enable) hook->cache_server = tls_conf->session_cache_server;
	hook->current = generation;
	hooks[hook_count++] = hook;

	SSL_CTX_set_ex_data(ssl_ctx, hooked_index, hook);
	SSL_CTX_set_cert_verify_callback(ssl_ctx, handshake_verify_cert, hook);
	hook->eap_get_session = SSL_CTX_sess_get_get_cb(ssl_ctx);
	if (hook->eap_get_session) SSL_CTX_sess_set_get_cb(ssl_ctx, get_decided_session);
	hook->eap_new_session = SSL_CTX_sess_get_new_cb(ssl_ctx);
	if (hook->eap_new_session) SSL_CTX_sess_set_new_cb(ssl_ctx, seal_new_session);
	return hook;
}

void hook_replace(phonecert_hook_t *hook, phonecert_generation_t *generation)
{
	phonecert_generation_t *old;

	pthread_mutex_lock(&hook->mutex);
	old = hook->current;
	hook->current = generation;
	old->retired = true;
	if (old->users > 0) old = NULL;		/* its last user frees it */
	pthread_mutex_unlock(&hook->mutex);
	generation_free(old);
}

phonecert_generation_t *hook_acquire(phonecert_hook_t *hook)
{
	phonecert_generation_t *generation;

	pthread_mutex_lock(&hook->mutex);
	generation = hook->current;
	generation->users++;
	pthread_mutex_unlock(&hook->mutex);
	return generation;
}

void hook_release(phonecert_hook_t *hook, phonecert_generation_t *generation)
{
	bool last;

	pthread_mutex_lock(&hook->mutex);
	last = --generation->users == 0 && generation->retired;
	pthread_mutex_unlock(&hook->mutex);
	if (last) generation_free(generation);
}
