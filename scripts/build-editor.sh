#!/usr/bin/env bash
# Rebuilds the back office's editor bundle (crates/render/theme/static/editor.js), the public
# forms' proof-of-work widget (forms.js, its worker altcha-pbkdf2.js and altcha.css) and their
# licence files from editor/ with the exact versions of editor/package-lock.json. The bundles
# are committed: building cong needs no npm, only changing them does.
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
# The forms' widget: ALTCHA's strict-CSP build; its worker and styles as files of their own.
npx esbuild src/forms.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --outfile="$out/forms.js"
cp node_modules/altcha/dist/workers/pbkdf2.js "$out/altcha-pbkdf2.js"
cp node_modules/altcha/dist/external/altcha.css "$out/altcha.css"
{
  echo "Licences of the code in forms.js, altcha-pbkdf2.js and altcha.css (built by scripts/build-editor.sh)."
  for p in altcha hash-wasm; do
    v="$(node -p "require('./node_modules/$p/package.json').version")"
    l="$(node -p "require('./node_modules/$p/package.json').license")"
    printf '\n==== %s %s (%s)\n\n' "$p" "$v" "$l"
    cat node_modules/$p/LICENSE* 2>/dev/null || echo "(no licence file in the package)"
  done
} >"$out/forms.LICENSE.txt"
echo "forms.js: $(wc -c <"$out/forms.js") bytes"
