#!/usr/bin/env bash
# Browser test of "simdkern serve": installs Debian's Chromium when it is
# missing, then runs page_test.go, which builds the command from this
# checkout, serves on a free loopback port, draws digits in headless
# Chromium with mouse, pen and touch, checks what the page shows, saves a
# screenshot and stops the server.
#
#   run.sh [SCREENSHOT.png]   (default: ${TMPDIR:-/tmp}/simdkern-browsertest/page.png)
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq chromium >/dev/null
fi
shot=${1:-${TMPDIR:-/tmp}/simdkern-browsertest/page.png}
mkdir -p "$(dirname "$shot")"
go test -count=1 -timeout 100s -v . -args -chromium "$(command -v chromium)" -screenshot "$shot"
