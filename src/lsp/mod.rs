//! `prikaz lsp`: the language server. The one module that knows the
//! protocol (rust-analyzer's `lsp-server` transport, `lsp-types`); every
//! answer comes from the pipeline the command line runs: the same project,
//! the same checks, the same numbering and references.
//!
//! An edit re-parses the edited file alone and re-checks only the units it
//! changes (the unit cache in memory); diagnostics go out as soon as the
//! queue of edits is drained, before the clerk saves.

mod complete;
mod diagnostics;
mod hover;
mod outline;
mod requests;
mod symbols;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use thiserror::Error;

use crate::diag::{Diagnostic, FileId};
use crate::project::root::Scope;
use crate::project::{Options, Project, UnitCache, Wants};

#[derive(Debug, Error)]
pub enum LspError {
    #[error("протокол LSP: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("ввод-вывод: {0}")]
    Io(#[from] std::io::Error),
    #[error("ответ клиенту: {0}")]
    Json(#[from] serde_json::Error),
    #[error("корень репозитория: {0}")]
    Root(String),
    /// The protocol's rule: `exit` without `shutdown` ends with code 1.
    #[error("редактор завершил сервер без запроса shutdown")]
    ExitWithoutShutdown,
}

/// Serves one editor over stdin/stdout until it says `exit`.
pub fn serve_stdio() -> Result<(), LspError> {
    let (conn, io) = Connection::stdio();
    serve(&conn)?;
    drop(conn);
    io.join()?;
    Ok(())
}

/// Serves one editor over `conn` (stdio, or memory in tests and benches).
pub fn serve(conn: &Connection) -> Result<(), LspError> {
    let (id, params) = conn.initialize_start()?;
    let init: lsp::InitializeParams = serde_json::from_value(params)?;
    let folder = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| text::uri_path(&f.uri))
        .or_else(|| {
            #[allow(deprecated)]
            init.root_uri.as_ref().and_then(text::uri_path)
        })
        .unwrap_or_else(|| PathBuf::from("."));
    conn.initialize_finish(id, serde_json::to_value(initialize_result())?)?;
    watch_plans(conn, &init)?;
    let mut state = State::open(&folder)?;
    state.analyze(conn)?;
    for msg in &conn.receiver {
        if state.handle(conn, msg)? {
            return Ok(());
        }
        if state.shut_down {
            continue;
        }
        // Edits arrive in bursts while the clerk types: take them all,
        // then check once.
        while let Ok(msg) = conn.receiver.try_recv() {
            if state.handle(conn, msg)? {
                return Ok(());
            }
        }
        if state.dirty {
            state.analyze(conn)?;
        }
    }
    Ok(())
}

/// Asks the editor to report plan files changed outside it (a `git pull`,
/// another program), when it can watch files for the server.
fn watch_plans(conn: &Connection, init: &lsp::InitializeParams) -> Result<(), LspError> {
    let can = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    if !can {
        return Ok(());
    }
    let options = lsp::DidChangeWatchedFilesRegistrationOptions {
        watchers: ["**/*.yaml", "**/*.yml"]
            .into_iter()
            .map(|g| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(g.into()),
                kind: None,
            })
            .collect(),
    };
    let params = lsp::RegistrationParams {
        registrations: vec![lsp::Registration {
            id: "prikaz-plans".into(),
            method: lsp::notification::DidChangeWatchedFiles::METHOD.into(),
            register_options: Some(serde_json::to_value(options)?),
        }],
    };
    // The editor's answer comes back as a response and needs nothing more.
    send(
        conn,
        Message::Request(Request::new(
            "prikaz-watch".to_string().into(),
            lsp::request::RegisterCapability::METHOD.into(),
            params,
        )),
    )
}

fn initialize_result() -> lsp::InitializeResult {
    let caps = lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ":".into(), " ".into(), "(".into()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    };
    lsp::InitializeResult {
        capabilities: caps,
        server_info: Some(lsp::ServerInfo {
            name: "prikaz".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    }
}

/// The server's whole state: the repository's project with the editor's
/// unsaved texts in place of the files on disk.
pub struct State {
    scope: Scope,
    project: Project,
    cache: UnitCache,
    schema: serde_json::Value,
    /// Files the editor has open (their text is the editor's).
    open: BTreeMap<FileId, i32>,
    /// What was last published per file, so only changes are sent.
    published: HashMap<FileId, Vec<lsp::Diagnostic>>,
    /// The diagnostics of the last analysis (code actions read them).
    diags: Vec<Diagnostic>,
    dirty: bool,
    /// `shutdown` was asked: only `exit` is taken now.
    shut_down: bool,
    /// Units checked by the last analysis (the bench and `-v` read it).
    pub checked: usize,
}

impl State {
    pub fn open(folder: &Path) -> Result<State, LspError> {
        let scope =
            Scope::of(&[folder.to_path_buf()]).map_err(|e| LspError::Root(e.to_string()))?;
        let project = Project::open(&scope.load, &scope.root);
        Ok(State {
            scope,
            project,
            cache: UnitCache::memory(),
            schema: crate::plan::json_schema(),
            open: BTreeMap::new(),
            published: HashMap::new(),
            diags: Vec::new(),
            dirty: true,
            shut_down: false,
            checked: 0,
        })
    }

    /// The name the project knows a document by: relative to the root.
    fn name_of(&self, uri: &lsp::Uri) -> Option<String> {
        let path = text::uri_path(uri)?;
        let path = crate::project::root::absolute(&path);
        let inside = self
            .scope
            .load
            .iter()
            .map(|p| crate::project::root::absolute(&self.scope.root.join(p)))
            .any(|p| path.starts_with(&p));
        if !inside {
            return None;
        }
        let rel = path.strip_prefix(&self.scope.root).ok()?;
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    fn uri_of(&self, file: FileId) -> Option<lsp::Uri> {
        let name = self.project.sources().name(file);
        text::path_uri(&self.scope.root.join(name))
    }

    fn file_of(&self, uri: &lsp::Uri) -> Option<FileId> {
        self.project.file_id(&self.name_of(uri)?)
    }

    /// Re-checks what changed and sends the diagnostics that differ.
    pub fn analyze(&mut self, conn: &Connection) -> Result<(), LspError> {
        let (diags, checked) = {
            let a = self.project.analyze_with(
                Options::check(),
                &mut self.cache,
                &Wants::everything(false),
            );
            (a.diags, a.checked)
        };
        self.checked = checked;
        self.dirty = false;
        let sources = self.project.sources();
        let mut by_file: HashMap<FileId, Vec<lsp::Diagnostic>> = HashMap::new();
        for d in &diags {
            match d.span {
                Some(s) => {
                    by_file
                        .entry(s.file)
                        .or_default()
                        .push(diagnostics::to_lsp(d, sources, &|f| self.uri_of(f)))
                }
                None => send_notification::<lsp::notification::LogMessage>(
                    conn,
                    lsp::LogMessageParams {
                        typ: lsp::MessageType::WARNING,
                        message: format!("{}: {}", d.code.as_str(), d.message),
                    },
                )?,
            }
        }
        let mut files: Vec<FileId> = by_file
            .keys()
            .chain(self.published.keys())
            .copied()
            .collect();
        files.sort_unstable();
        files.dedup();
        for f in files {
            let now = by_file.remove(&f).unwrap_or_default();
            if self.published.get(&f) == Some(&now) {
                continue;
            }
            let Some(uri) = self.uri_of(f) else { continue };
            send_notification::<lsp::notification::PublishDiagnostics>(
                conn,
                lsp::PublishDiagnosticsParams {
                    uri,
                    diagnostics: now.clone(),
                    version: self.open.get(&f).copied(),
                },
            )?;
            if now.is_empty() {
                self.published.remove(&f);
            } else {
                self.published.insert(f, now);
            }
        }
        self.diags = diags;
        Ok(())
    }

    /// Handles one message; `true` once the editor has said `exit`.
    fn handle(&mut self, conn: &Connection, msg: Message) -> Result<bool, LspError> {
        match msg {
            Message::Request(req) => {
                // After `shutdown` only `exit` counts; a second `shutdown`
                // (Neovim sends one when quitting) is answered again.
                if req.method == lsp::request::Shutdown::METHOD || self.shut_down {
                    let resp = if req.method == lsp::request::Shutdown::METHOD {
                        self.shut_down = true;
                        Response::new_ok(req.id, ())
                    } else {
                        Response::new_err(
                            req.id,
                            lsp_server::ErrorCode::InvalidRequest as i32,
                            "сервер останавливается".into(),
                        )
                    };
                    send(conn, resp.into())?;
                    return Ok(false);
                }
                if self.dirty {
                    self.analyze(conn)?;
                }
                let resp = self.request(req);
                send(conn, resp.into())?;
            }
            Message::Notification(n) => {
                if n.method == lsp::notification::Exit::METHOD {
                    return if self.shut_down {
                        Ok(true)
                    } else {
                        Err(LspError::ExitWithoutShutdown)
                    };
                }
                self.notification(n);
            }
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn notification(&mut self, n: Notification) {
        use lsp::notification as notif;
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params)
                    && let Some(name) = self.name_of(&p.text_document.uri)
                {
                    let id = self
                        .project
                        .set_file(&name, p.text_document.text.into_bytes());
                    self.open.insert(id, p.text_document.version);
                    self.dirty = true;
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(n.params)
                    && let Some(name) = self.name_of(&p.text_document.uri)
                    && let Some(id) = self.project.file_id(&name)
                {
                    let mut text = self.project.sources().text(id).to_string();
                    for c in &p.content_changes {
                        text::apply_change(&mut text, c.range, &c.text);
                    }
                    self.project.set_file(&name, text.into_bytes());
                    self.open.insert(id, p.text_document.version);
                    self.dirty = true;
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(n.params) {
                    if let Some(id) = self.file_of(&p.text_document.uri) {
                        self.open.remove(&id);
                    }
                    // Unsaved edits are dropped: the file on disk counts again.
                    self.reread(&p.text_document.uri);
                }
            }
            notif::DidChangeWatchedFiles::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(n.params)
                {
                    for c in p.changes {
                        let open = self
                            .file_of(&c.uri)
                            .is_some_and(|f| self.open.contains_key(&f));
                        if !open {
                            self.reread(&c.uri);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Takes a file's text from disk again (or drops it when it is gone).
    fn reread(&mut self, uri: &lsp::Uri) {
        let (Some(name), Some(path)) = (self.name_of(uri), text::uri_path(uri)) else {
            return;
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                self.project.set_file(&name, bytes);
            }
            Err(_) => self.project.remove_file(&name),
        }
        self.dirty = true;
    }

    fn request(&mut self, req: Request) -> Response {
        if !requests::supported(&req.method) {
            return Response::new_err(
                req.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("запрос «{}» не поддерживается", req.method),
            );
        }
        match requests::answer(self, &req) {
            Ok(v) => Response::new_ok(req.id, v),
            Err(message) => {
                Response::new_err(req.id, lsp_server::ErrorCode::RequestFailed as i32, message)
            }
        }
    }
}

fn send(conn: &Connection, m: Message) -> Result<(), LspError> {
    conn.sender
        .send(m)
        .map_err(|e| LspError::Io(std::io::Error::other(e.to_string())))
}

fn send_notification<N: lsp::notification::Notification>(
    conn: &Connection,
    params: N::Params,
) -> Result<(), LspError> {
    conn.sender
        .send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
        .map_err(|e| LspError::Io(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests;
