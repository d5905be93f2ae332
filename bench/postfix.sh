#!/usr/bin/env bash
# A private Postfix for benchmarks (the recipe of the integration harness,
# without chroot, system config untouched), relaying everything to a sink.
#   bench/postfix.sh start DIR SMTP_PORT SINK_PORT [MILTER_ADDR]   MILTER_ADDR like inet:127.0.0.1:8898
#   bench/postfix.sh stop DIR
#   bench/postfix.sh queued DIR     prints the number of messages in the queue
set -euo pipefail
cmd=$1 dir=$2
etc=$dir/etc
case $cmd in
start)
  smtp_port=$3 sink_port=$4 milter=${5:-}
  rm -rf "$dir"
  mkdir -p "$etc" "$dir/spool" "$dir/data"
  chown postfix:postfix "$dir/data"
  cp /etc/postfix/master.cf "$etc/"
  : >"$etc/main.cf"
  postconf -c "$etc" -e compatibility_level=3.6 config_directory="$etc" queue_directory="$dir/spool" \
    data_directory="$dir/data" maillog_file="$dir/maillog" maillog_file_prefixes="$dir" \
    myhostname=mta.bench.localdomain inet_interfaces=127.0.0.1 inet_protocols=ipv4 \
    mydestination= local_recipient_maps= alias_maps= alias_database= \
    "local_transport=error:local delivery disabled" mynetworks=127.0.0.0/8 \
    smtpd_relay_restrictions=permit_mynetworks,reject relayhost="[127.0.0.1]:$sink_port" \
    smtp_dns_support_level=disabled smtpd_peername_lookup=no \
    milter_default_action=tempfail milter_protocol=6 \
    queue_run_delay=1s minimal_backoff_time=1s maximal_backoff_time=5s \
    default_process_limit=200 smtpd_client_connection_count_limit=0 \
    smtpd_client_message_rate_limit=0 smtpd_client_connection_rate_limit=0 \
    message_size_limit=80000000 \
    "smtpd_milters=$milter" "non_smtpd_milters=$milter"
  postconf -c "$etc" -F '*/*/chroot = n'
  postconf -c "$etc" -MX smtp/inet
  postconf -c "$etc" -M "127.0.0.1:$smtp_port/inet = 127.0.0.1:$smtp_port inet n - n - - smtpd"
  script -qec "postfix -c $etc check" /dev/null >/dev/null
  postfix -c "$etc" start >/dev/null 2>&1
  ;;
stop)
  postfix -c "$etc" stop >/dev/null 2>&1 || true
  # The master exits a moment after "stop" returns.
  for _ in $(seq 50); do
    [ -e "$dir/spool/pid/master.pid" ] && kill -0 "$(cat "$dir/spool/pid/master.pid" | tr -d ' ')" 2>/dev/null || break
    sleep 0.1
  done
  ;;
queued)
  find "$dir/spool/incoming" "$dir/spool/active" "$dir/spool/deferred" "$dir/spool/maildrop" -type f 2>/dev/null | wc -l
  ;;
*)
  echo "usage: $0 start|stop|queued DIR ..." >&2
  exit 2
  ;;
esac
