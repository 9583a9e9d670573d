/*
 * What the store's native addons (one folder each under server/native/) share to read their arguments: a bad argument is a
 * caller's bug, thrown as Node throws its own (a RangeError, ERR_INVALID_ARG_VALUE), and a typed-array
 * argument is read as its elements and their count.
 */
#ifndef KEN_NAPI_ARGS_H
#define KEN_NAPI_ARGS_H
#include <node_api.h>

static napi_value fail (napi_env env, const char *message) {
  napi_throw_range_error(env, "ERR_INVALID_ARG_VALUE", message);
  return NULL;
}

/* A typed array argument of `type` (a Buffer is a Uint8Array): its elements and their count. */
static int elements_of (napi_env env, napi_value value, napi_typedarray_type type, void **data, size_t *length) {
  napi_typedarray_type actual;
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &actual, length, data, &buffer, &offset) == napi_ok && actual == type;
}
#endif
