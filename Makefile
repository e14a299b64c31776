# Everyday commands. `make test` is what CI runs (through .ci/run, which
# installs the machine's packages and node_modules first).

.PHONY: run test deps generate screenshots bench perf fuzz loadtest sync-htmx live

# Start the server; with no -moodle-url it serves the built-in demo Moodle.
run:
	go run ./cmd/server

# Every check CI runs, in order, stopping at the first failure. Installs what is missing
# first (Debian packages when run as root, node_modules).
test: deps
	./scripts/check.sh

# The live suite against a real Moodle 4.5 (docs/TESTING.md): scripts/moodle/up.sh installs,
# seeds and serves the site (as root; minutes the first time, seconds after), then the suite
# runs against it. The Moodle code comes from KTS_MOODLE_TARBALL or ../shared/moodle.
live:
	@env=$$(./scripts/moodle/up.sh | tee /dev/stderr | tail -n 1) && \
		KTS_LIVE_MOODLE=$$env go test ./live -count=1 -v

# Debian packages and node_modules the tests need.
deps:
	./scripts/deps.sh

# Regenerate the *_templ.go files; commit them with the .templ change.
generate:
	go tool templ generate

# Rewrite the e2e screenshot goldens from the current pages.
screenshots:
	go test ./e2e -run TestScreenshots -update-screenshots

bench:
	go test -run '^$$' -bench . -benchmem ./...

# Measure on this machine what docs/PERFORMANCE.md records: the load plan against the latency
# model (batch size and concurrency swept), the warm pages, then cmd/loadgen (teachers over
# loopback against the demo Moodle and the dashboard in its own process). About eight
# minutes; it stops by itself. LOADGEN_FLAGS passes flags, e.g. LOADGEN_FLAGS=-students=0.
perf:
	go test -run '^$$' -bench 'ColdLoad500|Refresh500' -benchtime 1x ./internal/load
	go test -run '^$$' -bench 'Warm' -benchmem ./internal/handlers
	go test -run '^$$' -bench 'Build|Rows' -benchmem ./internal/cohort
	go run ./cmd/loadgen $(LOADGEN_FLAGS)

# Every fuzz target for FUZZTIME (default 10s) each.
fuzz:
	./scripts/fuzz.sh

# The load test of docs/RELIABILITY.md: 50 teachers, slow, failing, then healthy Moodle (~40 s).
loadtest:
	go test ./internal/handlers -count=1 -run 'TestLoad$$' -v -load

# Copy the pinned htmx into static/vendor. To move to another version:
# npm install --save-exact htmx.org@X.Y.Z && make sync-htmx, then commit
# package.json, package-lock.json and static/vendor/htmx.min.js together.
sync-htmx:
	npm ci --ignore-scripts --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
