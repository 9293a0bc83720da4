# vbench: measure what virtualization costs.
#   make            build build/vbench, build/vbench-agent and build/vbench-floor-hello
#   make check      unit tests (plain, and clang's ASan+UBSan), a fuzz smoke run,
#                   then end-to-end tests
#   make fleet      the lab test: the Ansible role against three hosts made here
#                   (about 5 minutes; .ci/run runs it after make check)
#   make fuzz       run each libFuzzer target for FUZZ_TIME seconds (default 600)
#   make install    PREFIX=/usr/local DESTDIR=
#   make dist       $(BUILD)/vbench-VERSION.tar.gz: the sources, for a lab's hosts
#   make clean
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
VERSION := 0.1.0
# Quiet by default; `make V=1` shows the commands.
Q := $(if $(V),,@)

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
WARN    := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) -D_GNU_SOURCE -I$(BUILD)/gen
# The sanitizer builds are clang's: gcc's UBSan has no float-cast-overflow,
# and a double from a guest or a result file cast to an integer is exactly
# the undefined behaviour this project must catch.
SANITIZE := address,undefined,float-cast-overflow
SAN     := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SAN := -fsanitize=fuzzer-no-link,$(SANITIZE) -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all
FUZZ_LINK := -fsanitize=fuzzer,$(SANITIZE)
FUZZ_TIME ?= 600

HARNESS_LIBS := -ljansson -lhwloc -lbpf -lelf -lz -lpfm -llzma -lm
AGENT_LIBS   := -ljansson -lm
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

# Sources, by part. Adding a file to a part's folder is all it takes.
BENCH_SRC   := $(wildcard bench/*.c bench/*/*.c)
COMMON_SRC  := $(wildcard common/*.c)
AGENT_SRC   := $(filter-out guest-agent/main.c guest-agent/floor_hello.c,$(wildcard guest-agent/*.c))
HARNESS_SRC := $(filter-out harness/main.c,$(wildcard harness/*.c harness/*/*.c)) \
	       $(filter-out %.bpf.c,$(wildcard probes/*.c)) $(wildcard reports/*.c reports/*/*.c)
BPF_SRC     := $(wildcard probes/*.bpf.c)
UNIT_SRC    := $(wildcard tests/unit/*.c) tests/runner.c
# Tests that need this host's facilities (eBPF, PMU, QEMU, /dev/kvm,
# cgroups): an end-to-end suite runs them (tests/e2e/host.sh).
HOST_SRC    := $(wildcard tests/host/*.c) tests/runner.c
FUZZ_SRC    := $(wildcard tests/fuzz/*.c)
FUZZERS     := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))

# One object tree serves both programs (the agent links it statically), one
# more is built by clang with ASan+UBSan for the unit tests, and one with
# libFuzzer's instrumentation for the fuzz targets.
obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
LIB_SRC  := $(HARNESS_SRC) $(AGENT_SRC) $(BENCH_SRC) $(COMMON_SRC)
ALL_OBJ  := $(call obj,obj,harness/main.c guest-agent/main.c guest-agent/floor_hello.c \
	      $(UNIT_SRC) $(HOST_SRC) $(LIB_SRC))
ASAN_OBJ := $(call obj,asan,$(UNIT_SRC) $(LIB_SRC))
# The fuzz targets read through the parts that parse untrusted bytes (and
# what those use); an archive gives each target only the objects it needs.
FUZZ_LIB_SRC := $(COMMON_SRC) $(wildcard reports/*.c reports/*/*.c harness/image/*.c) harness/lab/elfdeps.c \
		harness/paths.c
FUZZ_OBJ := $(call obj,fuzz-obj,$(FUZZ_SRC) $(FUZZ_LIB_SRC))
FUZZ_LIB := $(BUILD)/fuzz-obj/libvb.a
FUZZ_BIN := $(addprefix $(BUILD)/fuzz/,$(FUZZERS))
# common/ is an archive: each program takes only the objects it uses.
COMMON_LIB := $(BUILD)/obj/libcommon.a

.PHONY: all check unit e2e fleet fuzz fuzz-smoke install dist clean FORCE
all: $(BUILD)/vbench $(BUILD)/vbench-agent $(BUILD)/vbench-floor-hello

$(COMMON_LIB): $(call obj,obj,$(COMMON_SRC))
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The agent is static so that the identical bytes run everywhere: on the
# host, in a container with an empty rootfs, as /init of a guest. The
# workload registry must come whole: bench/ is linked as objects.
$(BUILD)/vbench-agent: $(call obj,obj,guest-agent/main.c $(AGENT_SRC) $(BENCH_SRC)) $(COMMON_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) -static $(CFLAGS) -o $@ $^ $(AGENT_LIBS)

# The floors' payload (backend.h, floor()): static too, and linked with
# nothing of vbench's, so that it is the least each environment can start.
$(BUILD)/vbench-floor-hello: $(call obj,obj,guest-agent/floor_hello.c)
	@echo "  LD      $@"
	$(Q)$(CC) -static $(CFLAGS) -o $@ $^

# The sources' git tree id (scripts/source-id) is compiled at each link,
# as Linux does its version: no object depends on it, so an edit rebuilds
# only what it touches, and `make` after committing what was built does
# nothing (the tree is the same).
SOURCE_ID_C = $(BUILD)/gen/source_id.c
define link_with_source_id
	@mkdir -p $(BUILD)/gen
	$(Q)printf 'const char vb_source_id[] = "%s";\n' \
		"$$(scripts/source-id 2>/dev/null || echo unknown)" > $(SOURCE_ID_C)
endef

$(BUILD)/vbench: $(call obj,obj,harness/main.c $(HARNESS_SRC) $(BENCH_SRC)) $(COMMON_LIB)
	@echo "  LD      $@"
	$(link_with_source_id)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(SOURCE_ID_C) $(HARNESS_LIBS)

$(BUILD)/unit-tests: $(call obj,obj,$(UNIT_SRC) $(LIB_SRC))
	@echo "  LD      $@"
	$(link_with_source_id)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(SOURCE_ID_C) $(HARNESS_LIBS) $(CHECK_LIBS)

$(BUILD)/unit-tests-asan: $(ASAN_OBJ)
	@echo "  LD      $@"
	$(link_with_source_id)
	$(Q)$(CLANG) $(CFLAGS) $(SAN) -o $@ $^ $(SOURCE_ID_C) $(HARNESS_LIBS) $(CHECK_LIBS)

$(BUILD)/host-tests: $(call obj,obj,$(HOST_SRC) $(LIB_SRC))
	@echo "  LD      $@"
	$(link_with_source_id)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(SOURCE_ID_C) $(HARNESS_LIBS) $(CHECK_LIBS)

$(FUZZ_LIB): $(call obj,fuzz-obj,$(FUZZ_LIB_SRC))
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(FUZZ_BIN): $(BUILD)/fuzz/%: $(BUILD)/fuzz-obj/tests/fuzz/%.o $(FUZZ_LIB)
	@echo "  LD      $@"
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CFLAGS) $(FUZZ_LINK) -o $@ $^ $(HARNESS_LIBS)

define compile_rule
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(2) $(CFLAGS) $(3) -MMD -MP -c -o $$@ $$<
endef
$(eval $(call compile_rule,obj,$$(CC),))
$(eval $(call compile_rule,asan,$$(CLANG),$$(SAN)))
$(eval $(call compile_rule,fuzz-obj,$$(CLANG),$$(FUZZ_SAN)))

# Generated headers are prerequisites of the objects that include them, and
# of no other: -MMD finds every other header, but only after a first build.
users_of = $(foreach t,obj asan fuzz-obj,$(call obj,$(t),$(shell grep -l '^\#include "$(1)"' \
	$(LIB_SRC) harness/main.c guest-agent/main.c $(UNIT_SRC) $(HOST_SRC))))
$(call users_of,version.h): $(BUILD)/gen/version.h
$(foreach b,$(BPF_SRC),$(call users_of,$(notdir $(b:.bpf.c=.skel.h)))): \
	$(patsubst probes/%.bpf.c,$(BUILD)/gen/%.skel.h,$(BPF_SRC))

# Rewritten only when the version changes.
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define VB_VERSION "%s"\n/* set at link time */\nextern const char vb_source_id[];\n' \
		'$(VERSION)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

# eBPF: vmlinux.h from the running kernel's BTF, then a CO-RE object and
# its libbpf skeleton per probes/x.bpf.c (libbpf-bootstrap's layout).
$(BUILD)/gen/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.bpf.o: probes/%.bpf.c $(BUILD)/gen/vmlinux.h
	@echo "  BPF     $@"
	$(Q)$(CLANG) -O2 -g -target bpf -D__TARGET_ARCH_x86 -I$(BUILD)/gen -Iprobes \
		-Wall -Werror -MMD -MP -c $< -o $@
	$(Q)llvm-strip -g $@

# Keep the BPF objects and skeletons: make would delete them as intermediates.
SKELS := $(patsubst probes/%.bpf.c,$(BUILD)/gen/%.skel.h,$(BPF_SRC))
.SECONDARY: $(SKELS) $(SKELS:.skel.h=.bpf.o) $(BUILD)/gen/vmlinux.h

$(BUILD)/gen/%.skel.h: $(BUILD)/gen/%.bpf.o
	@echo "  GEN     $@"
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

unit: $(BUILD)/unit-tests $(BUILD)/unit-tests-asan $(BUILD)/vbench-agent
	VBENCH_AGENT=$(CURDIR)/$(BUILD)/vbench-agent $(BUILD)/unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		VBENCH_AGENT=$(CURDIR)/$(BUILD)/vbench-agent $(BUILD)/unit-tests-asan

# -max_len per target: enough for its seeds and for an over-long agent line
# (fuzz_proto repeats bytes to build one, see tests/fuzz/fuzz_proto.c).
FUZZ_MAX_LEN_fuzz_proto   := 4096
FUZZ_MAX_LEN_fuzz_results := 32768
FUZZ_MAX_LEN_fuzz_elf     := 16384
FUZZ_MAX_LEN_fuzz_bzimage := 16384
# One target's libFuzzer options: its seed corpus, input size limit and
# dictionary (if any), where findings go.
fuzz_args = tests/fuzz/corpus/$(1) -max_len=$(FUZZ_MAX_LEN_$(1)) -timeout=25 \
	$(if $(wildcard tests/fuzz/$(1).dict),-dict=tests/fuzz/$(1).dict) \
	-artifact_prefix=$(BUILD)/fuzz/$(1)- -print_final_stats=1

define fuzz_long
	@echo "== $(1) for $(FUZZ_TIME) s"
	@mkdir -p $(BUILD)/fuzz/corpus/$(1)
	$(Q)$(BUILD)/fuzz/$(1) $(BUILD)/fuzz/corpus/$(1) $(call fuzz_args,$(1)) \
		-max_total_time=$(FUZZ_TIME)

endef

define fuzz_smoke
	@echo "== $(1) (smoke)"
	@d=$(BUILD)/fuzz/smoke/$(1); rm -rf $$d; mkdir -p $$d; \
	$(BUILD)/fuzz/$(1) $$d $(call fuzz_args,$(1)) -seed=1 -runs=20000 -max_total_time=5 \
		2>$$d.log || { tail -40 $$d.log; exit 1; }; \
	grep -h '^stat::number_of_executed_units\|^Done' $$d.log

endef

# Each target (FUZZERS=... picks some) for FUZZ_TIME seconds, one after the
# other; new inputs go to $(BUILD)/fuzz/corpus/<target>, findings to
# $(BUILD)/fuzz/<target>-crash-*, never into the seed corpus. A finding
# stops it with a non-zero status.
fuzz: $(FUZZ_BIN)
	$(foreach f,$(FUZZERS),$(call fuzz_long,$(f)))

# The seeds and a few seconds of mutations per target, from a fixed seed;
# what it adds is thrown away.
fuzz-smoke: $(FUZZ_BIN)
	$(foreach f,$(FUZZERS),$(call fuzz_smoke,$(f)))

# fleet.sh is the lab test (make fleet): minutes of Ansible plays.
e2e: all $(BUILD)/host-tests
	@set -e; for t in $(filter-out tests/e2e/lib.sh tests/e2e/fleet.sh,$(wildcard tests/e2e/*.sh)); do \
		echo "== $$t"; BUILD=$(CURDIR)/$(BUILD) sh $$t; done

fleet: all
	@echo "== tests/e2e/fleet.sh"
	$(Q)BUILD=$(CURDIR)/$(BUILD) sh tests/e2e/fleet.sh

# Unit tests first, then end-to-end, never side by side: the e2e tests
# time real environments and must not compete with the test build for CPUs.
check: unit fuzz-smoke
	$(MAKE) --no-print-directory e2e

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/vbench
	install -m 755 $(BUILD)/vbench $(DESTDIR)$(PREFIX)/bin/vbench
	install -m 755 $(BUILD)/vbench-agent $(DESTDIR)$(PREFIX)/libexec/vbench/vbench-agent
	install -m 755 $(BUILD)/vbench-floor-hello \
		$(DESTDIR)$(PREFIX)/libexec/vbench/vbench-floor-hello

# The tree as scripts/source-id names it, with that id inside (SOURCE_ID):
# what contrib/ansible installs on a lab's hosts.
dist:
	@mkdir -p $(BUILD)
	$(Q)scripts/dist $(BUILD)/vbench-$(VERSION).tar.gz vbench-$(VERSION)

clean:
	rm -rf $(BUILD)

-include $(ALL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d) $(SKELS:.skel.h=.bpf.d)
