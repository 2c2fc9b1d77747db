/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The phone-certificate core: plain C over OpenSSL, with no FreeRADIUS
 * types, called by the module, the phonecert tool, the unit tests and the
 * fuzzers alike. This header includes every public header of the core and
 * writes down the conventions they share; read it first.
 *
 *   timeutil.h  RFC 3339 UTC times
 *   phone.h     what a phone certificate says: device name, MAC, model, PID/SN
 *   phonelist.h a CUCM phone list (its CSV export): the phones a cluster knows
 *   trust.h     the trust set: anchors, windows, CRLs, signers' fingerprints
 *   problem.h   a configuration problem (where, which anchor, what): one way to tell it
 *   decide.h    THE decision: trust then policy in the handshake, the policy again
 *               on what a session cached; everyone asks here
 *   verify.h    the trust decision on a client certificate and its chain
 *   fleetlist.h the fleet's block list: rows of its database, the local copy, the list in force
 *   policy.h    the rules for a verified phone: block list, window, mic, bindings
 *   blocklist.h the block list (block_file)
 *   seal.h      the fleet's seal on cached TLS sessions (fleet_secret_file)
 *   certreq.h   the CA names of the TLS CertificateRequest and their size
 *   text.h      untrusted text made safe to show; the one log line; pc_fail
 *   sqlescape.h text as FreeRADIUS' rlm_sql stores it in the inventory, and back
 *   suggest.h   "did you mean ...?" for misspelt options and sections
 *   writers.h   who can change the files the trust rests on (and read the fleet's secret)
 *   textfile.h  small files an admin writes, line by line
 *
 * Errors. A function that can fail returns -1, NULL or false, and says why in
 * words for an admin, in one of three places, written in its header:
 *   - an (err, len) buffer the caller passes: always NUL-terminated when len
 *     is not 0, cut to fit, never written past len (pc_fail fills it);
 *   - the object's own last error for the trust set (pc_trust_error());
 *   - for a configuration, each of its problems told to a pc_problem_fn
 *     (problem.h) with the file[line] of the section it is about, as
 *     pc_trust_build does: the one type every layer above tells them with.
 * A decision is not an error: the pc_decide_* functions return the verdict
 * and write the reason (and what to do) into the result they are given.
 * Messages name the section, file and option concerned.
 *
 * Time. "Now" is always an argument; the core never reads the clock, so
 * windows, expiry and CRL dates are testable without one.
 *
 * Threads. A sealed trust set, a policy and a block list are read-only and
 * may be shared between threads, but for the trust set's signer memory
 * (signer_memory.h): a bounded table of hints under its own lock, which can
 * only save a signature check, never accept; and the fleet block list in
 * force (fleetlist.h), which one thread replaces under a read-write lock.
 * Nothing in the core keeps global state.
 *
 * Strings. Everything a certificate, a request or a file says came from a
 * stranger: the core never prints it, and text.h escapes it for whoever does.
 *
 * Internals. trust_internal.h hands OpenSSL's types (the signers, the
 * anchors' certificate stacks and CRLs) to the core's own files and to the
 * tests and fuzzers that check them; pem.h (an anchor's PEM files) and
 * signer_memory.h serve trust.c alone. Nothing else includes them.
 */
#ifndef PHONECERT_CORE_H
#define PHONECERT_CORE_H

#include "blocklist.h"
#include "certreq.h"
#include "decide.h"
#include "fleetlist.h"
#include "phone.h"
#include "phonelist.h"
#include "policy.h"
#include "problem.h"
#include "seal.h"
#include "sqlescape.h"
#include "suggest.h"
#include "text.h"
#include "textfile.h"
#include "timeutil.h"
#include "trust.h"
#include "verify.h"
#include "writers.h"

#endif
