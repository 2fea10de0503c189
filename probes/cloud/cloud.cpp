#include "probes/cloud/cloud.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "probes/cloud/json_at.h"

namespace linkready::cloud {

using nlohmann::json;

std::string normalizeEnum(const std::string& s) { return detail::normalizeEnumImpl(s); }

namespace {

constexpr int kMaxDepth = 64;  // the clouds' answers nest a dozen levels; more is not theirs

// gcloud's default output is YAML: read it into the JSON tree the decoders walk. Quoted
// scalars stay text (gcloud quotes int64 values: uptimeMs: '184431000'); plain ones are
// read as YAML 1.2 core numbers, booleans and null, so an unquoted MAC stays text.
json scalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* end = s.data() + s.size();
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(s.data(), end, i); ec == std::errc() && p == end) return i;
  uint64_t u = 0;
  if (auto [p, ec] = std::from_chars(s.data(), end, u); ec == std::errc() && p == end) return u;
  double d = 0;
  if (s.find_first_of("0123456789") != std::string::npos && s.find_first_not_of("0123456789.eE+-") == std::string::npos)
    if (auto [p, ec] = std::from_chars(s.data(), end, d); ec == std::errc() && p == end) return d;
  return s;
}

json yamlToJson(const YAML::Node& n, int depth) {
  if (depth > kMaxDepth) throw std::runtime_error("nested more than " + std::to_string(kMaxDepth) + " levels");
  switch (n.Type()) {
    case YAML::NodeType::Scalar: return scalarToJson(n);
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) a.push_back(yamlToJson(e, depth + 1));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) throw std::runtime_error("a mapping key that is not text");
        o[kv.first.Scalar()] = yamlToJson(kv.second, depth + 1);
      }
      return o;
    }
    default: return nullptr;
  }
}

// JSON first (aliyun, the APIs, gcloud --format=json), else YAML (gcloud's default).
tl::expected<json, std::string> readTree(const std::string& text, const std::string& name) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_discarded()) return j;
  try {
    YAML::Node n = YAML::Load(text);
    if (n.IsMap() || n.IsSequence()) return yamlToJson(n, 0);
  } catch (const YAML::Exception& e) {
    return tl::unexpected(name + ": not JSON, and not YAML either (line " + std::to_string(e.mark.line + 1) + ", column " +
                          std::to_string(e.mark.column + 1) + ": " + e.msg + ")");
  } catch (const std::exception& e) {
    return tl::unexpected(name + ": not JSON, and not YAML either (" + e.what() + ")");
  }
  return tl::unexpected(name + ": not JSON, and not a YAML mapping");
}

void readOne(const detail::At& root, Intent& in, const std::string& name) {
  if (root.has("VirtualBorderRouterSet")) detail::readAlibabaVbrs(root, in);
  else if (root.has("BgpGroups")) detail::readAlibabaBgpGroups(root, in);
  else if (root.has("BgpPeers")) detail::readAlibabaBgpPeers(root, in);
  else if (root.has("PhysicalConnectionSet")) detail::readAlibabaPhysicalConnections(root, in);
  else if (root.has("aSide") && root.has("zSide")) detail::readEquinixConnection(root, in);
  else if (detail::isEquinixPort(root)) detail::readEquinixPort(root, in);
  else if (root.has("data") && root["data"].v.is_array()) {
    for (const detail::At& p : root["data"].items()) {
      if (!detail::isEquinixPort(p)) p.fail("not an Equinix port object (no encapsulation, physicalPorts)");
      detail::readEquinixPort(p, in);
    }
  } else if (!detail::readGoogle(root, in))
    throw detail::Failure{name + ": not a DescribeVirtualBorderRouters, DescribeBgpGroups, DescribeBgpPeers, "
                                 "DescribePhysicalConnections, Equinix Fabric connection or port, or gcloud "
                                 "interconnects get-diagnostics / describe or routers get-status answer"};
}

}  // namespace

tl::expected<Intent, std::string> parse(const std::string& text, const std::string& name, Intent in) {
  auto tree = readTree(text, name);
  if (!tree) return tl::unexpected(tree.error());
  const json& j = *tree;
  try {
    // Old XML-derived samples wrap the answer in "<Action>Response".
    bool wrapped = j.is_object() && j.size() == 1 && j.begin().key().size() > 8 &&
                   j.begin().key().compare(j.begin().key().size() - 8, 8, "Response") == 0;
    detail::At root = wrapped ? detail::At{j.begin().value(), "$." + j.begin().key(), name} : detail::At{j, "$", name};
    if (j.is_array()) {  // gcloud ... list --format=json, a list of ports
      for (const detail::At& e : root.items()) readOne(e, in, name + ": " + e.path);
    } else {
      readOne(root, in, name);
    }
  } catch (const detail::Failure& f) {
    return tl::unexpected(f.message);
  } catch (const std::exception& e) {
    return tl::unexpected(name + ": " + e.what());
  }
  return in;
}

tl::expected<Intent, std::string> load(const std::vector<std::string>& files) {
  Intent in;
  for (const auto& f : files) {
    std::ifstream s(f);
    if (!s) return tl::unexpected(f + ": cannot read");
    std::stringstream ss;
    ss << s.rdbuf();
    auto r = parse(ss.str(), f, std::move(in));
    if (!r) return tl::unexpected(r.error());
    in = std::move(*r);
  }
  return in;
}

}  // namespace linkready::cloud
