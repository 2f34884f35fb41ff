#!/usr/bin/env bash
# Prepares what tools/gpu-check.sh runs of compiled CUDA on a GPU machine,
# which has no LLVM/MLIR to compile with: emberc --target=cuda executables
# (they link only the runtime and cudart) of the MLP, the CNN and an MLP
# training step, built here into gpu-artifacts/ with their inputs, and the
# device programs of cuda_train_bench's steps (gpu-artifacts/programs). Run it
# after `make` (BUILD=<dir>, default build), before the device call, and
# name gpu-artifacts in the call's carry list (git ignores it).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
out=gpu-artifacts
rm -rf "$out" && mkdir -p "$out"
for model in mlp cnn mlp-step; do
  mkdir -p "$out/$model"
  "$build/bin/ember-package-example" "$model" "$out/$model/model.emberpkg" \
    "$out/$model"
  "$build/bin/emberc" "$out/$model/model.emberpkg" --target=cuda \
    --emit=exe -o "$out/$model/$model-cuda"
  "$build/bin/emberc" "$out/$model/model.emberpkg" --emit=exe \
    -o "$out/$model/$model-cpu"
  rm "$out/$model/model.emberpkg"
done
# The device programs of cuda_train_bench's steps (no compiler there).
"$build/bench/cuda_program_capture" "$out/programs"
ls -la "$out"/*
