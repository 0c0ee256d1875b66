//! `diff` of two git revisions of a 1,000-activity plan (target: under
//! 200 ms on a 2-core machine). The second revision rewords, re-dates,
//! moves, removes and adds rows. Prints medians of the library call, its
//! stages, and the whole `prikaz diff` process.
//! Run: `cargo bench --bench diff`.

use std::process::Command;
use std::time::{Duration, Instant};

#[path = "repo.rs"]
#[allow(dead_code)]
mod repo;
use repo::git;

const ROWS: usize = 1000;

fn appendix(edit: bool) -> String {
    let mut a = String::from(
        "kind: appendix\nid: big-plan\ntitle: План мероприятий\nblocks:\n  - glossary:\n      terms:\n        - ОМСУ – органы местного самоуправления\n        - ОО – общеобразовательные организации\n  - activities:\n      columns:\n        - { key: activity, title: Мероприятие }\n        - { key: audience, title: Целевая аудитория }\n        - { key: deadline, title: Сроки, type: deadline }\n        - { key: responsible, title: Ответственный }\n      sections:\n",
    );
    let sections = ROWS / 10;
    for s in 0..sections {
        a.push_str(&format!(
            "        - id: s{s}\n          title: Направление {s}\n          rows:\n"
        ));
        let mut rows: Vec<(usize, usize)> = (0..10).map(|r| (s, r)).collect();
        if edit {
            // Every 10th section: its first row moves to the next section's
            // end; one row is removed and a new one added.
            if s % 10 == 0 {
                rows.remove(0);
                rows.retain(|&(_, r)| r != 5);
            }
            if s % 10 == 1 {
                rows.push((s - 1, 0));
            }
        }
        for (rs, r) in rows {
            let reword = edit && r == 3 && rs % 5 == 0;
            let redate = edit && r == 7 && rs % 4 == 0;
            a.push_str(&format!(
                "            - id: r{rs}-{r}\n              activity: >-\n                Мероприятие {rs}.{r} по организации адресной поддержки школ с\n                участием ОМСУ и ОО, в том числе {}\n              audience: ОМСУ, ОО\n              deadline: {}\n              responsible: ГАУ ДПО СОИРО\n",
                if reword { "вебинары и консультации" } else { "семинары и совещания" },
                if redate { "Декабрь 2024" } else { "Ноябрь 2024" },
            ));
        }
        if edit && s % 10 == 0 {
            a.push_str(&format!(
                "            - id: new-{s}\n              activity: Новое мероприятие {s} с участием ОО\n              audience: ОО\n              deadline: Май 2025\n              responsible: ГАУ ДПО СОИРО\n"
            ));
        }
    }
    a
}

fn median(mut t: Vec<Duration>) -> Duration {
    t.sort();
    t[t.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let plans = root.join("plans");
    std::fs::create_dir_all(plans.join("big")).expect("mkdir");
    std::fs::write(
        plans.join("registry.yaml"),
        include_str!("../plans/registry.yaml"),
    )
    .expect("registry");
    let order = include_str!("../plans/smolensk-2024-978/order.yaml")
        .replace("smolensk-2024-978-plan", "big-plan");
    std::fs::write(plans.join("big/order.yaml"), order).expect("order");
    std::fs::write(plans.join("big/appendix.yaml"), appendix(false)).expect("appendix");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "a"]);
    std::fs::write(plans.join("big/appendix.yaml"), appendix(true)).expect("appendix");
    git(root, &["commit", "-qam", "b"]);
    let size = std::fs::metadata(plans.join("big/appendix.yaml"))
        .map(|m| m.len())
        .unwrap_or(0);

    let repo = prikaz::load::git::Repo::discover(root).expect("repo");
    let prefixes = vec!["plans".to_string()];
    let mut total = Vec::new();
    let mut read = Vec::new();
    let mut compare = Vec::new();
    let mut changes = 0;
    for _ in 0..9 {
        let t = Instant::now();
        let repo_t = prikaz::load::git::Repo::discover(root).expect("repo");
        let a = prikaz::review::snapshot::revision(&repo_t, "HEAD~1", &prefixes).expect("a");
        let b = prikaz::review::snapshot::revision(&repo_t, "HEAD", &prefixes).expect("b");
        let r = t.elapsed();
        let t2 = Instant::now();
        let d = prikaz::review::diff::diff(&a.docs, &b.docs);
        compare.push(t2.elapsed());
        total.push(t.elapsed());
        read.push(r);
        assert!(a.diags.is_empty() && b.diags.is_empty(), "{:?}", a.diags);
        changes = d.documents.first().map(|d| d.changes.len()).unwrap_or(0);
    }
    // Reading alone: blobs of one revision.
    let t = Instant::now();
    let _ = repo.plan_files("HEAD", &prefixes).expect("blobs");
    let blobs = t.elapsed();
    let mut process = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let o = Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .current_dir(root)
            .args(["diff", "HEAD~1", "HEAD", "--format", "json"])
            .output()
            .expect("prikaz");
        process.push(t.elapsed());
        assert!(o.status.success());
    }
    println!(
        "diff of two revisions, {ROWS} activities ({} KB appendix), {changes} changes:",
        size / 1024
    );
    println!(
        "  library: median {:?} (read blobs {blobs:?}; load+resolve both {:?}; compare {:?})",
        median(total),
        median(read),
        median(compare)
    );
    println!(
        "  process `prikaz diff HEAD~1 HEAD --format json`: median {:?}",
        median(process)
    );
}
