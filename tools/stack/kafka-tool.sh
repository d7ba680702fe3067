#!/usr/bin/env bash
# Runs one of Kafka 3.9.1's own CLI tools from the jars the local stack uses (no Kafka download needed).
#
#   tools/stack/kafka-tool.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   tools/stack/kafka-tool.sh consumer-groups --bootstrap-server 127.0.0.1:9092 --describe --all-groups
#   tools/stack/kafka-tool.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic t --from-beginning
#   tools/stack/kafka-tool.sh org.apache.kafka.tools.GetOffsetShell --bootstrap-server 127.0.0.1:9092
#
# The first argument is an alias below or a fully qualified main class. The classpath is the one
# `npm run stack:up` saved in $STACK_DIR/kafka/classpath.txt; when missing it is resolved with Maven.
# Java: KAFKA_JAVA_HOME, else JAVA_HOME, else `java` on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
stack_dir="${STACK_DIR:-$repo_root/.stack}"
classpath_file="$stack_dir/kafka/classpath.txt"

usage() {
  cat >&2 <<'USAGE'
usage: tools/stack/kafka-tool.sh <tool> [args...]

tools (alias -> main class, Kafka 3.9.1):
  topics             org.apache.kafka.tools.TopicCommand
  consumer-groups    org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
  console-consumer   org.apache.kafka.tools.consumer.ConsoleConsumer
  console-producer   kafka.tools.ConsoleProducer
  configs            kafka.admin.ConfigCommand
  get-offsets        org.apache.kafka.tools.GetOffsetShell
  delete-records     org.apache.kafka.tools.DeleteRecordsCommand
  log-dirs           org.apache.kafka.tools.LogDirsCommand
  metadata-quorum    org.apache.kafka.tools.MetadataQuorumCommand
  features           org.apache.kafka.tools.FeatureCommand
  cluster            org.apache.kafka.tools.ClusterTool
  storage            kafka.tools.StorageTool
  producer-perf-test org.apache.kafka.tools.ProducerPerformance
  consumer-perf-test org.apache.kafka.tools.ConsumerPerformance
or any fully qualified main class on the Kafka classpath.
USAGE
}

if [[ $# -lt 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  usage
  exit 2
fi

tool="$1"
shift
case "$tool" in
  topics) main_class=org.apache.kafka.tools.TopicCommand ;;
  consumer-groups) main_class=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  console-consumer) main_class=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer) main_class=kafka.tools.ConsoleProducer ;;
  configs) main_class=kafka.admin.ConfigCommand ;;
  get-offsets) main_class=org.apache.kafka.tools.GetOffsetShell ;;
  delete-records) main_class=org.apache.kafka.tools.DeleteRecordsCommand ;;
  log-dirs) main_class=org.apache.kafka.tools.LogDirsCommand ;;
  metadata-quorum) main_class=org.apache.kafka.tools.MetadataQuorumCommand ;;
  features) main_class=org.apache.kafka.tools.FeatureCommand ;;
  cluster) main_class=org.apache.kafka.tools.ClusterTool ;;
  storage) main_class=kafka.tools.StorageTool ;;
  producer-perf-test) main_class=org.apache.kafka.tools.ProducerPerformance ;;
  consumer-perf-test) main_class=org.apache.kafka.tools.ConsumerPerformance ;;
  *.*) main_class="$tool" ;;
  *)
    echo "kafka-tool.sh: unknown tool '$tool'" >&2
    usage
    exit 2
    ;;
esac

if [[ ! -s "$classpath_file" ]]; then
  echo "kafka-tool.sh: no saved classpath at $classpath_file; resolving the Kafka jars with Maven..." >&2
  mkdir -p "$(dirname "$classpath_file")"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2
fi

if [[ -n "${KAFKA_JAVA_HOME:-}" ]]; then
  java_bin="$KAFKA_JAVA_HOME/bin/java"
elif [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
else
  java_bin="$(command -v java || true)"
fi
if [[ -z "$java_bin" || ! -x "$java_bin" ]]; then
  echo "kafka-tool.sh: no Java found (set KAFKA_JAVA_HOME or JAVA_HOME, or apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi

exec "$java_bin" -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true \
  -Dlog4j.configuration="file:$here/tools-log4j.properties" \
  -cp "$(<"$classpath_file")" "$main_class" "$@"
