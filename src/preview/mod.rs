//! `prikaz preview`: the pages of the document being edited in the
//! browser, redrawn within a second of a save, with the diagnostics beside
//! them. A local page on 127.0.0.1 only; its scripts, styles and pages
//! (SVG with the glyphs drawn) come from prikaz itself.
//!
//! One thread owns the project and the typst engine (so typst's caches stay
//! warm); the file watcher and the page send it commands; each render
//! publishes a new [`render::Snapshot`] that the page asks for by long
//! polling.

pub mod render;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use notify::Watcher;
use thiserror::Error;
use tokio::sync::watch;

use crate::project::Project;
use crate::project::root::Scope;
use crate::render::pdf::Engine;
use render::{Renderer, Snapshot};

#[derive(Debug, Error)]
pub enum PreviewError {
    #[error("не удалось открыть порт {port} на 127.0.0.1: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("наблюдение за файлами: {0}")]
    Watch(#[from] notify::Error),
    #[error("ввод-вывод: {0}")]
    Io(#[from] std::io::Error),
}

pub struct Config {
    /// 0: any free port.
    pub port: u16,
    /// Start the browser on the page.
    pub open: bool,
    /// The plan whose document is shown first.
    pub first: Option<PathBuf>,
}

enum Command {
    Changed(Vec<PathBuf>),
    Select(String),
}

#[derive(Clone)]
struct App {
    state: watch::Receiver<Arc<Snapshot>>,
    commands: mpsc::Sender<Command>,
    port: u16,
}

/// The name a path has in the project (relative to the root, `/`).
fn name_in(scope: &Scope, path: &Path) -> Option<String> {
    let path = crate::project::root::absolute(path);
    let rel = path
        .strip_prefix(crate::project::root::absolute(&scope.root))
        .ok()?;
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

fn is_plan(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// Runs the preview until the process is stopped. `ready` gets the URL.
pub fn serve(
    scope: Scope,
    engine: Engine,
    config: Config,
    ready: &dyn Fn(&str),
) -> Result<(), PreviewError> {
    let project = Project::open(&scope.load, &scope.root);
    let mut renderer = Renderer::new(project, engine);
    if let Some(first) = config.first.as_deref().and_then(|p| name_in(&scope, p)) {
        renderer.follow(&first);
    }
    let (tx_state, rx_state) = watch::channel(Arc::new(renderer.render().clone()));
    let (tx, rx) = mpsc::channel::<Command>();

    let watched = tx.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        // Only what changes a file's text: reading one (ours too) is an event.
        if let Ok(ev) = ev
            && matches!(
                ev.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Remove(_)
                    | notify::EventKind::Modify(
                        notify::event::ModifyKind::Data(_)
                            | notify::event::ModifyKind::Name(_)
                            | notify::event::ModifyKind::Any
                    )
            )
        {
            let paths: Vec<PathBuf> = ev.paths.into_iter().filter(|p| is_plan(p)).collect();
            if !paths.is_empty() {
                let _ = watched.send(Command::Changed(paths));
            }
        }
    })?;
    for p in &scope.load {
        let p = scope.root.join(p);
        if p.exists() {
            watcher.watch(&p, notify::RecursiveMode::Recursive)?;
        }
    }
    let render_scope = scope.clone();
    std::thread::spawn(move || render_loop(render_scope, renderer, &rx, &tx_state));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, config.port)))
                .await
                .map_err(|source| PreviewError::Bind {
                    port: config.port,
                    source,
                })?;
        let port = listener.local_addr()?.port();
        let url = format!("http://127.0.0.1:{port}/");
        ready(&url);
        if config.open {
            // A browser that does not start is not the preview's failure.
            let _ = open::that_detached(&url);
        }
        let app = App {
            state: rx_state,
            commands: tx,
            port,
        };
        axum::serve(listener, router(app)).await?;
        Ok::<(), PreviewError>(())
    })?;
    drop(watcher);
    Ok(())
}

/// Takes commands, waits for a burst of file events to end, renders,
/// publishes. Stops when every sender is gone.
fn render_loop(
    scope: Scope,
    mut renderer: Renderer,
    rx: &mpsc::Receiver<Command>,
    publish: &watch::Sender<Arc<Snapshot>>,
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        // Editors save in several steps (a temporary file, a rename).
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(40)) {
            batch.push(more);
        }
        let mut changed = false;
        for c in batch {
            match c {
                Command::Changed(paths) => {
                    for p in paths {
                        if let Some(name) = name_in(&scope, &p) {
                            changed |= renderer.set_file(&name, std::fs::read(&p).ok());
                        }
                    }
                }
                Command::Select(id) => {
                    renderer.select(&id);
                    changed = true;
                }
            }
        }
        if !changed {
            continue;
        }
        let snapshot = renderer.render().clone();
        publish.send_replace(Arc::new(snapshot));
    }
}

fn router(app: App) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/state", get(state))
        .route("/api/page/{n}", get(page))
        .route("/api/svg/{hash}", get(svg_by_hash))
        .route("/api/select", post(select))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            loopback_only,
        ))
        .with_state(app)
}

/// Pages asked for under another host name are refused: a web site the
/// clerk visits cannot read the plans through a DNS name pointed at
/// 127.0.0.1.
async fn loopback_only(State(app): State<App>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let allowed = [
        format!("127.0.0.1:{}", app.port),
        format!("localhost:{}", app.port),
    ];
    if !allowed.iter().any(|a| a == host) {
        return (StatusCode::FORBIDDEN, "доступ только с 127.0.0.1").into_response();
    }
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'self'; img-src 'self' data:"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    resp
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn index() -> Response {
    asset(
        "text/html; charset=utf-8",
        include_str!("assets/index.html"),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    )
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("assets/app.css"))
}

#[derive(serde::Deserialize)]
struct Since {
    since: Option<u64>,
}

/// The state; when the page already has this version, the answer waits
/// (up to 25 s) for the next one.
async fn state(State(app): State<App>, Query(q): Query<Since>) -> Response {
    let mut rx = app.state.clone();
    let current = rx.borrow_and_update().version;
    if q.since == Some(current) {
        let _ = tokio::time::timeout(Duration::from_secs(25), rx.changed()).await;
    }
    let snapshot = rx.borrow().clone();
    Json(&*snapshot).into_response()
}

async fn page(State(app): State<App>, UrlPath(n): UrlPath<String>) -> Response {
    let snapshot = app.state.borrow().clone();
    let svg = n
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| snapshot.pages.get(i).cloned());
    match svg {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg.to_string()).into_response(),
        None => (StatusCode::NOT_FOUND, "нет такой страницы").into_response(),
    }
}

/// A page by the digest of its SVG: the same address is always the same
/// page, so the browser may keep it.
async fn svg_by_hash(State(app): State<App>, UrlPath(hash): UrlPath<String>) -> Response {
    let snapshot = app.state.borrow().clone();
    let svg = snapshot
        .page_hashes
        .iter()
        .position(|h| *h == hash)
        .and_then(|i| snapshot.pages.get(i).cloned());
    match svg {
        Some(svg) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "max-age=86400, immutable"),
            ],
            svg.to_string(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "нет такой страницы").into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Select {
    document: String,
}

async fn select(State(app): State<App>, Query(q): Query<Select>) -> Response {
    match app.commands.send(Command::Select(q.document)) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

#[cfg(test)]
mod tests;
