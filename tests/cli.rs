//! The command line speaks Russian, including clap's own parts.

use std::process::Command;

fn prikaz(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_prikaz"))
        .args(args)
        .output()
        .expect("run prikaz")
}

#[test]
fn usage_errors_are_told_in_russian_with_exit_code_2() {
    let o = prikaz(&["bild"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("неизвестная команда «bild»; возможно, имелось в виду «build»"),
        "{err}"
    );
    let o = prikaz(&["build", "--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("недопустимое значение «xml»"), "{err}");
    assert!(err.contains("pdf, docx, all"), "{err}");
}

#[test]
fn help_and_version_succeed() {
    let o = prikaz(&["build", "--help"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Использование: prikaz build [ПАРАМЕТРЫ] [ПУТЬ…]"),
        "{out}"
    );
    assert!(prikaz(&["-V"]).status.success());
}
