# both sides sign with the same TCP-MD5 key: Established
EDGE_MD5=edgesecret VBR_MD5=edgesecret
