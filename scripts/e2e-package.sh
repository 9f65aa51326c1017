#!/usr/bin/env bash
# End-to-end test of the published shape: packs this library, installs the tarball into a fresh project the way the
# README's "Use it in your project" says (its `npm install` lines, its main.ts, cdktf.json and tsconfig.json, read
# from README.md so the README cannot drift), then:
#   - `npx cdktf synth` passes and writes cdk.tf.json with the JSON and SARIF reports beside it;
#   - `npx tsc -p .` type checks the app with the TypeScript a new project gets;
#   - `npx hardened-docker check cdktf.out` passes;
#   - the same app plus a privileged raw Container fails synth, naming the construct path and the rule, without a
#     stack trace into the library.
# Needs the npm registry (CI reaches it). Run by .ci/run; by hand: scripts/e2e-package.sh [work-dir].
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${1:-$(mktemp -d /tmp/hardened-docker-e2e.XXXXXX)}"
export CHECKPOINT_DISABLE=1
fail() { echo "e2e-package: $*" >&2; exit 1; }
step() { printf '\n-- e2e-package: %s\n' "$*"; }

step "node $(node --version); pack into $WORK"
mkdir -p "$WORK/pack" "$WORK/app"
cd "$ROOT"
npx projen compile >"$WORK/compile.log" 2>&1 || { cat "$WORK/compile.log" >&2; fail "npx projen compile failed"; }
tarball="$(npm pack --silent --pack-destination "$WORK/pack" | tail -1)"
tarball="$WORK/pack/$tarball"
[ -f "$tarball" ] || fail "npm pack wrote no tarball"

# The package's budget: at most 3 MiB packed, no file naming the packing machine, no native build output.
size="$(stat -c %s "$tarball")"
echo "tarball $(basename "$tarball"): $size bytes"
[ "$size" -le $((3 * 1024 * 1024)) ] || fail "the tarball is $size bytes, over the 3 MiB budget"
mkdir -p "$WORK/unpacked"
tar -xzf "$tarball" -C "$WORK/unpacked"
if grep -rlF "$ROOT" "$WORK/unpacked" >"$WORK/names-root.txt"; then
  cat "$WORK/names-root.txt" >&2; fail "files in the tarball name the packing machine's path $ROOT"
fi
native="$(find "$WORK/unpacked" \( -name '*.node' -o -name Makefile -o -name config.gypi -o -name '*.o' \) -print)"
[ -z "$native" ] || { echo "$native" >&2; fail "the tarball carries native build output"; }

# The README section, split into what a newcomer copies: the install lines, main.ts, cdktf.json, tsconfig.json.
node - "$ROOT/README.md" "$WORK/app" <<'NODE'
const fs = require('fs');
const path = require('path');
const [readme, dir] = process.argv.slice(2);
const text = fs.readFileSync(readme, 'utf8');
const start = text.indexOf('\n## Use it in your project\n');
if (start < 0) throw new Error('README.md has no "## Use it in your project" section');
const end = text.indexOf('\n## ', start + 1);
const section = text.slice(start, end < 0 ? undefined : end);
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
const install = blocks.filter((b) => b.lang === 'sh').flatMap((b) => b.body.split('\n')).filter((l) => /^npm install /.test(l));
const app = blocks.find((b) => b.lang === 'ts');
const json = blocks.filter((b) => b.lang === 'json').map((b) => JSON.parse(b.body));
const cdktfJson = json.find((j) => 'app' in j);
const tsconfig = json.find((j) => 'compilerOptions' in j);
if (install.length === 0 || !app || !cdktfJson || !tsconfig) {
  throw new Error('README "Use it in your project" lacks the npm install lines, the ts app, cdktf.json or tsconfig.json');
}
fs.writeFileSync(path.join(dir, 'install.sh'), install.join('\n') + '\n');
fs.writeFileSync(path.join(dir, 'main.ts'), app.body);
fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2) + '\n');
fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n');
NODE

cd "$WORK/app"
npm init -y >/dev/null
cp "$tarball" .
# The README names the tarball of version 0.0.0; install the one just packed.
sed -i "s#\./cdktf-hardened-docker-[^ ]*\.tgz#./$(basename "$tarball")#" install.sh
step "install as the README says"
cat install.sh
bash -e install.sh >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; fail "npm install failed"; }

step "npx cdktf synth"
npx cdktf synth >"$WORK/synth.out" 2>&1 || { cat "$WORK/synth.out" >&2; fail "cdktf synth of the README app failed"; }
stack_dir="$(dirname "$(ls cdktf.out/stacks/*/cdk.tf.json | head -1)")"
for f in cdk.tf.json hardened-docker-report.json hardened-docker-report.sarif; do
  [ -s "$stack_dir/$f" ] || fail "synth wrote no $stack_dir/$f"
done
grep -q '"docker_container"' "$stack_dir/cdk.tf.json" || fail "$stack_dir/cdk.tf.json has no docker_container"
echo "wrote $(ls "$stack_dir" | tr '\n' ' ')"

step "npx tsc -p ."
npx tsc -p . || fail "the README app does not type check"

step "npx hardened-docker check cdktf.out"
npx hardened-docker check cdktf.out >"$WORK/check.out" 2>&1 || { cat "$WORK/check.out" >&2; fail "check of the README app failed"; }
tail -1 "$WORK/check.out"

step "a privileged raw Container fails synth"
{
  grep -v '^app.synth();' main.ts
  echo "import { Container } from '@cdktf/provider-docker/lib/container';"
  echo "new Container(stack, 'raw', { name: 'raw', image: 'nginx', privileged: true });"
  echo 'app.synth();'
} >bad.ts
if npx tsx bad.ts >"$WORK/bad.out" 2>&1; then
  cat "$WORK/bad.out" >&2
  fail "synth of a privileged raw Container passed"
fi
cat "$WORK/bad.out"
grep -q 'no-privileged' "$WORK/bad.out" || fail "the failed synth does not name the rule no-privileged"
grep -q '/raw' "$WORK/bad.out" || fail "the failed synth does not name the construct path .../raw"
if grep -q 'node_modules/cdktf-hardened-docker/' "$WORK/bad.out"; then
  fail "the failed synth shows a stack trace into the library"
fi

step "passed ($WORK)"
