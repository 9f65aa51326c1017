#!/usr/bin/env bash
# Generates the Python, Java, .NET and Go code of the jsii targets (package.json "jsii.targets", set in .projenrc.ts)
# and checks that each language got its entry point. Code only: building the packages needs pip, Maven, dotnet
# and go (README, "Other languages"). For CI (.ci/run); also by hand: scripts/pacmak-code-only.sh [outdir]
# Exits non-zero, naming the language, when a target produced nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out="${1:-$(mktemp -d)}"
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "pacmak: $out is not empty: give a new or empty directory" >&2
  exit 2
fi
mkdir -p "$out"

# The assembly (.jsii) the generators read, from the current source.
npx jsii --silence-warnings=reserved-word
npx jsii-pacmak --code-only --outdir "$out" --targets python java dotnet go

missing=0
check() { # language, file expected under $out
  if [ -s "$out/$2" ]; then
    printf 'pacmak: %-6s %s files (%s)\n' "$1" "$(find "$out/${2%%/*}" -type f | wc -l)" "$2"
  else
    echo "pacmak: $1: no $out/$2: the jsii target produced no code" >&2
    missing=1
  fi
}
check python python/src/cdktf_hardened_docker/__init__.py
check java   java/src/main/java/io/github/cdktf_hardened_docker/HardenedContainer.java
check dotnet dotnet/CdktfHardenedDocker/CdktfHardenedDocker/HardenedContainer.cs
check go     go/hardeneddocker/HardenedContainer.go
exit "$missing"
