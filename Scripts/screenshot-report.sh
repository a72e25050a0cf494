#!/usr/bin/env bash
# Renders keytrail's HTML report of the bundled SampleLogs and takes a screenshot of it in headless Chromium, to look
# at the layout (and print preview) before a change to the report lands.
#
#   Scripts/screenshot-report.sh [out.png]     # default /tmp/keytrail-report.png
#
# Needs Debian's chromium package (apt-get install -y chromium). The report itself fetches nothing; Chromium is
# started with networking off to prove it.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/keytrail-report.png}"
html="$(mktemp --suffix=.html)"
swift build --product keytrail >/dev/null
status=0
.build/debug/keytrail scan SampleLogs --inventory SampleLogs/credential-report.csv --report "$html" \
    --format json --output /dev/null --progress never || status=$?
[ "$status" -le 1 ] || { echo "keytrail scan failed with $status" >&2; exit 1; }
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --proxy-server="127.0.0.1:9" \
    --window-size=1280,2400 --screenshot="$out" "file://$html" 2>/dev/null
chromium --headless=new --no-sandbox --disable-gpu --proxy-server="127.0.0.1:9" \
    --print-to-pdf="${out%.png}.pdf" --no-pdf-header-footer "file://$html" 2>/dev/null
echo "screenshot: $out; print preview: ${out%.png}.pdf; report: $html"
