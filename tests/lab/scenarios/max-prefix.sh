# the edge limits the VBR to 2 prefixes (maximum-prefix 2) while it sends 3: Idle (PfxCt)
# FRR applies a limit set at start-up only to later updates, so it is set once the routes are in.
scenario_after_up() {
  vtysh --vty_socket "$FRR_DIR" -c 'configure terminal' -c "router bgp $EDGE_AS" -c 'address-family ipv4 unicast' \
    -c "neighbor ${VBR_IP4%/*} maximum-prefix 2" >/dev/null
  for _ in $(seq 1 50); do
    vtysh --vty_socket "$FRR_DIR" -c 'show bgp summary json' | grep -q '"peerState":"PfxCt"' && return 0
    sleep 0.1
  done
  die "the prefix limit did not trip"
}
