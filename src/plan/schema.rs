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
    if let Some(obj) = value.as_object_mut() {
        obj.insert("$defs".into(), serde_json::Value::Object(all));
    }
    value
}
