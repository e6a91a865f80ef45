//! Fill a cardbind data folder with synthetic customers and cards, for the start-up benchmark:
//! `cargo run -p cardbind-core --example seed -- <data-dir> <cards> [config-dir]` (one customer per
//! ten cards). With a config folder it also marks the welcome screen done there, so the app opens
//! on the card list as a shop in use does.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(cards)) = (args.next(), args.next().and_then(|n| n.parse::<i64>().ok())) else {
        eprintln!("usage: seed <data-dir> <cards>");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("create the data folder");
    let conn = cardbind_core::db::open(&dir.join("cards.db")).expect("open the database");
    cardbind_core::synthetic::fill(&conn, (cards / 10).max(1), cards).expect("fill");
    println!("{cards} cards in {}", dir.join("cards.db").display());
    if let Some(config) = args.next() {
        let config = std::path::PathBuf::from(config);
        let settings = cardbind_core::settings::Settings { welcome_done: true, ..Default::default() };
        settings.save(&config).expect("save the settings");
    }
}
