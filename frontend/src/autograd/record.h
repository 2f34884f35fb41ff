// The recording half of autograd, called by the dispatcher (internal).
#pragma once

#include "ember/autograd/node.h"
#include "ember/dispatch.h"

namespace ember::autograd {

/// State carried from before an op's kernel to after it.
struct PreRecord {
  bool active = false;
  Tensor original_self; // in-place ops: the written tensor before the write
};

/// Before the kernel: rejects in-place writes to leaves that require grad
/// and keeps what in-place rules need.
PreRecord pre_record(const OpCall &call);
/// After the kernel: attaches a node to the outputs when needed.
void record(const OpCall &call, TensorList &outs, PreRecord &pre);

class GradCtx;

/// The node of a recorded op.
class OpNode : public Node {
public:
  OpNode(const OpCall &call, const Tensor &original_self);
  void save_outputs(const TensorList &outs);
  TensorList apply(TensorList &&grads) override;
  std::string name() const override;
  void release_variables() override;

private:
  friend class GradCtx;
  OpId op_;
  Attrs attrs_;
  std::vector<SavedVariable> inputs_, outputs_;
  std::vector<DimVector> input_sizes_;
  std::vector<DType> input_dtypes_;
};

} // namespace ember::autograd
