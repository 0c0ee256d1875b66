//! `check` over a large generated repository: 1,000 plans of ~100 activities
//! each (target: under 1 s on a 2-core machine). Prints median and spread.
//! Run: `cargo bench --bench check`.

use std::path::PathBuf;
use std::time::Instant;

fn generate(dir: &std::path::Path, plans: usize, rows: usize) {
    std::fs::write(
        dir.join("registry.yaml"),
        include_str!("../plans/registry.yaml"),
    )
    .expect("registry");
    for p in 0..plans {
        let d = dir.join(format!("p{p:04}"));
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
                    "            - id: r{s}-{r}\n              activity: >-\n                Мероприятие {s}.{r} по организации адресной поддержки школ с\n                участием ОМСУ и ОО, в том числе семинары и совещания\n              audience: ОМСУ, ОО\n              deadline: Ноябрь 2024\n              responsible: ГАУ ДПО СОИРО\n"
                ));
            }
        }
        std::fs::write(d.join("appendix.yaml"), a).expect("appendix");
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plans: usize = std::env::var("PRIKAZ_BENCH_PLANS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let rows = 100;
    let t = Instant::now();
    generate(dir.path(), plans, rows);
    eprintln!(
        "generated {plans} plans × {rows} activities in {:?}",
        t.elapsed()
    );
    let root: PathBuf = dir.path().to_path_buf();
    // PRIKAZ_BENCH_KEEP=1 leaves the generated repository for other tools
    // (`farm-bench`, `/usr/bin/time`); its path is printed.
    let dir = if std::env::var_os("PRIKAZ_BENCH_KEEP").is_some() {
        eprintln!("repository kept in {}", dir.keep().display());
        None
    } else {
        Some(dir)
    };
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let project = prikaz::project::Project::open(std::slice::from_ref(&root), &root);
        let diags = project.check();
        times.push(t.elapsed());
        count = project.workspace().files.len();
        assert!(
            diags
                .iter()
                .all(|d| d.severity != prikaz::diag::Severity::Error),
            "{:?}",
            diags.first().map(|d| &d.message)
        );
    }
    times.sort();
    // Stage split of one run: parsing against the rules.
    let t = Instant::now();
    let project = prikaz::project::Project::open(std::slice::from_ref(&root), &root);
    let load = t.elapsed();
    let t = Instant::now();
    let _ = project.check();
    println!("  load {load:?}, rules and resolve {:?}", t.elapsed());
    println!(
        "check: {count} files, {} activities: median {:?} (min {:?}, max {:?})",
        plans * rows,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );

    // The whole program, as a clerk or CI runs it.
    let mut proc_times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_prikaz"))
            .arg("check")
            .arg(&root)
            .output()
            .expect("run prikaz");
        proc_times.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    proc_times.sort();
    println!(
        "`prikaz check` process: median {:?} (min {:?}, max {:?})",
        proc_times[2], proc_times[0], proc_times[4]
    );

    // The two YAML readers on one core over the same texts.
    let texts: Vec<String> = (0..project.sources().len())
        .map(|id| project.sources().text(id).to_string())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut sources = prikaz::diag::Sources::default();
    let id = sources.add("x.yaml".into(), String::new());
    for (name, reader) in [
        ("fast reader (load::subset)", prikaz::load::Reader::Subset),
        ("serde-saphyr", prikaz::load::Reader::Saphyr),
    ] {
        let t = Instant::now();
        for text in &texts {
            let parsed = prikaz::load::parse_file_with(id, text, reader);
            assert!(parsed.is_ok(), "{name} fails on a generated plan");
        }
        let secs = t.elapsed().as_secs_f64();
        println!(
            "  {name}: {:.0} MB in {:.2} s on one core = {:.0} MB/s",
            bytes as f64 / 1e6,
            secs,
            bytes as f64 / 1e6 / secs
        );
    }
    drop(dir);
}
