# vbench: measure what virtualization costs.
#   make            build build/vbench and build/vbench-agent
#   make check      unit tests (plain and ASan+UBSan), then end-to-end tests
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
VERSION := 0.1.0
GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$(shell \
	git diff --quiet HEAD 2>/dev/null || echo -dirty)
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
SKELS       := $(patsubst probes/%.bpf.c,$(BUILD)/gen/%.skel.h,$(BPF_SRC))
UNIT_SRC    := $(wildcard tests/unit/*.c)

obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

AGENT_OBJ   := $(call obj,agent,guest-agent/main.c $(AGENT_SRC) $(BENCH_SRC) $(COMMON_SRC))
HARNESS_OBJ := $(call obj,host,harness/main.c $(HARNESS_SRC) $(BENCH_SRC) $(COMMON_SRC))
LIB_SRC     := $(HARNESS_SRC) $(AGENT_SRC) $(BENCH_SRC) $(COMMON_SRC)
UNIT_OBJ    := $(call obj,host,$(UNIT_SRC) $(LIB_SRC))
ASAN_OBJ    := $(call obj,asan,$(UNIT_SRC) $(LIB_SRC))

.PHONY: all check unit e2e install clean FORCE
all: $(BUILD)/vbench $(BUILD)/vbench-agent

# The agent is static so that the identical bytes run everywhere: on the
# host, in a container with an empty rootfs, as /init of a guest.
$(BUILD)/vbench-agent: $(AGENT_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) -static $(CFLAGS) -o $@ $^ $(AGENT_LIBS)

$(BUILD)/vbench: $(HARNESS_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(HARNESS_LIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(HARNESS_LIBS) $(CHECK_LIBS)

$(BUILD)/unit-tests-asan: $(ASAN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(HARNESS_LIBS) $(CHECK_LIBS)

# One object tree per flavour: the static agent, the host tools, ASan+UBSan.
define compile_rule
$(BUILD)/$(1)/%.o: %.c $(SKELS) $(BUILD)/gen/version.h
	@mkdir -p $$(dir $$@)
	@echo "  CC      $$@"
	$(Q)$(CC) $(CFLAGS) $(2) -MMD -MP -c -o $$@ $$<
endef
$(eval $(call compile_rule,agent,))
$(eval $(call compile_rule,host,))
$(eval $(call compile_rule,asan,$(SAN)))

# Rewritten only when the version or revision changes, so a commit does
# not rebuild everything (only the files that include it).
$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define VB_VERSION "%s"\n#define VB_GIT_REV "%s"\n' '$(VERSION)' '$(GIT_REV)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
FORCE:

# eBPF: vmlinux.h from the running kernel's BTF, then a CO-RE object and
# its libbpf skeleton per probes/x.bpf.c (libbpf-bootstrap's layout).
$(BUILD)/gen/vmlinux.h:
	@mkdir -p $(dir $@)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%.bpf.o: probes/%.bpf.c $(BUILD)/gen/vmlinux.h $(wildcard probes/*.h)
	$(CLANG) -O2 -g -target bpf -D__TARGET_ARCH_x86 -I$(BUILD)/gen -Iprobes \
		-Wall -Werror -c $< -o $@
	llvm-strip -g $@

# Keep the BPF objects and skeletons: make would delete them as intermediates.
.SECONDARY: $(SKELS) $(SKELS:.skel.h=.bpf.o) $(BUILD)/gen/vmlinux.h

$(BUILD)/gen/%.skel.h: $(BUILD)/gen/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

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

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
