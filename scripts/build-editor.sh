#!/usr/bin/env bash
# Rebuilds the back office's editor bundle (crates/render/theme/static/editor.js) and its
# licence file from editor/ with the exact versions of editor/package-lock.json. The bundle is
# committed: building cong needs no npm, only changing the editor does.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/editor"
npm ci --no-audit --no-fund
out="$root/crates/render/theme/static"
npx esbuild src/main.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --metafile=meta.json --outfile="$out/editor.js"
# Every package whose code is in the bundle, with its licence text.
node -e '
const fs = require("fs"), path = require("path");
const meta = JSON.parse(fs.readFileSync("meta.json", "utf8"));
const pkgs = new Set();
for (const f of Object.keys(meta.inputs)) {
  const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
  if (m) pkgs.add(m[1]);
}
let text = "Licences of the code bundled in editor.js (built by scripts/build-editor.sh).\n";
for (const p of [...pkgs].sort()) {
  const dir = path.join("node_modules", p);
  const info = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const lic = fs.readdirSync(dir).find((n) => /^licen[cs]e/i.test(n));
  text += "\n==== " + p + " " + info.version + " (" + info.license + ")\n\n";
  text += lic ? fs.readFileSync(path.join(dir, lic), "utf8") : "(no licence file in the package; see its package.json)\n";
}
fs.writeFileSync(process.argv[1], text);
' "$out/editor.LICENSE.txt"
rm -f meta.json
echo "editor.js: $(wc -c <"$out/editor.js") bytes"
