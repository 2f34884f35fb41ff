// Devices: CPU and CUDA:n.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace ember {

enum class DeviceType : uint8_t { CPU = 0, CUDA = 1 };
inline constexpr int kNumDeviceTypes = 2;
inline constexpr DeviceType kCPU = DeviceType::CPU;
inline constexpr DeviceType kCUDA = DeviceType::CUDA;

class Device {
public:
  Device(DeviceType type = DeviceType::CPU, int index = -1)
      : type_(type), index_(static_cast<int16_t>(index)) {}
  /// Parses "cpu", "cuda", "cuda:1"; throws ember::Error otherwise.
  Device(std::string_view spec);
  Device(const char *spec) : Device(std::string_view(spec)) {}

  DeviceType type() const { return type_; }
  /// -1 means "the current device" for CUDA; CPU always reports -1.
  int index() const { return index_; }
  bool is_cpu() const { return type_ == DeviceType::CPU; }
  bool is_cuda() const { return type_ == DeviceType::CUDA; }
  std::string str() const;

  bool operator==(const Device &o) const {
    return type_ == o.type_ && normalized() == o.normalized();
  }

private:
  // CUDA without an index means device 0 until multi-device streams exist.
  int normalized() const {
    return type_ == DeviceType::CUDA && index_ < 0 ? 0 : index_;
  }
  DeviceType type_;
  int16_t index_;
};

std::ostream &operator<<(std::ostream &os, const Device &d);

} // namespace ember
