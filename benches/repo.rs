//! The generated repository the scale benches share: `plans/registry.yaml`
//! (the seeds' registry) and `plans/pNNNN/` orders, each with an appendix of
//! `rows` activities in sections of ten (the shape of a real roadmap).

use std::path::Path;
use std::process::Command;

/// Writes `plans` orders of `rows` activities under `root/plans/`.
pub fn generate(root: &Path, plans: usize, rows: usize) {
    let dir = root.join("plans");
    std::fs::create_dir_all(&dir).expect("mkdir plans");
    std::fs::write(
        dir.join("registry.yaml"),
        include_str!("../plans/registry.yaml"),
    )
    .expect("registry");
    for p in 0..plans {
        write_plan(root, p, rows, "семинары и совещания");
    }
}

/// Writes order `p` (its appendix's rows worded with `wording`): the bench's
/// «one changed plan» rewrites one order with another wording.
pub fn write_plan(root: &Path, p: usize, rows: usize, wording: &str) {
    let d = root.join("plans").join(format!("p{p:04}"));
    std::fs::create_dir_all(&d).expect("mkdir");
    let order = include_str!("../plans/smolensk-2024-978/order.yaml")
        .replace("id: smolensk-2024-978\n", &format!("id: order-{p}\n"))
        .replace("number: 978-ОД", &format!("number: {}-ОД", 1000 + p))
        .replace("smolensk-2024-978-plan", &format!("plan-{p}"));
    std::fs::write(d.join("order.yaml"), order).expect("order");
    let mut a = format!(
        "kind: appendix\nid: plan-{p}\ntitle: План мероприятий\nblocks:\n  - glossary:\n      terms:\n        - ОМСУ – органы местного самоуправления\n        - ОО – общеобразовательные организации\n  - activities:\n      columns:\n        - {{ key: activity, title: Мероприятие }}\n        - {{ key: audience, title: Целевая аудитория }}\n        - {{ key: deadline, title: Сроки, type: deadline }}\n        - {{ key: responsible, title: Ответственный }}\n      sections:\n"
    );
    for s in 0..rows / 10 {
        a.push_str(&format!(
            "        - id: s{s}\n          title: Направление {s}\n          rows:\n"
        ));
        for r in 0..10 {
            a.push_str(&format!(
                "            - id: r{s}-{r}\n              activity: >-\n                Мероприятие {s}.{r} по организации адресной поддержки школ с\n                участием ОМСУ и ОО, в том числе {wording}\n              audience: ОМСУ, ОО\n              deadline: Ноябрь 2024\n              responsible: ГАУ ДПО СОИРО\n"
            ));
        }
    }
    std::fs::write(d.join("appendix.yaml"), a).expect("appendix");
}

/// Runs git in `dir` with a fixed identity and no user configuration.
#[allow(dead_code)]
pub fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=b",
            "-c",
            "user.email=b@b",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is needed to script the history")
        .status
        .success();
    assert!(ok, "git {args:?}");
}
