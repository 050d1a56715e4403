# bash completion for evt(1)                               -*- shell-script -*-
# SPDX-License-Identifier: MIT
#
# Installed as share/bash-completion/completions/evt, where bash-completion loads it on
# demand. To try it from a checkout: source completions/evt.bash
#
# Completes commands and nested views, every flag, the values of enumerated flags, files,
# context names (from `evt config contexts`), topic and group names from the cluster
# (`evt inspect topics -o names`, `evt inspect groups -o names`, given at most 2 seconds, so
# the shell never hangs).

# Flags that take a value, by command path; the global ones are accepted everywhere.
_evt_value_flags() {
    local flags="-b --brokers --context --config -X --property --timeout --schema-registry --color"
    case $1 in
        produce) flags+=" -t --topic -f --format -D --delim -K --key-delim -k --key -H --header -p --partition --partitioner -z --compression --acks --transactional-id --rate -c --count --on-bad-input --value-schema --key-schema" ;;
        consume) flags+=" -o --offset -p --partition -c --count --until --idle-timeout -f --format -D --delim -K --key-delim -g --group --decode --grep --grep-key --grep-header --jq --jq-output" ;;
        tail) flags+=" -n --lines -p --partition -g --group -f --format --grep --grep-key --grep-header --jq --jq-output --decode" ;;
        replay) flags+=" --from --to -p --partition -f --format --into --into-brokers --into-context -H --header --schema-id --decode --input --speed --rate --grep --filter --grep-key --grep-header --jq --jq-output --transactional-id" ;;
        inspect*) flags+=" -o --output --watch --topic --at --decode --jq --jq-output" ;;
        broker) flags+=" --nodes --topic --control" ;;
        "topic "*) flags+=" -o --output -p --partitions -r --replicas -c --topic-config --unset --to --before" ;;
        "group "*) flags+=" -o --output --topic --to --shift-by" ;;
    esac
    echo "$flags"
}

# Every flag of a command path: its own, then the global ones.
_evt_flags() {
    local flags
    case $1 in
        "") flags="--version" ;;
        produce) flags="-t --topic -f --format -D --delim -K --key-delim --crlf -k --key -H --header -p --partition --partitioner -z --compression --acks --no-idempotence --transactional-id --rate -c --count --null-empty --on-bad-input --report --value-schema --key-schema" ;;
        consume) flags="-o --offset -p --partition -e --exit -c --count --until --idle-timeout -f --format -D --delim -K --key-delim --json-values -g --group --decode --grep --grep-key --grep-header --jq --jq-output" ;;
        tail) flags="-n --lines --no-follow -p --partition -g --group --commit -f --format --json-values --compact --no-truncate --grep --grep-key --grep-header --jq --jq-output --wait --decode" ;;
        replay) flags="--from --to -p --partition -f --format --json-values --into --into-brokers --into-context --keep-partition -H --header --mark --schema-id --decode --input --speed --rate --grep --filter --grep-key --grep-header --jq --jq-output --dry-run --transactional-id" ;;
        inspect) flags="-o --output" ;;
        "inspect topics") flags="-o --output --watch --internal" ;;
        "inspect topic") flags="-o --output --watch" ;;
        "inspect groups") flags="-o --output" ;;
        "inspect group") flags="--topic -o --output --watch" ;;
        "inspect offsets") flags="--at -o --output" ;;
        "inspect message") flags="-o --output --decode --jq --jq-output" ;;
        "topic create") flags="-p --partitions -r --replicas -c --topic-config --if-not-exists --dry-run -o --output" ;;
        "topic delete") flags="-y --yes --if-exists --dry-run -o --output" ;;
        "topic alter") flags="-c --topic-config --unset --dry-run -o --output" ;;
        "topic add-partitions") flags="--to --dry-run -o --output" ;;
        "topic trim") flags="--before -y --yes --dry-run -o --output" ;;
        "group reset") flags="--topic --to --shift-by --execute --dry-run -o --output" ;;
        "group delete") flags="-y --yes --dry-run -o --output" ;;
        "group delete-offsets") flags="--topic -y --yes --dry-run -o --output" ;;
        broker) flags="--nodes --topic --detach --no-publish --control" ;;
        "config init") flags="--force" ;;
    esac
    echo "$flags -h --help -b --brokers --context --config -X --property --timeout --schema-registry -v --verbose -q --quiet --color"
}

# The nested commands of a command path.
_evt_subcommands() {
    case $1 in
        "") echo "produce consume tail replay inspect topic group broker config help" ;;
        topic) echo "create delete alter add-partitions trim" ;;
        group) echo "reset delete delete-offsets" ;;
        inspect) echo "topics topic groups group offsets message" ;;
        broker) echo "stop status fault" ;;
        config) echo "contexts use show init" ;;
    esac
}

# For `evt broker fault`: the fault commands, the request names of `errors` and some Kafka errors.
_evt_fault_commands="down up rtt errors leader topic-error create"
_evt_fault_apis="Produce Fetch ListOffsets Metadata OffsetCommit OffsetFetch FindCoordinator JoinGroup Heartbeat LeaveGroup SyncGroup ApiVersion InitProducerId AddPartitionsToTxn AddOffsetsToTxn EndTxn TxnOffsetCommit"
_evt_fault_errors="NOT_LEADER_OR_FOLLOWER REQUEST_TIMED_OUT LEADER_NOT_AVAILABLE UNKNOWN_TOPIC_OR_PART NOT_ENOUGH_REPLICAS NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE BROKER_NOT_AVAILABLE MSG_SIZE_TOO_LARGE TOPIC_AUTHORIZATION_FAILED"

# Runs evt with the connection flags of the command line being completed, for at most 2s.
_evt_query() {
    timeout 2 evt "${_evt_connection[@]}" "$@" 2>/dev/null
}

_evt_topics() {
    _evt_query --timeout 1500ms inspect topics -o names
}

_evt_groups() {
    _evt_query --timeout 1500ms inspect groups -o names
}

# `evt config contexts` prints "* name  brokers" for the current context, "  name  brokers"
# for the others.
_evt_contexts() {
    _evt_query config contexts | sed -e 's/^[* ] //' -e 's/  .*$//'
}

_evt_files() {
    if declare -F _filedir >/dev/null; then
        _filedir
    else
        local IFS=$'\n'
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}

_evt() {
    local cur prev words cword split=false
    if declare -F _init_completion >/dev/null; then
        _init_completion -s -n : || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi

    # Walk the words before the cursor: the command path, the positionals of the innermost
    # command, and the connection flags (-b, --context, --config, -X) to query the cluster with.
    local path="" positionals=0 topic_flag=false i word name value
    local -a _evt_connection=() args=()
    for ((i = 1; i < cword; i++)); do
        word=${words[i]}
        case $word in
            --*=*)
                name=${word%%=*}
                value=${word#*=}
                ;;
            -?*)
                name=$word
                value=
                if [[ " $(_evt_value_flags "$path") " == *" $word "* ]] && ((i + 1 < cword)); then
                    value=${words[i + 1]}
                    ((i++))
                fi
                ;;
            *)
                if [[ $positionals -eq 0 && " $(_evt_subcommands "$path") " == *" $word "* ]]; then
                    path="${path:+$path }$word"
                else
                    args+=("$word")
                    ((positionals++))
                fi
                continue
                ;;
        esac
        case $name in
            -b | --brokers | --context | -X | --property)
                [[ -n $value ]] && _evt_connection+=("$name" "$value")
                ;;
            --config)
                [[ -n $value ]] && _evt_connection+=("$name" "${value/#\~/$HOME}")
                ;;
            -t | --topic)
                [[ $path == produce ]] && topic_flag=true
                ;;
        esac
    done

    # The value of a flag.
    case $prev in
        --color)
            COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
            return
            ;;
        --config)
            _evt_files
            return
            ;;
        --context | --into-context)
            COMPREPLY=($(compgen -W "$(_evt_contexts)" -- "$cur"))
            __ltrim_colon_completions "$cur" 2>/dev/null
            return
            ;;
        -b | --brokers | -X | --property | --timeout | --schema-registry)
            return
            ;;
    esac
    if [[ " $(_evt_value_flags "$path") " == *" $prev "* ]]; then
        case $path:$prev in
            produce:-f | produce:--format)
                COMPREPLY=($(compgen -W "lines json raw" -- "$cur")) ;;
            produce:-z | produce:--compression)
                COMPREPLY=($(compgen -W "none gzip snappy lz4 zstd" -- "$cur")) ;;
            produce:--acks)
                COMPREPLY=($(compgen -W "all 1 0" -- "$cur")) ;;
            produce:--partitioner)
                COMPREPLY=($(compgen -W "murmur2_random murmur2 consistent_random consistent fnv1a_random fnv1a random" -- "$cur")) ;;
            produce:--on-bad-input)
                COMPREPLY=($(compgen -W "fail skip" -- "$cur")) ;;
            produce:-t | produce:--topic | "inspect group:--topic")
                COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur")) ;;
            consume:-f | consume:--format | tail:-f | tail:--format | replay:-f | replay:--format)
                COMPREPLY=($(compgen -W "value json" -- "$cur")) ;;
            consume:-o | consume:--offset)
                COMPREPLY=($(compgen -W "beginning end stored" -- "$cur")) ;;
            consume:-g | consume:--group | tail:-g | tail:--group)
                COMPREPLY=($(compgen -W "$(_evt_groups)" -- "$cur")) ;;
            replay:--from)
                COMPREPLY=($(compgen -W "beginning end" -- "$cur")) ;;
            replay:--to)
                COMPREPLY=($(compgen -W "end" -- "$cur")) ;;
            replay:--into)
                COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur")) ;;
            replay:--input)
                _evt_files ;;
            replay:--speed)
                COMPREPLY=($(compgen -W "max" -- "$cur")) ;;
            *:--decode)
                COMPREPLY=($(compgen -W "value key both none" -- "$cur")) ;;
            produce:--value-schema | produce:--key-schema)
                COMPREPLY=($(compgen -W "topic id:" -- "$cur")) ;;
            broker*:--control)
                _evt_files ;;
            "topic "*:-o | "topic "*:--output | "group "*:-o | "group "*:--output)
                COMPREPLY=($(compgen -W "table json" -- "$cur")) ;;
            "group reset:--topic" | "group delete-offsets:--topic")
                COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur")) ;;
            "group reset:--to")
                COMPREPLY=($(compgen -W "beginning end stored" -- "$cur")) ;;
            "topic trim:--before")
                COMPREPLY=($(compgen -W "end" -- "$cur")) ;;
            inspect:-o | inspect:--output | "inspect topics:"-o | "inspect topics:--output" | \
                "inspect groups:"-o | "inspect groups:--output")
                COMPREPLY=($(compgen -W "table json names" -- "$cur")) ;;
            inspect*:-o | inspect*:--output)
                COMPREPLY=($(compgen -W "table json" -- "$cur")) ;;
        esac
        return
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_evt_flags "$path")" -- "$cur"))
        return
    fi

    # Nested commands, then positionals.
    local subcommands
    subcommands=$(_evt_subcommands "$path")
    if [[ -n $subcommands && $positionals -eq 0 ]]; then
        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
        return
    fi
    case $path in
        produce)
            if [[ $topic_flag == false && $positionals -eq 0 ]]; then
                COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            else
                _evt_files
            fi
            ;;
        consume | tail)
            COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            ;;
        replay)
            ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            ;;
        "inspect topic" | "inspect offsets" | "inspect message")
            ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            ;;
        "inspect group")
            ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_evt_groups)" -- "$cur"))
            ;;
        "topic delete")
            COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            ;;
        "topic alter" | "topic add-partitions" | "topic trim")
            ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur"))
            ;;
        "group delete")
            COMPREPLY=($(compgen -W "$(_evt_groups)" -- "$cur"))
            ;;
        "group reset" | "group delete-offsets")
            ((positionals == 0)) && COMPREPLY=($(compgen -W "$(_evt_groups)" -- "$cur"))
            ;;
        "config use")
            if ((positionals == 0)); then
                COMPREPLY=($(compgen -W "$(_evt_contexts)" -- "$cur"))
                __ltrim_colon_completions "$cur" 2>/dev/null
            fi
            ;;
        help)
            # A help page, or a command (evt help consume prints evt consume --help).
            ((positionals == 0)) && COMPREPLY=($(compgen -W "offsets formats config exit-codes produce consume tail replay inspect topic group broker" -- "$cur"))
            ;;
        "broker fault")
            case $positionals:${args[0]-} in
                0:*) COMPREPLY=($(compgen -W "$_evt_fault_commands" -- "$cur")) ;;
                1:errors) COMPREPLY=($(compgen -W "$_evt_fault_apis" -- "$cur")) ;;
                3:errors | 2:topic-error) COMPREPLY=($(compgen -W "$_evt_fault_errors" -- "$cur")) ;;
                1:leader | 1:topic-error) COMPREPLY=($(compgen -W "$(_evt_topics)" -- "$cur")) ;;
                3:leader) COMPREPLY=($(compgen -W "none" -- "$cur")) ;;
            esac
            ;;
    esac
    return 0
} &&
    complete -F _evt evt
