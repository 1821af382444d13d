#!/bin/sh
# Renders docs/plots/*.png, one example of each plot kind, from docs/plots/examples.msh:
# modelsh writes the SVGs, rsvg-convert (Debian's librsvg2-bin) turns each into a 640-pixel PNG.
# Usage: MODELSH=.build/debug/modelsh scripts/plot-examples.sh   (from the repository root)
set -eu
modelsh=$(realpath "${MODELSH:-.build/release/modelsh}")
command -v rsvg-convert >/dev/null || { echo "needs rsvg-convert: apt-get install librsvg2-bin" >&2; exit 1; }
cd sessions
"$modelsh" ../docs/plots/examples.msh >/dev/null
cd ../docs/plots
for svg in *.svg; do
    rsvg-convert -w 640 "$svg" -o "${svg%.svg}.png"
    rm "$svg"
done
ls -l *.png
