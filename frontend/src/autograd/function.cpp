// Custom autograd functions: the context and the glue around the node.
#include "meta.h"

#include "ember/autograd/function.h"

#include <cxxabi.h>

namespace ember::autograd {

void AutogradContext::save_for_backward(TensorList to_save) {
  to_save_ = std::move(to_save);
}

void AutogradContext::pack_saved(const TensorList &outputs) {
  saved_.clear();
  for (const Tensor &t : to_save_) {
    bool is_output = false;
    for (const Tensor &o : outputs)
      is_output = is_output || (t.defined() && o.is_same(t));
    saved_.emplace_back(t, is_output);
  }
  to_save_.clear();
}

TensorList AutogradContext::get_saved_variables() const {
  EMBER_CHECK(!released_, "backward",
              "trying to backward through the graph a second time (or directly "
              "access saved tensors after they have already been freed); "
              "specify retain_graph=true to keep them");
  TensorList out;
  for (const SavedVariable &s : saved_)
    out.push_back(s.unpack(*owner_));
  return out;
}

void AutogradContext::mark_non_differentiable(const TensorList &outputs) {
  for (const Tensor &t : outputs)
    non_differentiable_.insert(t.unsafe_impl());
}

bool AutogradContext::is_non_differentiable(const Tensor &t) const {
  return non_differentiable_.count(t.unsafe_impl()) > 0;
}

bool AutogradContext::needs_input_grad(size_t arg_index) const {
  return arg_index < needs_input_grad_.size() && needs_input_grad_[arg_index];
}

namespace detail {

std::string function_name(const char *mangled) {
  int status = 0;
  char *d = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string name = status == 0 && d ? d : mangled;
  std::free(d);
  auto colon = name.rfind("::");
  if (colon != std::string::npos)
    name = name.substr(colon + 2);
  return name + "Backward";
}

void collect(std::vector<Tensor> &out, std::vector<int> &index, int arg,
             const Tensor &t) {
  out.push_back(t);
  index.push_back(arg);
}

void collect(std::vector<Tensor> &out, std::vector<int> &index, int arg,
             const TensorList &ts) {
  for (const Tensor &t : ts) {
    out.push_back(t);
    index.push_back(arg);
  }
}

TensorList CppNodeBase::map_gradients(TensorList grads) const {
  const size_t n_tensors = tensor_arg_index_.size();
  // backward may return one gradient per forward argument (LibTorch) or
  // one per tensor argument.
  EMBER_CHECK(grads.size() == num_args_ || grads.size() == n_tensors,
              "backward", "function ", name_,
              " returned an incorrect number of gradients (expected ",
              num_args_, ", got ", grads.size(), ")");
  TensorList out(n_tensors);
  for (size_t k = 0; k < n_tensors; ++k) {
    out[k] = grads.size() == num_args_ && num_args_ != n_tensors
                 ? grads[tensor_arg_index_[k]]
                 : grads[k];
    if (out[k].defined() && next_edges_[k].is_valid()) {
      const TensorMeta &want = input_meta_[k];
      EMBER_CHECK(IntArrayRef(want.sizes) == out[k].sizes(), "backward",
                  "function ", name_, " returned an invalid gradient at index ",
                  k, " - got ", out[k].sizes(),
                  " but expected shape compatible with ",
                  IntArrayRef(want.sizes));
    }
  }
  return out;
}

TensorList finish_apply(const std::shared_ptr<CppNodeBase> &node,
                        const std::vector<Tensor> &inputs, TensorList outputs,
                        bool is_executable) {
  for (const Tensor &t : inputs) {
    node->mutable_next_edges().push_back(is_executable ? gradient_edge(t)
                                                       : Edge{});
    node->add_input_meta(t);
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    Tensor &o = outputs[i];
    if (!o.defined())
      continue;
    // An input returned as-is gets a fresh handle so its own history stays.
    for (const Tensor &in : inputs)
      if (in.defined() && in.is_same(o))
        o = alias_detached(o);
    node->add_output_meta(o);
    if (is_executable && is_floating_point(o.dtype()) &&
        !node->ctx_.is_non_differentiable(o))
      set_history(o, node, static_cast<uint32_t>(i));
  }
  node->ctx_.pack_saved(outputs);
  return outputs;
}

} // namespace detail
} // namespace ember::autograd
