# VLAN 100 is right, but the VBR's address is 10.0.0.3, not the 10.0.0.1 the order says
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:100 VBR_IP4=10.0.0.3/29 EDGE_IP4=10.0.0.2/29 WAIT_FOR=daemons
