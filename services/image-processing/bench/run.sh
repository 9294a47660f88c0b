#!/usr/bin/env bash
# Thumbnail benchmark of image-processing, one command from anywhere, on a fresh clone too:
#   services/image-processing/bench/run.sh [iterations]   full run (default 20 iterations; several minutes)
#   services/image-processing/bench/run.sh smoke          1 iteration, small images, 2 concurrent renders (CI)
# Esteira's renderer against vipsthumbnail (Debian libvips-tools, installed if absent; libturbojpeg0 too) on
# generated 12 MP and 2 MP JPEGs and a 2000x2000 PNG with alpha, each path rendered before (AreaScaler alone) and
# after imgscalr (what the service ships), side by side: CPU ms per image, images/s per core, peak heap, ratio to
# vips, PSNR against a box-filtered reference. Then 20 concurrent 40 MP images with the heap capped at 512 MB.
# Exits non-zero when a step fails, a PSNR is implausible or imgscalr loses more than 0.5 dB.
# Builds what it needs in one reactor run (-am: the shared modules need not be installed). Files go to
# services/image-processing/target/bench.
set -euo pipefail
mode=full
iterations=20
if [ "${1:-}" = smoke ]; then
  mode=smoke
  iterations=1
elif [ -n "${1:-}" ]; then
  iterations="$1"
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"

packages=()
command -v vipsthumbnail > /dev/null || packages+=(libvips-tools)
# The libjpeg-turbo rows measure the service's fast JPEG path; without the library they fall back to ImageIO.
ldconfig -p 2> /dev/null | grep -q 'libturbojpeg\.so\.0' || packages+=(libturbojpeg0)
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing ${packages[*]}..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" > /dev/null
fi
vipsthumbnail --version

cd "$root"
# Test classes of this module and, in the same reactor, its class path: the shared modules resolve to their
# target/classes, so nothing has to be installed in the local repository first.
./mvnw -B -q -pl services/image-processing -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="$here/target/test-classes:$here/target/classes:$(cat "$here/target/bench.classpath")"
main=io.esteira.imageprocessing.thumbnail.ThumbnailBenchmark
dir="$here/target/bench"
jvm=("$java" --enable-native-access=ALL-UNNAMED -cp "$cp")

if [ "$mode" = smoke ]; then
  "${jvm[@]}" -Xmx1g "$main" speed "$dir" 1 smoke
  echo
  "${jvm[@]}" -Xmx512m -XX:+ExitOnOutOfMemoryError "$main" stress "$dir" 2 photo-2mp.jpg
else
  "${jvm[@]}" -Xmx1g "$main" generate "$dir"
  "${jvm[@]}" -Xmx1g "$main" speed "$dir" "$iterations"
  echo
  "${jvm[@]}" -Xmx512m -XX:+ExitOnOutOfMemoryError "$main" stress "$dir"
fi
