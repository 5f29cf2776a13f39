#!/usr/bin/env bash
# Makes Node.js 24 (the LTS line iact-bot supports; Node 20 reached end of
# life in April 2026) available, and prints the folder holding its `node`
# for the caller to put first on PATH:
#
#   PATH="$(bash scripts/ensure-node.sh):$PATH"
#
# When the `node` on PATH is already 24 or later, that is all it does. Else
# it installs the official Linux build that the npm registry publishes as
# the package node-linux-<arch> into IACT_NODE_PREFIX (default /opt/node24),
# once: a second run finds it there. The registry is used because it is the
# one download site a locked-down CI machine can always reach, and npm pack
# fetches a tarball without running install scripts (which npm 11 skips
# unless approved). It needs a working `npm` (any Node version).
set -euo pipefail

REQUIRED_MAJOR=24
PREFIX=${IACT_NODE_PREFIX:-/opt/node24}

major_of() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

say() { echo "ensure-node: $*" >&2; }

if command -v node >/dev/null && [ "$(major_of node)" -ge "$REQUIRED_MAJOR" ]; then
  dirname "$(command -v node)"
  exit 0
fi

if [ -x "$PREFIX/bin/node" ] && [ "$(major_of "$PREFIX/bin/node")" -ge "$REQUIRED_MAJOR" ]; then
  echo "$PREFIX/bin"
  exit 0
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) say "no Node $REQUIRED_MAJOR build for $(uname -m) on the npm registry; install Node $REQUIRED_MAJOR by hand"; exit 1 ;;
esac

if ! command -v npm >/dev/null; then
  say "npm is needed to fetch Node $REQUIRED_MAJOR from the npm registry; install any Node.js with npm first"
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "installing Node $REQUIRED_MAJOR (npm package node-linux-$arch@$REQUIRED_MAJOR) into $PREFIX"
(cd "$work" && npm pack --silent "node-linux-$arch@$REQUIRED_MAJOR" >/dev/null)
tar -xzf "$work"/node-linux-"$arch"-*.tgz -C "$work" package/bin/node package/LICENSE
mkdir -p "$PREFIX/bin"
# Install under a temporary name, then rename: a run cut short never leaves
# a half-written node that the check above would take for a good one.
install -m 0755 "$work/package/bin/node" "$PREFIX/bin/node.partial"
cp "$work/package/LICENSE" "$PREFIX/LICENSE"
mv "$PREFIX/bin/node.partial" "$PREFIX/bin/node"
say "installed $("$PREFIX/bin/node" --version) at $PREFIX/bin/node"
echo "$PREFIX/bin"
