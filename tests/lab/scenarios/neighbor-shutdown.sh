# 'neighbor X shutdown' on the edge: Idle (Admin)
EDGE_SHUTDOWN=1 WAIT_FOR=daemons
