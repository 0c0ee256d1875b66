//! The input format shared by the plan targets: several files in one input,
//! each after a line `#~ NAME`. Text before the first such line is
//! `order.yaml`. `fuzz/seed` writes the seed corpus in this form.

pub fn files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut name = "order.yaml".to_string();
    let mut body = Vec::new();
    for line in data.split_inclusive(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"#~ ") {
            if !body.is_empty() || !out.is_empty() {
                out.push((name, std::mem::take(&mut body)));
            }
            let n = String::from_utf8_lossy(rest).trim().to_string();
            // The names must stay plain and unique: the loader is fed
            // files as a repository would give them.
            name = if n.is_empty() || n.contains(['/', '\\']) || n.starts_with('.') {
                format!("f{}.yaml", out.len())
            } else {
                n
            };
            continue;
        }
        body.extend_from_slice(line);
    }
    out.push((name, body));
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
