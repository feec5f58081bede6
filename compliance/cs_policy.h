/*
 * cs_policy.h: the egress policy clinsum's web app serves, defined once.
 *
 * The local server sends CS_CONTENT_SECURITY_POLICY on every response and
 * the audit export quotes the same string in its egress attestation, so the
 * two cannot drift apart.  connect-src 'self' means the page can reach only
 * the origin that served it; 'wasm-unsafe-eval' allows compiling the WASM
 * module and nothing else (no eval of JavaScript).
 */
#ifndef CS_POLICY_H
#define CS_POLICY_H

#define CS_CONTENT_SECURITY_POLICY                                                          \
    "default-src 'self'; connect-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "      \
    "object-src 'none'; base-uri 'none'; form-action 'none'"

#endif
