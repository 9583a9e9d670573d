/*
 * SHA-256 for `ken-store verify` in batches (issue 18; SPEC §8: 5 M entries in < 10 s on 2 cores).
 * Node's crypto.hash() costs ~0.5 us of call and EVP overhead per digest, more than SHA-256 itself
 * takes over a 620-byte entry on a CPU with SHA extensions; verify makes three digests per entry
 * (chain, leaf, ~one tree node). These functions make a whole block's, or a whole tile's, in one call
 * with the one-shot low-level SHA-256 of the OpenSSL that Node itself links (no context allocated).
 * The bytes are those of server/src/log/merkle/hash.ts and store/log-block.ts.
 */
#include <node_api.h>
#include "../napi-args.h"
#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <string.h>

#define HASH 32

/*
 * SHA-256 over a ‖ b with the low-level calls: OpenSSL 3's one-shot SHA256() goes through
 * EVP_Q_digest, which fetches the algorithm by name under a lock on every call (measured: half the
 * time of a 65-byte digest).
 */
static void sha256_of (const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length, uint8_t *out) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, a, a_length);
  if (b_length > 0) SHA256_Update(&context, b, b_length);
  SHA256_Final(out, &context);
}

/*
 * frames(block, spans, count, last, leaves) -> number
 * For frame i < count, whose hashed region is block[spans[2i], spans[2i+1]) = prev_hash ‖ entry, in
 * order up to the first whose prev_hash is not frame i-1's chain hash SHA-256(prev_hash ‖ entry)
 * (store/log-block.ts): leaves[32i, +32) = SHA-256(0x00 ‖ entry), its Merkle leaf (RFC 9162 §2.1.1),
 * unless leaves is empty (a walk without the tree). Returns the number of frames so hashed (count
 * when every frame links to the one before it), and writes the last one's chain hash to last[0, 32).
 */
static napi_value frames (napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint8_t *block, *last, *leaves;
  int32_t *spans;
  size_t block_length, spans_length, last_length, leaves_length;
  uint32_t count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) return fail(env, "frames(block, spans, count, last, leaves)");
  if (!elements_of(env, argv[0], napi_uint8_array, (void **)&block, &block_length) || !elements_of(env, argv[1], napi_int32_array, (void **)&spans, &spans_length) || napi_get_value_uint32(env, argv[2], &count) != napi_ok || !elements_of(env, argv[3], napi_uint8_array, (void **)&last, &last_length) || !elements_of(env, argv[4], napi_uint8_array, (void **)&leaves, &leaves_length)) return fail(env, "frames(Uint8Array, Int32Array, count, Uint8Array, Uint8Array)");
  int with_leaves = leaves_length > 0;
  if ((size_t)count * 2 > spans_length || last_length < HASH || (with_leaves && (size_t)count * HASH > leaves_length)) return fail(env, "count exceeds spans or leaves, or last is short");
  for (uint32_t i = 0; i < count; i++) {
    int32_t start = spans[2 * i], end = spans[2 * i + 1];
    if (start < 0 || (int64_t)end < (int64_t)start + HASH || (size_t)end > block_length) return fail(env, "a span lies outside its block");
  }
  static const uint8_t zero = 0x00;
  uint8_t chain[HASH];
  uint32_t i = 0;
  for (; i < count; i++) {
    const uint8_t *frame = block + spans[2 * i];
    size_t length = (size_t)(spans[2 * i + 1] - spans[2 * i]);
    if (i > 0 && memcmp(frame, chain, HASH) != 0) break;
    sha256_of(frame, length, NULL, 0, chain);
    if (with_leaves) sha256_of(&zero, 1, frame + HASH, length - HASH, leaves + (size_t)i * HASH);
  }
  if (i > 0) memcpy(last, chain, HASH);
  napi_value result;
  napi_create_uint32(env, i, &result);
  return result;
}

/*
 * subtree(leaves, offset, size, out, outOffset)
 * out[outOffset, +32) = the root of the complete subtree over the `size` (a power of two) 32-byte
 * leaf hashes at leaves[offset, offset + 32·size): MTH with nodes SHA-256(0x01 ‖ left ‖ right)
 * (RFC 9162 §2.1.1). Works level by level in a copy of the leaves.
 */
static napi_value subtree (napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint8_t *leaves, *out;
  size_t leaves_length, out_length;
  uint32_t offset, size, out_offset;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) return fail(env, "subtree(leaves, offset, size, out, outOffset)");
  if (!elements_of(env, argv[0], napi_uint8_array, (void **)&leaves, &leaves_length) || napi_get_value_uint32(env, argv[1], &offset) != napi_ok || napi_get_value_uint32(env, argv[2], &size) != napi_ok || !elements_of(env, argv[3], napi_uint8_array, (void **)&out, &out_length) || napi_get_value_uint32(env, argv[4], &out_offset) != napi_ok) return fail(env, "subtree(Uint8Array, offset, size, Uint8Array, outOffset)");
  if (size == 0 || size > 4096 || (size & (size - 1)) != 0) return fail(env, "size must be a power of two up to 4096");
  if ((size_t)offset + (size_t)size * HASH > leaves_length || (size_t)out_offset + HASH > out_length) return fail(env, "offset or size exceeds a buffer");
  /* Node input 0x01 ‖ left ‖ right, then the level above written over the front of the work area. */
  static __thread uint8_t work[4096 * HASH];
  memcpy(work, leaves + offset, (size_t)size * HASH);
  uint8_t input[1 + 2 * HASH];
  input[0] = 0x01;
  for (uint32_t n = size; n > 1; n /= 2) {
    for (uint32_t i = 0; i < n / 2; i++) {
      memcpy(input + 1, work + (size_t)i * 2 * HASH, 2 * HASH);
      sha256_of(input, sizeof input, NULL, 0, work + (size_t)i * HASH);
    }
  }
  memcpy(out + out_offset, work, HASH);
  return NULL;
}

/*
 * tokens(secrets, messages, spans, count, out, outOffset)
 * The blind indexes of store/blind-index.ts, many in one call (the index worker makes ~9 per update,
 * index-worker.ts). secrets = index key ‖ search key (32 bytes each). For item i < count, whose message
 * is messages[spans[3i], spans[3i+1]) and kind spans[3i+2]:
 *   kind 0: HMAC-SHA-256(index key, message) (RFC 2104), its inner and outer pads hashed once per call
 *           and their states copied per item (one compression less on each side);
 *   kind 1: SHA-256(search key ‖ message);
 * out[outOffset + 16i, +16) = the first 16 bytes (layout.ts TOKEN_BYTES). The pads and the states are
 * wiped before returning.
 */
#define TOKEN 16
static napi_value tokens (napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  uint8_t *secrets, *messages, *out;
  int32_t *spans;
  size_t secrets_length, messages_length, spans_length, out_length;
  uint32_t count, out_offset;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 6) return fail(env, "tokens(secrets, messages, spans, count, out, outOffset)");
  if (!elements_of(env, argv[0], napi_uint8_array, (void **)&secrets, &secrets_length) || !elements_of(env, argv[1], napi_uint8_array, (void **)&messages, &messages_length) || !elements_of(env, argv[2], napi_int32_array, (void **)&spans, &spans_length) || napi_get_value_uint32(env, argv[3], &count) != napi_ok || !elements_of(env, argv[4], napi_uint8_array, (void **)&out, &out_length) || napi_get_value_uint32(env, argv[5], &out_offset) != napi_ok) return fail(env, "tokens(Uint8Array, Uint8Array, Int32Array, count, Uint8Array, outOffset)");
  if (secrets_length != 2 * HASH) return fail(env, "secrets must be 64 bytes");
  if ((size_t)count * 3 > spans_length || (size_t)out_offset + (size_t)count * TOKEN > out_length) return fail(env, "count exceeds spans or out");
  for (uint32_t i = 0; i < count; i++) {
    int32_t start = spans[3 * i], end = spans[3 * i + 1], kind = spans[3 * i + 2];
    if (start < 0 || end < start || (size_t)end > messages_length) return fail(env, "a span lies outside the messages");
    if (kind != 0 && kind != 1) return fail(env, "a kind is neither 0 (HMAC) nor 1 (search)");
  }
  uint8_t pad[64], digest[HASH];
  SHA256_CTX inner, outer, search, work;
  memset(pad, 0x36, sizeof pad);
  for (int i = 0; i < HASH; i++) pad[i] ^= secrets[i];
  SHA256_Init(&inner);
  SHA256_Update(&inner, pad, sizeof pad);
  memset(pad, 0x5c, sizeof pad);
  for (int i = 0; i < HASH; i++) pad[i] ^= secrets[i];
  SHA256_Init(&outer);
  SHA256_Update(&outer, pad, sizeof pad);
  SHA256_Init(&search);
  SHA256_Update(&search, secrets + HASH, HASH);
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *message = messages + spans[3 * i];
    size_t length = (size_t)(spans[3 * i + 1] - spans[3 * i]);
    work = spans[3 * i + 2] == 0 ? inner : search;
    SHA256_Update(&work, message, length);
    SHA256_Final(digest, &work);
    if (spans[3 * i + 2] == 0) {
      work = outer;
      SHA256_Update(&work, digest, HASH);
      SHA256_Final(digest, &work);
    }
    memcpy(out + out_offset + (size_t)i * TOKEN, digest, TOKEN);
  }
  OPENSSL_cleanse(pad, sizeof pad);
  OPENSSL_cleanse(digest, sizeof digest);
  OPENSSL_cleanse(&inner, sizeof inner);
  OPENSSL_cleanse(&outer, sizeof outer);
  OPENSSL_cleanse(&search, sizeof search);
  OPENSSL_cleanse(&work, sizeof work);
  return NULL;
}

/*
 * digests(messages, spans, count, out, outOffset)
 * out[outOffset + 32i, +32) = SHA-256(messages[spans[2i], spans[2i+1])) for i < count: the gateway's
 * payload digests (AppendItem.payload_sha256, store.proto), every element of a batch PUBLISH and the
 * batch itself in one call (gateway/src/payload-digests.ts). Every span and the output are checked
 * before anything is written.
 */
static napi_value digests (napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint8_t *messages, *out;
  int32_t *spans;
  size_t messages_length, spans_length, out_length;
  uint32_t count, out_offset;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) return fail(env, "digests(messages, spans, count, out, outOffset)");
  if (!elements_of(env, argv[0], napi_uint8_array, (void **)&messages, &messages_length) || !elements_of(env, argv[1], napi_int32_array, (void **)&spans, &spans_length) || napi_get_value_uint32(env, argv[2], &count) != napi_ok || !elements_of(env, argv[3], napi_uint8_array, (void **)&out, &out_length) || napi_get_value_uint32(env, argv[4], &out_offset) != napi_ok) return fail(env, "digests(Uint8Array, Int32Array, count, Uint8Array, outOffset)");
  if ((size_t)count * 2 > spans_length || (size_t)out_offset + (size_t)count * HASH > out_length) return fail(env, "count exceeds spans or out");
  for (uint32_t i = 0; i < count; i++) {
    int32_t start = spans[2 * i], end = spans[2 * i + 1];
    if (start < 0 || end < start || (size_t)end > messages_length) return fail(env, "a span lies outside the messages");
  }
  for (uint32_t i = 0; i < count; i++) {
    sha256_of(messages + spans[2 * i], (size_t)(spans[2 * i + 1] - spans[2 * i]), NULL, 0, out + out_offset + (size_t)i * HASH);
  }
  return NULL;
}

NAPI_MODULE_INIT () {
  napi_value fn;
  napi_create_function(env, "frames", NAPI_AUTO_LENGTH, frames, NULL, &fn);
  napi_set_named_property(env, exports, "frames", fn);
  napi_create_function(env, "subtree", NAPI_AUTO_LENGTH, subtree, NULL, &fn);
  napi_set_named_property(env, exports, "subtree", fn);
  napi_create_function(env, "tokens", NAPI_AUTO_LENGTH, tokens, NULL, &fn);
  napi_set_named_property(env, exports, "tokens", fn);
  napi_create_function(env, "digests", NAPI_AUTO_LENGTH, digests, NULL, &fn);
  napi_set_named_property(env, exports, "digests", fn);
  return exports;
}
