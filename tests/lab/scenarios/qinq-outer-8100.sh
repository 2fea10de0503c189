# the edge's outer tag uses TPID 0x8100 where the (Equinix) port expects 0x88a8
EDGE_VLAN=qinq:200:300:0x8100 VBR_VLAN=qinq:200:300:0x88a8 WAIT_FOR=daemons
