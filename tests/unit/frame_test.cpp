// The frame encoder and decoder on frames captured in the lab (tests/fixtures/frames),
// and 0x9100 stacks, which no Linux VLAN device can carry.
#include <catch2/catch.hpp>

#include <pcap/pcap.h>

#include "probes/vlan/frame.h"
#include "probes/vlan/wire_probe.h"

using namespace linkready;
using namespace linkready::vlan;

namespace {

std::vector<std::vector<uint8_t>> readPcap(const std::string& name) {
  char err[PCAP_ERRBUF_SIZE];
  std::string path = std::string(LINKREADY_TEST_FIXTURES) + "/frames/" + name;
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  REQUIRE(p);
  std::vector<std::vector<uint8_t>> frames;
  pcap_pkthdr* h;
  const u_char* data;
  while (pcap_next_ex(p, &h, &data) == 1) frames.emplace_back(data, data + h->caplen);
  pcap_close(p);
  return frames;
}

std::vector<Frame> decodeAll(const std::string& name) {
  std::vector<Frame> out;
  for (const auto& f : readPcap(name)) {
    auto d = decodeFrame(f.data(), f.size());
    REQUIRE(d);
    out.push_back(*d);
  }
  return out;
}

const IpAddress kUs = *IpAddress::parse("10.0.0.2");
const IpAddress kGw = *IpAddress::parse("10.0.0.1");

const Frame* arp(const std::vector<Frame>& frames, uint16_t op) {
  for (const auto& f : frames)
    if (f.arp && f.arp->op == op && (op == 1 ? f.arp->targetIp == kGw : f.arp->senderIp == kGw)) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("802.1Q: our tagged ARP request and the VBR's tagged reply, as captured", "[frame]") {
  auto frames = decodeAll("vlan-dot1q.pcap");
  const Frame* rq = arp(frames, 1);
  const Frame* rp = arp(frames, 2);
  REQUIRE(rq);
  REQUIRE(rp);
  CHECK(stackText(rq->tags) == "0x8100/100");
  CHECK(rq->arp->senderIp == kUs);
  CHECK(stackText(rp->tags) == "0x8100/100");
  CHECK(rp->arp->targetIp == kUs);
  CHECK(rp->destination == rq->source);
  bool ns = false, na = false;
  for (const auto& f : frames) {
    if (f.nd && f.nd->type == 135 && f.nd->target == *IpAddress::parse("2001:db8:ffff::1")) ns = true;
    if (f.nd && f.nd->type == 136 && f.nd->target == *IpAddress::parse("2001:db8:ffff::1")) {
      na = true;
      CHECK(stackText(f.tags) == "0x8100/100");
    }
  }
  CHECK(ns);
  CHECK(na);
}

TEST_CASE("QinQ: the reply carries 0x88a8/200 then 0x8100/300, rebuilt from auxdata by libpcap", "[frame]") {
  auto frames = decodeAll("qinq.pcap");
  const Frame* rp = arp(frames, 2);
  REQUIRE(rp);
  REQUIRE(rp->tags.size() == 2);
  CHECK(rp->tags[0] == Tag{0x88a8, 200, 0});
  CHECK(rp->tags[1] == Tag{0x8100, 300, 0});
}

TEST_CASE("the wire probe's accounting on captured frames: answer, mismatch, far-end stacks", "[frame][wire]") {
  auto account = [](const std::string& file, std::vector<Tag> sent, std::vector<std::vector<Tag>> others = {}) {
    auto frames = decodeAll(file);
    WireRequest rq;
    rq.tags = std::move(sent);
    rq.otherLinks = std::move(others);
    rq.ourIp4 = kUs;
    rq.gateway4 = kGw;
    rq.gateway6 = *IpAddress::parse("2001:db8:ffff::1");
    const Frame* ours = arp(frames, 1);
    REQUIRE(ours);
    rq.ourMac = ours->source;
    WireResult r;
    for (const auto& f : frames) accountFrame(rq, f, r);
    return r;
  };
  auto good = account("qinq.pcap", {{0x88a8, 200, 0}, {0x8100, 300, 0}});
  REQUIRE(good.arpAnswerStack);
  CHECK(stackText(*good.arpAnswerStack) == "0x88a8/200 0x8100/300");
  CHECK(good.ndAnswerStack);

  auto wrong = account("vlan-wrong-vbr.pcap", {{0x8100, 100, 0}});
  CHECK_FALSE(wrong.arpAnswerStack);
  REQUIRE(wrong.farEndStacks.count("0x8100/101"));
  CHECK(wrong.farEndStacks.at("0x8100/101") > 0);
  CHECK(wrong.farEndStacks.count("0x8100/100") == 0);
  // The same capture when another configured link uses VLAN 101 on this port: our gateway
  // speaking there is still the clue (the two links' VLANs swapped)...
  auto swapped = account("vlan-wrong-vbr.pcap", {{0x8100, 100, 0}}, {{{0x8100, 101, 0}}});
  CHECK(swapped.farEndStacks.count("0x8100/101"));
  // ...but that link's own gateway speaking on its own VLAN is no hint about ours.
  WireRequest rq;
  rq.tags = {{0x8100, 100, 0}};
  rq.ourIp4 = kUs;
  rq.gateway4 = kGw;
  rq.otherLinks = {{{0x8100, 101, 0}}};
  Mac other{0x02, 0, 0, 0, 0x0b, 0x01};
  auto bytes = encodeArpRequest(other, *IpAddress::parse("10.0.0.5"), *IpAddress::parse("10.0.0.6"), {{0x8100, 101, 0}});
  auto frame = decodeFrame(bytes.data(), bytes.size());
  REQUIRE(frame);
  WireResult sibling;
  accountFrame(rq, *frame, sibling);
  CHECK(sibling.framesSeen == 0);
  CHECK(sibling.farEndStacks.empty());
  CHECK(sibling.farEndArpSenders.empty());

  auto ctag = account("qinq-wrong-ctag.pcap", {{0x88a8, 200, 0}, {0x8100, 300, 0}});
  CHECK_FALSE(ctag.arpAnswerStack);
  CHECK(ctag.farEndStacks.count("0x88a8/200 0x8100/301"));

  auto gw = account("wrong-gateway.pcap", {{0x8100, 100, 0}});
  CHECK_FALSE(gw.arpAnswerStack);
  CHECK(gw.farEndArpSenders.count("10.0.0.3"));  // the far end says who it really is
}

TEST_CASE("0x9100 stacks (Equinix QINQ ports): encoded and decoded, though no Linux device carries them",
          "[frame]") {
  Mac us = *parseMac("02:00:00:00:00:02");
  std::vector<Tag> stack = {{0x9100, 200, 0}, {0x8100, 300, 5}};
  auto bytes = encodeArpRequest(us, kUs, kGw, stack);
  CHECK(bytes.size() == 60);  // 14 + two tags + 28 of ARP, padded to the 60-byte minimum
  CHECK(bytes[12] == 0x91);
  CHECK(bytes[13] == 0x00);
  auto f = decodeFrame(bytes.data(), bytes.size());
  REQUIRE(f);
  CHECK(f->tags == stack);
  CHECK(stackText(f->tags) == "0x9100/200 0x8100/300");
  CHECK(f->arp->op == 1);
  CHECK(f->arp->targetIp == kGw);
  CHECK(f->destination == Mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
}

TEST_CASE("neighbour solicitation: solicited-node multicast, our link-layer address, a valid checksum", "[frame]") {
  Mac us = *parseMac("02:00:00:00:00:02");
  IpAddress src = *IpAddress::parse("2001:db8:ffff::2");
  IpAddress target = *IpAddress::parse("2001:db8:ffff::1");
  auto bytes = encodeNeighborSolicitation(us, src, target, {{0x88a8, 200, 0}, {0x8100, 300, 0}});
  auto f = decodeFrame(bytes.data(), bytes.size());
  REQUIRE(f);
  REQUIRE(f->nd);
  CHECK(f->nd->type == 135);
  CHECK(f->nd->target == target);
  CHECK(f->nd->destination.toString() == "ff02::1:ff00:1");
  CHECK(macText(f->destination) == "33:33:ff:00:00:01");
  CHECK(f->nd->linkLayerAddress == us);
  // The checksum over pseudo-header and message sums to 0xffff when valid.
  const uint8_t* ip6 = bytes.data() + 14 + 8;
  uint32_t sum = 0;
  auto add = [&](const uint8_t* p, size_t n) {
    for (size_t i = 0; i + 1 < n; i += 2) sum += uint32_t(p[i] << 8 | p[i + 1]);
  };
  add(ip6 + 8, 32);
  size_t len = size_t(ip6[4] << 8 | ip6[5]);
  uint8_t pseudo[8] = {0, 0, uint8_t(len >> 8), uint8_t(len), 0, 0, 0, 58};
  add(pseudo, 8);
  add(ip6 + 40, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  CHECK(sum == 0xffff);
}

TEST_CASE("broken frames are refused, not misread", "[frame]") {
  std::vector<uint8_t> runt(10, 0);
  CHECK_FALSE(decodeFrame(runt.data(), runt.size()));
  std::vector<uint8_t> tags(12, 0);
  for (int i = 0; i < 20; ++i) tags.insert(tags.end(), {0x81, 0x00, 0x00, 0x01});  // 20 tags deep
  CHECK_FALSE(decodeFrame(tags.data(), tags.size()));
  auto arpFrame = encodeArpRequest(*parseMac("02:00:00:00:00:02"), kUs, kGw, {{0x8100, 100, 0}});
  auto cut = decodeFrame(arpFrame.data(), 14 + 4 + 10);  // the ARP body cut short
  REQUIRE(cut);
  CHECK_FALSE(cut->arp);
  CHECK(cut->tags.size() == 1);
}

TEST_CASE("the wire probe's rounds: each family asked until its answer, then nothing more", "[frame][wire]") {
  auto frames = decodeAll("qinq.pcap");
  WireRequest rq;
  rq.tags = {{0x88a8, 200, 0}, {0x8100, 300, 0}};
  rq.ourIp4 = kUs;
  rq.gateway4 = kGw;
  rq.ourIp6 = *IpAddress::parse("2001:db8:ffff::2");
  rq.gateway6 = *IpAddress::parse("2001:db8:ffff::1");
  const Frame* ours = arp(frames, 1);
  REQUIRE(ours);
  rq.ourMac = ours->source;
  WireResult r;
  auto first = wireRound(rq, r);
  REQUIRE(first.size() == 2);
  auto sentArp = decodeFrame(first[0].data(), first[0].size());
  REQUIRE(sentArp);
  CHECK(sentArp->tags == rq.tags);
  CHECK(sentArp->arp->targetIp == kGw);
  auto sentNs = decodeFrame(first[1].data(), first[1].size());
  REQUIRE(sentNs);
  REQUIRE(sentNs->nd);
  CHECK(sentNs->nd->target == *rq.gateway6);
  CHECK_FALSE(wireAnswered(rq, r));

  for (const auto& f : frames) accountFrame(rq, f, r);  // the captured answers to both
  CHECK(wireAnswered(rq, r));
  CHECK(wireRound(rq, r).empty());

  WireRequest v4only = rq;
  v4only.ourIp6.reset();
  WireResult none;
  CHECK(wireRound(v4only, none).size() == 1);
}
