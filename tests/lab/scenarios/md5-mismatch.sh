# TCP-MD5 keys differ (edge 'edgesecret', VBR 'vbrsecret'): the kernels drop the SYNs silently
EDGE_MD5=edgesecret VBR_MD5=vbrsecret WAIT_FOR=daemons
