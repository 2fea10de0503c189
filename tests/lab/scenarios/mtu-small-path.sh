# VLAN 100; the VBR side's MTU is 1400: small packets pass, 1500-byte frames are dropped
EDGE_VLAN=dot1q:100 VBR_VLAN=dot1q:100 VBR_MTU=1400
