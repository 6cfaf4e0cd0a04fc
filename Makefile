# The two set-up commands of the README:
#   make run   — bootstrap, build (release), run every bundled experiment over every variant,
#                write reports/<experiment>.md with the /proc dumps (and store records under
#                results/).
#   make test  — scripts/test: says at once whether the oracle kernels are cached, runs the suites
#                that need no kernel, builds or takes the kernels (visible progress), then the
#                lockstep suites.
SWIFT ?= swift
EXPERIMENTS := $(sort $(wildcard experiments/*.yaml))

.PHONY: bootstrap build run test bench clean oracle mutants

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build -c release

# One invocation for all experiments: the revision (and its dirty state) is read once, before
# any report is rewritten, so regenerating the committed reports/ does not mark the later
# experiments' results as coming from a dirty tree.
run: build
	./.build/release/buddylab run $(EXPERIMENTS) --allow-dirty --proc-dumps

test:
	@SWIFT=$(SWIFT) scripts/test

bench: bootstrap
	$(SWIFT) run -c release buddybench
	$(SWIFT) run -c release buddybench --no-1tib --cpus 1
	$(SWIFT) run -c release buddybench --no-1tib --cpus 2

# The real-kernel oracle (scripts/oracle/): User-Mode Linux 6.1 and 6.12 from Debian's sources with
# buddylab's patches and driver, cached under $$BUDDYLAB_ORACLE_CACHE (default /var/cache/buddylab-oracle).
oracle:
	scripts/oracle/build 6.1
	scripts/oracle/build 6.12

# Mutation score of the routine lockstep: one-line engine mutants (scripts/oracle/mutants.json),
# each rebuilt and compared with the real kernels' logs; prints the table (issue 20).
mutants: bootstrap oracle
	scripts/oracle/mutants

# libFuzzer over each input format (Sources/BuddyFuzz; scripts/fuzz): FUZZ_SECONDS per target.
# fuzz-smoke is the short CI run (30 s per target); a crash, hang or unlocated error fails it.
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	SWIFT=$(SWIFT) scripts/fuzz $(FUZZ_SECONDS)

fuzz-smoke: bootstrap
	SWIFT=$(SWIFT) scripts/fuzz 30

clean:
	rm -rf .build
