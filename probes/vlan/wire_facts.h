// What the on-wire proof asks and what it found: the tagged ARP/ND requests sent and the
// frames that came back. Plain data, no I/O.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probes/vlan/frame.h"

namespace linkready::vlan {

struct WireRequest {
  std::string interface;  // the physical port
  Mac ourMac{};
  std::vector<Tag> tags;  // outermost first, as configured
  std::optional<IpAddress> ourIp4, gateway4, ourIp6, gateway6;
  // The stacks other configured links use on the same port (hosted connections share one):
  // their frames are theirs, neither an answer to us nor a hint that our VLAN is wrong.
  std::vector<std::vector<Tag>> otherLinks;
  int sends = 4;                                  // per address family, `spacing` apart, until answered
  std::chrono::milliseconds spacing{300};
  std::chrono::milliseconds wait{2000};           // at most, after the first send (the far end of a
                                                  // wrong gateway shows itself only every ~2 s)
  size_t maxFrames = 5000;                        // never read more than this
};

struct WireResult {
  std::string error;   // the probe could not run
  bool permissionDenied = false;
  int framesSent = 0;
  std::string sendError;  // the last frame the kernel would not send, why (libpcap's words)
  int framesSeen = 0;
  double seconds = 0;
  std::optional<std::vector<Tag>> arpAnswerStack;  // the tags the ARP reply carried
  std::string gatewayMac;
  std::optional<std::vector<Tag>> ndAnswerStack;
  std::map<std::string, int> farEndStacks;  // frames from other MACs, by tag stack
  std::map<std::string, std::string> farEndArpSenders;  // far-end IPv4 addresses seen (ARP, IP) -> tag stack
};

// One link's on-wire proof as the check engine keeps it.
struct WireFacts {
  bool ran = false;
  std::string notRun;             // why the on-wire proof did not run
  std::vector<Tag> sentStack;     // what we tagged our frames with
  WireResult result;
};

// Pure: folds one captured frame into the result (answers, far-end stacks).
void accountFrame(const WireRequest& request, const Frame& frame, WireResult& result);

// Pure: every family asked has its answer.
bool wireAnswered(const WireRequest& request, const WireResult& result);

// Pure: the frames one round sends: an ARP request and a neighbour solicitation, each
// only while its family is asked and not yet answered.
std::vector<std::vector<uint8_t>> wireRound(const WireRequest& request, const WireResult& result);

}  // namespace linkready::vlan
