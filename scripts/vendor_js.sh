#!/usr/bin/env bash
# Vendor the explorer's JavaScript libraries and world outline (issue 16) from the npm registry,
# at pinned versions, into api/static/vendor/<name>/ with their VERSION and LICENSE beside them.
# The files are committed: the explorer works offline and ships in the wheel. Run again only to
# change a version (edit PACKAGES), then commit api/static/vendor/.
#   sigma            MIT           WebGL graph renderer (UMD build: global `Sigma`)
#   graphology       MIT           the graph model sigma draws (UMD build: global `graphology`)
#   graphology-library MIT        Louvain communities (blocs), recomputed for each date
#   topojson-client  ISC           TopoJSON -> GeoJSON (global `topojson`)
#   world-atlas      ISC (code), Natural Earth data: public domain — countries at 1:50m
# Usage: bash scripts/vendor_js.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=api/static/vendor
# name@version  file-in-package  licence-file-in-package
PACKAGES=(
  "sigma@3.0.2 dist/sigma.min.js LICENSE.txt"
  "graphology@0.26.0 dist/graphology.umd.min.js LICENSE.txt"
  "graphology-library@0.8.0 dist/graphology-library.min.js LICENSE.txt"
  "topojson-client@3.1.0 dist/topojson-client.min.js LICENSE"
  "world-atlas@2.0.2 countries-50m.json LICENSE"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${PACKAGES[@]}"; do
  read -r spec file licence <<<"$entry"
  name=${spec%@*}
  version=${spec##*@}
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$work/$name" "$VENDOR/$name"
  tar xzf "$work/$name-$version.tgz" -C "$work/$name"
  cp "$work/$name/package/$file" "$VENDOR/$name/"
  cp "$work/$name/package/$licence" "$VENDOR/$name/LICENSE"
  integrity=$(cd "$work" && npm view "$spec" dist.integrity)
  printf '%s %s\nfile: %s\nfrom: https://registry.npmjs.org/%s/-/%s-%s.tgz\nintegrity: %s\n' \
    "$name" "$version" "$file" "$name" "$name" "$version" "$integrity" >"$VENDOR/$name/VERSION"
  echo "vendored $spec -> $VENDOR/$name/$(basename "$file")"
done
cat >>"$VENDOR/world-atlas/LICENSE" <<'NOTE'

---
The outlines themselves are Natural Earth's (https://www.naturalearthdata.com),
public domain: "All versions of Natural Earth raster + vector map data found on
this website are in the public domain." world-atlas converts them to TopoJSON.
NOTE
