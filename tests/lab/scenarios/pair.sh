# two links to the VBR (eth1 and eth2) as a redundant pair: the pair verdict
PAIR=1
