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

.PHONY: all install clean deps test-kernel check check-unit check-integration \
	demo bench fuzz $(TOOLS)

all: $(TOOLS)

$(TOOLS):
	$(MAKE) -C $@

install: all
	for d in $(TOOLS) kpatch-build kmod man packaging initramfs; do $(MAKE) -C $$d install || exit 1; done
	install -d $(DESTDIR)$(DATADIR)/include
	install -m 644 include/*.h $(DESTDIR)$(DATADIR)/include/

clean:
	for d in $(TOOLS); do $(MAKE) -C $$d clean; done
	rm -rf build

deps:
	@scripts/deps

test-kernel: deps
	@start=$$(date +%s); tree=$$(test/kernel/build-kernel) || exit 1; \
	echo "=== test kernel: $$tree ($$(( $$(date +%s) - start )) s)"

# Suites live in test/suites/: unit-* need no VM, vm-* boot the test kernel.
# Every suite records into $(RESULTS_DIR); 'make check' ends with the sum.
check: deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites SUITES="$(sort $(wildcard test/suites/unit-*)) $(sort $(wildcard test/suites/vm-*))"
	@test/summarize $(RESULTS_DIR)

check-unit: deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites SUITES="$(sort $(wildcard test/suites/unit-*))"
	@test/summarize $(RESULTS_DIR)

check-integration: deps
	@rm -rf $(RESULTS_DIR)
	@$(MAKE) --no-print-directory run-suites SUITES="$(sort $(wildcard test/suites/vm-*))"
	@test/summarize $(RESULTS_DIR)

.PHONY: run-suites
run-suites:
	@mkdir -p $(RESULTS_DIR); start=$$(date +%s); \
	if $(MAKE) --no-print-directory all >build/make-all.log 2>&1; then \
		echo "=== build: ok ($$(( $$(date +%s) - start )) s)"; \
	else \
		cat build/make-all.log; echo "FAIL build: make all failed" > $(RESULTS_DIR)/build.results; \
	fi
	@for s in $(SUITES); do \
		TOP=$(CURDIR) test/run-suite $(RESULTS_DIR) $$(basename $$s) $$s; \
	done

demo: deps
	@test/demo

bench: deps all
	@for b in $(sort $(wildcard bench/*.sh)); do echo "=== $$b"; $$b || exit 1; done

fuzz:
	@scripts/deps fuzz
	$(MAKE) -C create-diff-object fuzz

# The tools' own packages (packaging/): build/packaging/kpatch-VERSION-1.x86_64.rpm
# and kpatch_VERSION-1_amd64.deb, from 'make install PREFIX=/usr' of a copy
# of the tree's sources.
.PHONY: rpm deb
rpm deb:
	@packaging/build-tool-package $@ $(CURDIR)/build/packaging
