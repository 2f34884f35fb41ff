// OrderedDict: insertion-ordered name -> value map (LibTorch's
// torch::OrderedDict), what named_parameters() and state_dict() return.
#pragma once

#include "ember/runtime/error.h"

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ember {

template <typename V> class OrderedDict {
public:
  class Item {
  public:
    Item(std::string key, V value) : pair_(std::move(key), std::move(value)) {}
    const std::string &key() const { return pair_.first; }
    V &value() { return pair_.second; }
    const V &value() const { return pair_.second; }
    const std::pair<const std::string, V> &pair() const { return pair_; }

  private:
    std::pair<const std::string, V> pair_;
  };

  OrderedDict() = default;
  OrderedDict(std::initializer_list<std::pair<std::string, V>> items) {
    for (auto &[k, v] : items)
      insert(k, v);
  }

  /// Adds `key`; throws when it is already there.
  V &insert(const std::string &key, V value) {
    EMBER_CHECK(index_.count(key) == 0, "OrderedDict", "key '", key,
                "' already defined");
    index_[key] = items_.size();
    items_.emplace_back(key, std::move(value));
    return items_.back().value();
  }
  /// Adds or replaces `key`.
  V &insert_or_assign(const std::string &key, V value) {
    if (V *v = find(key)) {
      *v = std::move(value);
      return *v;
    }
    return insert(key, std::move(value));
  }
  V *find(const std::string &key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const V *find(const std::string &key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  bool contains(const std::string &key) const { return index_.count(key) > 0; }
  const V &operator[](const std::string &key) const {
    const V *v = find(key);
    EMBER_CHECK(v, "OrderedDict", "key '", key, "' is not defined");
    return *v;
  }
  V &operator[](const std::string &key) {
    V *v = find(key);
    EMBER_CHECK(v, "OrderedDict", "key '", key, "' is not defined");
    return *v;
  }
  size_t size() const { return items_.size(); }
  bool is_empty() const { return items_.empty(); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  const std::vector<Item> &items() const { return items_; }
  std::vector<std::string> keys() const {
    std::vector<std::string> k;
    for (const auto &i : items_)
      k.push_back(i.key());
    return k;
  }
  std::vector<V> values() const {
    std::vector<V> v;
    for (const auto &i : items_)
      v.push_back(i.value());
    return v;
  }

private:
  std::vector<Item> items_;
  std::unordered_map<std::string, size_t> index_;
};

} // namespace ember
