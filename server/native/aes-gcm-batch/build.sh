#!/usr/bin/env bash
# Builds the aes-gcm-batch addon (aes_gcm_batch.c) that the store seals and opens with when it is
# there (server/src/store/aes-gcm-batch.ts; issue 18: one native call per batch of values instead of a
# node:crypto cipher object and ~6 buffers per value). Without it the store seals the same bytes on
# node:crypto, slower. Run after `npm ci`; what it needs: ../build-addon.sh.
set -euo pipefail
exec bash "$(dirname "$0")/../build-addon.sh" "$(dirname "$0")" aes_gcm_batch seal open
