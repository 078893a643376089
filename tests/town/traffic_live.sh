#!/usr/bin/env bash
# traffic_live.sh ZWILLING TWIN PNG: the live what-if headless (docs/traffic-scenario.md, "Live
# runs"): the council twin's traffic baseline at 7:00 with a road of the Hauptstraße closed
# from 7:00 (--traffic-close, the first edge of that name in the twin's SUMO network). Passes
# when the live run started with that road, finished with its vehicles counted, its result
# was loaded and shown as the source 'live-1', the screenshot was written, and the Vulkan
# validation layer said nothing.
set -u
zwilling=$1 twin=$2 png=$3
net=$twin/scenarios/traffic/network.net.xml
edge=$(grep -oE '<edge id="e[0-9]+"[^>]*name="Hauptstraße"' "$net" | head -1 | sed -E 's/^<edge id="([^"]+)".*/\1/')
[ -n "$edge" ] || { echo "FAIL: no edge of the Hauptstraße in $net"; exit 1; }
rm -f "$png"
output=$("$zwilling" --headless --validation --no-ui --size 480x270 --twin "$twin" --traffic traffic-baseline \
  --traffic-time 3600 --traffic-close "$edge@7:00" --screenshot "$png" 2>&1)
code=$?
printf '%s\n' "$output"
status=0
[ "$code" -eq 0 ] || { echo "FAIL: exit code $code"; status=1; }
for regex in \
  "traffic live: running 'traffic-baseline' with Hauptstraße closed \\($edge( -?e[0-9]+)*\\) from 7:00 to the end" \
  "traffic live: run finished in [0-9.]+ s: [1-9][0-9]* vehicles inserted, [0-9]+ arrived" \
  "traffic: scenario 'live-1' ready as B: [1-9][0-9]* vehicles"; do
  grep -Eq -- "$regex" <<<"$output" || { echo "FAIL: output does not match: $regex"; status=1; }
done
if grep -q "validation:" <<<"$output"; then echo "FAIL: Vulkan validation messages"; status=1; fi
[ -s "$png" ] || { echo "FAIL: $png was not written"; status=1; }
exit $status
