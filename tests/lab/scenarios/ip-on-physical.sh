# VLAN 100 exists on the edge, but the address sits on the physical port eth1
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:100 EDGE_IP_ON=physical WAIT_FOR=daemons
