# QinQ with the right S-tag 200 but C-tag 300 on the edge, 301 on the VBR side
EDGE_VLAN=qinq:200:300:0x88a8 VBR_VLAN=qinq:200:301:0x88a8 WAIT_FOR=daemons
