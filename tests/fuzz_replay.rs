//! Every input of the afl targets' seed corpora and every crash they ever found
//! (fuzz/corpus/<target>/, fuzz/regressions/<target>/), run through the same functions as the
//! targets: a crash found once stays a failing test until it is fixed.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

#[test]
fn every_kept_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut counts = Vec::new();
    for (name, target) in targets::TARGETS {
        let mut n = 0;
        for kind in ["corpus", "regressions"] {
            let dir = root.join(kind).join(name);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for file in files.iter().filter(|f| f.is_file()) {
                let data =
                    std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                if std::panic::catch_unwind(|| target(&data)).is_err() {
                    panic!("{name}: {} fails (see the panic above)", file.display());
                }
                n += 1;
            }
        }
        assert!(n > 0, "{name}: no seed in fuzz/corpus/{name}/");
        counts.push(format!("{name} {n}"));
    }
    println!("replayed: {}", counts.join(", "));
}
