//! `prikaz lsp` driven over stdio exactly as an editor drives it: framed
//! JSON-RPC, initialize, open, edit, ask, shut down.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::seed_978_with;

/// A minimal LSP client: Content-Length framing, numbered requests, the
/// server's messages read on a thread.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next: i64,
    /// Notifications seen while waiting for responses.
    pub notes: Vec<Value>,
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    pub fn start(root: &Path) -> Client {
        Client::start_with(root, json!({}))
    }

    pub fn start_with(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start prikaz lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(m) = read_message(&mut r) {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        let mut c = Client {
            child,
            stdin,
            incoming,
            next: 1,
            notes: Vec::new(),
        };
        let uri = uri(root);
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "plans"}],
                "capabilities": capabilities
            }),
        );
        assert!(
            init["capabilities"]["hoverProvider"]
                .as_bool()
                .unwrap_or(false),
            "{init}"
        );
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, v: &Value) {
        let body = serde_json::to_vec(v).expect("json");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write");
        self.stdin.write_all(&body).expect("write");
        self.stdin.flush().expect("flush");
    }

    /// Answers a request the server made (`client/registerCapability`).
    pub fn respond(&mut self, id: &Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        self.incoming
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let m = self.exchange(method, params);
        assert!(m.get("error").is_none(), "{method}: {m}");
        m["result"].clone()
    }

    /// The error a request is answered with.
    pub fn request_error(&mut self, method: &str, params: Value) -> Value {
        let m = self.exchange(method, params);
        m.get("error")
            .cloned()
            .unwrap_or_else(|| panic!("{method} succeeded: {m}"))
    }

    fn exchange(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == json!(id) && m.get("method").is_none() {
                return m;
            }
            self.notes.push(m);
        }
    }

    /// The next diagnostics published for `uri` that satisfy `want`.
    pub fn diagnostics_for(&mut self, uri: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = std::mem::take(&mut self.notes);
        loop {
            for m in seen.drain(..) {
                if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                    let d = m["params"]["diagnostics"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    if want(&d) {
                        return d;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "no matching diagnostics for {uri}"
            );
            seen.push(self.recv());
        }
    }

    pub fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null());
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("wait");
        assert!(status.success(), "{status}");
    }
}

pub fn uri(p: &Path) -> String {
    let p = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut s = String::from("file://");
    for c in p.to_string_lossy().split('/').filter(|c| !c.is_empty()) {
        s.push('/');
        for b in c.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(b as char);
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s
}

/// Line and UTF-16 column of the first `needle` in `text`, plus `shift` characters.
pub fn pos(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no «{needle}»"));
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[start..at].encode_utf16().count() + shift;
    json!({"line": line, "character": col})
}

fn seeded() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let plans = seed_978_with(dir.path(), &[]);
    let root = dir.path().canonicalize().expect("canonical");
    (dir, root, plans)
}

#[test]
fn an_editor_session_gets_diagnostics_completion_hover_definition_and_rename() {
    let (_dir, root, plans) = seeded();
    let order = plans.join("order.yaml");
    let text = std::fs::read_to_string(&order).expect("order");
    let order_uri = uri(&order);
    let registry_uri = uri(&plans.join("registry.yaml"));
    let mut c = Client::start(&root);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": order_uri, "languageId": "yaml", "version": 1, "text": text}}),
    );

    // A broken person id, typed and not saved: reported with its code and range.
    let start = pos(&text, "fominykh\")", 0);
    let end = pos(&text, "fominykh\")", "fominykh".len());
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": order_uri, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "fominyh"}]}),
    );
    let d = c.diagnostics_for(&order_uri, |d| {
        d.iter().any(|d| d["code"] == "unknown-reference")
    });
    let bad = d
        .iter()
        .find(|d| d["code"] == "unknown-reference")
        .expect("unknown-reference");
    assert_eq!(bad["severity"], 1, "{bad}");
    assert!(
        bad["message"].as_str().unwrap().contains("fominyh"),
        "{bad}"
    );
    assert!(
        bad["message"].as_str().unwrap().contains("«fominykh»"),
        "hint: {bad}"
    );
    assert_eq!(bad["range"]["start"]["line"], start["line"], "{bad}");
    assert_eq!(
        std::fs::read_to_string(&order).unwrap(),
        text,
        "nothing saved"
    );

    // The hint's fix, as a code action.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": order_uri}, "range": bad["range"],
               "context": {"diagnostics": [bad]}}),
    );
    let fix = &actions[0];
    assert_eq!(fix["title"], "Заменить на «fominykh»", "{actions}");
    let edit = &fix["edit"]["changes"][&order_uri][0];
    assert_eq!(edit["newText"], "fominykh");
    assert_eq!(edit["range"]["start"], start, "{edit}");

    // Put it right again: the diagnostic goes away.
    let end_bad = pos(&text, "fominykh\")", "fominyh".len());
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": order_uri, "version": 3},
               "contentChanges": [{"range": {"start": start, "end": end_bad}, "text": "fominykh"}]}),
    );
    c.diagnostics_for(&order_uri, |d| {
        !d.iter().any(|d| d["code"] == "unknown-reference")
    });

    // Completion after `signatory: `: the registry's people, with full names.
    let at = pos(&text, "signatory: khnycheva", "signatory: ".len());
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": order_uri}, "position": at}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"khnycheva") && labels.contains(&"fominykh"),
        "{labels:?}"
    );
    let k = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "khnycheva")
        .unwrap();
    assert!(k["detail"].as_str().unwrap().starts_with("Хнычева"), "{k}");

    // Hover on an appendix() expression: the text it prints.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "appendix(\"smolensk", 3)}),
    );
    assert_eq!(
        h["contents"]["value"], "**Печатается:** «приложение»",
        "{h}"
    );
    // Hover on the signatory: the full name and position on the order's date.
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "khnycheva", 2)}),
    );
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(
        v.contains("Хнычева") && v.contains("министр") && v.contains("31.10.2024"),
        "{v}"
    );

    // Definition: the person's entry in the registry.
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "fominykh", 1)}),
    );
    assert_eq!(def["uri"], registry_uri, "{def}");
    let registry = std::fs::read_to_string(plans.join("registry.yaml")).unwrap();
    assert_eq!(
        def["range"]["start"],
        pos(&registry, "id: fominykh", 4),
        "{def}"
    );

    // References and rename: the registry entry and every use.
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "fominykh", 1),
               "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs.as_array().unwrap().len(), 2, "{refs}");
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "khnycheva", 1),
               "newName": "khnycheva-ia"}),
    );
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{edit}");
    for (u, edits) in changes {
        assert!(*u == order_uri || *u == registry_uri, "{u}");
        for e in edits.as_array().unwrap() {
            assert_eq!(e["newText"], "khnycheva-ia");
        }
    }
    // Onto an id the registry already has: refused, nothing changed.
    let e = c.request_error(
        "textDocument/rename",
        json!({"textDocument": {"uri": order_uri}, "position": pos(&text, "khnycheva", 1),
               "newName": "fominykh"}),
    );
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("«fominykh» уже есть"),
        "{e}"
    );
    let uses = registry.matches("khnycheva").count() + text.matches("khnycheva").count();
    let edits: usize = changes.values().map(|e| e.as_array().unwrap().len()).sum();
    assert_eq!(edits, uses, "{edit}");

    c.shutdown();
}

#[test]
fn related_places_formatting_and_the_outline_reach_the_editor() {
    let (_dir, root, plans) = seeded();
    let order = plans.join("order.yaml");
    let text = std::fs::read_to_string(&order).expect("order");
    let order_uri = uri(&order);
    let mut c = Client::start(&root);
    // Two clauses with one id: the second names the first as related.
    let broken = text.replacen("id: omsu\n", "id: soiro\n", 1);
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": order_uri, "languageId": "yaml", "version": 1, "text": broken}}),
    );
    let d = c.diagnostics_for(&order_uri, |d| {
        d.iter().any(|d| d["code"] == "duplicate-id")
    });
    let dup = d.iter().find(|d| d["code"] == "duplicate-id").unwrap();
    let related = &dup["relatedInformation"][0];
    assert_eq!(related["message"], "первое использование здесь", "{dup}");
    assert_eq!(related["location"]["uri"], order_uri);
    assert_eq!(
        related["location"]["range"]["start"],
        pos(&broken, "id: soiro", 4)
    );

    // Formatting is `prikaz fmt`'s.
    let messy = text.replacen("signatory: khnycheva", "signatory:    khnycheva", 1);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": order_uri, "version": 2}, "contentChanges": [{"text": messy}]}),
    );
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": order_uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(
        edits[0]["newText"].as_str().unwrap(),
        text,
        "formatted back to the seed"
    );

    // The outline: the clauses with their printed numbers, nested.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": order_uri}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names[0].starts_with("1. Утвердить"), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("3. Руководителям органов")),
        "{names:?}"
    );
    let soiro = &symbols[1];
    assert_eq!(soiro["children"].as_array().unwrap().len(), 2, "{soiro}");
    c.shutdown();
}

#[test]
fn a_plan_changed_outside_the_editor_is_checked_again_when_the_editor_reports_it() {
    let (_dir, root, plans) = seeded();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut c = Client::start_with(&root, caps);
    // The server asks the editor to watch the plans.
    let order = plans.join("order.yaml");
    let order_uri = uri(&order);
    let text = std::fs::read_to_string(&order).expect("order");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": order_uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let _ = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": order_uri}}),
    );
    let ask = c
        .notes
        .iter()
        .find(|m| m["method"] == "client/registerCapability")
        .cloned()
        .expect("a registration");
    let reg = &ask["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        reg["registerOptions"]["watchers"][0]["globPattern"],
        "**/*.yaml"
    );
    c.respond(&ask["id"]);
    // The appendix, not open in the editor, is changed on disk (a `git pull`).
    let appendix = plans.join("appendix.yaml");
    let a = std::fs::read_to_string(&appendix).unwrap();
    let broken = a.replacen(
        "audience: ОМСУ, МОЦ, ОО\n",
        "audience: ОМСУ, МОЦ, ОО, {{ person(\"никто\") }}\n",
        1,
    );
    assert_ne!(a, broken);
    std::fs::write(&appendix, broken).unwrap();
    let appendix_uri = uri(&appendix);
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": appendix_uri, "type": 2}]}),
    );
    c.diagnostics_for(&appendix_uri, |d| {
        d.iter().any(|d| d["code"] == "unknown-reference")
    });
    c.shutdown();
}
