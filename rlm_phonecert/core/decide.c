/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "decide.h"

/* pc_facts, the policy's input, is composed here and nowhere else. */
static void facts_of_session(pc_session_facts const *cached, pc_switch_report const *reported, pc_facts *facts)
{
	*facts = (pc_facts) {
		.cert_type = pc_cert_type_parse(cached->cert_type),
		.anchor_name = cached->anchor_name,
		.anchor_fingerprint = cached->anchor_fingerprint,
		.common_name = cached->common_name,
		.mac = cached->mac,
		.calling_station_id = reported->calling_station_id,
		.user_name = reported->user_name,
		.serial = cached->serial,
	};
}

/* What moment 2 would find cached of a certificate moment 1 just accepted. */
static void session_of_result(pc_result const *result, pc_session_facts *cached)
{
	*cached = (pc_session_facts) {
		.cert_type = pc_cert_type_name(result->cert_type),
		.anchor_name = result->anchor ? pc_anchor_name(result->anchor) : NULL,
		.anchor_fingerprint = result->anchor_fingerprint,
		.common_name = result->identity.cn,
		.mac = result->identity.has_device ? result->identity.mac : NULL,
		.serial = result->serial,
	};
}

/* After trust accepted: the policy on the same facts as the session will cache. False when it refuses. */
static bool policy_accepts(pc_trust const *trust, pc_policy const *policy, pc_switch_report const *reported,
			   time_t now, pc_result *result)
{
	pc_session_facts cached;
	pc_switch_report own;

	session_of_result(result, &cached);
	if (!reported) {
		own = (pc_switch_report) { .calling_station_id = cached.mac, .user_name = cached.common_name };
		reported = &own;
	}
	if (pc_decide_session(trust, policy, &cached, reported, now, result->reason, sizeof(result->reason),
			      &result->hint)) return true;
	result->verdict = PC_VERDICT_REJECT;
	return false;
}

pc_verdict pc_decide_certificate(pc_trust const *trust, pc_policy const *policy, X509_STORE_CTX *ctx,
				 pc_switch_report const *reported, time_t now, pc_result *result)
{
	if (pc_verify(trust, &policy->verify, ctx, now, result) != PC_VERDICT_ACCEPT) return result->verdict;
	if (!policy_accepts(trust, policy, reported, now, result)) {
		X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
	}
	return result->verdict;
}

pc_verdict pc_decide_chain(pc_trust const *trust, pc_policy const *policy, X509 *cert, STACK_OF(X509) *chain,
			   pc_switch_report const *reported, time_t now, pc_result *result)
{
	if (pc_verify_chain(trust, &policy->verify, cert, chain, now, result) == PC_VERDICT_ACCEPT) {
		policy_accepts(trust, policy, reported, now, result);
	}
	return result->verdict;
}

bool pc_decide_session(pc_trust const *trust, pc_policy const *policy, pc_session_facts const *cached,
		       pc_switch_report const *reported, time_t now, char *reason, size_t len, char const **hint)
{
	pc_facts facts;

	facts_of_session(cached, reported, &facts);
	return pc_policy_check(policy, trust, &facts, now, reason, len, hint);
}
