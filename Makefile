# The two commands: `make demo` and `make test`. Both install what is missing, then build.
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan

.PHONY: all deps build build-asan demo test test-core test-asan bench format clean

all: build

deps:
	@bash scripts/install-deps.sh
	@if [ -f scripts/install-web.sh ]; then bash scripts/install-web.sh; fi

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLEAKHUNT_SANITIZE=ON -DLEAKHUNT_BENCH=OFF

build-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The main job: the 2018 Soyuz MS-09 story end to end; the report lands in out/.
demo: build
	$(BUILD)/apps/leakhunt/leakhunt demo --out out

# Every test in the optimised build, then the core tests again under ASan/UBSan.
test: build build-asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900 -L '^(gas|model|telemetry|network|sim|detect)_test$$'

bench: build
	bash bench/run.sh $(BUILD)

format:
	find src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
