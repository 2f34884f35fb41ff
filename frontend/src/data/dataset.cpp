// TensorDataset and the shared random permutation of random_split.
#include "ember/data/dataset.h"

#include "ember/factory.h"

namespace ember::data {

TensorDataset::TensorDataset(Tensor data, Tensor target)
    : data_(std::move(data)), target_(std::move(target)) {
  EMBER_CHECK(data_.defined() && target_.defined(), "data::TensorDataset",
              "tensors must be defined");
  EMBER_CHECK(data_.dim() >= 1 && target_.dim() >= 1, "data::TensorDataset",
              "tensors need a first dimension; got shapes ", data_.sizes(),
              " and ", target_.sizes());
  EMBER_CHECK(data_.size(0) == target_.size(0), "data::TensorDataset",
              "size mismatch between tensors: data has shape ", data_.sizes(),
              ", target has shape ", target_.sizes(),
              " (the first dimensions must match)");
}

Example<> TensorDataset::get(size_t index) {
  detail::check_index("data::TensorDataset", index, size());
  auto i = static_cast<int64_t>(index);
  return {data_.select(0, i), target_.select(0, i)};
}

size_t TensorDataset::size() const {
  return static_cast<size_t>(data_.size(0));
}

std::vector<size_t> random_permutation(size_t n, Generator *gen) {
  std::vector<size_t> out(n);
  if (n == 0)
    return out;
  Tensor p = randperm(static_cast<int64_t>(n), {}, gen).contiguous();
  const int64_t *d = p.data_ptr<int64_t>();
  for (size_t i = 0; i < n; ++i)
    out[i] = static_cast<size_t>(d[i]);
  return out;
}

} // namespace ember::data
