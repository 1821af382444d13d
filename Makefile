# modelsh: `make run` builds and starts the shell in sessions/; `make test` runs every test.
# Both first install the Debian packages the build links against (and sqlite3, which a test uses
# to query a saved workspace, and python3-venv, for the onnxruntime check), when they are missing.

PACKAGES := libedit-dev libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev sqlite3 python3-venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps clean fuzz bench

run: build
	cd sessions && ../.build/release/modelsh $(ARGS)

# The Swift runtime and Foundation linked in (--static-swift-stdlib): the shell starts and exits
# without resolving their symbols, 19 → 13 ms for `modelsh -c quit` (medians of 60; and a 1 M-row
# load timed as a whole process 0.31 → 0.28 s), and runs without the toolchain's libraries installed.
build: deps
	swift build -c release --product modelsh --static-swift-stdlib

test: deps
	scripts/test.sh

# dpkg first, so `make` stays fast when everything is there; apt-get update only when something
# is missing (a fresh machine's package lists may be empty).
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

clean:
	swift package clean

# The performance figures of the README's Speed section: CSV ingest beside pandas, polars and
# fread, the whole script, start-up, then workspace save and open (each script prints the machine).
bench: build
	scripts/bench-ingest.sh
	scripts/bench.sh

# libFuzzer targets (Fuzz/): FUZZ_SECONDS per target, 600 unless given.
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh
