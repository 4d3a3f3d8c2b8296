# servebench: `make demo` and `make test` are the two set-up commands (README.md).
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja

.PHONY: all deps build binary build-asan test test-fast test-asan demo bench format clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS)

# Only the servebench binary (what `make demo` needs).
binary: deps $(BUILD)/build.ninja
	@cmake --build $(BUILD) -j $(JOBS) --target servebench

$(ASAN_BUILD)/build.ninja:
	@cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DSERVEBENCH_SANITIZE=ON \
	  -DSERVEBENCH_BENCH=OFF >/dev/null

build-asan: deps $(ASAN_BUILD)/build.ninja
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# Every test in the normal build, then the same suite under ASan+UBSan.
test: test-fast test-asan

test-fast: build
	@scripts/fixtures.sh
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: build-asan
	@scripts/fixtures.sh
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

demo: binary
	@scripts/fixtures.sh
	@scripts/demo.sh $(BUILD)/servebench

bench: build
	@scripts/bench.sh $(BUILD)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
