#!/usr/bin/env bash
# Thumbnail benchmark of image-processing, one command from anywhere:
#   services/image-processing/bench/run.sh [iterations]
# Esteira's renderer against vipsthumbnail (Debian libvips-tools, installed if absent) on generated 12 MP and 2 MP
# JPEGs and a 2000x2000 PNG with alpha: CPU ms per image, images/s per core, peak heap, ratio to vips, PSNR against
# a box-filtered reference. Then 20 concurrent 40 MP images with the heap capped at 512 MB.
# Files go to services/image-processing/target/bench.
set -euo pipefail
iterations="${1:-20}"
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"

if ! command -v vipsthumbnail > /dev/null; then
  echo "Installing libvips-tools for vipsthumbnail..."
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y libvips-tools > /dev/null; else sudo apt-get install -y libvips-tools > /dev/null; fi
fi
echo "$(vipsthumbnail --version)"

cd "$root"
./mvnw -B -q -o -pl services/image-processing test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/bench.classpath")"
main=io.esteira.imageprocessing.thumbnail.ThumbnailBenchmark
dir="$here/target/bench"

"$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" "$main" generate "$dir"
"$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$cp" "$main" speed "$dir" "$iterations"
echo
"$java" --enable-native-access=ALL-UNNAMED -Xmx512m -XX:+ExitOnOutOfMemoryError -cp "$cp" "$main" stress "$dir"
