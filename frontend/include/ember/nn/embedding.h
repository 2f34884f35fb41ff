// Embedding (torch.nn.Embedding): a lookup table of num_embeddings rows of
// embedding_dim values, indexed by int64/int32 tensors.
//
//   nn::Embedding emb{1000, 64};
//   nn::Embedding padded(nn::EmbeddingOptions(1000, 64).padding_idx(0));
#pragma once

#include "ember/nn/module.h"

#include <optional>

namespace ember::nn {

class EmbeddingOptions {
public:
  EmbeddingOptions(int64_t num_embeddings, int64_t embedding_dim)
      : num_embeddings_(num_embeddings), embedding_dim_(embedding_dim) {}
  EmbeddingOptions &num_embeddings(int64_t v) {
    return num_embeddings_ = v, *this;
  }
  EmbeddingOptions &embedding_dim(int64_t v) {
    return embedding_dim_ = v, *this;
  }
  /// The row that stays zero-initialised and gets no gradient (negative
  /// counts from the end).
  EmbeddingOptions &padding_idx(std::optional<int64_t> v) {
    return padding_idx_ = v, *this;
  }
  int64_t num_embeddings() const { return num_embeddings_; }
  int64_t embedding_dim() const { return embedding_dim_; }
  std::optional<int64_t> padding_idx() const { return padding_idx_; }

private:
  int64_t num_embeddings_, embedding_dim_;
  std::optional<int64_t> padding_idx_;
};

class Embedding : public Module {
public:
  explicit Embedding(const EmbeddingOptions &options);
  Embedding(int64_t num_embeddings, int64_t embedding_dim)
      : Embedding(EmbeddingOptions(num_embeddings, embedding_dim)) {}
  /// indices of any shape -> indices.shape + [embedding_dim].
  Tensor forward(const Tensor &indices) override;
  std::string extra_repr() const override;
  /// normal_(0, 1), then the padding row zeroed.
  void reset_parameters();
  /// An Embedding holding `embeddings` (2-D); freeze: no gradient.
  static Embedding from_pretrained(const Tensor &embeddings, bool freeze = true,
                                   std::optional<int64_t> padding_idx = {});

  EmbeddingOptions options; // padding_idx normalised to be non-negative
  Tensor weight;
};

} // namespace ember::nn
