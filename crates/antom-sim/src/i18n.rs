//! The element page's strings in the eight languages of Antom's card-binding element, from the
//! project's Fluent files (`locales/<lang>/element.ftl`), chosen from the `locale` the SDK passes
//! (`pt_BR` → `pt`; anything else → English).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::collections::HashMap;
use std::sync::OnceLock;

const SOURCES: [(&str, &str); 8] = [
    ("en", include_str!("../../../locales/en/element.ftl")),
    ("pt", include_str!("../../../locales/pt/element.ftl")),
    ("ko", include_str!("../../../locales/ko/element.ftl")),
    ("es", include_str!("../../../locales/es/element.ftl")),
    ("fr", include_str!("../../../locales/fr/element.ftl")),
    ("de", include_str!("../../../locales/de/element.ftl")),
    ("it", include_str!("../../../locales/it/element.ftl")),
    ("nl", include_str!("../../../locales/nl/element.ftl")),
];

/// Variables used in element.ftl; the page fills `{name}` placeholders itself.
const VARIABLES: [&str; 2] = ["digits", "code"];

pub fn lang_of(locale: &str) -> &'static str {
    antom::locale::language_of(locale)
}

fn build(lang: &str, source: &str) -> String {
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, e)| panic!("locales/{lang}/element.ftl: {e:?}"));
    let langid: unic_langid::LanguageIdentifier = lang.parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).expect("no duplicate ids");
    let mut args = FluentArgs::new();
    for v in VARIABLES {
        args.set(v, format!("{{{v}}}"));
    }
    let mut out = serde_json::Map::new();
    out.insert("lang".into(), lang.into());
    let res = FluentResource::try_new(source.to_string()).expect("parsed above");
    for entry in res.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            let id = m.id.name;
            let msg = bundle.get_message(id).expect("added above");
            let mut errors = vec![];
            let text =
                bundle.format_pattern(msg.value().expect("element messages have values"), Some(&args), &mut errors);
            assert!(errors.is_empty(), "locales/{lang}/element.ftl {id}: {errors:?}");
            out.insert(id.trim_start_matches("element-").to_string(), text.into_owned().into());
        }
    }
    serde_json::Value::Object(out).to_string()
}

/// The page's strings for an SDK locale, as a JSON object `{ "card-number": "...", ... }`.
pub fn element_strings_json(locale: &str) -> String {
    static ALL: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    let all = ALL.get_or_init(|| SOURCES.iter().map(|(l, s)| (*l, build(l, s))).collect());
    all[lang_of(locale)].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_are_exactly_the_languages() {
        let langs: Vec<&str> = SOURCES.iter().map(|(l, _)| *l).collect();
        assert_eq!(langs, antom::locale::LANGUAGES, "SOURCES must list the element's languages, in order");
    }

    #[test]
    fn every_language_has_every_string() {
        let en: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&element_strings_json("en_US")).unwrap();
        for lang in antom::locale::LANGUAGES {
            let m: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&element_strings_json(lang)).unwrap();
            assert_eq!(m.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>(), "{lang}");
            assert_eq!(m["lang"], lang);
            if lang != "en" {
                assert_ne!(m["submit"], en["submit"], "{lang} is translated");
            }
        }
        assert_eq!(lang_of("pt_BR"), "pt");
        assert_eq!(lang_of("zh_CN"), "en");
        let de: serde_json::Value = serde_json::from_str(&element_strings_json("de_DE")).unwrap();
        assert_eq!(de["err-cvv-invalid"], "Bitte geben Sie die {digits}-stellige Kartenprüfnummer ein.");
    }
}
