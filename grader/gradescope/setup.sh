#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu). It installs a
# JDK 25 and Maven, then builds the kit in /autograder/source/kit and installs its modules into the
# local Maven repository, so that grading each submission later runs offline.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q wget gpg ca-certificates apt-transport-https git curl python3
# Temurin 25 from Adoptium's apt repository (https://adoptium.net/installation/linux).
wget -qO - https://packages.adoptium.net/artifactory/api/gpg/key/public | gpg --dearmor -o /usr/share/keyrings/adoptium.gpg
echo "deb [signed-by=/usr/share/keyrings/adoptium.gpg] https://packages.adoptium.net/artifactory/deb $(. /etc/os-release; echo "$VERSION_CODENAME") main" \
  > /etc/apt/sources.list.d/adoptium.list
apt-get update -q
apt-get install -y -q temurin-25-jdk
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"
# Maven from Apache: some Ubuntu images package one older than the kit's 3.8.7.
MAVEN=3.9.9
wget -q "https://archive.apache.org/dist/maven/maven-3/$MAVEN/binaries/apache-maven-$MAVEN-bin.tar.gz" -O /tmp/maven.tgz
tar -xzf /tmp/maven.tgz -C /opt
ln -sf "/opt/apache-maven-$MAVEN/bin/mvn" /usr/local/bin/mvn
cd "${AUTOGRADER_ROOT:-/autograder}/source/kit"
# The zip keeps no file modes.
chmod +x flashlab ../run_autograder .ci/run
[ -f /autograder/run_autograder ] && chmod +x /autograder/run_autograder
./flashlab build
# The kit's modules and every plugin the grader's offline builds use, in ~/.m2.
mvn -B -q -ntp install -DskipTests -Djacoco.skip=true
