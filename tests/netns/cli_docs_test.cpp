// What people expect of a CLI, checked against the binary itself: every subcommand and
// option its --help lists is completed by doc/linkready.bash (run in bash as a user's shell
// runs it) and named in the man page; each subcommand's --help shows examples;
// --version names the commit.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "netns/lab_helpers.h"

using namespace linkready::test;

namespace {

const std::vector<std::string> kCommands[] = {{},          {"check"}, {"validate-config"}, {"intent"}, {"intent", "import"},
                                              {"intent", "reconcile"}, {"agent"}, {"status"}, {"history"}, {"optics"}};

std::string joined(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

// --help of a command; the part above the examples (the footer names other programs' options).
std::string help(const std::vector<std::string>& command) {
  std::vector<std::string> argv = {binary()};
  argv.insert(argv.end(), command.begin(), command.end());
  argv.push_back("--help");
  Run r = run(argv);
  INFO(joined(command) << ": " << r.err);
  REQUIRE(r.exitCode == 0);
  return r.out;
}

std::string aboveExamples(const std::string& text) {
  auto cut = std::min(text.find("Examples:"), text.find("Exit codes:"));
  return text.substr(0, cut);
}

// The options of the "Options:" table: the names at the start of its rows ("-o,--output").
std::set<std::string> options(const std::string& helpText) {
  std::set<std::string> out;
  std::string text = aboveExamples(helpText);
  auto at = text.find("OPTIONS:");
  if (at == std::string::npos) at = text.find("Options:");
  REQUIRE(at != std::string::npos);
  std::istringstream in(text.substr(at));
  std::string line;
  std::getline(in, line);
  static const std::regex row(R"(^\s+(-[a-z0-9-]+(?:,--?[a-z0-9-]+)*)\b.*)");
  while (std::getline(in, line) && line.find(':') != line.size() - 1) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    std::istringstream names(m[1].str());
    std::string name;
    while (std::getline(names, name, ',')) out.insert(name);
  }
  REQUIRE_FALSE(out.empty());
  return out;
}

std::set<std::string> subcommands(const std::string& helpText) {
  std::set<std::string> out;
  std::string text = aboveExamples(helpText);
  auto at = text.find("SUBCOMMANDS:");
  if (at == std::string::npos) at = text.find("Subcommands:");
  if (at == std::string::npos) return out;
  std::istringstream in(text.substr(at));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string first;
    if (line.rfind("  ", 0) == 0 && words >> first) out.insert(first);
  }
  return out;
}

// What bash completes after `linkready WORDS... CUR`, with doc/linkready.bash loaded.
std::set<std::string> complete(const std::vector<std::string>& words, const std::string& cur) {
  std::string line = "linkready";
  for (const auto& w : words) line += " " + w;
  std::string script = "source " + sourceDir() + "/doc/linkready.bash\n" + "COMP_WORDS=(" + line + " '" + cur +
                       "')\nCOMP_CWORD=" + std::to_string(words.size() + 1) +
                       "\n_linkready\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
  Run r = run({"bash", "--norc", "-c", script});
  REQUIRE(r.exitCode == 0);
  std::set<std::string> out;
  std::istringstream in(r.out);
  std::string w;
  while (in >> w) out.insert(w);
  return out;
}

std::string manSource() {
  std::ifstream in(sourceDir() + "/doc/linkready.8");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return std::regex_replace(s, std::regex(R"(\\-)"), "-");  // roff's \- is the dash a user types
}

}  // namespace

TEST_CASE("cli: bash completes every subcommand and option the binary's --help lists", "[cli]") {
  for (const auto& command : kCommands) {
    std::string text = help(command);
    INFO("linkready " << joined(command) << " --help:\n" << text);
    std::set<std::string> offered = complete(command, "-");
    for (const auto& option : options(text)) {
      INFO(option);
      CHECK(offered.count(option));
    }
    std::set<std::string> words = complete(command, "");
    for (const auto& sub : subcommands(text)) {
      INFO(sub);
      CHECK(words.count(sub));
    }
  }
  CHECK(complete({"check", "--format"}, "") == std::set<std::string>{"json", "nagios", "text"});
}

TEST_CASE("cli: the man page names every subcommand, every option and every exit code", "[cli]") {
  std::string man = manSource();
  for (const auto& command : kCommands) {
    std::string text = help(command);
    INFO("linkready " << joined(command));
    if (!command.empty()) CHECK(man.find(".B " + joined(command)) != std::string::npos);
    for (const auto& option : options(text)) {
      INFO(option);
      CHECK(man.find(option) != std::string::npos);
    }
  }
  auto exitStatus = man.find(".SH EXIT STATUS");
  REQUIRE(exitStatus != std::string::npos);
  std::string section = man.substr(exitStatus, man.find(".SH", exitStatus + 4) - exitStatus);
  for (const char* code : {".B 0\nOK", ".B 1\nWARNING", ".B 2\nCRITICAL", ".B 3\nUNKNOWN"}) CHECK(section.find(code) != std::string::npos);
  Run lint = run({"sh", "-c", "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l " + sourceDir() + "/doc/linkready.8 2>&1 >/dev/null"});
  CHECK(lint.out == "");
}

TEST_CASE("cli: every subcommand's --help shows examples of itself", "[cli]") {
  for (const auto& command : kCommands) {
    if (command.empty()) continue;
    std::string text = help(command);
    INFO(text);
    auto examples = text.find("Examples:");
    REQUIRE(examples != std::string::npos);
    CHECK(text.find("linkready " + joined(command), examples) != std::string::npos);
  }
}

TEST_CASE("cli: --version names the commit the binary was built from", "[cli]") {
  Run v = run({binary(), "--version"});
  CHECK(v.exitCode == 0);
  std::smatch m;
  REQUIRE(std::regex_search(v.out, m, std::regex(R"(^linkready [0-9]+\.[0-9]+\.[0-9]+ \(commit ([^)]+)\)\n$)")));
  std::string commit = m[1];
  Run git = run({"git", "-C", sourceDir(), "rev-parse", "--short=7", "HEAD"});
  if (git.exitCode == 0) {
    INFO("HEAD " << git.out << "(a stale build directory configures again when HEAD moves)");
    std::string head = git.out.substr(0, 7);
    CHECK(commit.find(head) != std::string::npos);
  } else {
    CHECK(commit == "unknown (not built from a git checkout)");
  }
}

TEST_CASE("cli: check --format takes text, json and nagios only, --json and --watch do not mix with it", "[cli]") {
  Run bad = run({binary(), "check", "--format", "xml", "--config", sourceDir() + "/config/examples/lab.yaml"});
  CHECK(bad.exitCode == 3);
  CHECK_THAT(bad.err, Catch::Contains("--format"));
  CHECK(run({binary(), "check", "--json", "--format", "nagios"}).exitCode == 3);
  CHECK(run({binary(), "check", "--watch", "--format", "json"}).exitCode == 3);
}
