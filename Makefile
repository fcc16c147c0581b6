# The two commands: `make demo` and `make test`. Both install what is missing, then build.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= $(ASAN_BUILD)
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 20
# Ninja, not Makefiles: a test's objects compile while the libraries link; the optimised tree
# built cold in 12 % less wall time on 2 cores (docs/scale.md, "CI at 2593 s"). Only a tree's
# first configure chooses; an existing tree keeps its generator.
GENERATOR ?= Ninja

.PHONY: all deps build build-asan build-tsan build-fuzz demo test test-core test-asan test-tsan \
	fuzz fuzz-ci bench format clean

all: build

deps:
	@bash scripts/install-deps.sh
	@if [ -f scripts/install-web.sh ]; then bash scripts/install-web.sh; fi

# Line tables only (-g1): backtraces and perf keep file:line, and each file compiles in about
# 70 % of the CPU time of -g with objects a third the size (docs/scale.md).
$(BUILD)/CMakeCache.txt: | deps
	cmake -G '$(GENERATOR)' -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# One clang tree for ASan+UBSan and the fuzzers: every test runs in it, and the libFuzzer
# targets link its libraries; the layers they read carry the fuzzers' coverage (fuzzer-no-link,
# fuzz/CMakeLists.txt). Two sanitizer trees used to compile every source twice; -O1 -g1 is
# ASan's advice for speed with line numbers in its reports (docs/scale.md).
$(ASAN_BUILD)/CMakeCache.txt: | deps
	CC=clang CXX=clang++ cmake -G '$(GENERATOR)' -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DLEAKHUNT_SANITIZE=ON -DLEAKHUNT_FUZZ=ON \
	  -DLEAKHUNT_BENCH=OFF -DLEAKHUNT_PYTHON=OFF

build-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# ThreadSanitizer for the server's threads (docs/scale.md). Only what the server tests need, at
# -O1: TSan's own advice, and it compiles faster than -O2 (CI time). clang, as the ASan tree: 9 %
# less compile time than g++, and its test programs reuse the precompiled test header.
$(TSAN_BUILD)/CMakeCache.txt: | deps
	CC=clang CXX=clang++ cmake -G '$(GENERATOR)' -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEAKHUNT_BENCH=OFF -DLEAKHUNT_PYTHON=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
	  -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
	  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread

# The fuzzers are built in the sanitizer tree (above): libFuzzer needs clang (fuzz/CMakeLists.txt).
build-fuzz: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target leakhunt_fuzzers

# The main job: the 2018 Soyuz MS-09 story end to end; the report lands in out/.
demo: build
	$(BUILD)/apps/leakhunt/leakhunt demo --out out

# Every test in the optimised build, every test again under ASan/UBSan, the server tests under
# TSan, and a short fuzz run of every libFuzzer target (docs/scale.md).
test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900
	$(MAKE) test-asan test-tsan fuzz-ci

# LSan's suppressions cover one known leak inside udunits2 (scripts/lsan.supp says which). The
# tests labelled `statistical` (many seeds through code the other tests cover) run in the
# optimised tree only (CMakeLists.txt, leakhunt_test).
test-asan: build-asan
	cd $(ASAN_BUILD) && LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp ctest --output-on-failure -j $(JOBS) --timeout 1800 -LE statistical

# No server tests yet is not a failure, and not a pass either: it says so. The dashboard is
# built too: the browser test drives the TSan server through it.
test-tsan: deps $(TSAN_BUILD)/CMakeCache.txt
	@targets="$$(cmake --build $(TSAN_BUILD) --target help | grep -oE '(server|archive)_test' | sort -u | tr '\n' ' ')"; \
	if [ -z "$$targets" ]; then \
	  echo "test-tsan: NO SERVER TESTS EXIST YET (no server_test or archive_test target): nothing ran under ThreadSanitizer, nothing passed"; \
	else \
	  cmake --build $(TSAN_BUILD) -j $(JOBS) --target leakhunt web $$targets && \
	  cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	    ctest --output-on-failure -j $(JOBS) --timeout 900 -L '^(server|archive)_test$$'; \
	fi

# make fuzz TARGET=fuzz_station_loader [FUZZ_SECONDS=600]: one target, longer, corpus kept.
fuzz: build-fuzz
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(TARGET)

# CI: every target for FUZZ_CI_SECONDS each from the bundled seeds; a crash fails the build.
fuzz-ci: build-fuzz
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_CI_SECONDS)

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	bash bench/run.sh $(BUILD)

format:
	find src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
