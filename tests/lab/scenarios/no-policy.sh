# no route-maps on the edge: Established, but FRR (RFC 8212) accepts and sends nothing
EDGE_POLICY=0 WAIT_FOR=daemons
