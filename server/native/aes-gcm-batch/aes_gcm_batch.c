/*
 * AES-256-GCM sealing and opening for the store, many values per call (issue 18; SPEC §2.5, §4).
 * Node's cipher API makes a cipher object and about six buffers per value (createCipheriv, setAAD,
 * update, final, getAuthTag), which cost the store's main thread more than AES itself over a record
 * of a few hundred bytes. These functions seal or open `count` values laid out by spans over a few
 * buffers, with the AES-256-GCM of the OpenSSL that Node itself links: the cipher fetched once per
 * thread (OpenSSL 3 fetches by name under a lock at each init that names it otherwise) and one
 * context per call, reset — its key schedule cleansed — before the call returns, so no key outlives
 * it here. The bytes are those of store/sealing.ts on node:crypto: nonce (12) ‖ ciphertext ‖ tag (16).
 */
#include <node_api.h>
#include "../napi-args.h"
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <string.h>

#define KEY 32
#define NONCE 12
#define TAG 16
/* int32 per value in `spans`: key, aad, aad length, input, input length, output (offsets in their buffers). */
#define FIELDS 6

/* [start, start + length) lies inside a buffer of `size` bytes (64-bit: no int32 overflow). */
static int inside (int32_t start, int64_t length, size_t size) {
  return start >= 0 && length >= 0 && (uint64_t)start + (uint64_t)length <= (uint64_t)size;
}

/* Regions that overlap without being the same: OpenSSL's GCM works in place, not on a shifted copy. */
static int shifted (const uint8_t *a, const uint8_t *b, size_t length) {
  return a != b && a < b + length && b < a + length;
}

/* The thread's fetched AES-256-GCM (an environment is one thread: the main thread or a worker's). */
static void drop_cipher (napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  EVP_CIPHER_free((EVP_CIPHER *)data);
}

static EVP_CIPHER *cipher_of (napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) == napi_ok && data != NULL) return (EVP_CIPHER *)data;
  EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
  if (cipher == NULL) return NULL;
  if (napi_set_instance_data(env, cipher, drop_cipher, NULL) != napi_ok) { EVP_CIPHER_free(cipher); return NULL; }
  return cipher;
}

/* The arguments both functions take, checked: every span inside its buffer before any byte is read. */
typedef struct {
  uint8_t *keys, *aads, *input, *output, *status;
  size_t keys_length, aads_length, input_length, output_length, status_length;
  int32_t *spans;
  size_t spans_length;
  uint32_t count;
} batch_args;

/*
 * NULL when every span lies inside its buffer, else what does not. Sealing, a value's output region
 * is nonce ‖ ciphertext ‖ tag (input length + 28) with the nonce already written by the caller;
 * opening, it is the plaintext (input length − 28).
 */
static const char *check (batch_args *a, int opening) {
  if ((size_t)a->count * FIELDS > a->spans_length) return "count exceeds spans";
  if (opening && a->count > a->status_length) return "count exceeds status";
  for (uint32_t i = 0; i < a->count; i++) {
    const int32_t *s = a->spans + (size_t)i * FIELDS;
    int64_t in_length = s[4];
    int64_t out_length = opening ? in_length - NONCE - TAG : NONCE + in_length + TAG;
    if (!inside(s[0], KEY, a->keys_length)) return "a key lies outside its buffer";
    if (!inside(s[1], s[2], a->aads_length)) return "an aad lies outside its buffer";
    if (!inside(s[3], in_length, a->input_length)) return "an input lies outside its buffer";
    if (out_length < 0) return "a sealed value is shorter than its nonce and tag";
    if (!inside(s[5], out_length, a->output_length)) return "an output lies outside its buffer";
    const uint8_t *in = a->input + s[3] + (opening ? NONCE : 0);
    uint8_t *out = a->output + s[5] + (opening ? 0 : NONCE);
    if (shifted(in, out, (size_t)(opening ? out_length : in_length))) return "an output overlaps its input shifted";
  }
  return NULL;
}

/*
 * The key to initialise value i with, or NULL when it is value i-1's: the context keeps the key
 * schedule and only the nonce is set again (a batch of data keys wrapped under one key-wrap key).
 */
static const uint8_t *rekey (const batch_args *a, uint32_t i) {
  const uint8_t *key = a->keys + a->spans[(size_t)i * FIELDS];
  if (i == 0) return key;
  const uint8_t *previous = a->keys + a->spans[(size_t)(i - 1) * FIELDS];
  return previous == key || CRYPTO_memcmp(previous, key, KEY) == 0 ? NULL : key;
}

static int read_args (napi_env env, napi_callback_info info, batch_args *a, int opening) {
  size_t argc = 7;
  napi_value argv[7];
  memset(a, 0, sizeof *a);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < (size_t)(opening ? 7 : 6)) return 0;
  return elements_of(env, argv[0], napi_uint8_array, (void **)&a->keys, &a->keys_length) &&
    elements_of(env, argv[1], napi_uint8_array, (void **)&a->aads, &a->aads_length) &&
    elements_of(env, argv[2], napi_uint8_array, (void **)&a->input, &a->input_length) &&
    elements_of(env, argv[3], napi_uint8_array, (void **)&a->output, &a->output_length) &&
    elements_of(env, argv[4], napi_int32_array, (void **)&a->spans, &a->spans_length) &&
    napi_get_value_uint32(env, argv[5], &a->count) == napi_ok &&
    (!opening || elements_of(env, argv[6], napi_uint8_array, (void **)&a->status, &a->status_length));
}

/*
 * seal(keys, aads, plain, out, spans, count)
 * For value i with spans[6i..6i+6) = key, aad, aadLength, plain, plainLength, out:
 * out[out, +12) holds its nonce (the caller's); writes out[out+12, +plainLength) = the ciphertext of
 * plain[plain, +plainLength) under keys[key, +32) with aads[aad, +aadLength), and the tag after it.
 */
static napi_value seal_batch (napi_env env, napi_callback_info info) {
  batch_args a;
  if (!read_args(env, info, &a, 0)) return fail(env, "seal(Uint8Array keys, Uint8Array aads, Uint8Array plain, Uint8Array out, Int32Array spans, count)");
  const char *bad = check(&a, 0);
  if (bad != NULL) return fail(env, bad);
  if (a.count == 0) return NULL;
  EVP_CIPHER *cipher = cipher_of(env);
  EVP_CIPHER_CTX *ctx = cipher == NULL ? NULL : EVP_CIPHER_CTX_new();
  if (ctx == NULL) { napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-256-GCM is not available"); return NULL; }
  int ok = 1;
  for (uint32_t i = 0; i < a.count && ok; i++) {
    const int32_t *s = a.spans + (size_t)i * FIELDS;
    uint8_t *out = a.output + s[5];
    int length = 0, last = 0;
    ok = EVP_EncryptInit_ex2(ctx, i == 0 ? cipher : NULL, rekey(&a, i), out, NULL) == 1 &&
      (s[2] == 0 || EVP_EncryptUpdate(ctx, NULL, &length, a.aads + s[1], s[2]) == 1) &&
      (s[4] == 0 || EVP_EncryptUpdate(ctx, out + NONCE, &length, a.input + s[3], s[4]) == 1) &&
      EVP_EncryptFinal_ex(ctx, out + NONCE + s[4], &last) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG, out + NONCE + s[4]) == 1;
  }
  EVP_CIPHER_CTX_free(ctx); /* resets: the key schedule and GCM state cleansed */
  if (!ok) napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-256-GCM failed");
  return NULL;
}

/*
 * open(keys, aads, sealed, out, spans, count, status) -> failures
 * For value i with spans[6i..6i+6) = key, aad, aadLength, sealed, sealedLength, out: when its tag
 * holds, out[out, +sealedLength-28) = its plaintext and status[i] = 1; else status[i] = 0 and that
 * region is zeroed (no unauthenticated plaintext is handed out). Returns how many failed.
 */
static napi_value open_batch (napi_env env, napi_callback_info info) {
  batch_args a;
  if (!read_args(env, info, &a, 1)) return fail(env, "open(Uint8Array keys, Uint8Array aads, Uint8Array sealed, Uint8Array out, Int32Array spans, count, Uint8Array status)");
  const char *bad = check(&a, 1);
  if (bad != NULL) return fail(env, bad);
  uint32_t failures = 0;
  if (a.count > 0) {
    EVP_CIPHER *cipher = cipher_of(env);
    EVP_CIPHER_CTX *ctx = cipher == NULL ? NULL : EVP_CIPHER_CTX_new();
    if (ctx == NULL) { napi_throw_error(env, "ERR_CRYPTO_OPERATION_FAILED", "AES-256-GCM is not available"); return NULL; }
    for (uint32_t i = 0; i < a.count; i++) {
      const int32_t *s = a.spans + (size_t)i * FIELDS;
      const uint8_t *sealed = a.input + s[3];
      int text = s[4] - NONCE - TAG, length = 0, last = 0;
      uint8_t *out = a.output + s[5];
      /* The tag is copied: EVP_CTRL_GCM_SET_TAG takes a non-const pointer. */
      uint8_t tag[TAG];
      memcpy(tag, sealed + NONCE + text, TAG);
      int ok = EVP_DecryptInit_ex2(ctx, i == 0 ? cipher : NULL, rekey(&a, i), sealed, NULL) == 1 &&
        (s[2] == 0 || EVP_DecryptUpdate(ctx, NULL, &length, a.aads + s[1], s[2]) == 1) &&
        (text == 0 || EVP_DecryptUpdate(ctx, out, &length, sealed + NONCE, text) == 1) &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG, tag) == 1 &&
        EVP_DecryptFinal_ex(ctx, out + text, &last) == 1;
      a.status[i] = ok ? 1 : 0;
      if (!ok) {
        failures++;
        OPENSSL_cleanse(out, (size_t)text);
      }
    }
    EVP_CIPHER_CTX_free(ctx);
  }
  napi_value result;
  napi_create_uint32(env, failures, &result);
  return result;
}

NAPI_MODULE_INIT () {
  napi_value fn;
  napi_create_function(env, "seal", NAPI_AUTO_LENGTH, seal_batch, NULL, &fn);
  napi_set_named_property(env, exports, "seal", fn);
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, open_batch, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  return exports;
}
