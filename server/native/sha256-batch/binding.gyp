{
  "targets": [{
    "target_name": "sha256_batch",
    "sources": ["sha256_batch.c"],
    "cflags": ["-O2", "-Wall", "-Wextra"],
    "defines": ["OPENSSL_SUPPRESS_DEPRECATED"]
  }]
}
