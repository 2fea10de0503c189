# Shared by the benchmarks on the lab's many scenario (tests/lab/scenarios/many.sh): the
# addresses of its extra links and a linkready config for its N links. Sourced, not run.

# Extra link K's address, as tests/lab/lab gives it (side 1 the VBR, 2 the edge).
extra_ip() { local n=$(($1 * 4)); echo "10.$((64 + n / 65536)).$((n / 256 % 256)).$((n % 256 + $2))"; }

# A config for N links (eth1 and lk1..lkN-1), one session each; agent settings from AGENT.
write_links_config() { # n file [agent-yaml]
  local agent=${3:-"{id: bench, interval: 10s, listen: 127.0.0.1:19472}"}
  {
    echo "agent: $agent"
    echo "frr: {vty_dir: /var/run/frr, pathspace: ${LAB_NAME:-lrlab}}"
    echo "links:"
    echo "  - {name: l0, interface: eth1, order: {speed_mbps: 10000}, vlan: {mode: untagged}, optics: {check: false},"
    echo "     ip: {local: 10.0.0.2/30, gateway: 10.0.0.1, local6: 2001:db8:ffff::2/126, gateway6: 2001:db8:ffff::1},"
    echo "     bgp: {peer: 10.0.0.1, peer6: 2001:db8:ffff::1, remote_as: 45104, local_as: 65010, bfd: true}}"
    local k
    for ((k = 1; k < $1; k++)); do
      echo "  - {name: l$k, interface: lk$k, order: {speed_mbps: 10000}, vlan: {mode: untagged}, optics: {check: false},"
      echo "     ip: {local: $(extra_ip $k 2)/30, gateway: $(extra_ip $k 1)}, bgp: {peer: $(extra_ip $k 1), remote_as: 45104, local_as: 65010, bfd: true}}"
    done
  } >"$2"
}
