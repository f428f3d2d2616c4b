#!/bin/sh
# Install what the multi-language sandbox needs from the OS packages, only what is missing.
# As root on a Debian-like system it runs apt-get; otherwise it prints the one command to run.
# Idempotent: a second run finds everything and does nothing.
# SANDBOX_DEPS_STRICT=1 makes a missing package that could not be installed an error (for CI).
set -eu

missing=""
add() { missing="$missing $1"; }
have() { command -v "$1" >/dev/null 2>&1; }
any() { for f in "$@"; do [ -x "$f" ] && return 0; done; return 1; }

have bwrap || add bubblewrap
have setpriv || add util-linux
have bash || add bash
have tar || add tar
have python3 || add python3
have node || add nodejs
have ruby || add ruby
have go || any /usr/lib/go-*/bin/go /usr/local/go/bin/go || add golang-go
have gcc || add gcc
have g++ || add g++
have javac || any /usr/lib/jvm/*/bin/javac || add default-jdk-headless
have rustc || any /root/.rustup/toolchains/*/bin/rustc || add rustc

if [ -z "$missing" ]; then
    echo "sandbox: all OS packages present (bubblewrap and the toolchains)"
    exit 0
fi

if [ "$(id -u 2>/dev/null || echo 1)" = 0 ] && have apt-get; then
    echo "sandbox: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    apt-get install -y -qq --no-install-recommends $missing
    exit 0
fi

echo "sandbox: missing OS packages:$missing"
echo "sandbox: install them with:  sudo apt-get install -y$missing"
echo "sandbox: until then the bridge runs with the languages that are present (see GET /api/runtimes)"
if [ "${SANDBOX_DEPS_STRICT:-0}" = 1 ]; then
    exit 1
fi
exit 0
