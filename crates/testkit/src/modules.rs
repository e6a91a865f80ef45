//! The module graph of a crate, read from its source, for architecture tests: which module
//! imports which, and whether any import cycle exists.
//!
//! A module is a file under `src/` (`lib.rs` is the crate root, `crate`; `store/mod.rs` is
//! `store`, `store/cards.rs` is `store::cards`); `src/bin` and `src/main.rs` are left out (they
//! are other crates). An edge `a → b` is a path in `a`'s code (comments and string literals
//! removed) that names something in `b`:
//!
//! * `crate::x::…` and `super::…` (also inside `use` groups: `crate::{a, b::c}`), resolved to
//!   the longest module prefix; an item of the crate root that the root re-exports
//!   (`pub use x::Name`) counts as `x`'s, a `#[macro_export]` macro as its defining module's;
//! * in a `use` statement, a path that starts with one of the module's own child modules.
//!
//! A module's edges to itself are ignored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module name → the modules it imports.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Source text with comments, string literals and char literals blanked out (lifetimes kept).
pub fn strip(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_ident(&b, i) {
            // raw string r"…" / r#"…"#
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            if next == Some('\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c); // a lifetime
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_is_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths of a `use` tree starting at `s` (after `crate::`, `super::` or a child's name):
/// `a::b`, `{a, b::{c, d}}` → every path, as segment lists (only what precedes `;`/`,`/`}` of
/// the tree is read).
fn use_tree(s: &[char], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_whitespace() {
            *i += 1;
        }
    };
    let mut path = prefix;
    loop {
        skip_ws(&mut i);
        if i < s.len() && s[i] == '{' {
            i += 1;
            loop {
                skip_ws(&mut i);
                if i >= s.len() {
                    return i;
                }
                if s[i] == '}' {
                    return i + 1;
                }
                i = use_tree(s, i, path.clone(), out);
                skip_ws(&mut i);
                if i < s.len() && s[i] == ',' {
                    i += 1;
                }
            }
        }
        let start = i;
        while i < s.len() && (is_ident(s[i]) || s[i] == '*') {
            i += 1;
        }
        if start == i {
            out.push(path);
            return i;
        }
        path.push(s[start..i].iter().collect());
        skip_ws(&mut i);
        if s.get(i) == Some(&':') && s.get(i + 1) == Some(&':') {
            i += 2;
            continue;
        }
        // `as` renames and anything else end the path
        out.push(path);
        while i < s.len() && !matches!(s[i], ',' | '}' | ';' | ')' | '(' | '!' | '<' | '>' | '[' | ']' | '=' | '.') {
            if s[i] == '{' {
                break;
            }
            i += 1;
            if s[i - 1] == '\n' {
                break;
            }
        }
        return i;
    }
}

/// Every path in `code` that starts with `head::` (a whole word), as segments after `head`, with
/// the position where it starts.
fn paths_after(code: &str, head: &str) -> Vec<(usize, Vec<String>)> {
    let s: Vec<char> = code.chars().collect();
    let h: Vec<char> = format!("{head}::").chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + h.len() <= s.len() {
        if s[i..i + h.len()] == h[..] && !prev_is_ident(&s, i) && (i == 0 || s[i - 1] != ':') {
            let mut paths = Vec::new();
            use_tree(&s, i + h.len(), Vec::new(), &mut paths);
            out.extend(paths.into_iter().map(|p| (i, p)));
            i += h.len();
        } else {
            i += 1;
        }
    }
    out
}

/// The spans (in chars) of inline modules (`mod tests { … }`): inside them `super` is the file's
/// own module.
fn inline_modules(code: &str) -> Vec<(usize, usize)> {
    let s: Vec<char> = code.chars().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i + 4 < s.len() {
        if s[i..i + 4] == ['m', 'o', 'd', ' '] && !prev_is_ident(&s, i) {
            let mut j = i + 4;
            while j < s.len() && (is_ident(s[j]) || s[j].is_whitespace()) {
                j += 1;
            }
            if s.get(j) == Some(&'{') {
                let mut depth = 0;
                let mut k = j;
                while k < s.len() {
                    match s[k] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    k += 1;
                }
                spans.push((j, k));
                i = k;
                continue;
            }
        }
        i += 1;
    }
    spans
}

/// The `use` statements of `code` (without `pub`/`pub(crate)`), as the text after `use`.
fn use_statements(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (idx, _) in code.match_indices("use ") {
        let before = code[..idx].chars().last();
        if before.is_some_and(is_ident) {
            continue;
        }
        let rest = &code[idx + 4..];
        if let Some(end) = rest.find(';') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

struct Module {
    name: String,
    code: String,
}

fn module_name(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && !(parts.is_empty() && stem == "lib") {
        parts.push(stem.to_string());
    }
    if parts.is_empty() {
        "crate".into()
    } else {
        parts.join("::")
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "bin") && p.parent().is_some_and(|d| d.ends_with("src")) {
                continue;
            }
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn parent(m: &str) -> String {
    match m.rsplit_once("::") {
        Some((p, _)) => p.to_string(),
        None => "crate".into(),
    }
}

fn join(base: &str, seg: &str) -> String {
    if base == "crate" {
        seg.to_string()
    } else {
        format!("{base}::{seg}")
    }
}

/// The import graph of the crate whose `src` directory is `src`.
pub fn graph(src: &Path) -> Graph {
    let mut list = Vec::new();
    files(src, &mut list);
    let modules: Vec<Module> = list
        .iter()
        .filter(|f| !(f.parent() == Some(src) && f.file_name().is_some_and(|n| n == "main.rs")))
        .map(|f| Module {
            name: module_name(src, f),
            code: strip(&std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))),
        })
        .collect();
    let names: BTreeSet<String> = modules.iter().map(|m| m.name.clone()).collect();
    // Items the crate root re-exports from a module, and where exported macros are defined.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for m in &modules {
        for (idx, _) in m.code.match_indices("macro_rules!") {
            let exported = m.code[..idx].trim_end().ends_with("#[macro_export]");
            let name: String =
                m.code[idx + "macro_rules!".len()..].trim_start().chars().take_while(|c| is_ident(*c)).collect();
            if exported && !name.is_empty() {
                owner.insert(name, m.name.clone());
            }
        }
        if m.name == "crate" {
            for u in use_statements(&m.code) {
                let chars: Vec<char> = u.chars().collect();
                let mut paths = Vec::new();
                use_tree(&chars, 0, Vec::new(), &mut paths);
                for p in paths {
                    if p.len() >= 2 && names.contains(&p[0]) {
                        owner.entry(p[p.len() - 1].clone()).or_insert_with(|| p[0].clone());
                    }
                }
            }
        }
    }
    let resolve = |base: &str, segs: &[String]| -> Option<String> {
        let mut cur = base.to_string();
        let mut found = if base == "crate" { None } else { Some(base.to_string()) };
        for (k, s) in segs.iter().enumerate() {
            if s == "super" {
                cur = parent(&cur);
                found = Some(cur.clone());
                continue;
            }
            let next = join(&cur, s);
            if names.contains(&next) {
                cur = next;
                found = Some(cur.clone());
            } else {
                if k == 0 && cur == "crate" {
                    return Some(owner.get(s).cloned().unwrap_or_else(|| "crate".into()));
                }
                break;
            }
        }
        found.or(Some(cur))
    };
    let mut g: Graph = BTreeMap::new();
    for m in &modules {
        let edges = g.entry(m.name.clone()).or_default();
        for (_, p) in paths_after(&m.code, "crate") {
            if let Some(t) = resolve("crate", &p) {
                edges.insert(t);
            }
        }
        let inline = inline_modules(&m.code);
        for (at, p) in paths_after(&m.code, "super") {
            // In an inline module the first `super` is the file's module itself.
            let nested = inline.iter().any(|&(a, b)| a < at && at < b);
            let mut segs = if nested { vec![] } else { vec!["super".to_string()] };
            segs.extend(p);
            if let Some(t) = resolve(&m.name, &segs) {
                edges.insert(t);
            }
        }
        for u in use_statements(&m.code) {
            let chars: Vec<char> = u.chars().collect();
            let mut paths = Vec::new();
            use_tree(&chars, 0, Vec::new(), &mut paths);
            for p in paths {
                if p.first().is_some_and(|f| names.contains(&join(&m.name, f))) {
                    if let Some(t) = resolve(&m.name, &p) {
                        edges.insert(t);
                    }
                }
            }
        }
        edges.remove(&m.name);
    }
    g
}

/// The import cycles of a graph: each strongly connected component with more than one module,
/// sorted.
pub fn cycles(g: &Graph) -> Vec<Vec<String>> {
    // Tarjan's algorithm.
    struct St<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut St<'a>, v: &'a str) {
        st.index.insert(v, st.next);
        st.low.insert(v, st.next);
        st.next += 1;
        st.stack.push(v);
        st.on.insert(v);
        if let Some(ws) = st.g.get(v) {
            for w in ws {
                let w = w.as_str();
                if !st.g.contains_key(w) {
                    continue;
                }
                if !st.index.contains_key(w) {
                    visit(st, w);
                    let lw = st.low[w];
                    let lv = st.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if st.on.contains(w) {
                    let iw = st.index[w];
                    let lv = st.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = st.stack.pop().expect("on the stack");
                st.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.out.push(comp);
            }
        }
    }
    let mut st = St {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in g.keys() {
        if !st.index.contains_key(v.as_str()) {
            visit(&mut st, v);
        }
    }
    st.out.sort();
    st.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[(&str, &str)]) {
        for (name, text) in files {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    }

    #[test]
    fn finds_a_cycle_through_use_groups_super_and_reexports() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                ("lib.rs", "pub mod a;\npub mod b;\npub mod c;\npub use c::Thing;\n"),
                ("a.rs", "use crate::{b::{X, Y}, Thing as T};\n"),
                ("b.rs", "// crate::c is only a comment\nfn f() { let s = \"crate::c\"; crate::a::g(); }\n"),
                ("c/mod.rs", "pub mod inner;\npub struct Thing;\n"),
                ("c/inner.rs", "use super::Thing;\n"),
            ],
        );
        let g = graph(d.path());
        assert_eq!(g["a"], BTreeSet::from(["b".to_string(), "c".to_string()]));
        assert_eq!(g["b"], BTreeSet::from(["a".to_string()]), "comments and strings are not code");
        assert_eq!(g["c::inner"], BTreeSet::from(["c".to_string()]));
        assert_eq!(cycles(&g), vec![vec!["a".to_string(), "b".to_string()]]);
    }

    #[test]
    fn super_in_an_inline_test_module_is_the_file_itself() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                ("lib.rs", "pub mod a;\npub use a::A;\n"),
                (
                    "a.rs",
                    "pub struct A;\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::super::A as B;\n}\n",
                ),
            ],
        );
        let g = graph(d.path());
        assert_eq!(g["a"], BTreeSet::from(["crate".to_string()]), "only super::super leaves the file");
        assert_eq!(cycles(&g), vec![vec!["a".to_string(), "crate".to_string()]]);
    }

    #[test]
    fn a_parent_reexporting_a_child_that_uses_the_parent_is_a_cycle() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            &[
                ("lib.rs", "pub mod s;\n#[macro_export]\nmacro_rules! m { () => {} }\n"),
                ("s/mod.rs", "pub mod k;\npub use k::{f, g};\nfn helper() {}\n"),
                (
                    "s/k.rs",
                    "use super::helper;\npub fn f() { let _x = 'a'; let _y: &'static str = r#\"super::x\"#; }\n",
                ),
            ],
        );
        let g = graph(d.path());
        assert_eq!(cycles(&g), vec![vec!["s".to_string(), "s::k".to_string()]]);
    }
}
