#!/bin/sh
# Installs the Neo4j Community runtime of the integration tests (tests/test_neo4j.py) and prints
# its folder: Maven resolves pom.xml's artifacts from Maven Central into the local Maven
# repository (~/.m2, the cache between runs), then this writes into
# ${PAPERKG_NEO4J_CACHE:-~/.cache/paperkg/neo4j}/<hash of pom.xml and Neo4jServer.java>/
#   classpath.txt   the server's and the admin tool's jars
#   plugins/        the neosemantics jar
#   classes/        Neo4jServer.class, the launcher
# A second run with the same files and jars does nothing. Needs java (17+), javac and mvn.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${PAPERKG_NEO4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/paperkg/neo4j}
KEY=$(cat "$HERE/pom.xml" "$HERE/Neo4jServer.java" | sha256sum | cut -c1-16)
DEST=$CACHE/$KEY

installed() {
    [ -f "$DEST/ready" ] || return 1
    for jar in $(tr ':' ' ' < "$DEST/classpath.txt"); do
        [ -f "$jar" ] || return 1
    done
}

if ! installed; then
    rm -rf "$DEST"
    mkdir -p "$DEST"
    mvn -q -B -f "$HERE/pom.xml" dependency:build-classpath \
        -DexcludeArtifactIds=neosemantics "-Dmdep.outputFile=$DEST/classpath.txt" >&2
    mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
        -DincludeArtifactIds=neosemantics "-DoutputDirectory=$DEST/plugins" >&2
    javac -nowarn -cp "$(cat "$DEST/classpath.txt")" -d "$DEST/classes" "$HERE/Neo4jServer.java" >&2
    touch "$DEST/ready"
fi
echo "$DEST"
