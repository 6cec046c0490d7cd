/*
 * sha256.h - SHA-256 (FIPS 180-4), for content hashes of codebook versions.
 *
 * Only what a content hash needs: the digest of a buffer, as raw bytes or as
 * 64 lowercase hex digits. Not for secrets (no constant-time care needed:
 * the input is a taxonomy file).
 */
#ifndef ISSUEMINE_SHA256_H
#define ISSUEMINE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN    65 /* 64 hex digits and the NUL */

void sha256(const void *data, size_t len, uint8_t out[SHA256_DIGEST_LEN]);

/* The digest of data as lowercase hex into out. */
void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN]);

#endif
