# LAB_LINKS links (default 32): eth1 as in basic plus lk1..lkN-1, one eBGP session each, BFD: all good
EXTRA_LINKS=$((${LAB_LINKS:-32} - 1))
# Hundreds of sessions take longer to come up than one.
LAB_WAIT=${LAB_WAIT:-$((30 + EXTRA_LINKS / 4))}
# Dozens of BFD sessions flap on a busy 2-core machine at 300 ms, and at 1000 ms while a
# build runs beside them (bfdd sent Cease/BFD Down during bring-up): 2000 ms x 3 keeps them up.
BFD_MS=2000
