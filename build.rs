//! Gives the binary an identity of what it was built from: `PRIKAZ_BUILD_ID`,
//! a hash of the sources, templates, fonts and locked dependencies. An
//! incremental build reuses a file only if the prikaz that made it had the
//! same identity: a rebuilt prikaz with another layout under the same version
//! number must not keep the old files.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for e in read.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// FNV-1a, 64 bits: stable across machines and Rust versions (std's hasher
/// promises neither).
fn fnv(seed: u64, data: &[u8]) -> u64 {
    data.iter().fold(seed, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut all = Vec::new();
    for dir in ["src", "templates", "fonts"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    for f in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={f}");
        all.push(root.join(f));
    }
    let mut named: Vec<(String, PathBuf)> = all
        .into_iter()
        .filter_map(|p| {
            let rel = p
                .strip_prefix(&root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, p))
        })
        .collect();
    named.sort();
    let (mut a, mut b) = (0xcbf2_9ce4_8422_2325_u64, 0x8422_2325_cbf2_9ce4_u64);
    for (rel, p) in named {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        for part in [rel.as_bytes(), &[0], &bytes, &[0]] {
            a = fnv(a, part);
            b = fnv(b, part);
        }
    }
    println!("cargo:rustc-env=PRIKAZ_BUILD_ID={a:016x}{b:016x}");
}
