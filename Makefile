# The two set-up commands of the README:
#   make run   — bootstrap, build (release), run every bundled experiment over every variant,
#                write reports/<experiment>.md with the /proc dumps (and store records under
#                results/).
#   make test  — bootstrap and run the test suite.
SWIFT ?= swift
EXPERIMENTS := $(sort $(wildcard experiments/*.yaml))

.PHONY: bootstrap build run test bench clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release

run: build
	@set -e; status=0; \
	for e in $(EXPERIMENTS); do \
		./.build/release/buddylab run "$$e" --allow-dirty --proc-dumps || status=$$?; \
	done; exit $$status

test: bootstrap
	$(SWIFT) test

bench: bootstrap
	$(SWIFT) run -c release buddybench

clean:
	rm -rf .build
