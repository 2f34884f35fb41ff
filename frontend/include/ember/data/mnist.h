// MNIST and Fashion-MNIST (torchvision.datasets.MNIST / FashionMNIST) read
// from the original IDX files:
//   train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] (train=true)
//   t10k-images-idx3-ubyte[.gz],  t10k-labels-idx1-ubyte[.gz]  (train=false)
// A gzip file (read with zlib) is used when present, else the plain file.
// Missing, truncated or corrupt files (gzip errors, wrong magic number,
// sizes that disagree with the header, image/label counts that differ,
// labels outside [0, 10)) throw ember::Error naming the file and the problem.
//
//   data::datasets::FashionMNIST train;                 // Debian's copy
//   auto [img, label] = train.get(0);   // uint8 [1, 28, 28], int64 scalar
#pragma once

#include "ember/data/dataset.h"
#include "ember/data/transforms.h"

#include <string>

namespace ember::data::datasets {

class MNIST : public Dataset<Example<>> {
public:
  /// Reads the train or test split from `root`. Without a transform, get(i)
  /// returns the image as uint8 [1, H, W]; with one, the transform receives
  /// the uint8 [H, W] image (what torchvision passes as a PIL image) and its
  /// result is returned, e.g. ToTensor() gives float32 [1, H, W].
  explicit MNIST(std::string root, bool train = true,
                 transforms::Transform transform = nullptr);
  Example<> get(size_t index) override;
  size_t size() const override;

  /// All images, uint8 [N, H, W] (torchvision's .data).
  const Tensor &images() const { return images_; }
  /// All labels, int64 [N] (torchvision's .targets).
  const Tensor &targets() const { return targets_; }
  const std::string &root() const { return root_; }
  bool train() const { return train_; }

protected:
  MNIST(std::string root, bool train, transforms::Transform transform,
        const char *op);

private:
  std::string root_;
  bool train_;
  transforms::Transform transform_;
  Tensor images_, targets_;
};

/// Fashion-MNIST: the same format; the root defaults to where Debian's
/// dataset-fashion-mnist package installs it.
class FashionMNIST : public MNIST {
public:
  static constexpr const char *kDefaultRoot =
      "/usr/share/datasets/fashion-mnist";
  explicit FashionMNIST(std::string root = kDefaultRoot, bool train = true,
                        transforms::Transform transform = nullptr);
};

/// Reads one IDX file (gzip or plain) of unsigned bytes: its dimensions
/// from the header and the data as uint8 (exposed for tests and tools).
/// `op` names the caller in errors; `expected_dims` is checked against the
/// header's dimension count.
Tensor read_idx_ubyte(const char *op, const std::string &path,
                      int expected_dims);

} // namespace ember::data::datasets
