//! The editor's loop on seed 000 (order 978-ОД in the repository's plans):
//! the time from a `didChange` to its diagnostics through `prikaz lsp`
//! (target: under 50 ms), the memory of the server over 1,000 edits (no
//! growth beyond a bound), and the preview's re-render after one edit
//! (target: under 100 ms). Medians and spread. Run: `cargo bench --bench editor`.
//! `PRIKAZ_EDITOR_REPO=DIR` (a repository's root) and `PRIKAZ_EDITOR_FILE`
//! (an order in it, relative to the root) measure another repository, such as
//! the 1,000-order one `cargo bench --bench scale` generates;
//! `PRIKAZ_EDITOR_EDITS` sets the number of edits (1,000).

use std::path::Path;
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request};
use serde_json::json;

const SEED: &str = "plans/smolensk-2024-978/order.yaml";

fn order() -> String {
    std::env::var("PRIKAZ_EDITOR_FILE").unwrap_or_else(|_| SEED.into())
}

/// The order with its signatory misspelt: an unknown person.
fn broken(good: &str) -> String {
    let at = good.find("\nsignatory: ").expect("a signatory line") + "\nsignatory: ".len();
    let end = good[at..].find('\n').map_or(good.len(), |e| at + e);
    format!("{}x{}", &good[..end], &good[end..])
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn median(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn notify(c: &Connection, method: &str, params: serde_json::Value) {
    c.sender
        .send(Message::Notification(Notification::new(
            method.into(),
            params,
        )))
        .expect("send");
}

/// Waits for the diagnostics of `uri`, skipping everything else.
fn diagnostics(c: &Connection, uri: &str) -> usize {
    loop {
        match c
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers")
        {
            Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            _ => {}
        }
    }
}

fn lsp(root: &Path) {
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || prikaz::lsp::serve(&server).expect("serve"));
    let root_uri = url::Url::from_directory_path(root)
        .expect("uri")
        .to_string();
    client
        .sender
        .send(Message::Request(Request::new(
            1.into(),
            "initialize".into(),
            json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
        )))
        .expect("send");
    loop {
        if let Message::Response(_) = client.receiver.recv().expect("initialized") {
            break;
        }
    }
    notify(&client, "initialized", json!({}));
    let path = root.join(order());
    let uri = url::Url::from_file_path(&path).expect("uri").to_string();
    let good = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bad = broken(&good);
    notify(
        &client,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 0, "text": good}}),
    );
    let start_rss = rss_mib();
    let mut times = Vec::new();
    let mut marks = Vec::new();
    let edits: i32 = std::env::var("PRIKAZ_EDITOR_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    for i in 1..=edits {
        let text = if i % 2 == 1 { &bad } else { &good };
        let t = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i},
                   "contentChanges": [{"text": text}]}),
        );
        let n = diagnostics(&client, &uri);
        times.push(t.elapsed());
        assert_eq!(n > 0, i % 2 == 1, "edit {i}: {n} diagnostics");
        if [10, 100, 250, 500, 750, 1000].contains(&i) || i == edits {
            marks.push((i, rss_mib()));
        }
    }
    let (m, lo, hi) = median(times[times.len().min(10)..].to_vec());
    println!(
        "lsp: didChange → diagnostics on {}: median {m:?} (min {lo:?}, max {hi:?}), {} edits",
        order(),
        times.len().saturating_sub(10)
    );
    let marks: Vec<String> = marks.iter().map(|(i, r)| format!("{i}: {r:.1}")).collect();
    println!(
        "lsp: resident memory (MiB) after edits, started at {start_rss:.1}: {}",
        marks.join(", ")
    );
    client
        .sender
        .send(Message::Request(Request::new(
            2.into(),
            "shutdown".into(),
            json!(null),
        )))
        .expect("send");
    notify(&client, "exit", json!(null));
    thread.join().expect("server thread");
}

fn preview(root: &Path) {
    let project = prikaz::project::Project::open(&[root.join("plans")], root);
    let mut r = prikaz::preview::render::Renderer::new(project, prikaz::render::pdf::Engine::new());
    let order = order();
    r.follow(&order);
    let first = Instant::now();
    let pages = r.render().page_count;
    println!(
        "preview: first render of {order} ({pages} pages, cold typst) {:?}",
        first.elapsed()
    );
    let good = std::fs::read(root.join(&order)).expect("the order");
    // A word more in the title, whichever way the title is written.
    let text = String::from_utf8(good.clone()).expect("utf-8");
    let edited = if text.contains("\ntitle: >-\n  ") {
        text.replacen("\ntitle: >-\n  ", "\ntitle: >-\n  Новое: ", 1)
    } else {
        text.replacen("\ntitle: ", "\ntitle: Новое: ", 1)
    }
    .into_bytes();
    let mut times = Vec::new();
    for i in 0..40 {
        let text = if i % 2 == 0 {
            edited.clone()
        } else {
            good.clone()
        };
        let t = Instant::now();
        r.set_file(&order, Some(text));
        let s = r.render();
        times.push(t.elapsed());
        assert!(!s.stale && s.page_count > 0, "{:?}", s.message);
    }
    let (m, lo, hi) = median(times[4..].to_vec());
    println!("preview: re-render after one edit of {order}: median {m:?} (min {lo:?}, max {hi:?})");
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = std::env::var_os("PRIKAZ_EDITOR_REPO")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf());
    copy(&from.join("plans"), &dir.path().join("plans"));
    let root = dir.path().canonicalize().expect("root");
    if std::env::args().all(|a| a != "--preview-only") {
        lsp(&root);
    }
    if std::env::args().all(|a| a != "--lsp-only") {
        preview(&root);
    }
}
