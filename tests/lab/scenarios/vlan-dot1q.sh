# 802.1Q VLAN 100 on both ends (eth1.100 / eth0.100): all good, BGP over the tag
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:100
