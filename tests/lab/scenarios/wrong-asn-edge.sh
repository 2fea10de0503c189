# FRR on the edge has 'remote-as 45105' where the VBR is AS 45104: we reject its OPEN
EDGE_REMOTE_AS=45105 WAIT_FOR=daemons
