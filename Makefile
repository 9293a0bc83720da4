# vbench: measure what virtualization costs.
#   make            build build/vbench and build/vbench-agent
#   make check      unit tests (plain and ASan+UBSan), then end-to-end tests
#   make install    PREFIX=/usr/local DESTDIR=
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
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

HARNESS_LIBS := -ljansson -lhwloc -lbpf -lelf -lz -lpfm -llzma -lm
AGENT_LIBS   := -ljansson -lm
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lm)

# Sources, by part. Adding a file to a part's folder is all it takes.
BENCH_SRC   := $(wildcard bench/*.c bench/*/*.c)
COMMON_SRC  := $(wildcard common/*.c)
AGENT_SRC   := $(filter-out guest-agent/main.c,$(wildcard guest-agent/*.c))
HARNESS_SRC := $(filter-out harness/main.c,$(wildcard harness/*.c harness/*/*.c)) \
	       $(filter-out %.bpf.c,$(wildcard probes/*.c)) $(wildcard reports/*.c)
BPF_SRC     := $(wildcard probes/*.bpf.c)
UNIT_SRC    := $(wildcard tests/unit/*.c)

# One object tree serves both programs (the agent links it statically), one
# more is built with ASan+UBSan for the unit tests.
obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
LIB_SRC  := $(HARNESS_SRC) $(AGENT_SRC) $(BENCH_SRC) $(COMMON_SRC)
ALL_OBJ  := $(call obj,obj,harness/main.c guest-agent/main.c $(UNIT_SRC) $(LIB_SRC))
ASAN_OBJ := $(call obj,asan,$(UNIT_SRC) $(LIB_SRC))
# common/ is an archive: each program takes only the objects it uses.
COMMON_LIB := $(BUILD)/obj/libcommon.a

.PHONY: all check unit e2e install clean FORCE
all: $(BUILD)/vbench $(BUILD)/vbench-agent

$(COMMON_LIB): $(call obj,obj,$(COMMON_SRC))
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# The agent is static so that the identical bytes run everywhere: on the
# host, in a container with an empty rootfs, as /init of a guest. The
# workload registry must come whole: bench/ is linked as objects.
$(BUILD)/vbench-agent: $(call obj,obj,guest-agent/main.c $(AGENT_SRC) $(BENCH_SRC)) $(COMMON_LIB)
	@echo "  LD      $@"
	$(Q)$(CC) -static $(CFLAGS) -o $@ $^ $(AGENT_LIBS)

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
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(SOURCE_ID_C) $(HARNESS_LIBS) $(CHECK_LIBS)

define compile_rule
$(BUILD)/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC) $(CFLAGS) $(2) -MMD -MP -c -o $$@ $$<
endef
$(eval $(call compile_rule,obj,))
$(eval $(call compile_rule,asan,$(SAN)))

# Generated headers are prerequisites of the objects that include them, and
# of no other: -MMD finds every other header, but only after a first build.
users_of = $(foreach t,obj asan,$(call obj,$(t),$(shell grep -l '^\#include "$(1)"' \
	$(LIB_SRC) harness/main.c guest-agent/main.c $(UNIT_SRC))))
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

e2e: all
	@set -e; for t in $(filter-out tests/e2e/lib.sh,$(wildcard tests/e2e/*.sh)); do \
		echo "== $$t"; BUILD=$(CURDIR)/$(BUILD) sh $$t; done

# Unit tests first, then end-to-end, never side by side: the e2e tests
# time real environments and must not compete with the test build for CPUs.
check: unit
	$(MAKE) --no-print-directory e2e

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/vbench
	install -m 755 $(BUILD)/vbench $(DESTDIR)$(PREFIX)/bin/vbench
	install -m 755 $(BUILD)/vbench-agent $(DESTDIR)$(PREFIX)/libexec/vbench/vbench-agent

clean:
	rm -rf $(BUILD)

-include $(ALL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(SKELS:.skel.h=.bpf.d)
