#!/usr/bin/env bash
# Install Debian packages the suite needs (Chromium for browser tests, gettext for the
# catalogues) when they are missing. Never downloads a browser build of its own.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "Need root to install: $* (run: sudo apt-get install -y $*)" >&2
  exit 1
fi
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
  apt-get update -qq
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
