# LAB_LINKS links (default 32): eth1 as in basic plus lk1..lkN-1, one eBGP session each, BFD: all good
EXTRA_LINKS=$((${LAB_LINKS:-32} - 1))
# Hundreds of sessions take longer to come up than one.
LAB_WAIT=${LAB_WAIT:-$((30 + EXTRA_LINKS / 4))}
# Dozens of BFD sessions at 300 ms flap on a busy 2-core machine: a slower BFD keeps them up.
BFD_MS=1000
# Dozens of sessions and their BFD sessions coming up together reset each other (BIRD and
# FRR each sent Cease while a BFD session came up beside a connection collision); the edge
# asks for BFD once every session is up, as an operator enabling BFD on a running router.
BFD_LATE=1
