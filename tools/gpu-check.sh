#!/usr/bin/env bash
# The device check of issue 9, for a machine with an NVIDIA GPU (the
# `device` tool): builds the runtime and frontend without the compiler (no
# LLVM/MLIR there), runs the CUDA test suites (CPU-vs-CUDA for every op
# family, allocator, streams, copies) and the CUDA training-step benchmark
# (ember eager/compiled vs PyTorch eager/torch.compile), and the compiled
# CUDA executables tools/gpu-prepare.sh made here (gpu-artifacts/: emberc
# --target=cuda, self-tests against the packages' goldens, CPU-vs-CUDA
# outputs). Writes logs to ${OUT:-gpu-check-out}. One script, so one device
# call pays for one build.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-check-out}
mkdir -p "$out"
nvidia-smi > "$out/nvidia-smi.txt" 2>&1
jobs=$(nproc)
{
  cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DEMBER_ENABLE_COMPILER=OFF -DEMBER_ENABLE_CUDA=ON &&
    cmake --build build-gpu -j"$jobs" --target cuda_device_test \
      cuda_kernels_host_test cuda_reduce_host_test cuda_index_host_test \
      cuda_gemm_host_test cuda_kernels_compile_test core_test program_test
} > "$out/build.log" 2>&1 || {
  tail -50 "$out/build.log"
  echo "gpu-check: build failed (log in $out/build.log)"
  exit 1
}
status=0
# The benchmark apart: the tests run even if it does not build.
cmake --build build-gpu -j"$jobs" --target cuda_train_bench \
  > "$out/build-bench.log" 2>&1 || {
  status=1
  tail -20 "$out/build-bench.log"
}
# Every cuda_*_test binary the build made (one per kernel family).
for t in build-gpu/test/cuda_*_test build-gpu/test/core_test \
  build-gpu/test/program_test; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  EMBER_CACHE_DIR="$PWD/$out/cache" "$t" > "$out/$name.log" 2>&1 ||
    status=1
  echo "$name: $(grep -E '^\[  (PASSED|FAILED|SKIPPED) ' "$out/$name.log" |
    tr '\n' ' ')"
done
EMBER_CUDA_PROGRAMS=gpu-artifacts/programs \
  EMBER_CACHE_DIR="$PWD/$out/cache" timeout 300 build-gpu/bench/cuda_train_bench \
  > "$out/cuda_train_bench.log" 2>&1 || status=1
cat "$out/cuda_train_bench.log"
# Compiled CUDA, built ahead of time (tools/gpu-prepare.sh).
for dir in gpu-artifacts/*/; do
  [ -d "$dir" ] || continue
  m=$(basename "$dir")
  [ -x "$dir/$m-cuda" ] || continue # programs/: cuda_train_bench's
  log="$out/aot-$m.log"
  {
    if [ "$m" = mlp-step ]; then
      # Three training steps on each target; the losses and weights are
      # compared against the eager ones by hand from the saved files.
      in="$dir/x.npy $dir/labels.npy $dir/lr.npy"
      "$dir/$m-cuda" --steps 3 --save-weights "$out/$m-cuda.safetensors" \
        -o "$out/$m-cuda" $in || status=1
      "$dir/$m-cpu" --steps 3 --save-weights "$out/$m-cpu.safetensors" \
        -o "$out/$m-cpu" $in || status=1
    else
      "$dir/$m-cuda" --self-test || status=1
      "$dir/$m-cuda" --bench 20 -o "$out/$m-cuda" "$dir/x.npy" || status=1
      "$dir/$m-cpu" --bench 20 -o "$out/$m-cpu" "$dir/x.npy" || status=1
    fi
  } > "$log" 2>&1
  echo "aot $m: $(tr '\n' ' ' < "$log" | cut -c1-400)"
done
exit $status
