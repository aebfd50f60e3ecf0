#!/usr/bin/env bash
# Rebuilds src/test/upgrade/ensync-partner-onboarding-0.1.0.jar, the first release's jar that UpgradeIT starts from
# (docs/compatibility.md): the tree of commit c82cbd9 (the first round, merged with the partner portal: the Liquibase
# changesets ensync-0.1.0-*), built with its own pom (Keycloak 26.7.3 API, no admin console yet), tests skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
release=c82cbd9
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive "$release" | tar -x -C "$work"
(cd "$work" && mvn -B -q package -DskipTests -Dit.skip=true)
cp "$work/target/ensync-partner-onboarding.jar" src/test/upgrade/ensync-partner-onboarding-0.1.0.jar
echo "src/test/upgrade/ensync-partner-onboarding-0.1.0.jar rebuilt from $release"
