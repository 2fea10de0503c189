# edge FRR AS 65010 <-> VBR BIRD AS 45104 on an untagged veth, IPv4+IPv6, BFD: all good
