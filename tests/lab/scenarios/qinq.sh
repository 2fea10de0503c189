# QinQ: S-VLAN 200 (802.1ad, TPID 0x88a8) + C-VLAN 300 on both ends: all good, BGP over it
EDGE_VLAN=qinq:200:300:0x88a8 VBR_VLAN=qinq:200:300:0x88a8
