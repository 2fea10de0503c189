# bash completion for linkready(8)
_linkready() {
  local cur prev cmds
  COMPREPLY=()
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmds="check agent status optics validate-config"
  case $prev in
    --config|-c|--decode|--save) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --link) COMPREPLY=($(compgen -W "$(sed -n 's/^ *- name: *//p' /etc/linkready/linkready.yaml 2>/dev/null)" -- "$cur")); return ;;
    optics) COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null) --decode" -- "$cur")); return ;;
  esac
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
    return
  fi
  case ${COMP_WORDS[1]} in
    check) COMPREPLY=($(compgen -W "--config --json --link --watch --count --no-color" -- "$cur")) ;;
    optics) COMPREPLY=($(compgen -W "--decode --pages --save --port-type --json --config" -- "$cur")) ;;
    status) COMPREPLY=($(compgen -W "--json --config" -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "--config" -- "$cur")) ;;
  esac
}
complete -F _linkready linkready
