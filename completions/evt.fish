# fish completion for evt(1)
# SPDX-License-Identifier: MIT
#
# Installed as share/fish/vendor_completions.d/evt.fish. To try it from a checkout:
#   source completions/evt.fish
#
# Completes commands and nested views, every flag, the values of enumerated flags, files,
# context names (from `evt config contexts`), topic and group names from the cluster
# (`evt inspect topics -o names`, `evt inspect groups -o names`, given at most 2 seconds, so
# the shell never hangs).

# Flags that take a value, for the command path $argv (global ones included).
function __evt_value_flags
    switch "$argv"
        case produce
            string split ' ' -- '-t --topic -f --format -D --delim -K --key-delim -k --key -H --header -p --partition --partitioner -z --compression --acks --transactional-id --rate -c --count --on-bad-input --value-schema --key-schema'
        case consume
            string split ' ' -- '-o --offset -p --partition -c --count --until --idle-timeout -f --format -D --delim -K --key-delim -g --group --decode --grep --grep-key --grep-header --jq --jq-output'
        case tail
            string split ' ' -- '-n --lines -p --partition -g --group -f --format --grep --grep-key --grep-header --jq --jq-output --decode'
        case replay
            string split ' ' -- '--from --to -p --partition -f --format --into --into-brokers --into-context -H --header --schema-id --decode --input --speed --rate --grep --filter --grep-key --grep-header --jq --jq-output --transactional-id'
        case 'inspect*'
            string split ' ' -- '-o --output --watch --topic --at --decode --jq --jq-output'
        case 'broker*'
            string split ' ' -- '--nodes --topic --control'
        case 'topic *'
            string split ' ' -- '-o --output -p --partitions -r --replicas -c --topic-config --unset --to --before'
        case 'group *'
            string split ' ' -- '-o --output --topic --to --shift-by'
    end
    string split ' ' -- '-b --brokers --context --config -X --property --timeout --schema-registry --color'
end

# The nested commands of the command path $argv.
function __evt_subcommands
    switch "$argv"
        case ''
            string split ' ' -- 'produce consume tail replay inspect topic group broker config help'
        case topic
            string split ' ' -- 'create delete alter add-partitions trim'
        case group
            string split ' ' -- 'reset delete delete-offsets'
        case inspect
            string split ' ' -- 'topics topic groups group offsets message'
        case broker
            string split ' ' -- 'stop status fault'
        case config
            string split ' ' -- 'contexts use show init'
    end
end

# Prints the command path (e.g. "inspect topic"), then the number of positionals given to it,
# then the connection flags (-b, --context, --config, -X) with their values, one per line.
function __evt_parse
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    set -l positionals 0
    set -l connection
    set -l i 1
    while test $i -le (count $tokens)
        set -l token $tokens[$i]
        set i (math $i + 1)
        if string match -q -- '--*=*' $token
            set -l name (string split -m 1 '=' -- $token)
            if contains -- $name[1] --brokers --context --config --property
                set -a connection $name[1] $name[2]
            end
        else if test "$token" != -; and string match -q -- '-*' $token
            if contains -- $token (__evt_value_flags $path); and test $i -le (count $tokens)
                if contains -- $token -b --brokers --context --config -X --property
                    set -a connection $token $tokens[$i]
                end
                set i (math $i + 1)
            end
        else if test $positionals -eq 0; and contains -- $token (__evt_subcommands $path)
            set -a path $token
        else
            set positionals (math $positionals + 1)
        end
    end
    echo "$path"
    echo $positionals
    for word in $connection
        echo $word
    end
end

# True when the command path is exactly $argv[1] (and, given $argv[2], that many positionals
# came before the cursor).
function __evt_is
    set -l parsed (__evt_parse)
    test "$parsed[1]" = "$argv[1]"; or return 1
    if set -q argv[2]
        test "$parsed[2]" -eq "$argv[2]"; or return 1
    end
end

# True when the command path is $argv[1] and a nested command may come next.
function __evt_needs_subcommand
    __evt_is $argv[1] 0
end

# True when the words after `evt broker fault` are $argv (a trailing _ matches any one word).
function __evt_fault_args
    __evt_is 'broker fault'; or return 1
    set -l tokens (commandline -opc)
    set -l index (contains -i -- fault $tokens); or return 1
    set -l words
    for token in $tokens[(math $index + 1)..-1]
        string match -q -- '-*' $token; or set -a words $token
    end
    test (count $words) -eq (count $argv); or return 1
    for i in (seq (count $argv))
        test "$argv[$i]" = _; or test "$argv[$i]" = "$words[$i]"; or return 1
    end
end

set -l __evt_fault_apis Produce Fetch ListOffsets Metadata OffsetCommit OffsetFetch FindCoordinator JoinGroup Heartbeat LeaveGroup SyncGroup ApiVersion InitProducerId AddPartitionsToTxn AddOffsetsToTxn EndTxn TxnOffsetCommit
set -l __evt_fault_errors NOT_LEADER_OR_FOLLOWER REQUEST_TIMED_OUT LEADER_NOT_AVAILABLE UNKNOWN_TOPIC_OR_PART NOT_ENOUGH_REPLICAS NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE BROKER_NOT_AVAILABLE MSG_SIZE_TOO_LARGE TOPIC_AUTHORIZATION_FAILED

# True where `evt produce` expects files: after the topic, or anywhere after -t.
function __evt_produce_files
    set -l parsed (__evt_parse)
    test "$parsed[1]" = produce; or return 1
    contains -- -t (commandline -opc); or contains -- --topic (commandline -opc); or test "$parsed[2]" -ge 1
end

function __evt_query
    set -l parsed (__evt_parse)
    set -e parsed[1..2]
    timeout 2 evt $parsed $argv 2>/dev/null
end

function __evt_topics
    __evt_query --timeout 1500ms inspect topics -o names
end

function __evt_groups
    __evt_query --timeout 1500ms inspect groups -o names
end

# `evt config contexts` prints "* name  brokers" for the current context, "  name  brokers"
# for the others.
function __evt_contexts
    __evt_query config contexts | string replace -r '^[* ] ' '' | string replace -r '  .*$' ''
end

complete -c evt -f

# Global flags, accepted before or after the command.
complete -c evt -s h -l help -d 'Print help and exit'
complete -c evt -n '__evt_is ""' -l version -d 'Print versions and exit'
complete -c evt -s b -l brokers -x -d 'Bootstrap brokers host:port[,host:port...]'
complete -c evt -l context -x -a '(__evt_contexts)' -d 'Use this context of the config file'
complete -c evt -l config -r -F -d 'Config file'
complete -c evt -s X -l property -x -d 'librdkafka property key=value'
complete -c evt -l timeout -x -d 'How long to wait for brokers, e.g. 10s'
complete -c evt -l schema-registry -x -d 'Schema registry URL'
complete -c evt -s v -l verbose -d 'More detail on stderr'
complete -c evt -s q -l quiet -d 'Only errors on stderr'
complete -c evt -l color -x -a 'auto always never' -d 'Colors'

# Commands.
complete -c evt -n '__evt_needs_subcommand ""' -a produce -d 'Write records from stdin or files to a topic'
complete -c evt -n '__evt_needs_subcommand ""' -a consume -d 'Read topics to stdout'
complete -c evt -n '__evt_needs_subcommand ""' -a tail -d 'Watch topics live in a terminal'
complete -c evt -n '__evt_needs_subcommand ""' -a replay -d 'Copy a range of a topic exactly'
complete -c evt -n '__evt_needs_subcommand ""' -a inspect -d 'Show what is on the cluster'
complete -c evt -n '__evt_needs_subcommand ""' -a topic -d 'Create, delete and change topics'
complete -c evt -n '__evt_needs_subcommand ""' -a group -d 'Reset group offsets, delete groups'
complete -c evt -n '__evt_needs_subcommand ""' -a broker -d 'Run a local broker'
complete -c evt -n '__evt_needs_subcommand ""' -a config -d 'Contexts and effective settings'
complete -c evt -n '__evt_needs_subcommand ""' -a help -d 'Help pages'

# evt produce
complete -c evt -n '__evt_is produce 0; and not contains -- -t (commandline -opc); and not contains -- --topic (commandline -opc)' -a '(__evt_topics)' -d topic
complete -c evt -n __evt_produce_files -F
complete -c evt -n '__evt_is produce' -s t -l topic -x -a '(__evt_topics)' -d 'Topic to write to'
complete -c evt -n '__evt_is produce' -s f -l format -x -a 'lines json raw' -d 'Input format (or a %-layout)'
complete -c evt -n '__evt_is produce' -s D -l delim -x -d 'Record delimiter'
complete -c evt -n '__evt_is produce' -s K -l key-delim -x -d 'Split lines into key and value'
complete -c evt -n '__evt_is produce' -l crlf -d 'Strip \r before \n'
complete -c evt -n '__evt_is produce' -s k -l key -x -d 'Key for every record'
complete -c evt -n '__evt_is produce' -s H -l header -x -d 'Header name=value'
complete -c evt -n '__evt_is produce' -s p -l partition -x -d 'Partition to write to'
complete -c evt -n '__evt_is produce' -l partitioner -x -a 'murmur2_random murmur2 consistent_random consistent fnv1a_random fnv1a random' -d 'How keys map to partitions'
complete -c evt -n '__evt_is produce' -s z -l compression -x -a 'none gzip snappy lz4 zstd' -d 'Compression codec'
complete -c evt -n '__evt_is produce' -l acks -x -a 'all 1 0' -d 'Acknowledgements required'
complete -c evt -n '__evt_is produce' -l no-idempotence -d 'Turn off the idempotent producer'
complete -c evt -n '__evt_is produce' -l transactional-id -x -d 'Send all input in one transaction'
complete -c evt -n '__evt_is produce' -l rate -x -d 'At most N records per second'
complete -c evt -n '__evt_is produce' -s c -l count -x -d 'Stop after N records'
complete -c evt -n '__evt_is produce' -l null-empty -d 'Send an empty value as null'
complete -c evt -n '__evt_is produce' -l on-bad-input -x -a 'fail skip' -d 'Malformed records: fail or skip'
complete -c evt -n '__evt_is produce' -l value-schema -x -a 'topic' -d 'Encode values with a registry schema'
complete -c evt -n '__evt_is produce' -l key-schema -x -a 'topic' -d 'Encode keys with a registry schema'
complete -c evt -n '__evt_is produce' -l report -d 'One JSON line per delivery on stdout'

# evt consume
complete -c evt -n '__evt_is consume' -a '(__evt_topics)' -d topic
complete -c evt -n '__evt_is consume' -s o -l offset -x -a 'beginning end stored' -d 'Where to start (and stop)'
complete -c evt -n '__evt_is consume' -s p -l partition -x -d 'Only these partitions'
complete -c evt -n '__evt_is consume' -s e -l exit -d 'Stop at the end'
complete -c evt -n '__evt_is consume' -s c -l count -x -d 'Stop after N records'
complete -c evt -n '__evt_is consume' -l until -x -d 'Stop before this offset or @TIME'
complete -c evt -n '__evt_is consume' -l idle-timeout -x -d 'Stop when idle this long'
complete -c evt -n '__evt_is consume' -s f -l format -x -a 'value json' -d 'Output format (or a %-layout)'
complete -c evt -n '__evt_is consume' -s D -l delim -x -d 'Delimiter after each value'
complete -c evt -n '__evt_is consume' -s K -l key-delim -x -d 'Print key, delimiter, value'
complete -c evt -n '__evt_is consume' -l json-values -d 'With -f json, write JSON keys and values as JSON'
complete -c evt -n '__evt_is consume' -s g -l group -x -a '(__evt_groups)' -d 'Join this consumer group'
complete -c evt -n '__evt_is consume' -l grep -x -d 'Only records whose value matches'
complete -c evt -n '__evt_is consume' -l grep-key -x -d 'Only records whose key matches'
complete -c evt -n '__evt_is consume' -l grep-header -x -d 'Only records with a header NAME=REGEX'
complete -c evt -n '__evt_is consume' -l jq -x -d 'Only records for which this jq expression is true'
complete -c evt -n '__evt_is consume' -l jq-output -x -d 'Print what this jq expression yields'

# evt tail
complete -c evt -n '__evt_is tail' -a '(__evt_topics)' -d topic
complete -c evt -n '__evt_is tail' -s n -l lines -x -d 'Show the last N records'
complete -c evt -n '__evt_is tail' -l no-follow -d 'Print the last N records and exit'
complete -c evt -n '__evt_is tail' -s p -l partition -x -d 'Only these partitions'
complete -c evt -n '__evt_is tail' -s g -l group -x -a '(__evt_groups)' -d 'Follow as a member of this group'
complete -c evt -n '__evt_is tail' -l commit -d 'With -g, commit the offsets of records shown'
complete -c evt -n '__evt_is tail' -s f -l format -x -a 'value json' -d 'Output format (or a %-layout)'
complete -c evt -n '__evt_is tail' -l json-values -d 'With -f json, write JSON keys and values as JSON'
complete -c evt -n '__evt_is tail' -l compact -d 'Keep JSON values on one line'
complete -c evt -n '__evt_is tail' -l no-truncate -d 'Show long values whole'
complete -c evt -n '__evt_is tail' -l grep -x -d 'Only records whose value matches'
complete -c evt -n '__evt_is tail' -l grep-key -x -d 'Only records whose key matches'
complete -c evt -n '__evt_is tail' -l grep-header -x -d 'Only records with a header NAME=REGEX'
complete -c evt -n '__evt_is tail' -l jq -x -d 'Only records for which this jq expression is true'
complete -c evt -n '__evt_is tail' -l jq-output -x -d 'Print what this jq expression yields'
complete -c evt -n '__evt_is tail' -l wait -d 'Wait for a topic that does not exist yet'
complete -c evt -n '__evt_is consume; or __evt_is tail; or __evt_is replay; or __evt_is "inspect message"' -l decode -x -a 'value key both none' -d 'Decode schema-registry fields to JSON'

# evt replay
complete -c evt -n '__evt_is replay 0' -a '(__evt_topics)' -d topic
complete -c evt -n '__evt_is replay' -l from -x -a 'beginning end' -d 'Start of the range'
complete -c evt -n '__evt_is replay' -l to -x -a end -d 'End of the range, exclusive'
complete -c evt -n '__evt_is replay' -s p -l partition -x -d 'Only these partitions'
complete -c evt -n '__evt_is replay' -s f -l format -x -a 'json value' -d 'Output format (or a %-layout)'
complete -c evt -n '__evt_is replay' -l json-values -d 'With -f json, write JSON keys and values as JSON'
complete -c evt -n '__evt_is replay' -l into -x -a '(__evt_topics)' -d 'Write the records into this topic'
complete -c evt -n '__evt_is replay' -l into-brokers -x -d 'The destination brokers'
complete -c evt -n '__evt_is replay' -l into-context -x -a '(__evt_contexts)' -d 'The destination context'
complete -c evt -n '__evt_is replay' -l keep-partition -d 'Keep each record\'s partition'
complete -c evt -n '__evt_is replay' -s H -l header -x -d 'Add header name=value'
complete -c evt -n '__evt_is replay' -l mark -d 'Add an evt-replay-source header'
complete -c evt -n '__evt_is replay' -l schema-id -x -d 'Rewrite framed schema ids: OLD=NEW'
complete -c evt -n '__evt_is replay' -l input -r -F -d 'Replay an envelope file'
complete -c evt -n '__evt_is replay' -l speed -x -a max -d 'max, or X times the original pace'
complete -c evt -n '__evt_is replay' -l rate -x -d 'At most N records per second'
complete -c evt -n '__evt_is replay' -l grep -x -d 'Only records whose value matches'
complete -c evt -n '__evt_is replay' -l filter -x -d 'Only records whose value matches (same as --grep)'
complete -c evt -n '__evt_is replay' -l grep-key -x -d 'Only records whose key matches'
complete -c evt -n '__evt_is replay' -l grep-header -x -d 'Only records with a header NAME=REGEX'
complete -c evt -n '__evt_is replay' -l jq -x -d 'Only records for which this jq expression is true'
complete -c evt -n '__evt_is replay' -l jq-output -x -d 'Print what this jq expression yields'
complete -c evt -n '__evt_is replay' -l dry-run -d 'Print the plan and exit'
complete -c evt -n '__evt_is replay' -l transactional-id -x -d 'Copy the range in one transaction'

# evt inspect and its views
complete -c evt -n '__evt_needs_subcommand inspect' -a topics -d 'One row per topic'
complete -c evt -n '__evt_needs_subcommand inspect' -a topic -d 'Partitions and configs of one topic'
complete -c evt -n '__evt_needs_subcommand inspect' -a groups -d 'Consumer groups'
complete -c evt -n '__evt_needs_subcommand inspect' -a group -d 'Members, offsets and lag of a group'
complete -c evt -n '__evt_needs_subcommand inspect' -a offsets -d 'Offsets at or after a time'
complete -c evt -n '__evt_needs_subcommand inspect' -a message -d 'One record in full'
complete -c evt -n '__evt_is inspect; or __evt_is "inspect topics"; or __evt_is "inspect groups"' -s o -l output -x -a 'table json names' -d 'Output format'
complete -c evt -n '__evt_is "inspect topic"; or __evt_is "inspect group"; or __evt_is "inspect offsets"; or __evt_is "inspect message"' -s o -l output -x -a 'table json' -d 'Output format'
complete -c evt -n '__evt_is "inspect topics"; or __evt_is "inspect topic"; or __evt_is "inspect group"' -l watch -x -d 'Refresh every DURATION'
complete -c evt -n '__evt_is "inspect topics"' -l internal -d 'Include internal __-topics'
complete -c evt -n '__evt_is "inspect topic" 0; or __evt_is "inspect offsets" 0; or __evt_is "inspect message" 0' -a '(__evt_topics)' -d topic
complete -c evt -n '__evt_is "inspect group" 0' -a '(__evt_groups)' -d group
complete -c evt -n '__evt_is "inspect group"' -l topic -x -a '(__evt_topics)' -d 'Only this topic'
complete -c evt -n '__evt_is "inspect offsets"' -l at -x -a now -d 'TIME: epoch ms, ISO 8601, -15m, now'
complete -c evt -n '__evt_is "inspect message"' -l jq -x -d 'Show the record only if this jq expression is true'
complete -c evt -n '__evt_is "inspect message"' -l jq-output -x -d 'Print what this jq expression yields'

# evt topic and its verbs
complete -c evt -n '__evt_needs_subcommand topic' -a create -d 'Create topics'
complete -c evt -n '__evt_needs_subcommand topic' -a delete -d 'Delete topics and their records'
complete -c evt -n '__evt_needs_subcommand topic' -a alter -d 'Set or unset topic configs'
complete -c evt -n '__evt_needs_subcommand topic' -a add-partitions -d 'Grow a topic to more partitions'
complete -c evt -n '__evt_needs_subcommand topic' -a trim -d 'Delete records before an offset or time'
complete -c evt -n '__evt_is "topic delete"; or __evt_is "topic alter" 0; or __evt_is "topic add-partitions" 0; or __evt_is "topic trim" 0' -a '(__evt_topics)' -d topic
complete -c evt -n 'string match -q "topic *" (__evt_parse)[1]' -s o -l output -x -a 'table json' -d 'Output format'
complete -c evt -n 'string match -q "topic *" (__evt_parse)[1]' -l dry-run -d 'Show what would happen; change nothing'
complete -c evt -n '__evt_is "topic create"' -s p -l partitions -x -d 'Number of partitions'
complete -c evt -n '__evt_is "topic create"' -s r -l replicas -x -d 'Replication factor'
complete -c evt -n '__evt_is "topic create"; or __evt_is "topic alter"' -s c -l topic-config -x -d 'Topic config key=value'
complete -c evt -n '__evt_is "topic create"' -l if-not-exists -d 'A topic that exists is no error'
complete -c evt -n '__evt_is "topic delete"' -l if-exists -d 'Pass over topics that do not exist'
complete -c evt -n '__evt_is "topic delete"; or __evt_is "topic trim"' -s y -l yes -d 'Do not ask (needed without a terminal)'
complete -c evt -n '__evt_is "topic alter"' -l unset -x -d 'Remove the topic\'s own setting of KEY'
complete -c evt -n '__evt_is "topic add-partitions"' -l to -x -d 'The new partition count'
complete -c evt -n '__evt_is "topic trim"' -l before -x -a end -d 'Keep records from: N, -N, +N, end, @TIME, P=SPEC'

# evt group and its verbs
complete -c evt -n '__evt_needs_subcommand group' -a reset -d 'Move committed offsets (plan; --execute commits)'
complete -c evt -n '__evt_needs_subcommand group' -a delete -d 'Delete groups with their offsets'
complete -c evt -n '__evt_needs_subcommand group' -a delete-offsets -d 'Delete a group\'s offsets of topics'
complete -c evt -n '__evt_is "group reset" 0; or __evt_is "group delete"; or __evt_is "group delete-offsets" 0' -a '(__evt_groups)' -d group
complete -c evt -n 'string match -q "group *" (__evt_parse)[1]' -s o -l output -x -a 'table json' -d 'Output format'
complete -c evt -n 'string match -q "group *" (__evt_parse)[1]' -l dry-run -d 'Show what would happen; change nothing'
complete -c evt -n '__evt_is "group reset"; or __evt_is "group delete-offsets"' -l topic -x -a '(__evt_topics)' -d 'Topic (repeatable)'
complete -c evt -n '__evt_is "group reset"' -l to -x -a 'beginning end stored' -d 'Where to: N, -N, +N, @TIME, P=SPEC'
complete -c evt -n '__evt_is "group reset"' -l shift-by -x -d 'Move every committed offset by N'
complete -c evt -n '__evt_is "group reset"' -l execute -d 'Commit the plan'
complete -c evt -n '__evt_is "group delete"; or __evt_is "group delete-offsets"' -s y -l yes -d 'Do not ask (needed without a terminal)'

# evt broker
complete -c evt -n '__evt_needs_subcommand broker' -a stop -d 'Stop the running local broker'
complete -c evt -n '__evt_needs_subcommand broker' -a status -d 'Print the local broker bootstrap list'
complete -c evt -n '__evt_needs_subcommand broker' -a fault -d 'Inject a fault into the local broker'
complete -c evt -n '__evt_is broker; or __evt_is "broker fault"' -l control -r -F -d 'Control socket for fault commands'
complete -c evt -n '__evt_fault_args' -a down -d 'Take broker N down'
complete -c evt -n '__evt_fault_args' -a up -d 'Bring broker N back up'
complete -c evt -n '__evt_fault_args' -a rtt -d 'Add latency to broker N'
complete -c evt -n '__evt_fault_args' -a errors -d 'Fail the next requests of an API'
complete -c evt -n '__evt_fault_args' -a leader -d 'Move a partition leader'
complete -c evt -n '__evt_fault_args' -a topic-error -d 'Metadata reports an error for a topic'
complete -c evt -n '__evt_fault_args' -a create -d 'Create a topic'
complete -c evt -n '__evt_fault_args errors' -a "$__evt_fault_apis" -d API
complete -c evt -n '__evt_fault_args errors _ _' -a "$__evt_fault_errors" -d 'Kafka error'
complete -c evt -n '__evt_fault_args topic-error _' -a "$__evt_fault_errors" -d 'Kafka error'
complete -c evt -n '__evt_fault_args leader; or __evt_fault_args topic-error' -a '(__evt_topics)' -d topic
complete -c evt -n '__evt_fault_args leader _ _' -a none -d 'No leader'
complete -c evt -n '__evt_is broker' -l nodes -x -d 'Number of brokers'
complete -c evt -n '__evt_is broker' -l topic -x -d 'Create topic NAME:PARTITIONS'
complete -c evt -n '__evt_is broker' -l detach -d 'Start in the background'
complete -c evt -n '__evt_is broker' -l no-publish -d 'Do not register as the local broker'

# evt config
complete -c evt -n '__evt_needs_subcommand config' -a contexts -d 'List the contexts'
complete -c evt -n '__evt_needs_subcommand config' -a use -d 'Make a context the current one'
complete -c evt -n '__evt_needs_subcommand config' -a show -d 'Effective settings and their sources'
complete -c evt -n '__evt_needs_subcommand config' -a init -d 'Write a starter config file'
complete -c evt -n '__evt_is "config use" 0' -a '(__evt_contexts)' -d context
complete -c evt -n '__evt_is "config init"' -l force -d 'Overwrite an existing file'

# evt help
complete -c evt -n '__evt_is help 0' -a 'offsets formats config exit-codes' -d 'help page'
complete -c evt -n '__evt_is help 0' -a 'produce consume tail replay inspect topic group broker' -d 'command'
