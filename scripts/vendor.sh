#!/usr/bin/env bash
# Refresh the vendored front-end builds in static/vendor/ from the npm registry.
#
# There is deliberately no JS build step: we fetch pinned, already-built release
# tarballs with `npm pack` (no install, no lifecycle scripts run), check each
# tarball against the sha512 integrity pinned below, and copy ONLY the built
# files plus each package's licence into static/vendor/<name>/. The result is
# committed, so neither CI nor production needs node/npm.
#
# Usage:  scripts/vendor.sh            (from anywhere; needs npm + python3)
# To upgrade a package: change its version, set its integrity to the output of
#   npm view <package>@<version> dist.integrity
# run the script, and review the diff of static/vendor/.
#
# (npm may print a harmless warning about the "nodedir" user config; ignore it.)
set -euo pipefail

# --- pinned versions -------------------------------------------------------

# htmx: pinned to the newest stable 2.x, NOT the 4.x line that is "latest" on npm.
# htmx 4 is a ground-up rewrite with breaking changes exactly where this site
# relies on htmx:
#   * attribute inheritance is explicit: hx-boost/hx-target/hx-headers on
#     <body> or a container no longer apply to descendants unless written as
#     hx-boost:inherited="true" (or the implicitInheritance compat flag is set);
#   * 4xx/5xx responses are swapped by default, so a Django error page would be
#     swapped into a boosted page / hx-post form target instead of being ignored;
#   * events are renamed (htmx:afterSwap -> htmx:after:swap, ...), hx-disable
#     changed meaning, the HX-Trigger request header became HX-Source, which is
#     what django-htmx (request.htmx.trigger) reads.
# 2.x is still maintained and is what django-htmx documents. Revisit once 4.x
# has matured and our templates/JS are migrated (htmx ships an upgrade checker).
# CSP note for templates: htmx 2 injects an inline <style> for .htmx-indicator
# unless told not to; with our strict style-src 'self' put
#   <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>
# in <head> (site.css provides the .htmx-indicator rules instead).
HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

# Utrecht component library CSS (EUPL-1.2): .utrecht-* component classes that
# read --utrecht-* custom properties. 9.x ships no minified build; dist/index.css
# (~400 kB, ~40 kB gzipped by whitenoise) is the single complete build.
UTRECHT_CSS_PKG="@utrecht/component-library-css"
UTRECHT_CSS_VERSION="9.0.4"
UTRECHT_CSS_INTEGRITY="sha512-gVA7D6GfP9/+fzehkYLSBR+0UPUTA97PZmgvTYQE88lPQhHGMlUk8FjmCpLKRsRC9hAYd32JuF/KzG6fmBfjJA=="

# Design tokens: NOT @utrecht/design-tokens. That package's LICENSE.md reads
# "Copyright (c) 2021 Gemeente Utrecht. All rights reserved. The open source
# license does NOT apply to files in this directory. These are proprietary
# assets to Gemeente Utrecht." -- we may not redistribute it, and it is the
# Utrecht municipal brand, not ours. Instead we vendor NL Design System's own
# neutral example theme ("Voorbeeld", EUPL-1.2), whose dist/variables.css
# declares the --utrecht-* (and --basis-*/--nl-*) custom properties on :root,
# so the component CSS above renders sensibly. static/css/site.css then sets
# the Leerkring brand by overriding the relevant --utrecht-* tokens with --lk-*.
TOKENS_PKG="@nl-design-system-unstable/voorbeeld-design-tokens"
TOKENS_VERSION="7.4.1"
TOKENS_INTEGRITY="sha512-GNnapAn2mTIzXRcCvs0JMr4Bf9+ivUJ3zFBJLRT1SYpAYm2xPwptVxIM3k4WLJ0c59E9FfxsEBPJluGuAHUVvg=="

# Upper bound for everything under static/vendor/ (bytes).
MAX_VENDOR_BYTES=$((1536 * 1024))

# ---------------------------------------------------------------------------

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

command -v npm >/dev/null || { echo "vendor.sh: npm is required" >&2; exit 1; }
command -v python3 >/dev/null || { echo "vendor.sh: python3 is required" >&2; exit 1; }

# fetch PKG VERSION INTEGRITY -> prints the directory of the unpacked package
fetch() {
    local pkg="$1" version="$2" integrity="$3"
    local dest="$TMP/$(echo "$pkg" | tr '@/' '__')"
    mkdir -p "$dest"
    local tarball
    tarball="$(cd "$dest" && npm pack --loglevel=error --ignore-scripts "$pkg@$version" 2>"$dest.err" | tail -n 1)" || true
    if [[ -z "$tarball" || ! -f "$dest/$tarball" ]]; then
        echo "vendor.sh: npm pack $pkg@$version failed:" >&2
        cat "$dest.err" >&2
        exit 1
    fi
    local actual
    actual="sha512-$(python3 -c 'import base64,hashlib,sys; print(base64.b64encode(hashlib.sha512(open(sys.argv[1],"rb").read()).digest()).decode())' "$dest/$tarball")"
    if [[ "$actual" != "$integrity" ]]; then
        echo "vendor.sh: integrity mismatch for $pkg@$version" >&2
        echo "  expected $integrity" >&2
        echo "  got      $actual" >&2
        exit 1
    fi
    tar -xzf "$dest/$tarball" -C "$dest"
    echo "$dest/package"
}

VERSIONS_BODY=""
# copy_file PKG@VERSION LICENSE SRC_DIR SRC_REL DEST_REL
copy_file() {
    local spec="$1" license="$2" src_dir="$3" src_rel="$4" dest_rel="$5"
    [[ -f "$src_dir/$src_rel" ]] || { echo "vendor.sh: $spec has no $src_rel" >&2; exit 1; }
    mkdir -p "$(dirname "$VENDOR/$dest_rel")"
    cp "$src_dir/$src_rel" "$VENDOR/$dest_rel"
    local size sha
    size="$(wc -c < "$VENDOR/$dest_rel" | tr -d ' ')"
    sha="$(sha256sum "$VENDOR/$dest_rel" | cut -d' ' -f1)"
    VERSIONS_BODY+="$(printf '%-58s %-11s %-26s -> %-40s %8s bytes  sha256:%s' \
        "$spec" "$license" "$src_rel" "$dest_rel" "$size" "$sha")"$'\n'
}

htmx_dir="$(fetch "$HTMX_PKG" "$HTMX_VERSION" "$HTMX_INTEGRITY")"
css_dir="$(fetch "$UTRECHT_CSS_PKG" "$UTRECHT_CSS_VERSION" "$UTRECHT_CSS_INTEGRITY")"
tokens_dir="$(fetch "$TOKENS_PKG" "$TOKENS_VERSION" "$TOKENS_INTEGRITY")"

# Replace only the directories this script manages.
rm -rf "$VENDOR/htmx" "$VENDOR/utrecht" "$VENDOR/nlds-voorbeeld"
mkdir -p "$VENDOR"

copy_file "$HTMX_PKG@$HTMX_VERSION" 0BSD "$htmx_dir" dist/htmx.min.js htmx/htmx.min.js
copy_file "$HTMX_PKG@$HTMX_VERSION" 0BSD "$htmx_dir" LICENSE htmx/LICENSE

copy_file "$UTRECHT_CSS_PKG@$UTRECHT_CSS_VERSION" EUPL-1.2 "$css_dir" dist/index.css utrecht/component-library.css
copy_file "$UTRECHT_CSS_PKG@$UTRECHT_CSS_VERSION" EUPL-1.2 "$css_dir" LICENSE.md utrecht/LICENSE.md

copy_file "$TOKENS_PKG@$TOKENS_VERSION" EUPL-1.2 "$tokens_dir" dist/variables.css nlds-voorbeeld/design-tokens.css
copy_file "$TOKENS_PKG@$TOKENS_VERSION" EUPL-1.2 "$tokens_dir" LICENSE.md nlds-voorbeeld/LICENSE.md

{
    echo "# Vendored front-end builds. Generated by scripts/vendor.sh -- do not edit by hand."
    echo "# Load order in <head>: nlds-voorbeeld/design-tokens.css, utrecht/component-library.css,"
    echo "# then css/site.css (which overrides the --utrecht-* tokens with the Leerkring --lk-* brand)."
    echo "# package@version                                           license     file in package            -> static/vendor/..."
    printf '%s' "$VERSIONS_BODY"
} > "$VENDOR/VERSIONS.txt"

total="$(du -sb "$VENDOR" | cut -f1)"
if (( total > MAX_VENDOR_BYTES )); then
    echo "vendor.sh: static/vendor is $total bytes, over the $MAX_VENDOR_BYTES byte budget" >&2
    exit 1
fi

cat "$VENDOR/VERSIONS.txt"
echo "static/vendor total: $total bytes"
