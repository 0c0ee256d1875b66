//! The JSON Schema of plan files (`prikaz schema`), for editors.

use super::{AppendixFile, BundleFile, DocumentFile, OrderFile, RegistryFile};

/// JSON Schema of every file kind, for editors.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "План prikaz",
        "description": "Файл plans/**/*.yaml: реестр, приказ, приложение, документ или сборник (поле kind)",
        "oneOf": [
            {"$ref": "#/$defs/RegistryFile"},
            {"$ref": "#/$defs/OrderFile"},
            {"$ref": "#/$defs/AppendixFile"},
            {"$ref": "#/$defs/DocumentFile"},
            {"$ref": "#/$defs/BundleFile"}
        ]
    });
    let mut generator = schemars::SchemaGenerator::default();
    let defs = [
        ("RegistryFile", generator.subschema_for::<RegistryFile>()),
        ("OrderFile", generator.subschema_for::<OrderFile>()),
        ("AppendixFile", generator.subschema_for::<AppendixFile>()),
        ("DocumentFile", generator.subschema_for::<DocumentFile>()),
        ("BundleFile", generator.subschema_for::<BundleFile>()),
    ];
    let mut value = schema.to_value();
    let mut all = serde_json::Map::new();
    for (name, def) in generator.definitions() {
        all.insert(name.clone(), def.clone());
    }
    for (name, s) in defs {
        // subschema_for returns a $ref for named types; keep the definition itself.
        if !all.contains_key(name) {
            all.insert(name.to_string(), s.to_value());
        }
    }
    for (name, kind) in [
        ("RegistryFile", "registry"),
        ("OrderFile", "order"),
        ("AppendixFile", "appendix"),
        ("DocumentFile", "document"),
        ("BundleFile", "bundle"),
    ] {
        if let Some(props) = all
            .get_mut(name)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut("kind"))
        {
            *props = serde_json::json!({"const": kind, "description": "Вид файла"});
        }
    }
    // `status: final` reads as `signed` (a serde alias schemars does not see).
    if let Some(one_of) = all
        .get_mut("Status")
        .and_then(|s| s.get_mut("oneOf"))
        .and_then(|o| o.as_array_mut())
    {
        one_of.push(
            serde_json::json!({"const": "final", "description": "Подписан (то же, что signed)"}),
        );
    }
    let mut all = serde_json::Value::Object(all);
    scalars_as_text(&mut all);
    if let Some(obj) = value.as_object_mut() {
        obj.insert("$defs".into(), all);
    }
    value
}

/// A text value is any YAML scalar but null: prikaz reads `period: 2025`
/// or `number: 412` as the text it is typed as, so the schema says so too
/// (a plain string without a pattern, an enum or a constant).
fn scalars_as_text(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(o) => {
            let free = !["pattern", "enum", "const", "format"]
                .iter()
                .any(|k| o.contains_key(*k));
            if free {
                let text = match o.get("type") {
                    Some(Value::String(t)) if t == "string" => Some(false),
                    Some(Value::Array(ts))
                        if ts.iter().any(|t| t == "string")
                            && ts.iter().all(|t| t == "string" || t == "null") =>
                    {
                        Some(ts.iter().any(|t| t == "null"))
                    }
                    _ => None,
                };
                if let Some(null) = text {
                    let mut types = vec!["string", "number", "boolean"];
                    if null {
                        types.push("null");
                    }
                    o.insert("type".into(), serde_json::json!(types));
                }
            }
            o.values_mut().for_each(scalars_as_text);
        }
        Value::Array(a) => a.iter_mut().for_each(scalars_as_text),
        _ => {}
    }
}

/// The schema with this repository's ids as the values an id may take
/// (`prikaz schema --repo`): an editor then completes `signatory:`,
/// `issuer:`, `appendices:` and a row's column keys.
pub fn with_ids(mut schema: serde_json::Value, ids: &RepoIds) -> serde_json::Value {
    use serde_json::json;
    let enum_of = |xs: &[String], what: &str| json!({"type": "string", "enum": xs, "description": format!("{what} из реестра этого репозитория")});
    let defs = &mut schema["$defs"];
    // Only keys the kind has: a new property would admit what prikaz refuses.
    let set = |defs: &mut serde_json::Value, def: &str, key: &str, v: serde_json::Value| {
        if let Some(slot) = defs
            .get_mut(def)
            .and_then(|d| d.get_mut("properties"))
            .and_then(|p| p.get_mut(key))
        {
            *slot = v;
        }
    };
    let people = enum_of(&ids.people, "лицо");
    let orgs = enum_of(&ids.orgs, "организация");
    for key in ["signatory", "executor"] {
        set(defs, "OrderFile", key, people.clone());
        set(defs, "DocumentFile", key, people.clone());
    }
    set(defs, "OrderFile", "issuer", orgs.clone());
    set(defs, "DocumentFile", "issuer", orgs.clone());
    set(defs, "Tenure", "org", orgs.clone());
    set(defs, "Approval", "person", people.clone());
    if let Some(forms) = defs
        .get_mut("Control")
        .and_then(|c| c.get_mut("oneOf"))
        .and_then(|o| o.as_array_mut())
    {
        for f in forms {
            if let Some(slot) = f.get_mut("properties").and_then(|p| p.get_mut("person")) {
                *slot = people.clone();
            }
        }
    }
    set(
        defs,
        "OrderFile",
        "appendices",
        json!({"type": "array", "items": enum_of(&ids.appendices, "приложение")}),
    );
    set(
        defs,
        "BundleFile",
        "orders",
        json!({"type": "array", "items": enum_of(&ids.orders, "приказ")}),
    );
    // A row's cells: only keys some table of the repository declares.
    if let Some(row) = defs.get_mut("Row").and_then(|r| r.as_object_mut()) {
        let mut keys: Vec<String> = row
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        keys.extend(ids.columns.iter().cloned());
        keys.sort();
        keys.dedup();
        row.insert("propertyNames".into(), json!({"enum": keys}));
    }
    schema
}

/// The ids of a repository that [`with_ids`] offers.
#[derive(Debug, Default, Clone)]
pub struct RepoIds {
    pub people: Vec<String>,
    pub orgs: Vec<String>,
    pub appendices: Vec<String>,
    pub orders: Vec<String>,
    /// Column keys declared by the repository's activity tables.
    pub columns: Vec<String>,
}
