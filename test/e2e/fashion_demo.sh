#!/bin/bash
# ember-fashion end to end on a slice of the real Fashion-MNIST: it trains,
# writes logs and checkpoints, and --resume continues bit for bit (two
# epochs at once give the same weights as one epoch, stopped, and a resumed
# second; eager, --no-jit: a compiled run's first step per shape runs
# eagerly while it traces, so a resumed compiled run rounds differently).
# With emberc given (a build with the compiler), training is compiled by
# default and as accurate as eager, and the trained model is exported,
# compiled into a standalone classifier, and its accuracy on the exported
# test images must equal the in-process accuracy.
# Usage: fashion_demo.sh <ember-fashion> <scratch dir> [<emberc>]
set -euo pipefail
bin=$1
dir=$2
emberc=${3:-}
data=/usr/share/datasets/fashion-mnist
if [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/train-images-idx3-ubyte" ]; then
  echo "Fashion-MNIST is not installed at $data (tools/install-deps.sh installs it)"
  exit 77 # skipped
fi
rm -rf "$dir"
mkdir -p "$dir"
common=(--limit 512 --batch-size 64 --workers 2 --seed 4 --threads 1)
eager=(--no-jit)

"$bin" "${common[@]}" "${eager[@]}" --model mlp --epochs 2 --out "$dir/a" --logdir "$dir/a" > "$dir/a.log"
grep -q "^epoch 2: train loss" "$dir/a.log"
if grep -q "^jit:" "$dir/a.log"; then echo "--no-jit ran compiled steps"; exit 1; fi
grep -q "^test accuracy" "$dir/a.log"
for f in checkpoint.safetensors model.safetensors metrics.csv; do
  test -s "$dir/a/$f" || { echo "missing $dir/a/$f"; exit 1; }
done
ls "$dir"/a/events.out.tfevents.* > /dev/null
test "$(wc -l < "$dir/a/metrics.csv")" -eq 3 # header + 2 epochs

"$bin" "${common[@]}" "${eager[@]}" --model mlp --epochs 2 --stop-after 1 --out "$dir/b" --logdir "$dir/b" > "$dir/b1.log"
"$bin" "${common[@]}" "${eager[@]}" --model mlp --epochs 2 --out "$dir/b" --logdir "$dir/b" \
  --resume "$dir/b/checkpoint.safetensors" > "$dir/b2.log"
grep -q "resumed from .* after epoch 1" "$dir/b2.log"
cmp "$dir/a/model.safetensors" "$dir/b/model.safetensors" || {
  echo "resumed training differs from uninterrupted training"; exit 1; }

# A CNN checkpoint is not an MLP's; bad flags are usage errors.
if "$bin" "${common[@]}" --model cnn --epochs 3 --out "$dir/c" --logdir "$dir/c" \
     --resume "$dir/b/checkpoint.safetensors" 2> "$dir/c.err"; then
  echo "resuming an mlp checkpoint as a cnn should fail"; exit 1
fi
grep -q "holds a mlp model, not a cnn" "$dir/c.err"
set +e
"$bin" --model resnet > /dev/null 2>&1
rc=$?
set -e
test $rc -eq 2
if [ -n "$emberc" ]; then
  # The default (compiled steps): the same training as run a with each step
  # compiled (zero_grad, forward, backward by ember-autodiff, Adam with the
  # scheduler's lr): compiled steps ran, and the accuracy is the eager
  # run's (within 0.02: compiled float code rounds differently, e.g. FMA
  # contraction). --jit says the same explicitly.
  # expect_jit_like_eager <eager log> <jit log>: compiled steps ran and the
  # test accuracies agree within 0.02.
  expect_jit_like_eager() {
    local compiled eager_acc jit_acc
    compiled=$(sed -n 's/^jit: \([0-9]*\) of .*/\1/p' "$2" | tail -1)
    test -n "$compiled" && test "$compiled" -gt 0 || {
      echo "ember-fashion --jit ran no compiled step"; cat "$2"; exit 1; }
    eager_acc=$(sed -n 's/^test accuracy \([0-9.]*\).*/\1/p' "$1")
    jit_acc=$(sed -n 's/^test accuracy \([0-9.]*\).*/\1/p' "$2")
    awk -v a="$eager_acc" -v b="$jit_acc" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.02) }' || {
      echo "--jit accuracy $jit_acc ($2) differs from eager $eager_acc ($1)"; exit 1; }
  }
  "$bin" "${common[@]}" --model mlp --epochs 2 --out "$dir/j" --logdir "$dir/j" > "$dir/j.log"
  expect_jit_like_eager "$dir/a.log" "$dir/j.log"
  "$bin" "${common[@]}" --model mlp --epochs 1 --jit --out "$dir/j1" --logdir "$dir/j1" > "$dir/j1.log"
  grep -q "^jit: [1-9]" "$dir/j1.log"
  # The CNN's step compiles whole too (its dropout mask drawn by compiled
  # Philox at the blocks eager would take): same check against eager.
  "$bin" "${common[@]}" "${eager[@]}" --model cnn --epochs 1 --out "$dir/ce" --logdir "$dir/ce" > "$dir/ce.log"
  "$bin" "${common[@]}" --model cnn --epochs 1 --out "$dir/cj" --logdir "$dir/cj" > "$dir/cj.log"
  expect_jit_like_eager "$dir/ce.log" "$dir/cj.log"
  "$bin" --limit 2000 --threads 1 --model mlp --epochs 1 --out "$dir/x" \
    --logdir "$dir/x" --export "$dir/x/export" > "$dir/x.log"
  "$emberc" "$dir/x/export/fashion.emberpkg" --emit=exe -o "$dir/x/classifier"
  for k in 0 1; do
    "$dir/x/classifier" -o "$dir/x/export/part$k" \
      "$dir/x/export/test_images_$k.npy" > /dev/null
  done
  "$bin" --score "$dir/x/export" > "$dir/x.score"
  want=$(sed -n 's/.*in-process accuracy \([0-9.]*\).*/\1/p' "$dir/x.log")
  got=$(sed -n 's/compiled classifier accuracy \([0-9.]*\).*/\1/p' "$dir/x.score")
  test -n "$want" && test "$want" = "$got" || {
    echo "compiled classifier accuracy '$got' != in-process '$want'"; exit 1; }
  # Too few test images for one exported batch; no logits to score.
  if "$bin" "${common[@]}" --model mlp --epochs 1 --out "$dir/y" --logdir "$dir/y" \
       --export "$dir/y/export" > /dev/null 2> "$dir/y.err"; then
    echo "--export with 512 test images should fail"; exit 1
  fi
  grep -q "needs at least 1000 test images, got 512" "$dir/y.err"
  if "$bin" --score "$dir/y" > /dev/null 2> "$dir/y2.err"; then
    echo "--score without logits should fail"; exit 1
  fi
  grep -q "cannot open '$dir/y/test_labels.npy'" "$dir/y2.err"
fi
echo "fashion demo: ok"
