/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FreeRADIUS side of rlm_phonecert (module/): what its files share.
 * Include after <freeradius/radiusd.h>.
 *
 *   rlm_phonecert.c  configuration -> trust set and policy; life cycle, HUP
 *   hook.c           the hook on eap's SSL_CTX and the HUP-safe swap
 *   fleet_blocklist.c the fleet block list's reader thread (fleet_block_list)
 *   handshake.c      the certificate-verify callback: asks the core, records the answer
 *   post_auth.c      re-applies the policy (resumed sessions), one log line per phone
 *   attributes.c     the Phonecert-* attributes
 *   session_seal.c   the fleet's seal on cached TLS sessions (fleet_secret_file)
 *   session_parts.c  a TLS session in parts, for the tls-cache site's rlm_cache
 */
#ifndef PHONECERT_MODULE_H
#define PHONECERT_MODULE_H

#include <openssl/ssl.h>

#include "../core/core.h"

/* A trust set and policy loaded from one configuration; a HUP replaces it as a whole. */
typedef struct {
	pc_trust	*trust;
	pc_policy	policy;		/* policy.blocklist is blocklist */
	pc_blocklist	*blocklist;	/* block_file, or NULL */
	pc_keyring	*keyring;	/* fleet_secret_file, or NULL: sessions are neither sealed nor checked */
	unsigned int	users;		/* handshakes and post-auths using it right now */
	bool		retired;	/* replaced by a newer one: its last user frees it */
} phonecert_generation_t;

/*
 * The hook on one eap SSL_CTX. eap is never re-instantiated, so its SSL_CTX
 * (and our callback on it) lives as long as the server, while HUP replaces
 * module instances: the hook belongs to neither and lives as long as the SSL_CTX.
 */
typedef struct phonecert_hook phonecert_hook_t;

/* hook.c */
phonecert_hook_t *hook_find(char const *instance_name);
phonecert_hook_t *hook_install(SSL_CTX *ssl_ctx, char const *instance_name, char const *eap_name,
			       char const *tls_config_name, fr_tls_server_conf_t const *tls_conf,
			       phonecert_generation_t *generation, char *err, size_t len);
bool hook_same_eap(phonecert_hook_t const *hook, char const *eap_name, char const *tls_config_name);
bool hook_resumes_sessions(phonecert_hook_t const *hook);
/* Whether request runs in eap's tls-cache virtual server (cache { virtual_server = }). */
bool hook_in_cache_server(phonecert_hook_t const *hook, REQUEST const *request);
void hook_replace(phonecert_hook_t *hook, phonecert_generation_t *generation);
phonecert_generation_t *hook_acquire(phonecert_hook_t *hook);
void hook_release(phonecert_hook_t *hook, phonecert_generation_t *generation);
void generation_free(phonecert_generation_t *generation);

/* handshake.c: installed with SSL_CTX_set_cert_verify_callback(), arg is the hook. */
int handshake_verify_cert(X509_STORE_CTX *ctx, void *arg);

/* post_auth.c: log_accepts false leaves the log line out for accepted phones (but those a mic_* waiver let in). */
rlm_rcode_t post_auth_phone(phonecert_hook_t *hook, REQUEST *request, bool log_accepts);

#endif
