# as basic, without BFD on either side (bfdd not started)
BFD=0
