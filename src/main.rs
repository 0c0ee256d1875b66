fn main() {
    let cli = prikaz::cli::parse();
    std::process::exit(prikaz::cli::run(cli));
}
