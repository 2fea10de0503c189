// Walking a cloud API's JSON with the path that reached each node, so that every error
// says where (file: $.VirtualBorderRouterSet.VirtualBorderRouterType[2].VlanId). Used by
// the provider decoders only; the failure is caught at their boundary (cloud.cpp).
#pragma once

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probes/cloud/cloud_facts.h"

namespace linkready::cloud::detail {

using nlohmann::json;

struct Failure {
  std::string message;
};

// A JSON node with the path that reached it, for errors that say where.
struct At {
  const json& v;
  std::string path;
  const std::string& file;

  At operator[](const char* key) const {
    static const json null;
    auto it = v.is_object() ? v.find(key) : v.end();
    return {it == v.end() ? null : *it, path + "." + key, file};
  }
  bool has(const char* key) const { return v.is_object() && v.contains(key); }
  [[noreturn]] void fail(const std::string& what) const { throw Failure{file + ": " + path + ": " + what}; }

  // Strings, and numbers or booleans written as text.
  std::string str() const {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    fail("expected text, found " + std::string(v.type_name()));
  }
  // Null and "" are absent values.
  bool absent() const { return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()); }
  // The whole string read as a T, or nothing.
  template <class T>
  std::optional<T> fromText() const {
    if (!v.is_string()) return std::nullopt;
    const std::string& s = v.get_ref<const std::string&>();
    T out{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() ? std::optional<T>(out) : std::nullopt;
  }
  // The value for a message: a scalar as JSON (cut at 80 characters), a list or an object
  // by its kind only. Never the whole of it: dump() recurses, and a document nested a
  // hundred thousand levels deep ran the stack out.
  std::string shown() const {
    if (v.is_structured()) return std::string(v.type_name());
    std::string d = v.dump();
    return d.size() > 80 ? d.substr(0, 77) + "..." : d;
  }
  // Numbers, also as strings ("10"); empty string and null are absent.
  std::optional<uint64_t> u64() const {
    if (absent()) return std::nullopt;
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return uint64_t(v.get<int64_t>());
    if (auto x = fromText<uint64_t>()) return x;
    fail("expected a whole number, found " + shown());
  }
  std::optional<uint32_t> u32() const {
    auto x = u64();
    if (x && *x > 0xffffffffull) fail("number " + std::to_string(*x) + " is too large");
    return x ? std::optional<uint32_t>(uint32_t(*x)) : std::nullopt;
  }
  // Decimal numbers (dBm), also as strings ("-2.97"); null is absent.
  std::optional<double> real() const {
    if (absent()) return std::nullopt;
    if (v.is_number()) return v.get<double>();
    if (auto x = fromText<double>()) return x;
    fail("expected a number, found " + shown());
  }
  // A plain JSON list (Google, Equinix); one object is taken as a list of one, null as none.
  std::vector<At> items() const {
    std::vector<At> out;
    if (v.is_array()) {
      for (size_t i = 0; i < v.size(); ++i) out.push_back({v[i], path + "[" + std::to_string(i) + "]", file});
    } else if (v.is_object()) {
      out.push_back(*this);
    } else if (!v.is_null()) {
      fail("expected a list, found " + std::string(v.type_name()));
    }
    return out;
  }
  // true/false, also "true"/"false"
  std::optional<bool> boolean() const {
    if (v.is_null()) return std::nullopt;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string()) {
      std::string s = v.get<std::string>();
      std::transform(s.begin(), s.end(), s.begin(), ::tolower);
      if (s == "true") return true;
      if (s == "false") return false;
    }
    fail("expected true or false, found " + shown());
  }
  // Alibaba wraps lists as {"XxxType": [...]}; old XML-derived samples give one object.
  std::vector<At> list(const char* inner) const {
    std::vector<At> out;
    At in = (*this)[inner];
    if (in.v.is_array()) {
      for (size_t i = 0; i < in.v.size(); ++i) out.push_back({in.v[i], in.path + "[" + std::to_string(i) + "]", file});
    } else if (in.v.is_object()) {
      out.push_back(in);
    } else if (!in.v.is_null()) {
      in.fail("expected a list or an object, found " + std::string(in.v.type_name()));
    }
    return out;
  }
};

// The first of several spellings (Alibaba's own keys are misspelt in places).
inline At pick(const At& a, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (a.has(k)) return a[k];
  return a[*keys.begin()];
}

// "Allocation Failed" -> "allocationfailed": enum values compare without case or spaces.
inline std::string normalizeEnumImpl(std::string s) {
  std::string o;
  for (char c : s)
    if (c != ' ' && c != '_' && c != '-') o.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  return o;
}

// One decoder per provider's payload (alibaba.cpp, equinix.cpp, google.cpp).
void readAlibabaVbrs(const At& root, Intent& in);
void readAlibabaBgpGroups(const At& root, Intent& in);
void readAlibabaBgpPeers(const At& root, Intent& in);
void readAlibabaPhysicalConnections(const At& root, Intent& in);
void readEquinixConnection(const At& c, Intent& in);
void readEquinixPort(const At& p, Intent& in);
bool isEquinixPort(const At& p);
// Google: `root` is the whole answer; the `result` wrapper is optional.
bool readGoogle(const At& root, Intent& in);

}  // namespace linkready::cloud::detail
