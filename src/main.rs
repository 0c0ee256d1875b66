use clap::Parser;

fn main() {
    let cli = prikaz::cli::Cli::parse();
    std::process::exit(prikaz::cli::run(cli));
}
