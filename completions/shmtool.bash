# bash completion for shmtool(1)                          -*- shell-script -*-
# SPDX-License-Identifier: MIT
#
# Commands, options and columns are asked of the binary itself
# (--list-commands, --list-options CMD, CMD --list-columns), so this file
# never lists them and never drifts; live TARGETs come from
# `shmtool ls -n -o SEGMENT`.

# The shmtool being completed: the command word as typed (./shmtool works).
_shmtool_bin()
{
    local bin=${words[0]}
    [[ $bin == \~* ]] && bin=${bin/#\~/$HOME}
    if [[ $bin != */* ]] && ! type -P -- "$bin" &>/dev/null; then
        bin=shmtool
    fi
    printf '%s\n' "$bin"
}

# Column names of ls or maps for -o/--output (list=1: comma lists and a
# leading +) or --sort (list=0).  Matching ignores case, as shmtool does.
_shmtool_columns()
{
    local bin=$1 cmd=$2 list=$3 pre="" part=$cur col
    local -a cols
    mapfile -t cols < <("$bin" "$cmd" --list-columns 2>/dev/null |
        while read -r col _; do printf '%s\n' "$col"; done)
    if ((list)); then
        if [[ $part == *,* ]]; then
            pre=${part%,*},
            part=${part##*,}
        elif [[ $part == +* ]]; then
            pre=+
            part=${part#+}
        fi
    fi
    part=${part^^}
    COMPREPLY=()
    for col in "${cols[@]}"; do
        [[ $col == "$part"* ]] && COMPREPLY+=("$pre$col")
    done
    # A column list goes on with a comma: no space after it.
    ((list)) && compopt -o nospace 2>/dev/null
}

# The fixed values of an option whose help reads "--OPT a|b|c" (ls --by).
_shmtool_choices()
{
    local bin=$1 cmd=$2 opt=$3 line word
    while read -r line; do
        line=${line#-?, }
        [[ $line == "$opt "* ]] || continue
        word=${line#"$opt "}
        word=${word%% *}
        if [[ $word =~ ^[a-z]+(\|[a-z]+)+$ ]]; then
            COMPREPLY=($(compgen -W "${word//|/ }" -- "$cur"))
        fi
        return
    done < <("$bin" "$cmd" --help 2>/dev/null)
}

# Live segments (POSIX names, semaphores and shmids), as ls prints them (in the
# namespaces of --ns PID when the command line has it); after ftok:, files.
_shmtool_targets()
{
    local bin=$1 kind=$2 t q
    local -a all
    # ftok:PATH[:PROJ]: PATH is a file name.
    if [[ $cur == ftok:* && $kind != --posix ]]; then
        COMPREPLY=()
        while IFS= read -r t; do
            [[ -d $t ]] && t+=/
            COMPREPLY+=("ftok:$t")
        done < <(compgen -f -- "${cur#ftok:}")
        compopt -o nospace 2>/dev/null
        return
    fi
    # Semaphores (sem:/NAME) too, unless System V only.
    local sem=--sem
    [[ $kind == --sysv ]] && sem=
    mapfile -t all < <("$bin" ${ns:+--ns "$ns"} ls $kind $sem -n -o SEGMENT 2>/dev/null)
    COMPREPLY=()
    for t in "${all[@]}"; do
        [[ -n $t && $t == "$cur"* ]] || continue
        printf -v q '%q' "$t"
        COMPREPLY+=("$q")
    done
}

_shmtool()
{
    local cur prev words cword split
    _init_completion -s -n : || return

    local bin i w cmd="" cmdi=0 ns=""
    bin=$(_shmtool_bin)

    # The command is the first word that is not a global option.
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --ns) ((i++)); ns=${words[i]-} ;;
            --list-options) ((i++)) ;;
            -*) ;;
            *) cmd=$w cmdi=$i; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $prev == --ns ]]; then
            _pids
        elif [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '-h --help -V --version --ns' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$("$bin" --list-commands 2>/dev/null)" \
                -- "$cur"))
        fi
        return
    fi

    # Long options of the command; NAME= takes an argument.
    local -a opts
    mapfile -t opts < <("$bin" --list-options "$cmd" 2>/dev/null)
    local -A takes_arg=()
    local o
    for o in "${opts[@]}"; do
        [[ $o == *= ]] && takes_arg[${o%=}]=1
    done
    # Short options that take an argument, per command.
    local shortargs=""
    case $cmd in
        create) shortargs="-m" ;;
        write) shortargs="-d -f" ;;
        read) shortargs="-l" ;;
        ls | maps | stat) shortargs="-o" ;;
    esac

    # The kind options narrow the TARGETs offered.
    local kind=""
    for ((i = cmdi + 1; i < cword; i++)); do
        case ${words[i]} in
            --sysv) kind=--sysv ;;
            --posix) kind=--posix ;;
        esac
    done

    # The argument of an option.
    local arg=""
    if [[ $prev == --* && -n ${takes_arg[$prev]-} ]]; then
        arg=$prev
    elif [[ $prev == -? && " $shortargs " == *" $prev "* ]]; then
        arg=$prev
    fi
    if [[ -n $arg ]]; then
        case $arg in
            -o | --output) _shmtool_columns "$bin" "$cmd" 1 ;;
            --sort) _shmtool_columns "$bin" "$cmd" 0 ;;
            --segment) _shmtool_targets "$bin" ""; __ltrim_colon_completions "$cur" ;;
            --user) COMPREPLY=($(compgen -u -- "$cur")) ;;
            --name) COMPREPLY=() ;;   # a pattern
            --from | --file | -f | --ftok | --metrics-file) _filedir ;;
            --*) _shmtool_choices "$bin" "$cmd" "$arg" ;;
            *) COMPREPLY=() ;;   # a size, mode or string
        esac
        return
    fi
    [[ $split == true ]] && return

    if [[ $cur == -* ]]; then
        local -a names=()
        for o in "${opts[@]}"; do
            names+=("${o%=}")
        done
        COMPREPLY=($(compgen -W "${names[*]}" -- "$cur"))
        return
    fi

    # Positional arguments: how many come before the current word?
    local npos=0 unused=0 table=0
    for ((i = cmdi + 1; i < cword; i++)); do
        w=${words[i]}
        if [[ $w == --summary || $w == --limits ]]; then
            table=1
        elif [[ $w == --unused ]]; then
            unused=1
        elif [[ $w == --*=* ]]; then
            :
        elif [[ $w == --* && -n ${takes_arg[$w]-} ]]; then
            ((i++))
        elif [[ $w == -? && " $shortargs " == *" $w "* ]]; then
            ((i++))
        elif [[ $w != -* ]]; then
            ((npos++))
        fi
    done

    case $cmd in
        read | write | stat)
            ((npos == 0)) && _shmtool_targets "$bin" "$kind"
            ;;
        rm)
            ((unused)) || _shmtool_targets "$bin" "$kind"
            ;;
        lock | unlock)
            # only System V segments can be locked
            _shmtool_targets "$bin" --sysv
            ;;
        chmod)
            # MODE first (octal: nothing to offer), then TARGETs
            ((npos >= 1)) && _shmtool_targets "$bin" "$kind"
            ;;
        chown)
            if ((npos == 0)); then
                # OWNER, or OWNER:GROUP / :GROUP after the colon
                if [[ $cur == *:* ]]; then
                    COMPREPLY=($(compgen -P "${cur%%:*}:" -g -- "${cur#*:}"))
                else
                    COMPREPLY=($(compgen -u -- "$cur"))
                fi
                return
            fi
            _shmtool_targets "$bin" "$kind"
            ;;
        ls)
            # ls TARGET...; --summary and --limits take none
            ((table)) || _shmtool_targets "$bin" "$kind"
            ;;
        maps)
            _pids
            ;;
        help)
            ((npos == 0)) && COMPREPLY=($(compgen -W \
                "$("$bin" --list-commands 2>/dev/null)" -- "$cur"))
            ;;
    esac
    __ltrim_colon_completions "$cur"
} &&
    complete -F _shmtool shmtool

# ex: filetype=sh
