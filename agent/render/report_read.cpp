// reportFromJson: the agent's /v1/status document read back by `linkready status`. Outside
// data (whatever answers on the port): every member is checked for its kind and range, and
// the first that is not as the schema says is the error, with its JSON path. Never throws.
#include <charconv>
#include <ctime>

#include "agent/render/render.h"

namespace linkready {

namespace {

using nlohmann::json;

enum class Kind { String, Integer, Number, Boolean, Object, List, StringOrNull };

bool is(const json& v, Kind k) {
  switch (k) {
    case Kind::String: return v.is_string();
    case Kind::Integer: return v.is_number_integer();
    case Kind::Number: return v.is_number();
    case Kind::Boolean: return v.is_boolean();
    case Kind::Object: return v.is_object();
    case Kind::List: return v.is_array();
    case Kind::StringOrNull: return v.is_string() || v.is_null();
  }
  return false;
}

const char* kindName(Kind k) {
  switch (k) {
    case Kind::String: return "a string";
    case Kind::Integer: return "a whole number";
    case Kind::Number: return "a number";
    case Kind::Boolean: return "true or false";
    case Kind::Object: return "an object";
    case Kind::List: return "a list";
    case Kind::StringOrNull: return "a string or null";
  }
  return "?";
}

class Reader {
 public:
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  void fail(const std::string& path, const std::string& message) {
    if (error_.empty()) error_ = "report JSON: " + path + ": " + message;
  }

  // The member `key` of `obj` at `path`, when present and of kind `k`; null otherwise (an error).
  const json* get(const json& obj, const std::string& path, const char* key, Kind k) {
    std::string at = path + "/" + key;
    auto it = obj.find(key);
    if (it == obj.end()) {
      fail(at, "missing");
      return nullptr;
    }
    if (!is(*it, k)) {
      fail(at, std::string("expected ") + kindName(k));
      return nullptr;
    }
    return &*it;
  }

  std::string text(const json& obj, const std::string& path, const char* key) {
    const json* v = get(obj, path, key, Kind::String);
    return v ? v->get<std::string>() : "";
  }

  Status status(const json& obj, const std::string& path) {
    const json* v = get(obj, path, "status_code", Kind::Integer);
    if (!v) return Status::Unknown;
    int64_t code = v->get<int64_t>();
    if (code < 0 || code > 3) fail(path + "/status_code", std::to_string(code) + " is not 0-3");
    return failed() ? Status::Unknown : Status(code);
  }

  // A layer name, or nothing where null is allowed.
  std::optional<Layer> layer(const json& obj, const std::string& path, const char* key, bool nullable) {
    const json* v = get(obj, path, key, nullable ? Kind::StringOrNull : Kind::String);
    if (!v || v->is_null()) return std::nullopt;
    auto l = layerFromName(v->get<std::string>());
    if (!l) fail(path + "/" + key, "'" + v->get<std::string>() + "' is not a layer");
    return l;
  }

  template <typename E>
  E named(const json& obj, const std::string& path, const char* key, std::initializer_list<E> values,
          std::string_view (*name)(E)) {
    std::string t = text(obj, path, key);
    for (E e : values)
      if (name(e) == t) return e;
    if (!failed()) fail(path + "/" + key, "'" + t + "' is not a known value");
    return *values.begin();
  }

 private:
  std::string error_;
};

// "2026-11-22T00:45:10.120Z", as isoTime writes it.
std::optional<std::chrono::system_clock::time_point> parseIsoTime(const std::string& t) {
  if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
      t[23] != 'Z')
    return std::nullopt;
  auto field = [&](size_t pos, size_t len, int& out) {
    auto [p, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, out);
    return ec == std::errc() && p == t.data() + pos + len;
  };
  std::tm tm{};
  int ms = 0;
  if (!field(0, 4, tm.tm_year) || !field(5, 2, tm.tm_mon) || !field(8, 2, tm.tm_mday) || !field(11, 2, tm.tm_hour) ||
      !field(14, 2, tm.tm_min) || !field(17, 2, tm.tm_sec) || !field(20, 3, ms))
    return std::nullopt;
  // Years the clock can hold: system_clock counts nanoseconds, about 1678-2262 (found by fuzzing).
  if (tm.tm_year < 1970 || tm.tm_year > 2200 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
      tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(ms);
}

CheckResult readCheck(Reader& in, const json& c, const std::string& path) {
  CheckResult cr;
  cr.id = in.text(c, path, "id");
  cr.layer = in.layer(c, path, "layer", false).value_or(Layer::Link);
  cr.status = in.status(c, path);
  cr.summary = in.text(c, path, "summary");
  cr.observed = in.text(c, path, "observed");
  cr.expected = in.text(c, path, "expected");
  cr.hint = in.text(c, path, "hint");
  cr.dependsOn = in.layer(c, path, "depends_on", true);
  return cr;
}

LinkReport readLink(Reader& in, const json& l, const std::string& path) {
  LinkReport lr;
  lr.name = in.text(l, path, "name");
  lr.interface = in.text(l, path, "interface");
  lr.readiness = in.named(l, path, "readiness", {Readiness::Ready, Readiness::Degraded, Readiness::NotReady}, readinessName);
  lr.status = in.status(l, path);
  lr.firstBroken = in.layer(l, path, "first_broken_layer", true);
  if (l.contains("proof_from")) {  // optional: set when the verdicts rest on an earlier proof
    std::string t = in.text(l, path, "proof_from");
    if (auto when = parseIsoTime(t)) lr.proofFrom = *when;
    else if (!in.failed()) in.fail(path + "/proof_from", "'" + t + "' is not a time like 2026-11-22T00:45:10.120Z");
  }
  if (const json* checks = in.get(l, path, "checks", Kind::List))
    for (size_t i = 0; i < checks->size() && !in.failed(); ++i) {
      std::string at = path + "/checks/" + std::to_string(i);
      if (!(*checks)[i].is_object()) in.fail(at, "expected an object");
      else lr.checks.push_back(readCheck(in, (*checks)[i], at));
    }
  return lr;
}

// Each element of the list `key` of `obj`, an object, handed to `read` with its path.
template <typename F>
void eachObject(Reader& in, const json& obj, const char* key, F read) {
  const json* list = in.get(obj, "", key, Kind::List);
  if (!list) return;
  for (size_t i = 0; i < list->size() && !in.failed(); ++i) {
    std::string at = "/" + std::string(key) + "/" + std::to_string(i);
    if (!(*list)[i].is_object()) in.fail(at, "expected an object");
    else read((*list)[i], at);
  }
}

}  // namespace

tl::expected<Report, std::string> reportFromJson(const json& j) {
  if (!j.is_object() || !j.contains("schema") || j["schema"] != kReportSchema)
    return tl::unexpected(std::string("not a ") + kReportSchema + " document");
  Reader in;
  Report r;
  if (const json* agent = in.get(j, "", "agent", Kind::Object)) {
    r.agentId = in.text(*agent, "/agent", "id");
    r.version = in.text(*agent, "/agent", "version");
  }
  r.status = in.status(j, "");
  std::string t = in.text(j, "", "generated_at");
  if (auto when = parseIsoTime(t)) r.generatedAt = *when;
  else in.fail("/generated_at", "'" + t + "' is not a time like 2026-11-22T00:45:10.120Z");
  eachObject(in, j, "links", [&](const json& l, const std::string& at) { r.links.push_back(readLink(in, l, at)); });
  eachObject(in, j, "probes", [&](const json& p, const std::string& at) {
    ProbeRun run;
    run.probe = in.text(p, at, "probe");
    if (const json* s = in.get(p, at, "duration_seconds", Kind::Number)) run.seconds = s->get<double>();
    if (const json* ok = in.get(p, at, "success", Kind::Boolean)) run.success = ok->get<bool>();
    r.probes.push_back(run);
  });
  eachObject(in, j, "pairs", [&](const json& p, const std::string& at) {
    PairReport pair;
    const json* names = in.get(p, at, "links", Kind::List);
    if (names && (names->size() != 2 || !(*names)[0].is_string() || !(*names)[1].is_string()))
      in.fail(at + "/links", "expected two link names");
    else if (names)
      pair.first = (*names)[0].get<std::string>(), pair.second = (*names)[1].get<std::string>();
    pair.verdict = in.named(p, at, "verdict", {PairVerdict::Redundant, PairVerdict::Degraded, PairVerdict::Down},
                            pairVerdictName);
    pair.summary = in.text(p, at, "summary");
    r.pairs.push_back(pair);
  });
  if (in.failed()) return tl::unexpected(in.error());
  return r;
}

}  // namespace linkready
