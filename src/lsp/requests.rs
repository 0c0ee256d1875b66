//! Answers to the editor's requests: completion, hover, definition,
//! references, rename, code actions, formatting, outline.

use std::collections::HashMap;

use lsp_server::Request;
use lsp_types as lsp;
use lsp_types::request::Request as _;
use serde_json::Value;

use crate::diag::FileId;
use crate::index::Index;

use super::State;
use super::complete::{self, ItemKind};
use super::diagnostics;
use super::symbols;
use super::text::Lines;

type Answer = Result<Value, String>;

/// The requests [`answer`] knows; others get `MethodNotFound`.
pub fn supported(method: &str) -> bool {
    use lsp::request as r;
    [
        r::Completion::METHOD,
        r::HoverRequest::METHOD,
        r::GotoDefinition::METHOD,
        r::References::METHOD,
        r::PrepareRenameRequest::METHOD,
        r::Rename::METHOD,
        r::CodeActionRequest::METHOD,
        r::Formatting::METHOD,
        r::DocumentSymbolRequest::METHOD,
    ]
    .contains(&method)
}

fn params<P: serde::de::DeserializeOwned>(req: &Request) -> Result<P, String> {
    serde_json::from_value(req.params.clone()).map_err(|e| format!("неверные параметры: {e}"))
}

fn json<T: serde::Serialize>(v: T) -> Answer {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

pub fn answer(state: &State, req: &Request) -> Answer {
    use lsp::request as r;
    match req.method.as_str() {
        r::Completion::METHOD => completion(state, params(req)?),
        r::HoverRequest::METHOD => hover(state, params(req)?),
        r::GotoDefinition::METHOD => definition(state, params(req)?),
        r::References::METHOD => references(state, params(req)?),
        r::PrepareRenameRequest::METHOD => prepare_rename(state, params(req)?),
        r::Rename::METHOD => rename(state, params(req)?),
        r::CodeActionRequest::METHOD => code_actions(state, params(req)?),
        r::Formatting::METHOD => formatting(state, params(req)?),
        r::DocumentSymbolRequest::METHOD => outline(state, params(req)?),
        other => Err(format!("запрос «{other}» не поддерживается")),
    }
}

/// The file and byte offset a position names.
fn locate(state: &State, p: &lsp::TextDocumentPositionParams) -> Option<(FileId, usize)> {
    let file = state.file_of(&p.text_document.uri)?;
    let offset = Lines::new(state.project.sources().text(file)).offset(p.position);
    Some((file, offset))
}

fn range(state: &State, file: FileId, start: usize, end: usize) -> lsp::Range {
    Lines::new(state.project.sources().text(file)).range(start, end)
}

fn location(state: &State, o: &symbols::Occurrence) -> Option<lsp::Location> {
    Some(lsp::Location::new(
        state.uri_of(o.file)?,
        range(state, o.file, o.start, o.end),
    ))
}

fn completion(state: &State, p: lsp::CompletionParams) -> Answer {
    let Some((file, offset)) = locate(state, &p.text_document_position) else {
        return json(Value::Null);
    };
    let ws = state.project.workspace();
    let (ix, _) = Index::build(ws);
    let items: Vec<lsp::CompletionItem> = complete::complete(ws, &ix, &state.schema, file, offset)
        .into_iter()
        .enumerate()
        .map(|(i, it)| lsp::CompletionItem {
            label: it.label.clone(),
            kind: Some(match it.kind {
                ItemKind::Key => lsp::CompletionItemKind::PROPERTY,
                ItemKind::Value => lsp::CompletionItemKind::VALUE,
                ItemKind::Id => lsp::CompletionItemKind::REFERENCE,
            }),
            label_details: it.detail.as_ref().map(|d| lsp::CompletionItemLabelDetails {
                detail: None,
                description: Some(d.clone()),
            }),
            detail: it.detail.clone(),
            // Keep the order given: the schema's and the registry's.
            sort_text: Some(format!("{i:05}")),
            filter_text: Some(it.label.clone()),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                range(state, file, it.replace.start, it.replace.end),
                it.insert,
            ))),
            ..Default::default()
        })
        .collect();
    json(lsp::CompletionResponse::Array(items))
}

fn hover(state: &State, p: lsp::HoverParams) -> Answer {
    let Some((file, offset)) = locate(state, &p.text_document_position_params) else {
        return json(Value::Null);
    };
    let ws = state.project.workspace();
    let (ix, _) = Index::build(ws);
    match super::hover::hover(ws, &ix, file, offset) {
        None => json(Value::Null),
        Some((text, r)) => json(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text,
            }),
            range: Some(range(state, file, r.start, r.end)),
        }),
    }
}

/// The symbol under the cursor and every place the repository writes it.
fn symbol_at(
    state: &State,
    p: &lsp::TextDocumentPositionParams,
) -> Option<(symbols::Occurrence, Vec<symbols::Occurrence>)> {
    let (file, offset) = locate(state, p)?;
    let ws = state.project.workspace();
    let (ix, _) = Index::build(ws);
    let here = symbols::at(ws, &ix, file, offset)?;
    let all = symbols::everywhere(ws, &ix);
    Some((here, all))
}

fn definition(state: &State, p: lsp::GotoDefinitionParams) -> Answer {
    let Some((here, all)) = symbol_at(state, &p.text_document_position_params) else {
        return json(Value::Null);
    };
    match symbols::definition(&all, &here).and_then(|d| location(state, d)) {
        Some(l) => json(lsp::GotoDefinitionResponse::Scalar(l)),
        None => json(Value::Null),
    }
}

/// Every occurrence of the symbol `here` names (through its definition,
/// so `num("plan")` and the appendix `plan` are one symbol).
fn same<'o>(
    all: &'o [symbols::Occurrence],
    here: &symbols::Occurrence,
) -> Vec<&'o symbols::Occurrence> {
    let target = symbols::definition(all, here).unwrap_or(here);
    all.iter()
        .filter(|o| {
            o.same_symbol(target)
                || symbols::definition(all, o).is_some_and(|d| d.same_symbol(target))
        })
        .collect()
}

fn references(state: &State, p: lsp::ReferenceParams) -> Answer {
    let Some((here, all)) = symbol_at(state, &p.text_document_position) else {
        return json(Value::Null);
    };
    let locs: Vec<lsp::Location> = same(&all, &here)
        .into_iter()
        .filter(|o| p.context.include_declaration || !o.def)
        .filter_map(|o| location(state, o))
        .collect();
    json(locs)
}

fn prepare_rename(state: &State, p: lsp::TextDocumentPositionParams) -> Answer {
    let Some((here, _)) = symbol_at(state, &p) else {
        return Err("здесь нет идентификатора, который можно переименовать".into());
    };
    json(lsp::PrepareRenameResponse::RangeWithPlaceholder {
        range: range(state, here.file, here.start, here.end),
        placeholder: here.id.clone(),
    })
}

// lsp-types keys a workspace edit by `Uri`, whose parsed parts sit in cells.
#[allow(clippy::mutable_key_type)]
fn rename(state: &State, p: lsp::RenameParams) -> Answer {
    let new = p.new_name.trim();
    if new.is_empty()
        || !new
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(format!(
            "«{new}» не годится как идентификатор: буквы, цифры, «-», «_» и «.»"
        ));
    }
    let Some((here, all)) = symbol_at(state, &p.text_document_position) else {
        return Err("здесь нет идентификатора, который можно переименовать".into());
    };
    let target = symbols::definition(&all, &here).unwrap_or(&here);
    if all
        .iter()
        .any(|o| o.def && o.kind == target.kind && o.scope == target.scope && o.id == new)
    {
        return Err(format!(
            "{} «{new}» уже есть: выберите другой идентификатор",
            target.kind.noun()
        ));
    }
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for o in same(&all, &here) {
        if let Some(uri) = state.uri_of(o.file) {
            changes.entry(uri).or_default().push(lsp::TextEdit::new(
                range(state, o.file, o.start, o.end),
                new.to_string(),
            ));
        }
    }
    json(lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

#[allow(clippy::mutable_key_type)] // as in `rename`
fn code_actions(state: &State, p: lsp::CodeActionParams) -> Answer {
    let Some(file) = state.file_of(&p.text_document.uri) else {
        return json(Value::Null);
    };
    let sources = state.project.sources();
    let lines = Lines::new(sources.text(file));
    let (from, to) = (lines.offset(p.range.start), lines.offset(p.range.end));
    let Some(uri) = state.uri_of(file) else {
        return json(Value::Null);
    };
    let mut actions = Vec::new();
    for d in &state.diags {
        let Some(s) = d
            .span
            .filter(|s| s.file == file && s.start <= to && from <= s.end)
        else {
            continue;
        };
        let _ = s;
        for fix in diagnostics::fixes(d, sources) {
            let edit = lsp::TextEdit::new(lines.range(fix.span.start, fix.span.end), fix.text);
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix.title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostics::to_lsp(d, sources, &|f| state.uri_of(f))]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }));
        }
    }
    json(actions)
}

fn formatting(state: &State, p: lsp::DocumentFormattingParams) -> Answer {
    let Some(file) = state.file_of(&p.text_document.uri) else {
        return json(Value::Null);
    };
    let text = state.project.sources().text(file);
    let formatted = crate::review::fmt::format(text).map_err(|e| e.to_string())?;
    if formatted == text {
        return json(Vec::<lsp::TextEdit>::new());
    }
    json(vec![lsp::TextEdit::new(
        range(state, file, 0, text.len()),
        formatted,
    )])
}

fn outline(state: &State, p: lsp::DocumentSymbolParams) -> Answer {
    let Some(file) = state.file_of(&p.text_document.uri) else {
        return json(Value::Null);
    };
    let ws = state.project.workspace();
    let (ix, _) = Index::build(ws);
    let symbols = super::outline::symbols(ws, &ix, file);
    json(lsp::DocumentSymbolResponse::Nested(symbols))
}
