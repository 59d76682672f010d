# fish completion for shmtool(1)
# SPDX-License-Identifier: MIT
#
# Commands, options and columns are asked of the binary itself
# (--list-commands, --list-options CMD, CMD --help, CMD --list-columns) when
# this file loads, so it never lists them and never drifts; live TARGETs come
# from `shmtool ls -n -o SEGMENT`.

# The shmtool being completed: the command word as typed (./shmtool works).
function __shmtool_bin
    set -l tok (commandline -opc)
    set -l bin $tok[1]
    if test -z "$bin"; or not command -q -- $bin
        set bin shmtool
    end
    echo -- $bin
end

# The subcommand on the command line, if any.
function __shmtool_cmd
    set -l tok (commandline -opc)
    set -e tok[1]
    set -l skip 0
    for t in $tok
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --ns
                set skip 1
                continue
            case '-*'
                continue
            case '*'
                echo -- $t
                return 0
        end
    end
    return 1
end

function __shmtool_needs_cmd
    not __shmtool_cmd >/dev/null
end

function __shmtool_using
    set -l cmd (__shmtool_cmd)
    or return 1
    contains -- $cmd $argv
end

# How many arguments (not options, not option values) follow the command.
function __shmtool_npos
    set -l tok (commandline -opc)
    set -l bin $tok[1]
    set -e tok[1]
    set -l cmd
    set -l n 0
    set -l skip 0
    set -l takes
    for t in $tok
        if test $skip = 1
            set skip 0
            continue
        end
        if test -z "$cmd"
            if test "$t" = --ns
                set skip 1
                continue
            end
            string match -q -- '-*' $t; and continue
            set cmd $t
            set takes ($bin --list-options $cmd 2>/dev/null | string match -- '*=' | string replace -- '=' '')
            switch $cmd
                case create
                    set -a takes -m
                case write
                    set -a takes -d -f
                case read
                    set -a takes -l
                case ls maps stat
                    set -a takes -o
            end
            continue
        end
        if contains -- $t $takes
            set skip 1
        else if not string match -q -- '-*' $t
            set n (math $n + 1)
        end
    end
    echo $n
end

# Column names for -o/--output (comma lists, a leading +) or --sort.
function __shmtool_columns
    set -l cmd (__shmtool_cmd)
    set -l cur (commandline -ct | string replace -r -- '^--?[a-z-]*=' '')
    set -l pre ''
    if test "$argv[1]" = list
        set pre (string match -r -- '^\+?(?:.*,)?' $cur)
    end
    set -l bin (__shmtool_bin)
    $bin $cmd --list-columns 2>/dev/null | while read -l name desc
        printf '%s%s\t%s\n' $pre $name (string trim -- $desc)
    end
end

# Live segments: POSIX names and System V shmids, as ls prints them (in the
# namespaces of --ns PID when the command line has it); after ftok:, files.
function __shmtool_targets
    set -l kind $argv[1]
    set -l ns
    set -l tok (commandline -opc)
    if test -z "$kind"
        contains -- --sysv $tok; and set kind --sysv
        contains -- --posix $tok; and set kind --posix
    end
    set -l i (contains -i -- --ns $tok)
    and set -q tok[(math $i + 1)]
    and set ns --ns $tok[(math $i + 1)]
    # ftok:PATH[:PROJ]: PATH is a file name.
    set -l cur (commandline -ct)
    if test "$kind" != --posix; and string match -q -- 'ftok:*' $cur
        for f in (__fish_complete_path (string sub -s 6 -- $cur))
            printf 'ftok:%s\n' $f
        end
        return
    end
    set -l bin (__shmtool_bin)
    # Semaphores (sem:/NAME) too, unless System V only.
    set -l sem --sem
    test "$kind" = --sysv; and set sem
    $bin $ns ls $kind $sem -n -o SEGMENT 2>/dev/null | while read -l t
        printf '%s\tsegment\n' $t
    end
end

function __shmtool_commands
    set -l bin (__shmtool_bin)
    set -l names ($bin --list-commands 2>/dev/null)
    set -l help ($bin help 2>/dev/null)
    for n in $names
        set -l d (string match -r -- "^  $n +(.*)" $help)[2]
        printf '%s\t%s\n' $n "$d"
    end
end

complete -c shmtool -f
complete -c shmtool -n __shmtool_needs_cmd -s h -l help -d 'show the usage and the list of commands'
complete -c shmtool -n __shmtool_needs_cmd -s V -l version -d 'show the version'
complete -c shmtool -n __shmtool_needs_cmd -l ns -x -a '(__fish_complete_pids)' -d "act in a process's IPC and mount namespaces"
complete -c shmtool -n __shmtool_needs_cmd -a '(__shmtool_commands)'

# Each command's options, from the binary on PATH when this file loads.
function __shmtool_register
    command -q shmtool; or return
    for cmd in (shmtool --list-commands 2>/dev/null)
        set -l help (shmtool $cmd --help 2>/dev/null)
        for o in (shmtool --list-options $cmd 2>/dev/null)
            set -l name (string replace -r -- '^--' '' $o | string replace -- '=' '')
            set -l args -c shmtool -n "__shmtool_using $cmd" -l $name
            # " -o, --output COLS   columns to show" in CMD --help
            # The option's line, and the lines that go on with its help
            # (indented to the help column), joined: a description whole.
            set -l line
            set -l more
            for l in $help
                if test -n "$line"
                    if string match -qr -- '^ {24}\S' $l
                        set -a more (string trim -- $l)
                        continue
                    end
                    break
                end
                if string match -qr -- "^ +(?:-\w, )?(?:--[a-z-]+, )*--$name\b" $l
                    set line $l
                end
            end
            set -l short (string match -r -- '^ +-(\w), --' $line)[2]
            test -n "$short"; and set -a args -s $short
            set -l desc (string match -r -- "^ *(?:-\w, )?(?:--[a-z-]+, )*--$name(?:, --[a-z-]+)*(?: [^ ]+)? {2,}(.*)" $line)[2]
            if string match -q -- '*=' $o
                set desc (string match -r -- "^ *(?:-\w, )?--$name [^ ]+ +(.*)" $line)[2]
                set -a args -r
                switch $name
                    case output
                        set -a args -x -a '(__shmtool_columns list)'
                    case sort
                        set -a args -x -a '(__shmtool_columns single)'
                    case segment
                        set -a args -x -a '(__shmtool_targets)'
                    case user
                        set -a args -x -a '(__fish_complete_users)'
                    case from file ftok metrics-file
                        set -a args -F
                    case '*'
                        # "--by user|process": the values it takes.
                        # (--time-format's help starts on the next line)
                        set -l word (string match -r -- "^ *(?:-\w, )?--$name ([a-z]+(?:\|[a-z]+)+)(?: |\$)" $line)[2]
                        if test -n "$word"
                            set -a args -x -a (string replace -a '|' ' ' -- $word)
                        else
                            set -a args -x
                        end
                end
            end
            test -n "$desc"; and set -a args -d (string join ' ' -- $desc $more)
            complete $args
        end
    end
end
__shmtool_register
functions -e __shmtool_register

# Arguments.
complete -c shmtool -n '__shmtool_using read write stat; and test (__shmtool_npos) = 0' -a '(__shmtool_targets)'
complete -c shmtool -n '__shmtool_using rm; and not contains -- --unused (commandline -opc)' -a '(__shmtool_targets)'
complete -c shmtool -n '__shmtool_using ls; and not contains -- --summary (commandline -opc); and not contains -- --limits (commandline -opc)' -a '(__shmtool_targets)'
complete -c shmtool -n '__shmtool_using maps' -a '(__fish_complete_pids)'
complete -c shmtool -n '__shmtool_using help; and test (__shmtool_npos) = 0' -a '(__shmtool_commands)'
# only System V segments can be locked
complete -c shmtool -n '__shmtool_using lock unlock' -a '(__shmtool_targets --sysv)'
complete -c shmtool -n '__shmtool_using chmod chown; and test (__shmtool_npos) -ge 1' -a '(__shmtool_targets)'
complete -c shmtool -n '__shmtool_using chown; and test (__shmtool_npos) = 0' -a '(__fish_complete_users)'
