// Equinix Fabric port objects (encapsulation, TPID, cross-connect and patch panel) and
// `intent import` matching each Equinix connection to its VBR (tests/fixtures/intent).
#include <catch2/catch.hpp>

#include "agent/check/intent.h"
#include "agent/check/reconcile.h"
#include "agent/render/intent_yaml.h"
#include "probes/cloud/cloud.h"

using namespace linkready;

namespace {

std::string path(const std::string& f) { return std::string(LINKREADY_TEST_FIXTURES) + "/intent/" + f; }

}  // namespace

TEST_CASE("equinix: port objects, their TPID in any of its forms, cross-connect and patch panels", "[intent][equinix]") {
  auto in = cloud::load({path("equinix_fabricv4_ports.list.json")});
  REQUIRE(in);
  REQUIRE(in->equinixPorts.size() == 2);
  const auto& qinq = in->equinixPorts[0];
  CHECK(qinq.encapsulationType == "QINQ");
  CHECK(qinq.tagProtocolId == 0x9100);  // 37120 in the spec's example
  REQUIRE(qinq.physicalPorts.size() == 1);
  CHECK(qinq.physicalPorts[0].crossConnectId == "ECX.05.00001836");
  CHECK(intent::coloIds(qinq) == "Equinix port gen-l2-qa-01-auto-TY4-L-Qinq-STD-SEC-10G-JUN-598: cross-connect ECX.05.00001836, "
                                 "demarc patch panel PP:Demarc:00002181 ports 5/6 (IBX TY4)");
  CHECK(in->equinixPorts[1].tagProtocolId == 0x8100);  // 33024
  auto tpid = [](const std::string& value) {
    return cloud::parse(R"({"type":"XF_PORT","uuid":"p1","encapsulation":{"type":"QINQ","tagProtocolId":)" + value + "}}", "port.json");
  };
  CHECK(tpid("\"33024\"")->equinixPorts[0].tagProtocolId == 0x8100);
  CHECK(tpid("\"0x88A8\"")->equinixPorts[0].tagProtocolId == 0x88a8);
  CHECK(tpid("\"9100\"")->equinixPorts[0].tagProtocolId == 0x9100);  // hex without 0x: 9100 decimal is no Ethernet type
  CHECK(tpid("70000").error() == "port.json: $.encapsulation.tagProtocolId: tag protocol id 70000 is not a 16-bit Ethernet type");
  CHECK(tpid("\"dot1q\"").error() ==
        "port.json: $.encapsulation.tagProtocolId: expected a tag protocol id (33024, \"33024\" or \"0x8100\"), found \"dot1q\"");
}

TEST_CASE("intent import: each Equinix connection goes to its own VBR, and one that fits none is named", "[intent][equinix]") {
  // Two VBRs (VlanId 100 and 200), two Equinix connections whose zSide tags are those VLANs,
  // given in the opposite order: before, the first connection was applied to every VBR.
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.cci-google.constructed.json"),
                         path("equinix_fabricv4_connection.generic.dot1q.provisioned.json"),
                         path("equinix_fabricv4_connection.generic.dot1q.provisioned.json")});
  REQUIRE(in);
  in->equinix[0].zSideTag = 200, in->equinix[0].aSideTag = 2043, in->equinix[0].name = "to-redundant";
  in->equinix[1].zSideTag = 100, in->equinix[1].aSideTag = 1043, in->equinix[1].name = "to-primary";
  auto ds = intent::drafts(*in, {"eth1"});
  REQUIRE(ds);
  REQUIRE(ds->links.size() == 2);
  CHECK(ds->links[0].link.vlan.id == 1043);
  CHECK(ds->links[1].link.vlan.id == 2043);
  CHECK(ds->unmatched.empty());
  // The VBR id in the connection's name wins over a VLAN.
  in->equinix[0].name = "eq-vbr-example00000000001";
  ds = intent::drafts(*in, {"eth1"});
  CHECK(ds->links[0].link.vlan.id == 2043);
  // A connection that fits no VBR is said, and that VBR keeps its own VLAN with a note.
  in->equinix[0].name = "to-nowhere", in->equinix[0].zSideTag = 999;
  auto yaml = intent::importYaml(*in, {"eth1"});
  REQUIRE(yaml);
  CHECK_THAT(*yaml, Catch::Contains("# NOT MATCHED: Equinix connection to-nowhere matches no VBR: its name names no VBR or "
                                    "physical connection id and its zSide VLAN 999 is no VBR's VlanId"));
  CHECK_THAT(*yaml, Catch::Contains("no Equinix connection matches this VBR"));
  CHECK_THAT(*yaml, Catch::Contains("    vlan: {mode: dot1q, id: 200}"));
  CHECK_THAT(*yaml, Catch::Contains("    vlan: {mode: dot1q, id: 1043}"));
  // Two VBRs on one VLAN: ambiguous, said.
  in->vbrs[1].vlanId = 100;
  in->equinix.pop_back();
  in->equinix[0].zSideTag = 100;
  ds = intent::drafts(*in, {"eth1"});
  REQUIRE(ds->unmatched.size() == 1);
  CHECK_THAT(ds->unmatched[0], Catch::Contains("fits 2 VBRs equally"));
  auto r = intent::reconcile(*in);
  bool said = false;
  for (const auto& f : r.findings) said = said || (f.check.id == "equinix.connection.vbr" && f.check.status == Status::Unknown);
  CHECK(said);
}

TEST_CASE("intent import: a QINQ connection takes its port's real TPID and the cross-connect is in the comments", "[intent][equinix]") {
  auto in = cloud::load({path("alibaba_vpc_DescribeVirtualBorderRouters.legacy-2018-doc.json"),
                         path("equinix_fabricv4_connection.qinq.response.json"), path("equinix_fabricv4_ports.list.json")});
  REQUIRE(in);
  in->equinix[0].aSideCTag = 42;
  auto without = intent::importYaml(*in, {"eth1"});
  REQUIRE(without);  // the connection's port is not in the list: 0x88a8 assumed, and said
  CHECK_THAT(*without, Catch::Contains("s_tag: 23, c_tag: 42, tpid: 0x88a8}"));
  CHECK_THAT(*without, Catch::Contains("TPID 0x88a8 assumed: give the port object (GET /fabric/v4/ports/c4d93b39-0341-341c-ace0-30fa5c00ad01)"));
  in->equinix[0].portUuid = in->equinixPorts[0].uuid;  // the QINQ port of the list
  auto with = intent::importYaml(*in, {"eth1"});
  REQUIRE(with);
  CHECK_THAT(*with, Catch::Contains("s_tag: 23, c_tag: 42, tpid: 0x9100}"));
  CHECK_THAT(*with, Catch::Contains("# Equinix port gen-l2-qa-01-auto-TY4-L-Qinq-STD-SEC-10G-JUN-598: cross-connect ECX.05.00001836"));
  auto cfg = config::fromString(*with, "imported.yaml");
  INFO(*with << (cfg ? "" : config::formatErrors(cfg.error())));
  REQUIRE(cfg);
  CHECK(cfg->links[0].vlan.tpid == 0x9100);
  // The port's state and the cross-connect in reconcile's hints (the port is REPROVISIONING).
  auto r = intent::reconcile(*in);
  const CheckResult* port = nullptr;
  for (const auto& f : r.findings)
    if (f.check.id == "equinix.port.status") port = &f.check;
  REQUIRE(port);
  CHECK(port->status == Status::Critical);
  CHECK_THAT(port->hint, Catch::Contains("cross-connect ECX.05.00001836, demarc patch panel PP:Demarc:00002181 ports 5/6"));
}
