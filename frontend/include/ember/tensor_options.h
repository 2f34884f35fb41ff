// TensorOptions: dtype, device and requires_grad for factories, with
// chainable setters as in LibTorch
// (`ember::dtype(kFloat64).requires_grad(true)`).
#pragma once

#include "ember/runtime/device.h"
#include "ember/runtime/dtype.h"

#include <optional>

namespace ember {

class TensorOptions {
public:
  TensorOptions() = default;
  TensorOptions(DType d) : dtype_(d) {}
  TensorOptions(Device d) : device_(d) {}
  TensorOptions(DeviceType t) : device_(Device(t)) {}

  TensorOptions dtype(DType d) const {
    auto o = *this;
    o.dtype_ = d;
    return o;
  }
  TensorOptions device(Device d) const {
    auto o = *this;
    o.device_ = d;
    return o;
  }
  TensorOptions requires_grad(bool r) const {
    auto o = *this;
    o.requires_grad_ = r;
    return o;
  }

  /// The dtype, or the default float dtype when none was given.
  DType dtype() const { return dtype_.value_or(default_dtype()); }
  std::optional<DType> dtype_opt() const { return dtype_; }
  Device device() const { return device_; }
  bool requires_grad() const { return requires_grad_; }

private:
  std::optional<DType> dtype_;
  Device device_{DeviceType::CPU};
  bool requires_grad_ = false;
};

inline TensorOptions dtype(DType d) { return TensorOptions().dtype(d); }
inline TensorOptions device(Device d) { return TensorOptions().device(d); }
inline TensorOptions requires_grad(bool r = true) {
  return TensorOptions().requires_grad(r);
}

} // namespace ember
