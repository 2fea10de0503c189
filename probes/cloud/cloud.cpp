#include "probes/cloud/cloud.h"

#include <fstream>
#include <sstream>

#include "probes/cloud/json_at.h"

namespace linkready::cloud {

using nlohmann::json;

std::string normalizeEnum(const std::string& s) { return detail::normalizeEnumImpl(s); }

tl::expected<Intent, std::string> parse(const std::string& text, const std::string& name, Intent in) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return tl::unexpected(name + ": not JSON");
  try {
    // Old XML-derived samples wrap the answer in "<Action>Response".
    bool wrapped = j.is_object() && j.size() == 1 && j.begin().key().size() > 8 &&
                   j.begin().key().compare(j.begin().key().size() - 8, 8, "Response") == 0;
    detail::At root = wrapped ? detail::At{j.begin().value(), "$." + j.begin().key(), name} : detail::At{j, "$", name};
    if (root.has("VirtualBorderRouterSet")) detail::readAlibabaVbrs(root, in);
    else if (root.has("BgpGroups")) detail::readAlibabaBgpGroups(root, in);
    else if (root.has("BgpPeers")) detail::readAlibabaBgpPeers(root, in);
    else if (root.has("PhysicalConnectionSet")) detail::readAlibabaPhysicalConnections(root, in);
    else if (root.has("aSide") && root.has("zSide")) detail::readEquinixConnection(root, in);
    else
      return tl::unexpected(name + ": not a DescribeVirtualBorderRouters, DescribeBgpGroups, DescribeBgpPeers, "
                                   "DescribePhysicalConnections or Equinix Fabric connection answer");
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
