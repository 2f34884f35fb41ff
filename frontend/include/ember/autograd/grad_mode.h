// Grad mode: whether ops record the autograd graph (thread-local, on by
// default). NoGradGuard is PyTorch's `with torch.no_grad()` (and the old
// `volatile`); AutoGradMode(enabled) is `torch.set_grad_enabled(enabled)`.
#pragma once

namespace ember {

namespace autograd {
struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};
} // namespace autograd

/// Sets grad mode for this thread while alive, restoring the previous mode.
class AutoGradMode {
public:
  explicit AutoGradMode(bool enabled)
      : prev_(autograd::GradMode::is_enabled()) {
    autograd::GradMode::set_enabled(enabled);
  }
  ~AutoGradMode() { autograd::GradMode::set_enabled(prev_); }
  AutoGradMode(const AutoGradMode &) = delete;
  AutoGradMode &operator=(const AutoGradMode &) = delete;

private:
  bool prev_;
};

/// No graph is recorded while alive (inference, manual weight updates).
class NoGradGuard : public AutoGradMode {
public:
  NoGradGuard() : AutoGradMode(false) {}
};

inline bool is_grad_enabled() { return autograd::GradMode::is_enabled(); }
/// Sets grad mode for this thread (torch.set_grad_enabled as a function).
inline void set_grad_enabled(bool enabled) {
  autograd::GradMode::set_enabled(enabled);
}

} // namespace ember
