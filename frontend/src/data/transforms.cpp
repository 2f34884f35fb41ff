// torchvision-style transforms on tensors, built from ember ops (permute,
// index_select, narrow/copy_), so they work for any dtype and device the
// ops support.
#include "ember/data/transforms.h"

#include "ember/factory.h"
#include "ember/ops.h"
#include "ember/runtime/error.h"

namespace ember::data::transforms {

Tensor ToTensor::operator()(const Tensor &img) const {
  EMBER_CHECK(img.defined(), "transforms::ToTensor", "image is undefined");
  EMBER_CHECK(img.dim() == 2 || img.dim() == 3, "transforms::ToTensor",
              "expected an [H, W] or [H, W, C] image, got shape ", img.sizes());
  Tensor chw = img.dim() == 2 ? img.unsqueeze(0) : img.permute({2, 0, 1});
  if (img.dtype() == kUInt8)
    return chw.to(kFloat32).div(255).contiguous();
  return chw.contiguous();
}

Normalize::Normalize(std::vector<double> mean, std::vector<double> std)
    : mean_(std::move(mean)), std_(std::move(std)) {
  EMBER_CHECK(!mean_.empty() && !std_.empty(), "transforms::Normalize",
              "mean and std must not be empty");
  for (size_t i = 0; i < std_.size(); ++i)
    EMBER_CHECK(static_cast<float>(std_[i]) != 0, "transforms::Normalize",
                "std[", i, "] evaluated to zero, leading to division by zero");
}

Tensor Normalize::operator()(const Tensor &img) const {
  const char *op = "transforms::Normalize";
  EMBER_CHECK(img.defined() && img.is_floating_point(), op,
              "expected a floating point tensor, got ",
              img.defined() ? img.dtype() : kFloat32);
  EMBER_CHECK(img.dim() >= 3, op,
              "expected a tensor image of shape [..., C, H, W], got shape ",
              img.sizes());
  int64_t c = img.size(-3);
  auto per_channel = [&](const std::vector<double> &v, const char *name) {
    EMBER_CHECK(v.size() == 1 || static_cast<int64_t>(v.size()) == c, op, name,
                " has ", v.size(), " values for an image with ", c,
                " channels");
    Tensor t = tensor(v, TensorOptions().dtype(img.dtype()));
    return t.view({static_cast<int64_t>(v.size()), 1, 1});
  };
  return img.sub(per_channel(mean_, "mean")).div(per_channel(std_, "std"));
}

RandomHorizontalFlip::RandomHorizontalFlip(double p, Generator *gen)
    : p_(p), gen_(gen) {
  EMBER_CHECK(p >= 0 && p <= 1, "transforms::RandomHorizontalFlip",
              "p must be in [0, 1], got ", p);
}

Tensor RandomHorizontalFlip::operator()(const Tensor &img) const {
  EMBER_CHECK(img.defined() && img.dim() >= 2,
              "transforms::RandomHorizontalFlip",
              "expected an image with at least 2 dimensions");
  if (rand({1}, {}, gen_).item<float>() >= p_)
    return img;
  int64_t w = img.size(-1);
  Tensor rev = arange(w - 1, -1, -1, TensorOptions().dtype(kInt64));
  return img.index_select(img.dim() - 1, rev);
}

RandomCrop::RandomCrop(std::pair<int64_t, int64_t> size, int64_t padding,
                       Generator *gen, bool pad_if_needed, double fill)
    : h_(size.first), w_(size.second), padding_(padding), gen_(gen),
      pad_if_needed_(pad_if_needed), fill_(fill) {
  EMBER_CHECK(h_ > 0 && w_ > 0, "transforms::RandomCrop",
              "crop size must be positive, got (", h_, ", ", w_, ")");
  EMBER_CHECK(padding_ >= 0, "transforms::RandomCrop",
              "padding must be non-negative, got ", padding_);
}

namespace {
/// Constant padding of the last two dims: top/bottom by ph, left/right by pw.
Tensor pad2d(const Tensor &img, int64_t ph, int64_t pw, double fill) {
  if (ph == 0 && pw == 0)
    return img;
  std::vector<int64_t> shape(img.sizes().begin(), img.sizes().end());
  int64_t h = shape[shape.size() - 2], w = shape.back();
  shape[shape.size() - 2] += 2 * ph;
  shape.back() += 2 * pw;
  Tensor out = full(shape, fill, img.options());
  int64_t d = img.dim();
  out.narrow(d - 2, ph, h).narrow(d - 1, pw, w).copy_(img);
  return out;
}
} // namespace

Tensor RandomCrop::operator()(const Tensor &img) const {
  const char *op = "transforms::RandomCrop";
  EMBER_CHECK(img.defined() && img.dim() >= 2, op,
              "expected an image with at least 2 dimensions");
  Tensor x = pad2d(img, padding_, padding_, fill_);
  int64_t d = x.dim();
  if (pad_if_needed_) {
    int64_t ph = std::max<int64_t>(0, h_ - x.size(d - 2));
    int64_t pw = std::max<int64_t>(0, w_ - x.size(d - 1));
    x = pad2d(x, ph, pw, fill_);
  }
  int64_t h = x.size(d - 2), w = x.size(d - 1);
  EMBER_CHECK(h >= h_ && w >= w_, op, "required crop size (", h_, ", ", w_,
              ") is larger than the input image size (", h, ", ", w, ")");
  int64_t top = randint(0, h - h_ + 1, {1}, {}, gen_).item<int64_t>();
  int64_t left = randint(0, w - w_ + 1, {1}, {}, gen_).item<int64_t>();
  return x.narrow(d - 2, top, h_).narrow(d - 1, left, w_).contiguous();
}

Compose::Compose(std::vector<Transform> transforms)
    : transforms_(std::move(transforms)) {
  for (size_t i = 0; i < transforms_.size(); ++i)
    EMBER_CHECK(static_cast<bool>(transforms_[i]), "transforms::Compose",
                "transform ", i, " is empty");
}

Tensor Compose::operator()(const Tensor &img) const {
  Tensor x = img;
  for (const auto &t : transforms_)
    x = t(x);
  return x;
}

Lambda::Lambda(Transform fn) : fn_(std::move(fn)) {
  EMBER_CHECK(static_cast<bool>(fn_), "transforms::Lambda",
              "the function is empty");
}

} // namespace ember::data::transforms
