//! The language server and the preview with real clients: Neovim's
//! built-in LSP client, headless Chromium, the VS Code extension's package.
//! `#[ignore]`d in plain `cargo test`; `.ci/run` installs the clients and
//! runs them.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{repo, seed_978_with};

#[test]
#[ignore = "needs Neovim (.ci/run installs it)"]
fn neovim_shows_the_servers_diagnostics_for_a_broken_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plans = seed_978_with(
        dir.path(),
        &[("order.yaml", "signatory: khnycheva", "signatory: khnychev")],
    );
    let out = dir.path().join("diagnostics.txt");
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!(
            "luafile {}",
            repo().join("tests/tools/nvim-lsp.lua").display()
        ))
        .env("PRIKAZ_BIN", env!("CARGO_BIN_EXE_prikaz"))
        .env("PRIKAZ_ROOT", dir.path())
        .env("PRIKAZ_FILE", plans.join("order.yaml"))
        .env("PRIKAZ_OUT", &out)
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .status()
        .expect("nvim runs");
    assert!(status.success(), "{status}");
    let got = std::fs::read_to_string(&out).expect("diagnostics written");
    let order = std::fs::read_to_string(plans.join("order.yaml")).unwrap();
    let line = order
        .lines()
        .position(|l| l == "signatory: khnychev")
        .unwrap()
        + 1;
    let want = format!(
        "{line}:12 1 unknown-reference лицо «khnychev»: нет такого id | подсказка: возможно, имелось в виду «khnycheva»"
    );
    assert_eq!(got.trim(), want, "{got}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

/// Whether an RGBA screenshot shows something: many pixels, many colours.
fn not_blank(png: &Path) -> (usize, usize) {
    let img = image::open(png).expect("screenshot").to_rgb8();
    // Text of stale pages is drawn lighter: «dark» is well off the white.
    let dark = img
        .pixels()
        .filter(|p| p.0.iter().all(|c| *c < 160))
        .count();
    let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    (dark, colours.len())
}

#[test]
#[ignore = "needs Chromium and playwright-core (.ci/run installs them)"]
fn the_preview_in_chromium_follows_edits_and_keeps_the_pages_when_broken() {
    // All the real plans: the page lists five documents.
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("plans"), &dir.path().join("plans"));
    let order = dir.path().join("plans/smolensk-2024-978/order.yaml");
    let mut server = Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(["preview", "plans/smolensk-2024-978/order.yaml"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("prikaz preview");
    let mut url = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("the URL");
    let url = url.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (before, after) = (dir.path().join("before.png"), dir.path().join("after.png"));
    let run = Command::new("node")
        .arg(repo().join("tests/tools/preview.cjs"))
        .args([url.as_str(), order.to_str().unwrap()])
        .arg(&before)
        .arg(&after)
        .output()
        .expect("node runs");
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    // Seed 000's order with its appendix: 8 pages, as its PDF has.
    assert_eq!(r["pages"], 8, "{r}");
    assert_eq!(r["documents"], 5, "{r}");
    assert_eq!(
        r["document"], "smolensk-2024-978",
        "the plan named is shown first: {r}"
    );
    let switched = &r["switched"];
    assert_ne!(switched["document"], "smolensk-2024-978", "{r}");
    assert!(
        switched["pages"].as_u64().unwrap() > 0 && switched["pages"] != 8,
        "{r}"
    );
    assert_eq!(r["pages_back"], 8, "{r}");
    assert!(r["redrawn_ms"].as_u64().unwrap() < 2000, "{r}");
    assert_eq!(r["pages_after_edit"], 8, "{r}");
    // The title is on page 1; the appendix's pages are the same and stay.
    let redrawn = r["pages_redrawn"].as_u64().unwrap();
    assert!(
        (1..=3).contains(&redrawn),
        "only the changed pages are redrawn: {r}"
    );
    let d = r["diagnostic"].as_str().unwrap();
    assert!(
        d.contains("plans/smolensk-2024-978/order.yaml:") && d.contains("unknown-reference"),
        "{d}"
    );
    assert!(d.contains("signatory: nobody"), "the source line: {d}");
    assert_eq!(r["stale"], 1, "{r}");
    assert_eq!(r["pages_when_broken"], 8, "the last good pages stay: {r}");
    assert_eq!(
        r["foreign"],
        serde_json::json!([]),
        "no outside resources: {r}"
    );
    for shot in [&before, &after] {
        let (dark, colours) = not_blank(shot);
        assert!(
            dark > 5_000 && colours > 50,
            "{}: {dark} dark pixels, {colours} colours",
            shot.display()
        );
    }
}

#[test]
#[ignore = "needs npm (.ci/run has it)"]
fn the_vscode_extension_packages_with_its_commands_and_the_schema() {
    let ext = repo().join("editors/vscode");
    let npm = |args: &[&str]| {
        let out = Command::new("npm")
            .args(args)
            .current_dir(&ext)
            .env("PRIKAZ", env!("CARGO_BIN_EXE_prikaz"))
            .output()
            .expect("npm runs");
        assert!(
            out.status.success(),
            "npm {args:?}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    npm(&["ci", "--no-audit", "--no-fund"]);
    npm(&["run", "package"]);
    let file = std::fs::File::open(ext.join("prikaz.vsix")).expect("prikaz.vsix");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let read = |zip: &mut zip::ZipArchive<std::fs::File>, name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s).expect(name);
        s
    };
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&mut zip, "extension/package.json")).unwrap();
    let titles: Vec<&str> = manifest["contributes"]["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Собрать PDF") && titles.contains(&"Открыть предпросмотр"),
        "{titles:?}"
    );
    assert_eq!(
        manifest["contributes"]["yamlValidation"][0]["fileMatch"][0],
        "plans/**/*.yaml"
    );
    let js = read(&mut zip, "extension/out/extension.js");
    assert!(
        js.contains("\"lsp\"") && js.contains("\"preview\""),
        "the server and the preview are started"
    );
    let schema = read(&mut zip, "extension/schema.json");
    let printed = Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(
        schema.as_bytes(),
        printed.stdout.as_slice(),
        "the packaged schema is prikaz's"
    );
    assert!(
        zip.file_names()
            .any(|n| n.starts_with("extension/node_modules/vscode-languageclient/")),
        "the client library is packaged"
    );
}
