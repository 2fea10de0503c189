# VLAN 100; the edge configured 10.0.0.2/29 where the VBR says /30
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:100 EDGE_IP4=10.0.0.2/29
