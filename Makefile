# auth0-explorer. `make run` starts the tool, `make test` runs every test.
GO      ?= go
BIN     := bin/auth0-explorer
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS := -X auth0-explorer/ui/cli.version=$(VERSION)
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build run test lint bench fuzz screenshots fixtures clean

build:
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

run: build
	./$(BIN)

test:
	$(GO) vet ./...
	$(GO) test -race ./...

lint:
	@files=$$(git ls-files '*.go') && [ -n "$$files" ] || { echo "lint: git ls-files listed no Go files"; exit 1; }; \
	out=$$(gofmt -l $$files); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# Go benchmarks, then a whole `call` process against curl for the same request
# to a loopback server (needs hyperfine: apt-get install hyperfine).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./...
	@if ! command -v hyperfine >/dev/null; then echo "hyperfine not installed: skipping the call-vs-curl comparison"; exit 0; fi; \
	$(GO) build -o bin/loopback ./api/internal/loopback && \
	bin/loopback > bin/loopback.addr & pid=$$!; \
	while [ ! -s bin/loopback.addr ]; do sleep 0.05; done; addr=$$(cat bin/loopback.addr); \
	hyperfine -N --warmup 20 --runs 300 \
	  "curl -sS -X POST $$addr/oauth/token -H 'content-type: application/json' --data-raw '{\"grant_type\":\"client_credentials\",\"client_id\":\"id\",\"client_secret\":\"secret\"}'" \
	  "./$(BIN) call clientCredentialsGrant --domain $$addr --client-id id --client-secret secret"; \
	kill $$pid; rm -f bin/loopback.addr

# Each fuzz target for a bounded time (FUZZTIME=1m make fuzz for longer); their
# seed corpora also run in every `make test`.
FUZZTIME ?= 20s
FUZZ_TARGETS := jwtview:FuzzDecode jwtview:FuzzVerify api:FuzzRedactJSONFields api:FuzzHTTPError \
	api/safetext:FuzzEscape ui/tui/bodyview:FuzzPrepareView
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t#*:}; \
	  echo "fuzz $$fn ($$pkg)"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg/ || exit 1; \
	done

# PNGs for the README from the real binary on a sandbox tenant (tmux + freeze).
screenshots:
	screenshots/make.sh

# Re-record what node-auth0 2.44.1 and 4.x send (needs node and npm).
fixtures:
	api/testdata/sdk/record.sh

clean:
	rm -rf bin
