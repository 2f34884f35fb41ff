#include "ember/runtime/device.h"
#include "ember/runtime/error.h"

#include <charconv>

namespace ember {

Device::Device(std::string_view spec) : type_(DeviceType::CPU), index_(-1) {
  auto fail = [&]() {
    EMBER_FAIL("Device", "cannot parse device '", spec,
               "' (expected 'cpu', 'cuda' or 'cuda:N')");
  };
  std::string_view name = spec, idx;
  if (auto colon = spec.find(':'); colon != std::string_view::npos) {
    name = spec.substr(0, colon);
    idx = spec.substr(colon + 1);
    if (idx.empty())
      fail();
  }
  if (name == "cpu") {
    type_ = DeviceType::CPU;
    if (!idx.empty() && idx != "0")
      fail();
    return;
  }
  if (name != "cuda")
    fail();
  type_ = DeviceType::CUDA;
  if (!idx.empty()) {
    int v = -1;
    auto [p, ec] = std::from_chars(idx.data(), idx.data() + idx.size(), v);
    if (ec != std::errc() || p != idx.data() + idx.size() || v < 0 || v > 1023)
      fail();
    index_ = static_cast<int16_t>(v);
  }
}

std::string Device::str() const {
  if (type_ == DeviceType::CPU)
    return "cpu";
  return index_ < 0 ? "cuda" : "cuda:" + std::to_string(index_);
}

std::ostream &operator<<(std::ostream &os, const Device &d) {
  return os << d.str();
}

} // namespace ember
