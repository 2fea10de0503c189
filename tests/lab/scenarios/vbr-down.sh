# the VBR's BGP speaker (BIRD) is not running: the edge keeps trying, Active/Connect
START_BIRD=0 WAIT_FOR=daemons
