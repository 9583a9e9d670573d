#!/usr/bin/env bash
# Builds the sha256-batch addon (sha256_batch.c) that `ken-store verify` loads when it is there
# (server/src/log/merkle/sha256-batch.ts; issue 18: one call per block and per tile instead of three
# node:crypto calls per entry), and that the index worker loads for the blind indexes (store/blind-index.ts:
# one call per request instead of ~13 node:crypto calls per update), and that the gateway loads for its payload
# digests (gateway/src/payload-digests.ts: one call per PUBLISH, a batch's elements and the batch together). Without it each runs the same digests on
# node:crypto, slower.
# Run after `npm ci`; what it needs: ../build-addon.sh.
set -euo pipefail
exec bash "$(dirname "$0")/../build-addon.sh" "$(dirname "$0")" sha256_batch frames subtree tokens digests
