// save_checkpoint / load_checkpoint: a training state in one safetensors
// file (see ember/serialize.h). Tensors: "model.<name>",
// "optim.state.<param index>.<key>". __metadata__ (JSON strings):
//   ember.format            "checkpoint/1"
//   ember.epoch             "3"
//   ember.rng_state         "[seed, offset]"
//   ember.optim.groups      [{"params": [0, 1], "options": {"lr": ["f", 0.1]}}]
//   ember.scheduler         {"last_epoch": ["i", 2], ...}
//   user.<key>              Checkpoint::extra
// Option/scheduler values are tagged so their C++ type survives: "b" bool,
// "i" int64, "f" double (non-finite as "inf"/"-inf"/"nan"), "s" string,
// "fl" list of doubles, "il" list of int64.
#include "ember/serialize.h"
#include "json.h"

#include <cmath>

namespace ember {

namespace {

constexpr const char *kFormat = "checkpoint/1";

void write_double_tagged(std::string &out, double d) {
  if (std::isnan(d))
    out += "\"nan\"";
  else if (std::isinf(d))
    out += d > 0 ? "\"inf\"" : "\"-inf\"";
  else
    json::write_double(out, d);
}

void write_value(std::string &out, const optim::StateValue &v) {
  if (auto *b = std::get_if<bool>(&v)) {
    out += *b ? "[\"b\",true]" : "[\"b\",false]";
  } else if (auto *i = std::get_if<int64_t>(&v)) {
    out += "[\"i\"," + std::to_string(*i) + "]";
  } else if (auto *d = std::get_if<double>(&v)) {
    out += "[\"f\",";
    write_double_tagged(out, *d);
    out += ']';
  } else if (auto *s = std::get_if<std::string>(&v)) {
    out += "[\"s\",";
    json::write_string(out, *s);
    out += ']';
  } else if (auto *dl = std::get_if<std::vector<double>>(&v)) {
    out += "[\"fl\",[";
    for (size_t k = 0; k < dl->size(); ++k) {
      if (k)
        out += ',';
      write_double_tagged(out, (*dl)[k]);
    }
    out += "]]";
  } else {
    const auto &il = std::get<std::vector<int64_t>>(v);
    out += "[\"il\",[";
    for (size_t k = 0; k < il.size(); ++k) {
      if (k)
        out += ',';
      out += std::to_string(il[k]);
    }
    out += "]]";
  }
}

std::string write_dict(const optim::StateValueDict &dict) {
  std::string out = "{";
  bool first = true;
  for (const auto &item : dict) {
    if (!first)
      out += ',';
    first = false;
    json::write_string(out, item.key());
    out += ':';
    write_value(out, item.value());
  }
  return out + "}";
}

[[noreturn]] void bad(const std::string &path, const std::string &what) {
  EMBER_FAIL("load_checkpoint", "'", path,
             "' is not a valid ember checkpoint: ", what);
}

double read_double_tagged(const std::string &path, const std::string &key,
                          const json::Value &v) {
  double d;
  if (v.is_string()) {
    if (v.text == "nan")
      return std::nan("");
    if (v.text == "inf")
      return INFINITY;
    if (v.text == "-inf")
      return -INFINITY;
  } else if (json::to_double(v, d)) {
    return d;
  }
  bad(path, "value of '" + key + "' is not a number");
}

optim::StateValue read_value(const std::string &path, const std::string &key,
                             const json::Value &v) {
  if (!v.is_array() || v.items.size() != 2 || !v.items[0].is_string())
    bad(path, "value of '" + key + "' is not a [tag, value] pair");
  const std::string &tag = v.items[0].text;
  const json::Value &x = v.items[1];
  if (tag == "b" && x.is_bool())
    return x.b;
  int64_t i;
  if (tag == "i" && json::to_int64(x, i))
    return i;
  if (tag == "f")
    return read_double_tagged(path, key, x);
  if (tag == "s" && x.is_string())
    return x.text;
  if (tag == "fl" && x.is_array()) {
    std::vector<double> out;
    for (const json::Value &e : x.items)
      out.push_back(read_double_tagged(path, key, e));
    return out;
  }
  if (tag == "il" && x.is_array()) {
    std::vector<int64_t> out;
    for (const json::Value &e : x.items) {
      if (!json::to_int64(e, i))
        bad(path, "value of '" + key + "' is not a list of integers");
      out.push_back(i);
    }
    return out;
  }
  bad(path, "value of '" + key + "' has a bad tag '" + tag +
                "' or a value that does not fit it");
}

optim::StateValueDict read_dict(const std::string &path,
                                const std::string &what, const json::Value &v) {
  if (!v.is_object())
    bad(path, what + " is not a JSON object");
  optim::StateValueDict out;
  for (const auto &[k, x] : v.members) {
    if (out.find(k))
      bad(path, "duplicate key '" + k + "' in " + what);
    out.insert(k, read_value(path, k, x));
  }
  return out;
}

json::Value parse_meta(const std::string &path, const std::string &key,
                       const std::string &text) {
  json::Value v;
  std::string err;
  if (!json::parse(text, v, err))
    bad(path, "metadata '" + key + "' is not valid JSON: " + err);
  return v;
}

} // namespace

void save_checkpoint(const std::string &path, const Checkpoint &ckpt) {
  OrderedDict<Tensor> tensors;
  std::map<std::string, std::string> meta;
  meta["ember.format"] = kFormat;
  meta["ember.epoch"] = std::to_string(ckpt.epoch);
  for (const auto &item : ckpt.model)
    tensors.insert("model." + item.key(), item.value());
  if (ckpt.optimizer) {
    for (const auto &[index, state] : ckpt.optimizer->state)
      for (const auto &item : state)
        tensors.insert("optim.state." + std::to_string(index) + "." +
                           item.key(),
                       item.value());
    std::string groups = "[";
    bool first = true;
    for (const auto &g : ckpt.optimizer->param_groups) {
      if (!first)
        groups += ',';
      first = false;
      groups += "{\"params\":[";
      for (size_t k = 0; k < g.params.size(); ++k) {
        if (k)
          groups += ',';
        groups += std::to_string(g.params[k]);
      }
      groups += "],\"options\":" + write_dict(g.options) + "}";
    }
    meta["ember.optim.groups"] = groups + "]";
  }
  if (ckpt.scheduler)
    meta["ember.scheduler"] = write_dict(*ckpt.scheduler);
  if (ckpt.rng_state)
    meta["ember.rng_state"] = "[" + std::to_string(ckpt.rng_state->first) +
                              "," + std::to_string(ckpt.rng_state->second) +
                              "]";
  for (const auto &[k, v] : ckpt.extra)
    meta["user." + k] = v;
  save(tensors, path, meta);
}

Checkpoint load_checkpoint(const std::string &path) {
  SafetensorsFile file = load_file(path);
  const auto &meta = file.metadata;
  auto get = [&](const char *key) -> const std::string * {
    auto it = meta.find(key);
    return it == meta.end() ? nullptr : &it->second;
  };
  const std::string *format = get("ember.format");
  if (!format || *format != kFormat)
    bad(path, format ? "unknown format '" + *format + "'"
                     : std::string("no 'ember.format' in __metadata__"));
  Checkpoint ckpt;
  const std::string *epoch = get("ember.epoch");
  json::Value ev;
  if (!epoch || !(ev = parse_meta(path, "ember.epoch", *epoch),
                  json::to_int64(ev, ckpt.epoch)))
    bad(path, "'ember.epoch' is missing or not an integer");

  if (const std::string *rng = get("ember.rng_state")) {
    json::Value v = parse_meta(path, "ember.rng_state", *rng);
    uint64_t a, b;
    if (!v.is_array() || v.items.size() != 2 ||
        !json::to_uint64(v.items[0], a) || !json::to_uint64(v.items[1], b))
      bad(path, "'ember.rng_state' is not a list of two unsigned integers");
    ckpt.rng_state = std::make_pair(a, b);
  }
  if (const std::string *s = get("ember.scheduler"))
    ckpt.scheduler = read_dict(path, "'ember.scheduler'",
                               parse_meta(path, "ember.scheduler", *s));
  if (const std::string *g = get("ember.optim.groups")) {
    json::Value v = parse_meta(path, "ember.optim.groups", *g);
    if (!v.is_array())
      bad(path, "'ember.optim.groups' is not a list");
    optim::OptimizerStateDict opt;
    for (const json::Value &gv : v.items) {
      const json::Value *params = gv.is_object() ? gv.find("params") : nullptr;
      const json::Value *options =
          gv.is_object() ? gv.find("options") : nullptr;
      if (!params || !options || !params->is_array())
        bad(path, "a group in 'ember.optim.groups' lacks 'params' or "
                  "'options'");
      optim::OptimizerStateDict::Group group;
      for (const json::Value &p : params->items) {
        int64_t i;
        if (!json::to_int64(p, i))
          bad(path, "a group's 'params' holds a non-integer");
        group.params.push_back(i);
      }
      group.options = read_dict(path, "group options", *options);
      opt.param_groups.push_back(std::move(group));
    }
    ckpt.optimizer = std::move(opt);
  }
  for (const auto &[k, v] : meta)
    if (k.rfind("user.", 0) == 0)
      ckpt.extra[k.substr(5)] = v;

  const std::string model = "model.", state = "optim.state.";
  for (const auto &item : file.tensors) {
    const std::string &name = item.key();
    if (name.rfind(model, 0) == 0) {
      ckpt.model.insert(name.substr(model.size()), item.value());
      continue;
    }
    size_t dot = name.find('.', state.size());
    int64_t index = -1;
    if (name.rfind(state, 0) == 0 && dot != std::string::npos &&
        dot > state.size() && dot + 1 < name.size()) {
      json::Value iv;
      iv.kind = json::Value::Kind::Number;
      iv.text = name.substr(state.size(), dot - state.size());
      if (!json::to_int64(iv, index))
        index = -1;
    }
    if (index < 0)
      bad(path, "unexpected tensor '" + name +
                    "' (expected 'model.<name>' or "
                    "'optim.state.<index>.<key>')");
    if (!ckpt.optimizer)
      bad(path, "tensor '" + name + "' without 'ember.optim.groups'");
    ckpt.optimizer->state[index].insert(name.substr(dot + 1), item.value());
  }
  return ckpt;
}

} // namespace ember
