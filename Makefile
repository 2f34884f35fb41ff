# A thin layer over CMake + Ninja. The two commands of the README:
#   make demo   install dependencies, build (Release), run the demo
#   make test   install dependencies, build, run every suite (CTest + lit)
# Knobs: BUILD=<dir>, JOBS=<n>, CMAKE_FLAGS="...", EMBER_WERROR=1,
# DEMO_FLAGS="..." (extra ember-fashion flags, e.g. --model mlp).

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
ifeq ($(EMBER_WERROR),1)
CMAKE_FLAGS += -DEMBER_WERROR=ON
endif
LIT := /usr/lib/llvm-19/build/utils/lit/lit.py

.PHONY: all deps configure build demo test unit-test lit-test bench asan install clean format

all: build

deps:
	@bash tools/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Trains the CNN on the real Fashion-MNIST (about 2.5 minutes on 2 cores)
# with compiled training steps (ember-fashion's default: forward with its
# dropout mask, backward by ember-autodiff, Adam, one jit::compile'd
# function; DEMO_FLAGS=--no-jit trains eagerly), the IR stages of the step
# dumped under runs/fashion/ir: progress, TensorBoard logs and checkpoints
# under runs/fashion. Then emberc compiles the trained model into a
# standalone executable, $(BUILD)/ember-fashion-classifier, which classifies
# the test set; its accuracy must equal the in-process one printed before it.
DEMO_FLAGS ?=
DEMO_EXPORT := runs/fashion/export
demo: build
	@if [ -x $(BUILD)/bin/emberc ]; then \
	  EMBER_DUMP_IR=runs/fashion/ir $(BUILD)/examples/ember-fashion --model cnn --epochs 3 \
	    --export $(DEMO_EXPORT) $(DEMO_FLAGS) && \
	  echo "emberc: compiling the trained model into $(BUILD)/ember-fashion-classifier" && \
	  $(BUILD)/bin/emberc $(DEMO_EXPORT)/fashion.emberpkg --emit=exe -o $(BUILD)/ember-fashion-classifier && \
	  for f in $(DEMO_EXPORT)/test_images_*.npy; do \
	    k=$${f##*_}; k=$${k%.npy}; \
	    $(BUILD)/ember-fashion-classifier -o $(DEMO_EXPORT)/part$$k $$f > /dev/null || exit 1; \
	  done && \
	  $(BUILD)/examples/ember-fashion --score $(DEMO_EXPORT); \
	else \
	  $(BUILD)/examples/ember-fashion --model cnn --epochs 3 $(DEMO_FLAGS); \
	fi

unit-test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

lit-test: build
	@if grep -q '^EMBER_ENABLE_COMPILER:BOOL=ON' $(BUILD)/CMakeCache.txt; then \
	  cmake --build $(BUILD) --target check-ember-lit; \
	else echo "lit: compiler disabled (EMBER_ENABLE_COMPILER=OFF), lit suite skipped"; fi

# Every suite; non-zero exit on any failure (both suites run either way).
test: build
	@status=0; \
	( cd $(BUILD) && ctest --output-on-failure -j $(JOBS) ) || status=1; \
	$(MAKE) --no-print-directory lit-test || status=1; \
	exit $$status

bench: build
	@for b in $(BUILD)/bench/*_bench; do echo "== $$b"; $$b --benchmark_min_time=0.2 || exit 1; done

# The eager runtime and frontend under AddressSanitizer + UBSan, at -O1
# without debug info: the quickest build that still runs every check.
asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DEMBER_SANITIZE=address,undefined -DEMBER_ENABLE_COMPILER=OFF -DEMBER_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS=-O1 -DCMAKE_CXX_FLAGS=-O1"

install: build
	cmake --install $(BUILD) --prefix $(or $(PREFIX),/usr/local)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-asan
