# the VBR's BGP group expects the edge to be AS 65011 (we are 65010): it rejects our OPEN
VBR_EXPECTS_EDGE_AS=65011 WAIT_FOR=daemons
