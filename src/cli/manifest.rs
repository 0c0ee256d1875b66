//! `prikaz manifest merge`: the shards of a build spread over CI runners
//! (`build --shard K/N`) joined into one output folder with one manifest,
//! the same bytes a build of everything on one machine writes, which
//! `verify` accepts.

use std::path::PathBuf;

use crate::build::Rendered;
use crate::records::manifest::{self, Manifest};

#[derive(clap::Args, Debug)]
pub struct ManifestArgs {
    #[command(subcommand)]
    pub action: ManifestAction,
}

#[derive(clap::Subcommand, Debug)]
pub enum ManifestAction {
    /// Объединить каталоги долей сборки (build --shard) в один с общим manifest.json
    Merge {
        /// Каталоги долей, в каждом manifest.json и его файлы
        #[arg(value_name = "КАТАЛОГ", required = true)]
        shards: Vec<PathBuf>,
        /// Куда записать документы и общий manifest.json
        #[arg(long, value_name = "КАТАЛОГ")]
        out: PathBuf,
    },
}

pub(super) fn manifest(a: ManifestArgs) -> i32 {
    let ManifestAction::Merge { shards, out } = a.action;
    match merge(&shards) {
        Ok((merged, files)) => {
            let mut all = files;
            match serde_json::to_vec_pretty(&merged) {
                Ok(mut bytes) => {
                    bytes.push(b'\n');
                    all.push(Rendered {
                        name: manifest::FILE_NAME.to_string(),
                        bytes,
                        pages: None,
                    });
                }
                Err(e) => {
                    eprintln!("ошибка: {e}");
                    return 2;
                }
            }
            match crate::build::write_set(&out, &all) {
                Ok(_) => {
                    if super::chatty() {
                        eprintln!(
                            "объединено долей: {}, файлов: {} в {}",
                            shards.len(),
                            all.len() - 1,
                            out.display()
                        );
                    }
                    0
                }
                Err(e) => {
                    eprintln!("ошибка: {e}");
                    2
                }
            }
        }
        Err(e) => {
            eprintln!("ошибка: {e}");
            1
        }
    }
}

/// The shards' manifests as one, with the bytes of every file they list
/// (checked against its hash). The shards must come from one run: one
/// version, commit and edition, each share once, all shares present.
fn merge(dirs: &[PathBuf]) -> Result<(Manifest, Vec<Rendered>), String> {
    let mut parts = Vec::new();
    for d in dirs {
        parts.push((d, manifest::read(d).map_err(|e| e.to_string())?));
    }
    let Some((_, first)) = parts.first() else {
        return Err("не указаны каталоги долей".into());
    };
    let first = first.clone();
    let count = first.shard.map(|s| s.count);
    let mut seen = Vec::new();
    for (d, m) in &parts {
        let same = m.prikaz == first.prikaz
            && m.commit == first.commit
            && m.uncommitted == first.uncommitted
            && m.final_ == first.final_
            && m.pdfa == first.pdfa
            && m.signed_only == first.signed_only;
        if !same {
            return Err(format!(
                "{}: доля другой сборки (версия, коммит или редакция не те же, что в {})",
                d.display(),
                parts[0].0.display()
            ));
        }
        let Some(s) = m.shard else {
            return Err(format!(
                "{}: это не доля (собрано без --shard)",
                d.display()
            ));
        };
        if Some(s.count) != count || seen.contains(&s.index) {
            return Err(format!(
                "{}: доля {s} повторяется или из другого деления",
                d.display()
            ));
        }
        seen.push(s.index);
    }
    if let Some(n) = count
        && let Some(missing) = (1..=n).find(|k| !seen.contains(k))
    {
        return Err(format!("нет доли {missing}/{n}: документы были бы неполны"));
    }
    let mut outputs = Vec::new();
    let mut files = Vec::new();
    for (d, m) in &parts {
        for o in &m.outputs {
            let bytes = std::fs::read(d.join(&o.file))
                .map_err(|e| format!("{}: {e}", d.join(&o.file).display()))?;
            if manifest::sha256_hex(&bytes) != o.sha256 {
                return Err(format!(
                    "{}: файл не совпадает с manifest.json доли",
                    d.join(&o.file).display()
                ));
            }
            files.push(Rendered {
                name: o.file.clone(),
                bytes,
                pages: o.pages,
            });
            outputs.push(o.clone());
        }
    }
    outputs.sort_by(|a, b| a.file.cmp(&b.file));
    if outputs.windows(2).any(|w| w[0].file == w[1].file) {
        return Err("один файл есть в двух долях".into());
    }
    Ok((
        Manifest {
            shard: None,
            outputs,
            ..first
        },
        files,
    ))
}
