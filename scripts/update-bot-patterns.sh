#!/usr/bin/env bash
# Refreshes the bot User-Agent list from the npm package isbot (maintained, Unlicense), pinned
# by version: scripts/update-bot-patterns.sh 5.2.3. Review the diff, run the tests, commit.
set -euo pipefail
version="${1:?usage: $0 ISBOT_VERSION}"
out="$(cd "$(dirname "$0")/.." && pwd)/crates/domain/src/stats/bots/isbot-patterns.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "isbot@$version" >/dev/null && tar xzf "isbot-$version.tgz")
{
  echo "# User-Agent patterns of the npm package isbot $version (https://github.com/omrilotan/isbot),"
  echo "# released under the Unlicense. One case-insensitive regular expression per line."
  echo "# Regenerate with scripts/update-bot-patterns.sh; cong's own additions are in local-patterns.txt."
  node -e 'for (const p of require(process.argv[1]).list) console.log(p)' "$work/package/index.js"
} > "$out"
echo "wrote $(grep -vc '^#' "$out") patterns to $out"
