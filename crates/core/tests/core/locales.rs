//! The Fluent catalogues, checked against English and against the code (issue: eight languages).
//! Fails when a message id is missing in a locale (or extra), has other variables than English,
//! is defined but never used, or is used in code but not defined.

use cardbind_core::i18n::{LOCALES, SOURCES};
use cardbind_core::ErrorCode;
use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Catalogue = BTreeMap<String, BTreeSet<String>>; // id → variables

fn vars_inline(e: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match e {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => vars_expr(expression, out),
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                vars_inline(a, out);
            }
            for a in &arguments.named {
                vars_inline(&a.value, out);
            }
        }
        _ => {}
    }
}

fn vars_expr(e: &Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        Expression::Inline(i) => vars_inline(i, out),
        Expression::Select { selector, variants } => {
            vars_inline(selector, out);
            for v in variants {
                vars_pattern(&v.value, out);
            }
        }
    }
}

fn vars_pattern(p: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let PatternElement::Placeable { expression } = el {
            vars_expr(expression, out);
        }
    }
}

fn parse(lang: &str, file: &str, text: &str) -> Catalogue {
    let res = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, errs)| panic!("locales/{lang}/{file}: {errs:?}"));
    let mut out = Catalogue::new();
    for entry in res.body {
        match entry {
            Entry::Message(ast::Message { id, value, attributes, .. }) => {
                let mut vars = BTreeSet::new();
                if let Some(v) = &value {
                    vars_pattern(v, &mut vars);
                }
                for a in &attributes {
                    vars_pattern(&a.value, &mut vars);
                }
                assert!(value.is_some(), "locales/{lang}/{file}: {} has no value", id.name);
                assert!(out.insert(id.name.to_string(), vars).is_none(), "locales/{lang}/{file}: {} twice", id.name);
            }
            Entry::Junk { content } => panic!("locales/{lang}/{file}: cannot parse {content:?}"),
            _ => {}
        }
    }
    out
}

fn catalogue(lang: &str, file: &str) -> Catalogue {
    let (_, _, text) = SOURCES.iter().find(|(l, f, _)| *l == lang && *f == file).expect("embedded");
    parse(lang, file, text)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sources(dir: &Path, exts: &[&str], out: &mut Vec<(PathBuf, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if name != "node_modules" && name != "dist" {
                sources(&p, exts, out);
            }
        } else if exts.iter().any(|x| name.ends_with(x)) && !name.ends_with(".test.ts") {
            let text = std::fs::read_to_string(&p).unwrap();
            // unit tests ask for missing ids on purpose
            let text = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
            out.push((p.clone(), text));
        }
    }
}

/// Quoted string literals `"..."` (ids never contain quotes).
fn literals(text: &str) -> BTreeSet<String> {
    text.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// Ids the code asks for: `t("id"`, `tIn(x, "id")`, `message(x, "id"`, and the values of the
/// UI's `*_IDS` tables.
fn requested(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let id_at = |s: &str| -> Option<String> {
        let s = s.trim_start().strip_prefix('"')?;
        let end = s.find('"')?;
        Some(s[..end].to_string())
    };
    for (i, _) in text.match_indices("t(") {
        let before = text[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue; // another function ending in t(, e.g. select(
        }
        if let Some(id) = id_at(&text[i + 2..]) {
            out.insert(id);
        }
    }
    for call in ["tIn(", "message("] {
        for (i, _) in text.match_indices(call) {
            let rest = &text[i + call.len()..];
            if let Some(comma) = rest.find(',') {
                if let Some(id) = id_at(&rest[comma + 1..]) {
                    out.insert(id);
                }
            }
        }
    }
    // `const NAME_IDS ... = {` declarations, up to the closing line (`};`, `} as const;`, `];`)
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let is_table = l.contains("const ") && l.contains("_IDS") && l.trim_end().ends_with(['{', '[']);
        i += 1;
        if !is_table {
            continue;
        }
        while i < lines.len() && !lines[i].trim_start().starts_with(['}', ']']) {
            let parts: Vec<&str> = lines[i].split('"').collect();
            for j in (1..parts.len()).step_by(2) {
                // values: quoted strings after a colon ("key": "value" or key: "value")
                if parts[..j].concat().trim_end().ends_with(':') {
                    out.insert(parts[j].to_string());
                }
            }
            i += 1;
        }
    }
    out
}

#[test]
fn every_locale_has_every_message_with_the_same_variables() {
    for file in ["app.ftl", "element.ftl"] {
        let en = catalogue("en", file);
        assert!(en.len() > 30, "{file}: English has {} messages", en.len());
        for lang in LOCALES.iter().skip(1) {
            let other = catalogue(lang, file);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "locales/{lang}/{file} lacks {missing:?}");
            assert!(extra.is_empty(), "locales/{lang}/{file} has ids English does not: {extra:?}");
            for (id, vars) in &en {
                assert_eq!(&other[id], vars, "locales/{lang}/{file} {id}: variables differ from English");
            }
            // translated, not left in English (names, codes and brand words may stay)
            let same: Vec<_> = en
                .keys()
                .filter(|id| {
                    let msg = |l: &str| cardbind_core::i18n::message(l, id, &[]);
                    file == "app.ftl" && msg(lang) == msg("en") && msg("en").split_whitespace().count() > 2
                })
                .collect();
            assert!(same.is_empty(), "locales/{lang}/{file}: left in English: {same:?}");
        }
    }
}

#[test]
fn app_messages_are_used_and_every_used_id_is_defined() {
    let en = catalogue("en", "app.ftl");
    let mut files = vec![];
    sources(&root().join("ui/src"), &[".svelte", ".ts"], &mut files);
    sources(&root().join("crates/core/src"), &[".rs"], &mut files);
    sources(&root().join("src-tauri/src"), &[".rs"], &mut files);
    assert!(files.len() > 20);
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (path, text) in &files {
        used.extend(literals(text));
        for id in requested(text) {
            assert!(
                en.contains_key(&id),
                "{} asks for {id:?}, which locales/en/app.ftl does not define",
                path.display()
            );
        }
    }
    // error codes map to messages by rule (errorMessageId in ui/src/lib/ipc.ts)
    for code in ErrorCode::ALL {
        let id = format!("error-{}", code.as_str().to_ascii_lowercase().replace('_', "-"));
        assert!(en.contains_key(&id), "no message {id} for the error code {}", code.as_str());
        used.insert(id);
    }
    // so do the connection check's and the go-live checklist's codes (ui/src/lib/golive.ts)
    let kebab = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    use cardbind_core::app::ops::{GoLiveItem, GoLiveState};
    use cardbind_core::connection::{CheckCode, CheckItem};
    use cardbind_core::flows::payments::{PaymentState, RefundState};
    let by_rule = CheckCode::ALL
        .iter()
        .map(|c| format!("check-{}", kebab(c.as_str())))
        .chain(CheckItem::ALL.iter().map(|c| format!("check-item-{}", kebab(c.as_str()))))
        .chain(GoLiveItem::ALL.iter().map(|c| format!("golive-{}", kebab(c.as_str()))))
        .chain(GoLiveState::ALL.iter().map(|c| format!("golive-state-{}", kebab(c.as_str()))))
        .chain(PaymentState::ALL.iter().map(|c| format!("payment-state-{}", kebab(c.as_str()))))
        .chain(RefundState::ALL.iter().map(|c| format!("refund-state-{}", kebab(c.as_str()))));
    for id in by_rule {
        assert!(en.contains_key(&id), "no message {id} for its code");
        used.insert(id);
    }
    // and every action the backend writes to the activity log (ui/src/views/Audit.svelte:
    // `audit-` + the action, `.` and `_` as `-`): the actions are the `"area.verb"` literals of
    // crates/core/src, apart from a few that are file or field names
    const NOT_ACTIONS: &[&str] = &["settings.json", "backup.folder", "backup.keep", "backup.part", "kiosk.enabled"];
    const AREAS: &[&str] = &[
        "customer", "consent", "binding", "card", "settings", "staff", "kiosk", "export", "backup", "payment",
        "refund", "receipt", "till",
    ];
    let mut actions = BTreeSet::new();
    for (path, text) in &files {
        if !path.starts_with(root().join("crates/core/src")) {
            continue;
        }
        for l in literals(text) {
            let is_action = l.split_once('.').is_some_and(|(area, verb)| {
                AREAS.contains(&area) && !verb.is_empty() && verb.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            });
            if is_action && !NOT_ACTIONS.contains(&l.as_str()) {
                actions.insert(l);
            }
        }
    }
    // a finished binding is recorded as `binding.<its final state>` (BindingFlow::finish)
    use cardbind_core::flows::binding::AttemptState;
    actions.extend(
        AttemptState::ALL
            .iter()
            .filter(|s| s.is_final())
            .map(|s| format!("binding.{}", s.as_str().to_ascii_lowercase())),
    );
    assert!(actions.contains("payment.charge") && actions.contains("receipt.pdf"), "{actions:?}");
    for action in &actions {
        let id = format!("audit-{}", action.replace(['.', '_'], "-"));
        assert!(en.contains_key(&id), "the activity log has no words for {action:?}: define {id}");
        used.insert(id);
    }
    let unused: Vec<_> = en.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "defined in locales/en/app.ftl but never used: {unused:?}");
}

#[test]
fn element_messages_are_used_and_every_used_id_is_defined() {
    let en = catalogue("en", "element.ftl");
    let dir = root().join("crates/antom-sim/assets");
    let mut text = String::new();
    for f in ["element.html", "element.js", "3ds.html"] {
        text.push_str(&std::fs::read_to_string(dir.join(f)).unwrap_or_default());
    }
    let mut asked = BTreeSet::new();
    for pat in ["data-i18n=\"", "data-i18n-placeholder=\"", "text(\""] {
        for (i, _) in text.match_indices(pat) {
            let rest = &text[i + pat.len()..];
            asked.insert(format!("element-{}", &rest[..rest.find('"').unwrap()]));
        }
    }
    let lits: BTreeSet<String> = literals(&text).into_iter().map(|l| format!("element-{l}")).collect();
    for id in &asked {
        assert!(en.contains_key(id), "the element page asks for {id}, which locales/en/element.ftl does not define");
    }
    let unused: Vec<_> = en.keys().filter(|k| !lits.contains(*k) && !asked.contains(*k)).collect();
    assert!(unused.is_empty(), "defined in locales/en/element.ftl but never used by the element page: {unused:?}");
}

#[test]
fn the_checker_sees_what_it_should() {
    // the scanner itself: a call, a table value, a lookalike that is not a call
    let ids = requested(
        "t(\"a-b\"); tIn(l, \"c-d\"); select(\"x-y\"); const X_IDS = {\n  k: \"e-f\",\n};\nmessage(lang, \"g-h\", &[])",
    );
    assert_eq!(ids, ["a-b", "c-d", "e-f", "g-h"].into_iter().map(String::from).collect());
    let cat = parse("en", "t.ftl", "a = { $x ->\n    [one] { $y }\n   *[other] z\n}\n");
    assert_eq!(cat["a"], ["x", "y"].into_iter().map(String::from).collect());
}
