#!/usr/bin/env bash
# Installs Debian's chromium, which `pantau digest` uses to print the PDF and the
# digest tests use for a screenshot. Idempotent and never fatal: without chromium
# the digest still writes HTML and Markdown, and those tests skip.
set -u

if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then
    echo "chromium: already installed ($(command -v chromium || echo /usr/bin/chromium))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: not installed and no apt-get here; install Chromium by hand for PDF digests (HTML and Markdown still work)" >&2
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "chromium: not installed and not root; run 'apt-get install chromium' as root for PDF digests (HTML and Markdown still work)" >&2
        exit 0
    fi
fi

export DEBIAN_FRONTEND=noninteractive
install() { $SUDO apt-get install -y -q --no-install-recommends chromium; }

if ! install >/tmp/install-chromium.log 2>&1; then
    # A fresh machine has no package lists yet.
    echo "chromium: updating package lists"
    $SUDO apt-get update -q >>/tmp/install-chromium.log 2>&1 || true
    if ! install >>/tmp/install-chromium.log 2>&1; then
        echo "chromium: install failed (offline?), see /tmp/install-chromium.log; PDF digests and the screenshot test will be skipped" >&2
        exit 0
    fi
fi
echo "chromium: installed ($(command -v chromium))"
