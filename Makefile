# kpatch: live kernel patching.  See README.md.

PREFIX		?= /usr/local
DESTDIR		?=
BINDIR		 = $(PREFIX)/bin
SBINDIR		 = $(PREFIX)/sbin
LIBEXECDIR	 = $(PREFIX)/libexec/kpatch
DATADIR		 = $(PREFIX)/share/kpatch
MODULEDIR	 = $(PREFIX)/lib/kpatch
MANDIR		 = $(PREFIX)/share/man/man1
ifeq ($(PREFIX),/usr)
SYSTEMDDIR	 = /lib/systemd/system
else
SYSTEMDDIR	 = $(PREFIX)/lib/systemd/system
endif
export PREFIX DESTDIR BINDIR SBINDIR LIBEXECDIR DATADIR MODULEDIR MANDIR SYSTEMDDIR

TOOLS		 = create-diff-object kpatch
RESULTS_DIR	 = $(CURDIR)/build/test-results

.PHONY: all install uninstall clean deps test-kernel check check-full check-unit check-integration \
	demo bench fuzz $(TOOLS)

all: $(TOOLS)

$(TOOLS):
	$(MAKE) -C $@

# Everything goes under PREFIX but what must live where other programs look:
# the initramfs-tools hook and boot script (/etc/initramfs-tools, or
# /usr/share/initramfs-tools for PREFIX=/usr), the dracut module
# (/usr/lib/dracut/modules.d/90kpatch) and, for PREFIX=/usr, kpatch.service
# (/lib/systemd/system).
install: all
	for d in $(TOOLS) kpatch-build kmod man packaging initramfs; do $(MAKE) -C $$d install || exit 1; done
	install -d $(DESTDIR)$(DATADIR)/include
	install -m 644 include/*.h $(DESTDIR)$(DATADIR)/include/

# Removes what 'make install' with the same PREFIX and DESTDIR put: the
# list is that of an install into a scratch directory, so it cannot fall
# behind install.  Directories of kpatch's own go too once empty; shared
# ones (sbin, man1, ...) stay, and so do the core modules built after the
# install under MODULEDIR and the patches in /var/lib/kpatch.
uninstall: all
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	$(MAKE) --no-print-directory -s install DESTDIR="$$scratch" > "$$scratch.log" 2>&1 || \
		{ cat "$$scratch.log"; rm -f "$$scratch.log"; exit 1; }; rm -f "$$scratch.log"; \
	cd "$$scratch" && find . ! -type d | while read -r f; do \
		rm -f "$(DESTDIR)$${f#.}" && echo "removed $(DESTDIR)$${f#.}"; done && \
	find . -depth -type d -path '*kpatch*' | while read -r d; do \
		rmdir "$(DESTDIR)$${d#.}" 2>/dev/null || true; done; \
	if [ -d "$(DESTDIR)$(MODULEDIR)" ]; then \
		echo "kept $(DESTDIR)$(MODULEDIR): core modules built after the install (remove them by hand)"; fi

clean:
	for d in $(TOOLS); do $(MAKE) -C $$d clean; done
	rm -rf build

# 'make check-full' (FULL set) needs the full-* suites' packages too.
deps:
	@scripts/deps $(if $(FULL),full)

# The kernel lines the vm suites run on, each from Debian's linux-source-SERIES
# (test/kernel/build-kernel).  6.1, build-kernel's default, records a suite
# under its own name, every other line as SUITE-SERIES (vm-core-6.12), so
# test/summarize counts each kernel apart.
KPATCH_SERIES	?= 6.1 6.12
VM_SUITES	 = $(notdir $(sort $(wildcard test/suites/vm-*)))
UNIT_SUITES	 = $(notdir $(sort $(wildcard test/suites/unit-*)))
# Suites only 'make check-full' runs, once (not per kernel line): the heavy
# ones, such as full-fleet's several Debian kernels fetched and built cold.
FULL_SUITES	 = $(notdir $(sort $(wildcard test/suites/full-*)))
# The vm suites one line runs: KPATCH_SUITES_<SERIES> names a reduced set
# (e.g. make check KPATCH_SUITES_6.12="vm-core vm-cli"); unset, all of them.
# Both lines in full do not fit CI's 80 minutes cold on 2 cores: on a
# fresh machine (stop 33) 'make check' with every vm suite but vm-debian
# on 6.12 was heading for 87 minutes (the three test kernels' builds take
# about 30 of them).  So 'make check' runs on 6.12 the suites whose
# subject is the kernel (the core, kpatch-build's corpus, kpatch's
# patches, the kpatch command); the harness, the packages' scriptlets and
# the stress cycles (vm-foundation 187 s, vm-packaging 35 s, vm-stress
# 460 s there) run on 6.12 in 'make check-full' only, which runs every vm
# suite on both lines (vm-debian on 6.12 downloads Debian's 6.12 packages
# and builds their objects cold: 608 s).
KPATCH_SUITES_6.12 ?= vm-core vm-cli vm-build vm-compat
series_suites	 = $(or $(KPATCH_SUITES_$(1)),$(VM_SUITES))
series_name	 = $(1)$(if $(filter 6.1,$(2)),,-$(2))

# The test kernels a run needs, in the order its suites first need them:
# 6.1 for the unit suites, then per line of KPATCH_SERIES with vm suites to
# run its kernel and, if one of them runs on it, its debug variant.
# DEBUG_SUITES_<SERIES> names the suites that run on the debug variant
# there (they say so themselves: build-kernel --debug); one missing here
# only has its kernel built when it starts instead of in the background.
DEBUG_SUITES_6.1 = vm-compat vm-core vm-foundation vm-stress
uniq		 = $(if $(1),$(firstword $(1)) $(call uniq,$(filter-out $(firstword $(1)),$(1))))
line_kernels	 = $(if $(2),$(1) $(if $(filter $(DEBUG_SUITES_$(1)),$(2)),$(1)-debug))
run_kernels	 = $(call uniq,$(if $(UNIT),6.1) $(foreach k,$(if $(VM),$(KPATCH_SERIES)), \
			$(call line_kernels,$(k),$(filter $(VM),$(call series_suites,$(k))))))

test-kernel: deps
	@for k in $(KPATCH_SERIES); do \
		start=$$(date +%s); tree=$$(KPATCH_TEST_SERIES=$$k test/kernel/build-kernel) || exit 1; \
		echo "=== test kernel $$k: $$tree ($$(( $$(date +%s) - start )) s)"; \
	done

# A name in KPATCH_SUITES_<SERIES> that is no vm suite (a typo) is an
# error before anything runs, not a suite silently left out.
.PHONY: suite-names
suite-names:
	$(foreach k,$(KPATCH_SERIES),$(if $(filter-out $(VM_SUITES),$(KPATCH_SUITES_$(k))),$(error \
		KPATCH_SUITES_$(k) names $(filter-out $(VM_SUITES),$(KPATCH_SUITES_$(k))), which test/suites does not hold (its vm suites: $(VM_SUITES)))))
	@:

# Suites live in test/suites/: unit-* need no VM, vm-* boot the test kernel.
# Every suite records into $(RESULTS_DIR); 'make check' ends with the sum.
check: suite-names deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites UNIT="$(UNIT_SUITES)" VM="$(VM_SUITES)" FULL="$(FULL)"
	@test/summarize $(RESULTS_DIR)

check-full:
	@$(MAKE) --no-print-directory check KPATCH_SUITES_6.12="$(VM_SUITES)" FULL="$(FULL_SUITES)"

check-unit: deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites UNIT="$(UNIT_SUITES)"
	@test/summarize $(RESULTS_DIR)

check-integration: suite-names deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites VM="$(VM_SUITES)"
	@test/summarize $(RESULTS_DIR)

# UNIT: the unit suites to run; VM: the vm suites, once per line of
# KPATCH_SERIES (as far as that line's set holds them), with
# KPATCH_TEST_SERIES exported for the suite and build-kernel; FULL: the
# full-* suites, once, last.
#
# When the run needs more than one test kernel, test/kernel/prebuild
# builds them all in the background from the start (log:
# build/prebuild.log): the first, which the first suite waits for anyway,
# at normal priority, the later ones at nice 19 while the suites run.  A
# suite asks build-kernel for its kernel as before, which waits for the
# background build of it (a lock per kernel) or builds it itself if that
# one failed.  One shell runs all the suites so that its trap stops the
# background builds, done or not, when the suites end or on Ctrl-C.  On a
# cold 2-core machine the three kernels took about 30 of 'make check''s 77
# minutes one after another; in the background the second and third use
# the core QEMU's TCG (one thread) leaves idle during the 6.1 suites.
.PHONY: run-suites
run-suites:
	@mkdir -p $(RESULTS_DIR); start=$$(date +%s); \
	if $(MAKE) --no-print-directory all >build/make-all.log 2>&1; then \
		echo "=== build: ok ($$(( $$(date +%s) - start )) s)"; \
	else \
		cat build/make-all.log; echo "FAIL build: make all failed" > $(RESULTS_DIR)/build.results; \
	fi
	@$(if $(word 2,$(run_kernels)), \
		test/kernel/prebuild $(run_kernels) >build/prebuild.log 2>&1 & prebuild=$$!; \
		trap 'kill $$prebuild 2>/dev/null; wait $$prebuild' EXIT; trap 'exit 130' INT TERM; \
		echo "=== test kernels $(strip $(run_kernels)): building in the background (build/prebuild.log)";) \
	for s in $(UNIT); do \
		TOP=$(CURDIR) test/run-suite $(RESULTS_DIR) $$s test/suites/$$s; \
	done; \
	$(foreach k,$(if $(VM),$(KPATCH_SERIES)),$(foreach s,$(filter $(VM),$(call series_suites,$(k))), \
		KPATCH_TEST_SERIES=$(k) TOP=$(CURDIR) test/run-suite $(RESULTS_DIR) $(call series_name,$(s),$(k)) test/suites/$(s);)) \
	for s in $(FULL); do \
		TOP=$(CURDIR) test/run-suite $(RESULTS_DIR) $$s test/suites/$$s; \
	done

demo: deps
	@test/demo

bench: deps all
	@for b in $(sort $(filter-out bench/lib.sh,$(wildcard bench/*.sh))); do echo "=== $$b"; $$b || exit 1; done

fuzz:
	@scripts/deps fuzz
	$(MAKE) -C create-diff-object fuzz

# The tools' own packages (packaging/): kpatch-tools and kpatch-buildtools,
# as build/packaging/NAME-VERSION-1.x86_64.rpm or NAME_VERSION-1_amd64.deb,
# from 'make install PREFIX=/usr' of a copy of the tree's sources.
.PHONY: rpm deb
rpm deb:
	@packaging/build-tool-package $@ $(CURDIR)/build/packaging
