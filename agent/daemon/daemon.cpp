#include "agent/daemon/daemon.h"

#include <linux/rtnetlink.h>
#include <malloc.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include "agent/check/engine.h"
#include "agent/check/window_sampler.h"
#include "agent/daemon/recorder.h"
#include "agent/render/history_view.h"
#include "agent/daemon/agent_state.h"
#include "agent/render/cloudevent.h"
#include "agent/daemon/delivery.h"
#include "agent/render/metrics.h"
#include "agent/render/render.h"
#include "agent/daemon/spool.h"
#include "agent/daemon/status_server.h"
#include "probes/bgp/bgp_probe.h"

namespace linkready {

namespace {

using Clock = std::chrono::steady_clock;
using ConfigPtr = std::shared_ptr<const config::Config>;

// A check waits on the network at most CheckOptions::deadline (2 s) and on FRR at most its
// VTY timeout per query: one still running 30 s after its start is stuck, whatever the
// number of links or how many of them are dead.
constexpr int64_t kCheckStuckMs = 30000;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// spdlog to the journal when systemd runs us, to stderr otherwise; one logger per subsystem.
void setupLogging() {
  spdlog::sink_ptr sink;
  if (getenv("INVOCATION_ID") || getenv("JOURNAL_STREAM")) sink = std::make_shared<spdlog::sinks::systemd_sink_mt>();
  else sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  for (const char* name : {"agent", "delivery"}) {
    if (spdlog::get(name)) continue;
    auto l = std::make_shared<spdlog::logger>(name, sink);
    l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %n %l: %v");
    l->set_level(spdlog::level::info);
    spdlog::register_logger(l);
  }
}

// The bearer token: a file nobody else may read. Never logged; its length is.
tl::expected<std::string, std::string> readToken(const config::Orchestrator& orc) {
  config::Orchestrator o = orc;
  if (o.tokenFile.empty()) return std::string();
  // "credential:NAME": systemd's LoadCredential= hands the file over in $CREDENTIALS_DIRECTORY.
  if (o.tokenFile.rfind("credential:", 0) == 0) {
    const char* dir = getenv("CREDENTIALS_DIRECTORY");
    if (!dir)
      return tl::unexpected(o.tokenFile + " needs systemd's LoadCredential= ($CREDENTIALS_DIRECTORY is not set): " +
                            "add the drop-in linkready.service.d/token.conf with LoadCredential=" + o.tokenFile.substr(11) +
                            ":/etc/linkready/token (README, \"The agent\")");
    o.tokenFile = std::string(dir) + "/" + o.tokenFile.substr(11);
  }
  struct stat st {};
  if (stat(o.tokenFile.c_str(), &st) != 0)
    return tl::unexpected("cannot read the token file " + o.tokenFile + ": " + strerror(errno));
  if (st.st_mode & (S_IROTH | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
    return tl::unexpected("the token file " + o.tokenFile + " is readable by others (mode " + mode +
                          "): chmod 600 " + o.tokenFile);
  }
  std::ifstream in(o.tokenFile);
  if (!in) {  // as the agent's user (under systemd a dynamic one: hand the file over as a credential)
    int e = errno;
    return tl::unexpected("cannot read the token file " + o.tokenFile + ": " + strerror(e) +
                          (e == EACCES ? " (as uid " + std::to_string(geteuid()) +
                                             "; under systemd use token_file: credential:token)"
                                       : std::string()));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.erase(t.begin());
  if (t.empty()) return tl::unexpected("the token file " + o.tokenFile + " is empty");
  return t;
}

class Agent {
 public:
  Agent(std::string path, ConfigPtr cfg) : path_(std::move(path)), cfg_(std::move(cfg)), log_(spdlog::get("agent")) {}

  int run();

 private:
  struct Timers {
    bool watchdog = false;
    uint64_t watchdogUsec = 0;
    Clock::time_point nextWatchdog, nextHeartbeat, nextTrim;
    bool notifiedReady = false;
  };
  bool startDelivery(const config::Config& cfg);
  bool startStatusServer(const config::Config& cfg);
  void tick(Timers& timers);
  bool onSignals(int sigfd);
  void shutdown();
  ConfigPtr config() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cfg_;
  }
  void checkerLoop();
  std::map<std::string, CheckOptions::Proof> steadyProofs(const config::Config& cfg,
                                                          const std::map<std::string, CheckOptions::Proof>& proofs,
                                                          const std::set<std::string>& reproveNow);
  void recorderLoop();
  void addWindowVerdicts(Report& r, const std::vector<Observation>& facts, const std::vector<Layer>& layers);
  std::vector<window::Sample> recentSamples(const std::string& link, std::chrono::seconds span, window::TimePoint now,
                                            const Observation* latest) const;
  void publish(Report r, std::vector<Observation> facts, const std::vector<Layer>& layers);
  void heartbeat();
  // `now`: the state's report, built once by the caller for all the links it spools.
  void spoolEvent(const Report& now, const std::string& link, EventKind kind);  // with mutex_ held
  void reload();
  bool reloadOrchestrator(const config::Config& next);
  void openDelivery(const config::Orchestrator& o, const std::string& token);
  void onLinkEvents(const std::set<std::string>& interfaces);
  void requestCheck(const std::vector<std::string>& links);
  HttpAnswer serve(const std::string& path);
  HttpAnswer serveHistory(const std::string& path);  // with mutex_ held
  void updateSystemdStatus();
  bool checkerAlive() const;

  std::string path_;
  ConfigPtr cfg_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mutex_;  // cfg_, state_, checksRun_
  AgentState state_;
  FlightRecorder recorder_;  // under mutex_
  // Links whose last check passed VLAN and IP on a proof the next check may take again (under
  // mutex_): the recorder asks for a check of one at its first unanswered echo.
  std::set<std::string> steady_;
  // FRR's sessions as the last check of every link read them, for the recorder's own full
  // read to take (Sampler::offerSessions), with the config they were read for (under mutex_).
  std::shared_ptr<const bgp::BgpFacts> checkedBgp_;
  std::chrono::steady_clock::time_point checkedBgpBegan_;  // no later than its read began: the check's start
  ConfigPtr checkedBgpConfig_;
  uint64_t checkedBgpNumber_ = 0;
  uint64_t checksRun_ = 0;
  int64_t lastCheckUnix_ = 0;
  std::unique_ptr<Spool> spool_;
  std::unique_ptr<Sender> sender_;
  StatusServer http_;

  std::thread checker_;
  std::thread recorderThread_;
  std::mutex checkerMutex_;
  std::condition_variable checkerCv_;
  bool checkerStop_ = false;
  bool checkRequested_ = false;
  std::set<std::string> requestedLinks_;  // empty with checkRequested_: all
  std::atomic<int64_t> checkStartedMs_{0};  // 0 between checks
  std::atomic<int64_t> checkDoneMs_{0};     // when the last check (or the loop's start) ended
  std::atomic<bool> firstCheckDone_{false};
};

void Agent::checkerLoop() {
  ConfigPtr built;
  std::unique_ptr<LinuxProbeSources> sources;
  bool all = true;
  std::vector<std::string> only;
  std::map<std::string, CheckOptions::Baseline> baseline;  // error counters at the last check, by interface
  std::map<std::string, CheckOptions::Proof> proofs;       // the last on-wire proof and echoes, by link
  std::set<std::string> reproveNow;                        // asked for: no earlier proof taken
  bgp::NeighborMemo bgpMemo;  // FRR's neighbor documents of steady sessions, between checks
  checkDoneMs_ = nowMs();
  for (;;) {
    checkStartedMs_ = nowMs();
    ConfigPtr cfg = config();
    if (cfg != built) {  // a reload: new sockets, paths and links
      sources = std::make_unique<LinuxProbeSources>(*cfg);
      built = cfg;
      all = true;
      baseline.clear();
      proofs.clear();
      bgpMemo.clear();
    }
    // Kept documents for the checks of every link only: a check of some links on request
    // reads theirs in full and leaves the others' pace of full reads alone.
    sources->sources().bgpMemo = all ? &bgpMemo : nullptr;
    // A link asked to be checked again has its sessions' documents read again too.
    for (const std::string& name : reproveNow)
      if (const config::Link* l = cfg->findLink(name); l && l->bgp) {
        bgpMemo.entries.erase(bgp::sessionKey(l->bgp->vrf, l->bgp->peer.toString()));
        if (l->bgp->peer6) bgpMemo.entries.erase(bgp::sessionKey(l->bgp->vrf, l->bgp->peer6->toString()));
      }
    std::vector<Observation> facts;
    CheckOptions options;
    if (!all) options.onlyLinks = only;
    options.counterBaseline = baseline;  // link.errors: the rise over the interval
    options.earlierProof = steadyProofs(*cfg, proofs, reproveNow);
    auto startedAt = std::chrono::system_clock::now();
    auto startedSteady = std::chrono::steady_clock::now();
    Report r = runChecks(*cfg, sources->sources(), options, &facts);
    auto doneAt = std::chrono::steady_clock::now();
    for (size_t i = 0; i < facts.size() && i < r.links.size(); ++i) {
      if (facts[i].link.counters) baseline[r.links[i].interface] = {facts[i].link.counters->last, doneAt};
      if (auto p = proofOf(facts[i], startedAt)) proofs[r.links[i].name] = std::move(*p);
      else proofs.erase(r.links[i].name);
    }
    addWindowVerdicts(r, facts, {});
    {
      // Steady: VLAN and IP passed (the window's echo loss included), so the next check may
      // take this proof again.
      std::lock_guard<std::mutex> lock(mutex_);
      for (const LinkReport& l : r.links) {
        bool ok = proofs.count(l.name) > 0;
        for (const CheckResult& c : l.checks)
          if ((c.layer == Layer::Vlan || c.layer == Layer::Ip) && c.status != Status::Ok) ok = false;
        if (ok) steady_.insert(l.name);
        else steady_.erase(l.name);
      }
      if (all && !facts.empty() && facts.front().bgp) {
        checkedBgp_ = facts.front().bgp;
        checkedBgpBegan_ = startedSteady;
        checkedBgpConfig_ = cfg;
        ++checkedBgpNumber_;
      }
    }
    publish(std::move(r), std::move(facts), {});
    firstCheckDone_ = true;
    checkDoneMs_ = nowMs();
    checkStartedMs_ = 0;
    facts.clear();
    facts.shrink_to_fit();
    std::unique_lock<std::mutex> lock(checkerMutex_);
    checkerCv_.wait_for(lock, std::chrono::milliseconds(cfg->agent.intervalMs),
                        [&] { return checkerStop_ || checkRequested_; });
    if (checkerStop_) return;
    all = !checkRequested_ || requestedLinks_.empty();
    only.assign(requestedLinks_.begin(), requestedLinks_.end());
    // A check that was asked for (a link event, a reload, the recorder's lost echo) proves
    // its links again; all of them when it named none.
    reproveNow.clear();
    if (checkRequested_ && requestedLinks_.empty())
      for (const auto& l : cfg->links) reproveNow.insert(l.name);
    reproveNow.insert(requestedLinks_.begin(), requestedLinks_.end());
    checkRequested_ = false;
    requestedLinks_.clear();
  }
}

// The earlier proofs the next check may take instead of probing again: a steady link's (its
// last VLAN and IP verdicts OK), younger than agent.reprove, not asked to be proved again,
// and with every echo the recorder sent since answered. The engine still proves it again if
// the interface is not the one it was made on (README "Re-proof").
std::map<std::string, CheckOptions::Proof> Agent::steadyProofs(const config::Config& cfg,
                                                              const std::map<std::string, CheckOptions::Proof>& proofs,
                                                              const std::set<std::string>& reproveNow) {
  std::map<std::string, CheckOptions::Proof> out;
  if (cfg.agent.reproveS == 0) return out;
  auto now = std::chrono::system_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [name, proof] : proofs) {
    if (!steady_.count(name) || reproveNow.count(name) || now - proof.at >= std::chrono::seconds(cfg.agent.reproveS))
      continue;
    auto since = std::chrono::ceil<std::chrono::seconds>(now - proof.at) + std::chrono::seconds(1);
    if (!recorder_.echoLost(name, since, now)) out.emplace(name, proof);
  }
  return out;
}

// A sample of every link a second into the flight recorder, on its own thread and with its
// own sources (the check loop may be waiting on a silent far end meanwhile).
void Agent::recorderLoop() {
  ConfigPtr built;
  std::unique_ptr<LinuxProbeSources> sources;
  std::vector<const config::Link*> links;
  std::unique_ptr<window::Sampler> sampler;
  uint64_t checkedBgpTaken = 0;  // the checkedBgpNumber_ last offered to the sampler
  auto next = Clock::now();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(checkerMutex_);
      if (checkerCv_.wait_until(lock, next, [&] { return checkerStop_; })) return;
    }
    next += std::chrono::seconds(1);
    if (next < Clock::now()) next = Clock::now() + std::chrono::seconds(1);  // fell behind: no burst
    ConfigPtr cfg = config();
    if (cfg != built) {
      sources = std::make_unique<LinuxProbeSources>(*cfg, true);
      links.clear();
      for (const auto& l : cfg->links) links.push_back(&l);
      sampler = std::make_unique<window::Sampler>(sources->sources(), links);
      built = cfg;
    }
    // What the kernel says goes in at once: a check that sees a flap meanwhile finds the
    // carrier this sample read, though the echo to a silent gateway waits for its deadline.
    auto samples = sampler->sampleInterfaces();
    std::shared_ptr<const bgp::BgpFacts> checked;  // a check's read of FRR since the last sample
    std::chrono::steady_clock::time_point checkedBegan;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (recorder_.capacity() != cfg->agent.historyS) recorder_ = FlightRecorder(cfg->agent.historyS);
      for (size_t i = 0; i < samples.size(); ++i) recorder_.add(links[i]->name, samples[i]);
      if (checkedBgpNumber_ != checkedBgpTaken && checkedBgpConfig_ == built)
        checked = checkedBgp_, checkedBegan = checkedBgpBegan_;
      checkedBgpTaken = checkedBgpNumber_;
    }
    if (checked) sampler->offerSessions(std::move(checked), checkedBegan);
    sampler->complete(samples, next - std::chrono::milliseconds(100));
    std::vector<std::string> lost;  // steady links whose gateway left this echo unanswered
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t i = 0; i < samples.size(); ++i) {
        recorder_.complete(links[i]->name, samples[i]);
        if (samples[i].echoSent && !samples[i].echoAnswered && steady_.erase(links[i]->name))
          lost.push_back(links[i]->name);
      }
    }
    // Those are proved again now, not at the next interval: a far end gone silent shows within
    // a second or two plus the check's deadline (a flap comes as a link event).
    if (!lost.empty()) requestCheck(lost);
  }
}

// The recorder's samples of the last `span`, and the check's own reading of the interface
// as the newest (its carrier and carrier changes): a flap the recorder has not sampled yet
// still counts. With mutex_ held.
std::vector<window::Sample> Agent::recentSamples(const std::string& link, std::chrono::seconds span,
                                                 window::TimePoint now, const Observation* latest) const {
  auto samples = recorder_.window(link, span, now);
  if (latest && latest->link.iface && !samples.empty() && samples.back().present &&
      samples.back().at < now) {
    window::Sample x = samples.back();  // its running counters, with the check's carrier
    x.at = now;
    x.carrier = latest->link.iface->carrier;
    x.carrierChanges = latest->link.iface->carrierChanges;
    x.echoSent = false;
    samples.push_back(x);
  }
  return samples;
}

// The window's verdicts beside the check's: flaps, rising errors, light swing, echo loss and
// session resets over the recorder's last max(interval, flap_guard). The check's own reading
// of the interface is the window's newest sample, so a flap the recorder has not sampled
// yet still counts.
void Agent::addWindowVerdicts(Report& r, const std::vector<Observation>& facts, const std::vector<Layer>& layers) {
  ConfigPtr cfg = config();
  window::Limits limits;
  limits.flapGuard = std::chrono::seconds(cfg->agent.flapGuardS);
  auto span = std::chrono::seconds(std::max<uint32_t>(cfg->agent.intervalMs / 1000, cfg->agent.flapGuardS));
  auto now = std::chrono::system_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  for (size_t i = 0; i < r.links.size(); ++i) {
    const config::Link* link = cfg->findLink(r.links[i].name);
    if (!link) continue;
    auto samples = recentSamples(link->name, span, now, i < facts.size() ? &facts[i] : nullptr);
    auto checks = window::judgeWindow(*link, samples, now, limits);
    if (!layers.empty())
      checks.erase(std::remove_if(checks.begin(), checks.end(),
                                  [&](const CheckResult& c) {
                                    return std::find(layers.begin(), layers.end(), c.layer) == layers.end();
                                  }),
                   checks.end());
    r.links[i] = window::withWindow(std::move(r.links[i]), std::move(checks));
  }
  r.status = reportStatus(r);
}

void Agent::requestCheck(const std::vector<std::string>& links) {
  std::lock_guard<std::mutex> lock(checkerMutex_);
  bool wasAll = checkRequested_ && requestedLinks_.empty();
  checkRequested_ = true;
  if (!wasAll) requestedLinks_.insert(links.begin(), links.end());
  checkerCv_.notify_all();
}

void Agent::spoolEvent(const Report& r, const std::string& link, EventKind kind) {
  if (!spool_) return;
  const LinkReport* l = state_.link(link);
  if (!l) return;
  // A change carries the minute before it, summarised (what moved: flaps, errors, light, loss).
  std::optional<window::Summary> around;
  if (kind == EventKind::Change) {
    auto facts = state_.facts().find(link);
    auto samples = recentSamples(link, std::chrono::seconds(60), std::chrono::system_clock::now(),
                                 facts == state_.facts().end() ? nullptr : &facts->second);
    if (samples.size() >= 2) around = window::summarize(samples);
  }
  // A report that cannot be stored is counted and the spool says why, once (spool.cpp).
  (void)spool_->add(link, kind, [&](const std::string& spoolId, uint64_t seq) {
    return readinessEvent(r, *l, kind, spoolId, seq, around ? &*around : nullptr);
  });
}

void Agent::publish(Report r, std::vector<Observation> facts, const std::vector<Layer>& layers) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++checksRun_;
    lastCheckUnix_ = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    std::optional<Report> now;  // built at the first change, once for all of them
    for (const LinkUpdate& u : state_.merge(std::move(r), std::move(facts), layers)) {
      if (!u.changed) continue;
      if (!now) now = state_.report();
      const LinkReport* l = state_.link(u.link);
      log_->info("link {} is {} ({}{})", u.link, readinessName(l->readiness), statusName(l->status),
                 l->firstBroken ? ", first broken layer " + std::string(layerName(*l->firstBroken)) : "");
      spoolEvent(*now, u.link, EventKind::Change);
    }
    if (sender_) sender_->wake();
  }
  updateSystemdStatus();
}

void Agent::heartbeat() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Report now = state_.report();
    for (const auto& l : now.links) spoolEvent(now, l.name, EventKind::Heartbeat);
    if (sender_) sender_->wake();
  }
}

void Agent::updateSystemdStatus() {
  std::lock_guard<std::mutex> lock(mutex_);
  int ready = 0, links = 0;
  for (const auto& l : cfg_->links)
    if (const LinkReport* r = state_.link(l.name)) ++links, ready += r->readiness == Readiness::Ready;
  std::string s = "STATUS=" + std::to_string(ready) + " of " + std::to_string(links) + " links ready";
  if (spool_) s += ", " + std::to_string(spool_->entries().size()) + " reports spooled";
  sd_notify(0, s.c_str());
}

bool Agent::checkerAlive() const {
  // Progress, not speed: a check is bounded by its deadline whatever the links do (silent
  // far ends cost the deadline once, not per link), so the loop is stuck only when a check
  // outlives that bound by far, or when no check starts an interval after the last one.
  int64_t now = nowMs(), started = checkStartedMs_.load();
  if (started) return now - started < kCheckStuckMs;
  return now - checkDoneMs_.load() < int64_t(config()->agent.intervalMs) + kCheckStuckMs;
}

// An orchestrator added, removed or changed by a reload takes effect now; a token that
// cannot be read refuses the whole reload.
bool Agent::reloadOrchestrator(const config::Config& next) {
  ConfigPtr running = config();
  if (!next.orchestrator) {
    if (!running->orchestrator) return true;
    std::unique_ptr<Sender> sender;
    std::unique_ptr<Spool> spool;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sender = std::move(sender_);
      spool = std::move(spool_);
    }
    sender->stop();  // the POST in flight completes
    log_->warn("reload: no orchestrator any more: reports stop; {} undelivered report(s) stay in {}",
               spool->entries().size(), spool->dir());
    return true;
  }
  auto token = readToken(*next.orchestrator);
  if (!token) {
    log_->error("reload: {}; the running config stays", token.error());
    return false;
  }
  const config::Orchestrator& o = *next.orchestrator;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!sender_) {
    openDelivery(o, *token);
    log_->info("reload: reporting to {} (token {} bytes)", o.url, token->size());
    return true;
  }
  if (o.spoolDir != running->orchestrator->spoolDir || o.spoolMaxBytes != running->orchestrator->spoolMaxBytes)
    log_->warn("reload: a new spool_dir or spool_max_bytes takes effect at the next restart");
  sender_->setPoster(makeHttpPoster(o, *token), std::chrono::milliseconds(o.backoffMaxMs));
  if (o.url != running->orchestrator->url) log_->info("reload: reporting to {} now", o.url);
  return true;
}

void Agent::reload() {
  auto fresh = config::fromFile(path_);
  if (!fresh) {
    log_->error("reload: {} is broken, the running config stays: {}", path_, config::formatErrors(fresh.error()));
    return;
  }
  auto next = std::make_shared<const config::Config>(std::move(*fresh));
  if (!reloadOrchestrator(*next)) return;
  if (next->agent.listenHost != cfg_->agent.listenHost || next->agent.listenPort != cfg_->agent.listenPort)
    log_->warn("reload: a new listen address takes effect at the next restart");
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cfg_ = next;
    state_.retain(*next);
    std::set<std::string> names;
    for (const auto& l : next->links) names.insert(l.name);
    recorder_.retain(names);
  }
  log_->info("reload: {} loaded, {} link(s)", path_, next->links.size());
  requestCheck({});
}

void Agent::onLinkEvents(const std::set<std::string>& interfaces) {
  ConfigPtr cfg = config();
  std::vector<std::string> links;
  for (const auto& l : cfg->links)
    for (const auto& i : interfaces)
      if (i == l.interface || i.rfind(l.interface + ".", 0) == 0) {
        links.push_back(l.name);
        break;
      }
  if (links.empty()) return;
  // The fast path: optics and link only, at once (a pulled cable shows within
  // milliseconds); the full check of those links follows in the checker.
  static thread_local std::unique_ptr<LinuxProbeSources> fast;
  static thread_local ConfigPtr fastFor;
  if (fastFor != cfg) fast = std::make_unique<LinuxProbeSources>(*cfg), fastFor = cfg;
  std::vector<Observation> facts;
  std::vector<Layer> layers = {Layer::Optics, Layer::Link};
  Report r = runChecks(*cfg, fast->sources(), CheckOptions{links, layers}, &facts);
  addWindowVerdicts(r, facts, layers);
  publish(std::move(r), std::move(facts), layers);
  requestCheck(links);
}

HttpAnswer Agent::serve(const std::string& path) {
  if (path == "/healthz") {
    if (!firstCheckDone_) return {503, "text/plain", "starting: no check finished yet\n"};
    if (!checkerAlive()) return {503, "text/plain", "the check loop is stuck\n"};
    std::lock_guard<std::mutex> lock(mutex_);
    if (spool_) {  // reports that cannot be stored are lost: not healthy, although alive
      if (std::string p = spool_->problem(); !p.empty()) return {503, "text/plain", "spool: " + p + "\n"};
      if (std::string n = spool_->notes(); !n.empty()) return {200, "text/plain", "ok\nspool: " + n + "\n"};
    }
    return {200, "text/plain", "ok\n"};
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (path == "/v1/history" || path.rfind("/v1/history/", 0) == 0) return serveHistory(path);
  if (!firstCheckDone_) return {503, "application/json", "{\"error\":\"no check finished yet\"}\n"};
  Report r = state_.report();
  if (path == "/v1/status") return {200, "application/json", jsonText(reportToJson(r), 2) + "\n"};
  AgentCounters c;
  c.checksRun = checksRun_;
  c.lastCheckUnix = lastCheckUnix_;
  if (spool_) {
    c.orchestratorConfigured = true;
    auto sc = spool_->counters();
    c.reportsSpooledTotal = sc.spooled;
    c.droppedHeartbeats = sc.droppedHeartbeats;
    c.droppedChanges = sc.droppedChanges;
    c.coalescedHeartbeats = sc.coalescedHeartbeats;
    c.spoolWriteErrors = sc.writeErrors;
    c.spoolQuarantined = sc.quarantined;
    c.spoolWritable = spool_->problem().empty();
    c.spoolEntries = spool_->entries().size();
    c.spoolBytes = spool_->bytes();
  }
  if (sender_) {
    c.reportsSent = sender_->counters().sent;
    c.reportsFailed = sender_->counters().failed;
    c.lastDeliveryUnix = sender_->counters().lastSuccessUnix;
    c.reportsRejected = sender_->counters().rejected;
  }
  return {200, "text/plain; version=0.0.4", renderMetrics(*cfg_, r, state_.facts(), c)};
}

// GET /v1/history: every link's recorded samples; /v1/history/LINK: one link's.
HttpAnswer Agent::serveHistory(const std::string& path) {
  std::string only = path.size() > 12 ? path.substr(12) : "";
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : cfg_->links) {
    if (!only.empty() && l.name != only) continue;
    links.push_back(historyToJson(l.name, l.interface, recorder_.all(l.name)));
  }
  if (!only.empty() && links.empty()) {
    std::string known;
    for (const auto& l : cfg_->links) known += (known.empty() ? "" : ", ") + l.name;
    return {404, "application/json", jsonText(nlohmann::json{{"error", "no link named '" + only + "' (links: " + known + ")"}}) + "\n"};
  }
  nlohmann::json doc = {{"schema", kHistorySchema}, {"agent_id", cfg_->agent.id}, {"interval_s", 1},
                        {"recorder_bytes", recorder_.bytes()}, {"links", links}};
  return {200, "application/json", jsonText(doc) + "\n"};
}

// rtnetlink link notifications: names of the interfaces that changed.
int onNetlink(nl_msg* msg, void* arg) {
  auto* names = static_cast<std::set<std::string>*>(arg);
  nlmsghdr* h = nlmsg_hdr(msg);
  if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) return NL_OK;
  nlattr* tb[IFLA_MAX + 1];
  if (nlmsg_parse(h, sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) == 0 && tb[IFLA_IFNAME])
    names->insert(nla_get_string(tb[IFLA_IFNAME]));
  return NL_OK;
}

// Signals arrive through a signalfd in the main loop; every thread inherits the mask.
int blockSignalsIntoFd() {
  // A write to a connection the peer has closed (delivery's kept connection, a scraper gone)
  // is an error to handle, not a reason to die; OpenSSL writes with write(2), no MSG_NOSIGNAL.
  signal(SIGPIPE, SIG_IGN);
  sigset_t mask;
  sigemptyset(&mask);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&mask, s);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);
  return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

// rtnetlink link notifications: which interfaces changed since the last drain.
class LinkEvents {
 public:
  LinkEvents() : nl_(nl_socket_alloc()) {
    nl_socket_disable_seq_check(nl_);
    nl_socket_modify_cb(nl_, NL_CB_VALID, NL_CB_CUSTOM, onNetlink, &changed_);
    if (nl_connect(nl_, NETLINK_ROUTE) == 0 && nl_socket_add_membership(nl_, RTNLGRP_LINK) == 0) {
      nl_socket_set_nonblocking(nl_);
      fd_ = nl_socket_get_fd(nl_);
    }
  }
  ~LinkEvents() { nl_socket_free(nl_); }
  int fd() const { return fd_; }  // -1: no notifications
  // Events come in bursts (a VLAN stack follows its port): take them together.
  const std::set<std::string>& drain() {
    changed_.clear();
    nl_recvmsgs_default(nl_);
    pollfd more{fd_, POLLIN, 0};
    while (poll(&more, 1, 5) > 0) nl_recvmsgs_default(nl_);
    return changed_;
  }

 private:
  nl_sock* nl_;
  int fd_ = -1;
  std::set<std::string> changed_;
};

// Opens the spool and starts its sender; with mutex_ held, or before the other threads run.
void Agent::openDelivery(const config::Orchestrator& o, const std::string& token) {
  spool_ = Spool::open(o.spoolDir, o.spoolMaxBytes);
  if (!spool_->entries().empty())
    log_->info("{} report(s) left in the spool by an earlier run: delivering them first", spool_->entries().size());
  sender_ = std::make_unique<Sender>(*spool_, makeHttpPoster(o, token), std::chrono::milliseconds(o.backoffMaxMs));
  sender_->start();
}

bool Agent::startDelivery(const config::Config& cfg) {
  if (!cfg.orchestrator) return true;
  auto token = readToken(*cfg.orchestrator);
  if (!token) {
    log_->critical("{}", token.error());
    return false;
  }
  // A spool that cannot store reports does not stop the agent: it says so and retries.
  openDelivery(*cfg.orchestrator, *token);
  log_->info("reporting to {} (token {} bytes)", cfg.orchestrator->url, token->size());
  return true;
}

bool Agent::startStatusServer(const config::Config& cfg) {
  if (!cfg.agent.listenPort) return true;
  std::string err = http_.start(cfg.agent.listenHost, cfg.agent.listenPort, [this](const std::string& p) { return serve(p); });
  if (!err.empty()) {
    log_->critical("{}", err);
    return false;
  }
  log_->info("status and metrics on http://{}:{}/", cfg.agent.listenHost, cfg.agent.listenPort);
  return true;
}

// What is due now: READY once, the watchdog, freed memory back to the system, heartbeats.
void Agent::tick(Timers& t) {
  auto now = Clock::now();
  if (!t.notifiedReady && firstCheckDone_) {
    sd_notify(0, "READY=1");
    t.notifiedReady = true;
    log_->info("first check done: ready");
  }
  if (t.watchdog && now >= t.nextWatchdog) {
    // Fed only while the check loop is alive: a stuck check gets the agent restarted.
    if (checkerAlive()) sd_notify(0, "WATCHDOG=1");
    t.nextWatchdog = now + std::chrono::microseconds(t.watchdogUsec / 2);
  }
  if (now >= t.nextTrim) {
    // What the threads freed meanwhile (a check of every link, a history answer of
    // megabytes) goes back to the system instead of staying resident.
    malloc_trim(0);
    t.nextTrim = now + std::chrono::seconds(10);
  }
  ConfigPtr c = config();
  if (c->orchestrator && now >= t.nextHeartbeat) {
    if (firstCheckDone_) heartbeat();
    t.nextHeartbeat = now + std::chrono::milliseconds(c->orchestrator->heartbeatMs);
  }
}

// SIGHUP reloads; SIGTERM and SIGINT stop. Returns true to stop.
bool Agent::onSignals(int sigfd) {
  bool stop = false;
  signalfd_siginfo si;
  while (read(sigfd, &si, sizeof si) == sizeof si) {
    if (si.ssi_signo == SIGHUP) {
      sd_notify(0, "RELOADING=1");
      reload();
      sd_notify(0, "READY=1");
    } else {
      log_->info("signal {}: finishing", si.ssi_signo == SIGTERM ? "TERM" : "INT");
      stop = true;
    }
  }
  return stop;
}

// A check in progress completes and is published (and spooled); the POST in flight completes.
void Agent::shutdown() {
  sd_notify(0, "STOPPING=1");
  {
    std::lock_guard<std::mutex> lock(checkerMutex_);
    checkerStop_ = true;
    checkerCv_.notify_all();
  }
  checker_.join();
  recorderThread_.join();
  if (sender_) sender_->stop();
  http_.stop();
}

int Agent::run() {
  // Two malloc arenas for the dozen threads (the check's probes, the recorder, the status
  // server): each thread's own arena kept its high-water mark resident (64 links: 7 MiB).
  // Large blocks (reports, history answers) always mapped and unmapped on their own: glibc
  // otherwise raises the threshold after the first free and keeps them in the heap.
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 128 << 10);
  int sigfd = blockSignalsIntoFd();
  const config::Config& cfg = *cfg_;
  if (!startDelivery(cfg)) return 3;
  if (!startStatusServer(cfg)) {
    if (sender_) sender_->stop();
    return 3;
  }
  LinkEvents events;
  if (events.fd() < 0) log_->warn("no rtnetlink link notifications: link changes show at the next poll only");
  // Named, so that top -H and /proc/PID/task/*/comm tell the check loop from the recorder.
  checker_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lr-check");
    checkerLoop();
  });
  recorderThread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lr-recorder");
    recorderLoop();
  });

  Timers timers;
  timers.watchdog = sd_watchdog_enabled(0, &timers.watchdogUsec) > 0;
  timers.nextHeartbeat = Clock::now() + std::chrono::milliseconds(cfg.orchestrator ? cfg.orchestrator->heartbeatMs : 0);
  timers.nextWatchdog = Clock::now();
  for (bool stop = false; !stop;) {
    tick(timers);
    pollfd fds[2] = {{sigfd, POLLIN, 0}, {events.fd(), POLLIN, 0}};
    if (poll(fds, events.fd() >= 0 ? 2 : 1, timers.notifiedReady ? 1000 : 50) <= 0) continue;
    if (fds[0].revents & POLLIN) stop = onSignals(sigfd);
    if (events.fd() >= 0 && (fds[1].revents & POLLIN)) {
      const auto& changed = events.drain();
      if (!changed.empty()) onLinkEvents(changed);
    }
  }
  shutdown();
  close(sigfd);
  return 0;
}

}  // namespace

int runAgent(const std::string& configPath) {
  setupLogging();
  auto cfg = config::fromFile(configPath);
  if (!cfg) {
    spdlog::get("agent")->critical("{}", config::formatErrors(cfg.error()));
    return 3;
  }
  Agent agent(configPath, std::make_shared<const config::Config>(std::move(*cfg)));
  return agent.run();
}

}  // namespace linkready
