{
  "targets": [{
    "target_name": "aes_gcm_batch",
    "sources": ["aes_gcm_batch.c"],
    "cflags": ["-O2", "-Wall", "-Wextra"]
  }]
}
