//! The order itself: requisites, title, preamble (with the acts it cites),
//! the operative word, clauses with their nesting, deadlines and control
//! clause, the signature, visas and executor. Its appendices are `blocks`'.

use super::blocks::{self, Appendix};
use super::clauses::{Ctx, Kind, clause_tree, clause_y, marker};
use super::emit::{self, Y};
use super::people::{self, fresh, translit};
use super::proposed::{genitive_of_name, propose, propose_executor, registry_file, sentence_case};
use super::requisites::{
    approval, control, doc_kind, month_of, number_of, operative, parse_date, place_like, take_sheet,
};
use super::source::{Node, Para};
use super::{Imported, Known, Options, OutFile, Remark};

pub fn recognise(nodes: &[Node], known: &Known, opts: &Options) -> Imported {
    let (owned, sheet) = take_sheet(nodes, known);
    let nodes = owned.as_slice();
    let paras_head: Vec<(usize, &Para)> = nodes
        .iter()
        .enumerate()
        .take(20)
        .filter_map(|(i, n)| match n {
            Node::Para(p) => Some((i, p)),
            Node::Table(_) => None,
        })
        .collect();
    let Some((k, spaced_kind)) = paras_head
        .iter()
        .find_map(|(i, p)| doc_kind(p).map(|s| (*i, s)))
    else {
        return blocks::document(nodes, known, opts);
    };
    let _ = spaced_kind;
    let mut remarks = Vec::new();
    let mut ctx = Ctx {
        taken: known.taken.clone(),
        appendix_ids: Vec::new(),
        proposals: Vec::new(),
        proposed_positions: Vec::new(),
        proposed_orgs: Vec::new(),
        anchors: Vec::new(),
    };
    let header: Vec<String> = nodes[..k]
        .iter()
        .filter_map(|n| match n {
            Node::Para(p) => Some(
                p.text
                    .split(['\n', '\t'])
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            ),
            Node::Table(_) => None,
        })
        .flatten()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let stamp_at = nodes[k..]
        .iter()
        .position(|n| matches!(n, Node::Para(p) if blocks::is_stamp(&p.text)))
        .map_or(nodes.len(), |i| i + k);
    // An appendix without its stamp: a table after the signature, under
    // its title.
    let signed = |n: &Node| matches!(n, Node::Para(p) if p.text.split('\t').next_back().is_some_and(|l| people::split_short(l).is_some()));
    let end = match nodes[k..stamp_at]
        .iter()
        .position(|n| matches!(n, Node::Table(_)))
        .map(|t| t + k)
    {
        Some(t) if nodes[k + 1..t].iter().any(signed) => {
            let mut s = t;
            while s > k + 1
                && t - s < 3
                && let Node::Para(p) = &nodes[s - 1]
                && !signed(&nodes[s - 1])
                && (p.bold
                    || !p.text.trim_end().ends_with(['.', ';']) && p.text.chars().count() < 250)
            {
                s -= 1;
            }
            s
        }
        _ => stamp_at,
    };
    let body: Vec<&Para> = nodes[k + 1..end]
        .iter()
        .filter_map(|n| match n {
            Node::Para(p) => Some(p),
            Node::Table(_) => None,
        })
        .collect();
    let mut notes: Vec<String> = Vec::new();
    if nodes[k + 1..end]
        .iter()
        .any(|n| matches!(n, Node::Table(_)))
    {
        notes.push("import: таблица в тексте приказа в план не перенесена; её строки:".into());
        for n in &nodes[k + 1..end] {
            if let Node::Table(g) = n {
                for row in &g.rows {
                    let cells: Vec<String> =
                        row.iter().map(|c| c.text().replace('\n', " / ")).collect();
                    notes.push(format!("import: | {} |", cells.join(" | ")));
                }
            }
        }
    }
    // Requisites: date, number, place, then the title.
    let (mut date, mut number, mut place, mut title) = (None, None, None, None);
    let mut date_in_words = false;
    let mut i = 0;
    while i < body.len() && title.is_none() {
        let t = &body[i].text;
        let mut used = false;
        for seg in t.split(['\t', '\n']) {
            if date.is_none()
                && let Some(d) = parse_date(seg)
            {
                date = Some(d);
                date_in_words = seg
                    .split_whitespace()
                    .any(|w| month_of(w).is_some() && w.chars().all(char::is_alphabetic));
                used = true;
            }
            if number.is_none()
                && let Some(n) = number_of(seg)
            {
                number = Some(n);
                used = true;
            }
            if place.is_none() && place_like(seg.trim()) {
                place = Some(seg.trim().to_string());
                used = true;
            }
            if seg.contains("№") {
                used = true;
            }
        }
        if !used {
            title = Some(t.replace('\n', " "));
        }
        i += 1;
    }
    let op = body.iter().position(|p| operative(p).is_some());
    let (preamble, clause_start) = match op {
        Some(o) if o >= i => (
            body[i..o]
                .iter()
                .map(|p| p.text.replace('\n', " "))
                .collect::<Vec<_>>(),
            o + 1,
        ),
        _ => (Vec::new(), i),
    };
    let operative_spaced = op.and_then(|o| operative(body[o]));
    // The signature: «position\tname», or a name alone under its position.
    let mut sig: Option<(usize, usize, Vec<String>, String)> = None;
    for (j, p) in body.iter().enumerate().skip(clause_start) {
        let segs: Vec<&str> = p.text.split('\t').collect();
        if segs.len() >= 2
            && let Some(last) = segs.last()
            && people::split_short(last).is_some()
            && marker(&p.text).is_none()
        {
            let pos = segs[..segs.len() - 1]
                .join(" ")
                .split('\n')
                .map(str::to_string)
                .collect();
            sig = Some((j, j, pos, last.to_string()));
            break;
        }
        if people::split_short(&p.text).is_some() && j > clause_start {
            let prev = body[j - 1];
            let pos: Vec<String> =
                if marker(&prev.text).is_none() && prev.text.chars().count() < 120 {
                    prev.text.split('\n').map(str::to_string).collect()
                } else {
                    Vec::new()
                };
            let from = if pos.is_empty() { j } else { j - 1 };
            sig = Some((from, j, pos, p.text.clone()));
            break;
        }
    }
    let clause_end = sig.as_ref().map_or(body.len(), |s| s.0);
    let mut tree = clause_tree(
        &body[clause_start..clause_end.max(clause_start)],
        &mut notes,
    );
    let control_y = tree
        .last()
        .filter(|c| c.children.is_empty())
        .and_then(|c| control(&c.text, known));
    if control_y.is_some() {
        tree.pop();
    }
    // Issuer.
    let issuer = people::issuer(known, &header);
    let issuer_id = match issuer {
        Some(o) => o.id.get().clone(),
        None => {
            let base = translit(header.last().map(String::as_str).unwrap_or("organ"));
            let base: String = base.split('-').take(3).collect::<Vec<_>>().join("-");
            let id = fresh(&mut ctx.taken, &base);
            let mut org = Y::map();
            org.set("id", Y::raw(&id));
            // The body is the last line of a letterhead that names its
            // parents above it («… / АДМИНИСТРАЦИЯ ГОРОДА … / УПРАВЛЕНИЕ …»).
            let last = header.last().map(String::as_str).unwrap_or("");
            let name = if header.len() > 1 && genitive_of_name(&sentence_case(last)).is_some() {
                last.to_string()
            } else {
                header.join(" ")
            };
            let all_caps = !name.chars().any(char::is_lowercase);
            let name = if all_caps { sentence_case(&name) } else { name };
            org.set_noted(
                "name",
                Y::s(&name),
                if all_caps {
                    vec!["import: наименование набрано на бланке прописными — проверьте заглавные буквы".into()]
                } else {
                    Vec::new()
                },
            );
            if let Some(genitive) =
                blocks::stamp_genitive(nodes).or_else(|| genitive_of_name(&name))
            {
                let mut cases = Y::map();
                cases.set("gen", Y::s(genitive));
                org.set("cases", cases);
            }
            if let Some(p) = &place {
                org.set("place", Y::s(p));
            }
            org.set("letterhead", Y::seq(header.iter().map(Y::s)));
            if date_in_words {
                let mut profile = Y::map();
                profile.set("date_style", Y::raw("words"));
                org.set("profile", profile);
            }
            if let Some(n) = &number
                && let Some((_, reg)) = n.rsplit_once('-')
            {
                org.set("registers", Y::seq([Y::s(reg)]));
            }
            ctx.proposed_orgs.push(org);
            id
        }
    };
    let date_s = date.map(|d| d.format("%Y-%m-%d").to_string());
    let id = opts.id.clone().unwrap_or_else(|| {
        let year = date
            .map(|d| d.format("%Y").to_string())
            .unwrap_or_else(|| "0000".into());
        let num = number
            .as_deref()
            .map(translit)
            .unwrap_or_else(|| "draft".into());
        let num = num.split('-').next().unwrap_or("draft").to_string();
        format!("{issuer_id}-{year}-{num}")
    });
    let id = fresh(&mut ctx.taken, &id);
    // Appendices first: the order's references name them.
    let apps: Vec<Appendix> = blocks::appendices(&nodes[end..], known, &mut ctx.taken, &id);
    ctx.appendix_ids = apps.iter().map(|a| a.id.clone()).collect();
    let mut order = Y::map();
    order.set("kind", Y::raw("order"));
    order.set("id", Y::raw(&id));
    order.set("issuer", Y::raw(&issuer_id));
    match &date_s {
        Some(d) => order.set("date", Y::raw(d)),
        None => order.set_noted(
            "date",
            Y::raw("2000-01-01"),
            vec!["import: дата приказа не найдена — укажите её".into()],
        ),
    };
    if let Some(n) = &number {
        order.set("number", Y::s(n));
    }
    if let Some(p) = &place
        && issuer.is_none_or(|o| o.place.as_ref().is_none_or(|op| op.get() != p))
    {
        order.set("place", Y::s(p));
    }
    order.set(
        "status",
        Y::raw(if number.is_some() {
            "registered"
        } else {
            "signed"
        }),
    );
    if let Some(p) = title.as_deref().and_then(blocks::period_of) {
        order.set("period", Y::s(p));
    }
    match &title {
        Some(t) => order.set("title", Y::s(emit::literal(t))),
        None => order.set_noted(
            "title",
            Y::s("Без заголовка"),
            vec!["import: заголовок не найден".into()],
        ),
    };
    let mut acts = Vec::new();
    if !preamble.is_empty() {
        let text = preamble.join("\n");
        let text = super::refs::acts(&emit::literal(&text), known, &mut ctx.taken, &mut acts);
        order.set("preamble", Y::s(text));
    }
    if !acts.is_empty() {
        order.set("acts", Y::seq(acts));
    }
    if let Some(sp) = operative_spaced {
        order.set("operative", Y::raw(if sp { "spaced" } else { "line" }));
    }
    let mut clauses = Y::seq([]);
    for c in &tree {
        let cid = match c.kind {
            Kind::Num => format!("p{}", c.number.replace('.', "-")),
            _ => "p".to_string(),
        };
        let cid = fresh(&mut ctx.taken, &cid);
        let y = clause_y(c, &cid, &mut ctx);
        clauses.push(y, Vec::new());
    }
    order.set_noted("clauses", clauses, std::mem::take(&mut notes));
    if let Some(c) = control_y {
        order.set("control", c);
    }
    let mut after = sig.as_ref().map_or(body.len(), |s| s.1 + 1);
    match &sig {
        Some((_, _, pos, name)) => {
            let person = people::person_by_short(known, name).map(|p| p.id.get().clone());
            let pid = person
                .unwrap_or_else(|| propose(&mut ctx, name, pos, &issuer_id, date_s.as_deref()));
            order.set("signatory", Y::raw(pid));
        }
        None => {
            order.set_noted(
                "signatory",
                Y::raw("unknown"),
                vec!["import: подпись не найдена — укажите подписанта".into()],
            );
        }
    }
    // Visas and the executor after the signature.
    let mut visas = Vec::new();
    let mut leftovers = Vec::new();
    while after < body.len() {
        let t = &body[after].text;
        after += 1;
        // «position\tname\tdate», remarks on the next line.
        let (line, remarks) = t.split_once('\n').unwrap_or((t.as_str(), ""));
        let segs: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if segs.len() >= 3
            && let Some(d) = parse_date(segs[segs.len() - 1])
            && let Some(p) = people::person_by_short(known, segs[segs.len() - 2])
        {
            let result = if remarks.trim().is_empty() {
                "Согласовано"
            } else {
                remarks
            };
            visas.push((p.id.get().clone(), Some(d), result.to_string()));
            continue;
        }
        let first = t.split('\n').next().unwrap_or("");
        let first = first
            .trim_start_matches("Исполнитель:")
            .trim_start_matches("Исп.:")
            .trim_start_matches("Исп.")
            .trim();
        if let Some(p) =
            people::person_by_full(known, first).or_else(|| people::person_by_short(known, first))
        {
            order.set("executor", Y::raw(p.id.get()));
            continue;
        }
        if let Some(id) = propose_executor(&mut ctx, t.trim_start_matches("Исполнитель:").trim())
        {
            order.set("executor", Y::raw(id));
            continue;
        }
        leftovers.push(t.clone());
    }
    let visas = sheet.unwrap_or(visas);
    if !visas.is_empty() {
        order.set(
            "approvals",
            Y::seq(visas.iter().map(|v| approval(v, &ctx.anchors))),
        );
    }
    if !apps.is_empty() {
        order.set("appendices", Y::seq(apps.iter().map(|a| Y::raw(&a.id))));
    }
    let mut header_notes = vec![format!(
        "Импортировано prikaz import: {}",
        title.as_deref().unwrap_or("")
    )];
    for l in &leftovers {
        header_notes.push(format!(
            "import: не распознано после подписи: {}",
            l.replace('\n', " / ")
        ));
    }
    // Stamps that name another order.
    let n_apps = apps.len();
    for (i, a) in apps.iter().enumerate() {
        if !a.stamped {
            remarks.push(Remark {
                at: a.at,
                message:
                    "у приложения нет отметки «Приложение к приказу …»: prikaz напечатает её сам"
                        .into(),
            });
        }
        if let (Some(d), Some(od)) = (&a.stamp_date, &date)
            && d != od
        {
            remarks.push(Remark {
                at: a.at,
                message: format!(
                    "в отметке приложения дата {} , а приказ от {}",
                    d.format("%d.%m.%Y"),
                    od.format("%d.%m.%Y")
                ),
            });
        }
        if let (Some(n), Some(on)) = (&a.stamp_number, &number)
            && n != on
        {
            remarks.push(Remark {
                at: a.at,
                message: format!("в отметке приложения приказ № {n}, а номер приказа — {on}"),
            });
        }
        if let Some(n) = a.ordinal
            && (n != i + 1 || n_apps == 1 && a.ordinal.is_some())
            && !(n_apps == 1 && n == 1)
        {
            remarks.push(Remark {
                at: a.at,
                message: format!(
                    "отметка «Приложение № {n}», а в документе это приложение {} из {n_apps}",
                    i + 1
                ),
            });
        }
    }
    let mut files = vec![OutFile {
        name: "order.yaml".into(),
        text: emit::file(&header_notes, &order),
    }];
    for (i, a) in apps.into_iter().enumerate() {
        files.push(OutFile {
            name: format!("appendix-{}.yaml", i + 1),
            text: emit::file(&a.comments, &a.yaml),
        });
    }
    if let Some(reg) = registry_file(&ctx) {
        files.push(reg);
    }
    Imported {
        id,
        kind: "order",
        files,
        remarks,
    }
}
