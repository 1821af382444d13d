#!/usr/bin/env bash
# Rewrites the README's command reference (between <!-- commands: … --> and <!-- /commands -->)
# from `modelsh reference`, which generates it from the command table. A test keeps them equal.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${MODELSH:-.build/debug/modelsh}"
python3 - "$binary" <<'PY'
import subprocess, sys
reference = subprocess.run([sys.argv[1], "reference"], check=True, capture_output=True, text=True).stdout
readme = open("README.md").read()
start = readme.index("-->\n", readme.index("<!-- commands:")) + len("-->\n")
end = readme.index("\n<!-- /commands -->")
open("README.md", "w").write(readme[:start] + reference.rstrip("\n") + readme[end:])
PY
