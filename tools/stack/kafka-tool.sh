#!/usr/bin/env bash
# Runs one of Kafka's own CLI tools from the jars the local stack uses (no Kafka download needed).
#
#   tools/stack/kafka-tool.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   tools/stack/kafka-tool.sh consumer-groups --bootstrap-server 127.0.0.1:9092 --describe --all-groups
#   tools/stack/kafka-tool.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic t --from-beginning
#   tools/stack/kafka-tool.sh org.apache.kafka.tools.GetOffsetShell --bootstrap-server 127.0.0.1:9092
#
# The first argument is an alias below or a fully qualified main class. The Kafka version is
# KAFKA_VERSION, else the one the last `npm run stack:up` ran ($STACK_DIR/kafka/topology.json),
# else the pom's default. The classpath is the one the stack saved in
# $STACK_DIR/kafka/<version>/classpath.txt; when missing it is resolved with Maven.
# Java: KAFKA_JAVA_HOME, else JAVA_HOME, else `java` on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
stack_dir="${STACK_DIR:-$repo_root/.stack}"

version="${KAFKA_VERSION:-}"
if [[ -z "$version" && -s "$stack_dir/kafka/topology.json" ]]; then
  version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$stack_dir/kafka/topology.json" | head -n 1)"
fi
if [[ -z "$version" ]]; then
  version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml" | head -n 1)"
fi
if [[ ! "$version" =~ ^[34]\.[0-9]+\.[0-9]+$ ]]; then
  echo "kafka-tool.sh: KAFKA_VERSION must be a Kafka 3.x or 4.x release such as 4.4.0 or 3.9.1; got '$version'" >&2
  exit 2
fi
line="${version%%.*}"
classpath_file="$stack_dir/kafka/$version/classpath.txt"

usage() {
  cat >&2 <<USAGE
usage: tools/stack/kafka-tool.sh <tool> [args...]

tools (alias -> main class, Kafka $version):
  topics               org.apache.kafka.tools.TopicCommand
  consumer-groups      org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
  console-consumer     org.apache.kafka.tools.consumer.ConsoleConsumer
  console-producer     kafka.tools.ConsoleProducer (3.x), org.apache.kafka.tools.ConsoleProducer (4.x)
  configs              kafka.admin.ConfigCommand (3.x), org.apache.kafka.tools.ConfigCommand (4.x)
  broker-api-versions  kafka.admin.BrokerApiVersionsCommand (3.x), org.apache.kafka.tools.BrokerApiVersionsCommand (4.x)
  get-offsets          org.apache.kafka.tools.GetOffsetShell
  delete-records       org.apache.kafka.tools.DeleteRecordsCommand
  log-dirs             org.apache.kafka.tools.LogDirsCommand
  metadata-quorum      org.apache.kafka.tools.MetadataQuorumCommand
  features             org.apache.kafka.tools.FeatureCommand
  cluster              org.apache.kafka.tools.ClusterTool
  storage              kafka.tools.StorageTool
  producer-perf-test   org.apache.kafka.tools.ProducerPerformance
  consumer-perf-test   org.apache.kafka.tools.ConsumerPerformance
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
  console-producer) [[ "$line" == 3 ]] && main_class=kafka.tools.ConsoleProducer || main_class=org.apache.kafka.tools.ConsoleProducer ;;
  configs) [[ "$line" == 3 ]] && main_class=kafka.admin.ConfigCommand || main_class=org.apache.kafka.tools.ConfigCommand ;;
  broker-api-versions)
    [[ "$line" == 3 ]] && main_class=kafka.admin.BrokerApiVersionsCommand || main_class=org.apache.kafka.tools.BrokerApiVersionsCommand
    ;;
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

if [[ ! -s "$classpath_file" ]] || ! grep -q "kafka_2.13-$version.jar" "$classpath_file"; then
  echo "kafka-tool.sh: no saved Kafka $version classpath at $classpath_file; resolving the jars with Maven..." >&2
  mkdir -p "$(dirname "$classpath_file")"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath \
    -Dkafka.version="$version" -Dkafka.line="$line" -Dmdep.outputFile="$classpath_file" >&2
fi
if [[ "$line" == 3 ]]; then
  log_config="-Dlog4j.configuration=file:$here/tools-log4j.properties"
else
  log_config="-Dlog4j2.configurationFile=$here/tools-log4j2.yaml"
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

exec "$java_bin" -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true "$log_config" \
  -cp "$(<"$classpath_file")" "$main_class" "$@"
