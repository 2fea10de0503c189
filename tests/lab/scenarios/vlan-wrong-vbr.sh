# the edge tags VLAN 100, the VBR side uses VLAN 101: no ARP, BGP never comes up
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:101 WAIT_FOR=daemons
