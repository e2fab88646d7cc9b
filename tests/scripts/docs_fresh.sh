#!/usr/bin/env bash
# docs/rules.md must be what `kubearch rules -o markdown` prints (make docs).
set -eu
bin=$1
cd "$(dirname "$0")/../.."
if ! diff -u docs/rules.md <("$bin" rules -o markdown); then
    echo "docs/rules.md is stale: run 'make docs'" >&2
    exit 1
fi
