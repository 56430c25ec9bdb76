#!/usr/bin/env bash
# JMH benchmarks in one command: builds benchmarks/target/benchmarks.jar (with the core built from
# this tree) when missing, then runs it with the given JMH arguments, e.g.
#   benchmarks/run-jmh.sh                                   # every benchmark, default settings
#   benchmarks/run-jmh.sh PageParseBenchmark -prof gc
#   benchmarks/run-jmh.sh -f 1 -wi 1 -i 2 -w 1s -r 1s       # a quick smoke run
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f benchmarks/target/benchmarks.jar ]; then
  ./mvnw -q -B package -DskipTests -pl registry-reactive-core,benchmarks -am
fi
exec java -jar benchmarks/target/benchmarks.jar "$@"
