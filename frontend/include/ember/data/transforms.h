// Image transforms (torchvision.transforms) on tensors. Each transform is a
// small copyable object with `Tensor operator()(const Tensor &) const`, so
// any of them converts to data::transforms::Transform (a std::function) and
// composes:
//
//   namespace T = ember::data::transforms;
//   Generator g(0);
//   T::Compose tf({T::RandomCrop({28, 28}, /*padding=*/4, &g),
//                  T::RandomHorizontalFlip(0.5, &g), T::ToTensor(),
//                  T::Normalize({0.2860}, {0.3530})});
//
// Images are uint8 [H, W] or [H, W, C] before ToTensor (torchvision's PIL
// and ndarray inputs), and [..., C, H, W] tensors after it. The geometric
// transforms (RandomCrop, RandomHorizontalFlip) work on the last two
// dimensions of any tensor, so they may run before or after ToTensor.
// Random transforms hold a non-owned Generator (null: the default one).
#pragma once

#include "ember/random.h"
#include "ember/tensor.h"

#include <functional>
#include <utility>
#include <vector>

namespace ember::data::transforms {

using Transform = std::function<Tensor(const Tensor &)>;

/// uint8 [H, W] or [H, W, C] -> float32 [C, H, W] scaled to [0, 1].
/// Other dtypes are permuted to CHW but not scaled (as torchvision).
struct ToTensor {
  Tensor operator()(const Tensor &img) const;
};

/// (x - mean[c]) / std[c] per channel of a floating [..., C, H, W] tensor.
/// mean/std have C entries (or one, used for every channel); no std may be 0.
class Normalize {
public:
  Normalize(std::vector<double> mean, std::vector<double> std);
  Tensor operator()(const Tensor &img) const;

private:
  std::vector<double> mean_, std_;
};

/// Reverses the last dimension with probability p (one rand() draw per call,
/// as torchvision: flip when rand() < p).
class RandomHorizontalFlip {
public:
  explicit RandomHorizontalFlip(double p = 0.5, Generator *gen = nullptr);
  Tensor operator()(const Tensor &img) const;

private:
  double p_;
  Generator *gen_;
};

/// Pads the last two dimensions by `padding` on every side with `fill`, then
/// cuts a random size = {h, w} window (top then left offset each drawn with
/// randint, as torchvision). pad_if_needed pads a too-small image up to the
/// crop size; otherwise a crop larger than the (padded) image is an error.
class RandomCrop {
public:
  RandomCrop(std::pair<int64_t, int64_t> size, int64_t padding = 0,
             Generator *gen = nullptr, bool pad_if_needed = false,
             double fill = 0);
  Tensor operator()(const Tensor &img) const;

private:
  int64_t h_, w_, padding_;
  Generator *gen_;
  bool pad_if_needed_;
  double fill_;
};

/// Applies the transforms in order.
class Compose {
public:
  explicit Compose(std::vector<Transform> transforms);
  Tensor operator()(const Tensor &img) const;

private:
  std::vector<Transform> transforms_;
};

/// A user function as a transform.
class Lambda {
public:
  explicit Lambda(Transform fn);
  Tensor operator()(const Tensor &img) const { return fn_(img); }

private:
  Transform fn_;
};

} // namespace ember::data::transforms
