# bash completion for linkready(8): every subcommand and option (tests/netns/cli_docs_test.cpp
# compares these lists with the binary's --help).
_linkready_links() {
  local cfg=/etc/linkready/linkready.yaml i
  for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
    [[ ${COMP_WORDS[i]} == -c || ${COMP_WORDS[i]} == --config ]] && cfg=${COMP_WORDS[i + 1]}
  done
  sed -n 's/^ *- name: *\([^ #]*\).*/\1/p' "$cfg" 2>/dev/null
}

_linkready() {
  local cur prev sub="" word i
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  local global="-c --config -v --verbose -h --help --version"
  local cmds="check validate-config intent agent status history optics"
  # The subcommand (and intent's own) is the first word that is not an option or its value.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    case $word in
      -c|--config) ((i++)) ;;
      -*) ;;
      *) if [[ -z $sub ]]; then sub=$word; elif [[ $sub == intent ]]; then sub="intent $word"; break; else break; fi ;;
    esac
  done

  case $prev in
    -c|--config|--decode|--save|-o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --link) COMPREPLY=($(compgen -W "$(_linkready_links)" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "text json nagios" -- "$cur")); return ;;
    --interface) COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")); return ;;
    --intent) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --pages) COMPREPLY=($(compgen -W "00,01,02 00,01,02,03 00,01,02,10,11" -- "$cur")); return ;;
    --port-type) COMPREPLY=($(compgen -W "1000BASE-LX 10GBASE-SR 10GBASE-LR 40GBASE-LR4 100GBASE-LR4 100GBASE-SR4 400GBASE-FR4 400GBASE-DR4" -- "$cur")); return ;;
    --count|--width) return ;;
    --soak) COMPREPLY=($(compgen -W "30s 60s 5m 15m" -- "$cur")); return ;;
  esac

  case $sub in
    "") COMPREPLY=($(compgen -W "$cmds $global" -- "$cur")) ;;
    check) COMPREPLY=($(compgen -W "--format --json --link --no-color --watch --count --soak --intent --interface --config -h --help" -- "$cur")) ;;
    validate-config|agent) COMPREPLY=($(compgen -W "--config -h --help" -- "$cur")) ;;
    status) COMPREPLY=($(compgen -W "--json --config -h --help" -- "$cur")) ;;
    history)
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--json --width --config -h --help" -- "$cur"))
      else COMPREPLY=($(compgen -W "$(_linkready_links)" -- "$cur")); fi ;;
    optics)
      if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--decode --pages --save --port-type --json --config -h --help" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
      fi ;;
    intent) COMPREPLY=($(compgen -W "import reconcile -h --help" -- "$cur")) ;;
    "intent import")
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "-o --output --interface -h --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -- "$cur")); fi ;;
    "intent reconcile")
      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--json -h --help" -- "$cur"))
      else COMPREPLY=($(compgen -f -- "$cur")); fi ;;
  esac
}
complete -F _linkready linkready
