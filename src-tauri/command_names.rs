// The command names, read from the one hand-written list: the `commands!` block of
// `crates/core/src/api.rs`. Used by build.rs (permissions and the handler list) and by a test in
// src/lib.rs that checks the result equals `cardbind_core::api::COMMANDS`.

/// Each line of the `commands! { ... }` block that declares a command starts with its name and an
/// opening parenthesis (`name(args) -> Ret;`); doc comments and blank lines are skipped.
pub fn command_names(api_rs: &str) -> Vec<String> {
    let block = api_rs
        .split("\ncommands! {\n")
        .nth(1)
        .and_then(|rest| rest.split("\n}\n").next())
        .expect("crates/core/src/api.rs has a `commands! { ... }` block");
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .map(|l| {
            let name = l.split('(').next().unwrap_or("").trim();
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "not a command declaration in api.rs: {l}"
            );
            name.to_string()
        })
        .collect()
}
