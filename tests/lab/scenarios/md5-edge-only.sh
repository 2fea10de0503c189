# only the edge signs with TCP-MD5; the VBR has no key
EDGE_MD5=edgesecret WAIT_FOR=daemons
