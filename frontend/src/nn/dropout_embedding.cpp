// Dropout and Embedding.
#include "ember/autograd/grad_mode.h"
#include "ember/factory.h"
#include "ember/nn/dropout.h"
#include "ember/nn/embedding.h"
#include "ember/nn/functional.h"
#include "ember/nn/init.h"
#include "repr.h"

namespace ember::nn {

Dropout::Dropout(const DropoutOptions &options_) : options(options_) {
  EMBER_CHECK(options.p() >= 0 && options.p() <= 1, "nn::Dropout",
              "dropout probability has to be between 0 and 1, but got ",
              options.p());
  check_registration();
}

Tensor Dropout::forward(const Tensor &input) {
  return functional::dropout(input, options.p(), is_training());
}

std::string Dropout::extra_repr() const {
  return "p=" + detail::py_float(options.p()) +
         ", inplace=" + detail::py_bool(options.inplace());
}

Embedding::Embedding(const EmbeddingOptions &options_) : options(options_) {
  const char *op = "nn::Embedding";
  const int64_t n = options.num_embeddings(), d = options.embedding_dim();
  EMBER_CHECK(n >= 0 && d >= 0, op,
              "num_embeddings and embedding_dim must be non-negative, but got "
              "num_embeddings=",
              n, ", embedding_dim=", d);
  if (auto p = options.padding_idx()) {
    EMBER_CHECK(*p < n && *p >= -n, op,
                "Padding_idx must be within num_embeddings (got padding_idx=",
                *p, " for num_embeddings=", n, ")");
    if (*p < 0)
      options.padding_idx(*p + n);
  }
  weight = register_parameter("weight", empty({n, d}));
  reset_parameters();
}

void Embedding::reset_parameters() {
  init::normal_(weight);
  if (auto p = options.padding_idx()) {
    NoGradGuard no_grad;
    weight.select(0, *p).fill_(0);
  }
}

Tensor Embedding::forward(const Tensor &indices) {
  return functional::embedding(indices, weight, options.padding_idx());
}

std::string Embedding::extra_repr() const {
  std::string s = std::to_string(options.num_embeddings()) + ", " +
                  std::to_string(options.embedding_dim());
  if (auto p = options.padding_idx())
    s += ", padding_idx=" + std::to_string(*p);
  return s;
}

Embedding Embedding::from_pretrained(const Tensor &embeddings, bool freeze,
                                     std::optional<int64_t> padding_idx) {
  EMBER_CHECK(embeddings.dim() == 2, "nn::Embedding::from_pretrained",
              "Embeddings parameter is expected to be 2-dimensional, but got "
              "a tensor of size ",
              embeddings.sizes());
  Embedding e(EmbeddingOptions(embeddings.size(0), embeddings.size(1))
                  .padding_idx(padding_idx));
  {
    NoGradGuard no_grad;
    e.weight.copy_(embeddings);
  }
  e.weight.requires_grad_(!freeze);
  return e;
}

} // namespace ember::nn
