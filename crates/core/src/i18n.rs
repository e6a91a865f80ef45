//! The app's strings in Rust, from the same `locales/<lang>/app.ftl` files the UI bundles (one
//! source, no second catalogue), plus the locale rules: the eight languages of Antom's
//! card-binding element, the OS locale at first start, and the SDK's locale names.
//!
//! The backend formats what it must own: the consent text (its version is a hash of exactly the
//! words the customer was shown). `tests/locales.rs` checks every catalogue against English and
//! against the ids the code uses.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The app's languages, English first (the reference and the fallback): the languages of
/// Antom's card-binding element, declared once in [`antom::locale`].
pub const LOCALES: [&str; 8] = antom::locale::LANGUAGES;

/// The Fluent files of the app, per language: (lang, file, text).
pub const SOURCES: [(&str, &str, &str); 16] = [
    ("en", "app.ftl", include_str!("../../../locales/en/app.ftl")),
    ("pt", "app.ftl", include_str!("../../../locales/pt/app.ftl")),
    ("ko", "app.ftl", include_str!("../../../locales/ko/app.ftl")),
    ("es", "app.ftl", include_str!("../../../locales/es/app.ftl")),
    ("fr", "app.ftl", include_str!("../../../locales/fr/app.ftl")),
    ("de", "app.ftl", include_str!("../../../locales/de/app.ftl")),
    ("it", "app.ftl", include_str!("../../../locales/it/app.ftl")),
    ("nl", "app.ftl", include_str!("../../../locales/nl/app.ftl")),
    ("en", "element.ftl", include_str!("../../../locales/en/element.ftl")),
    ("pt", "element.ftl", include_str!("../../../locales/pt/element.ftl")),
    ("ko", "element.ftl", include_str!("../../../locales/ko/element.ftl")),
    ("es", "element.ftl", include_str!("../../../locales/es/element.ftl")),
    ("fr", "element.ftl", include_str!("../../../locales/fr/element.ftl")),
    ("de", "element.ftl", include_str!("../../../locales/de/element.ftl")),
    ("it", "element.ftl", include_str!("../../../locales/it/element.ftl")),
    ("nl", "element.ftl", include_str!("../../../locales/nl/element.ftl")),
];

/// The app's language for a locale tag (`pt-BR`, `pt_BR.UTF-8`, `de`, ...): its language part
/// when it is one of [`LOCALES`], otherwise English.
pub fn negotiate(tag: &str) -> &'static str {
    antom::locale::language_of(tag)
}

/// The OS's UI language, negotiated to one of ours (first start, before the user picks one).
pub fn os_locale() -> &'static str {
    // LC_ALL and LC_MESSAGES take precedence over LANG on Unix; sys-locale reads the platform
    // APIs elsewhere (Windows, macOS).
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() && v != "C" && v != "POSIX" && !v.starts_with("C.") {
                return negotiate(&v);
            }
        }
    }
    sys_locale::get_locale().map(|l| negotiate(&l)).unwrap_or("en")
}

/// The locale name the Antom SDK and its element expect (`en_US`, `pt_BR`, ...).
pub fn sdk_locale(lang: &str) -> &'static str {
    antom::locale::sdk_locale(lang)
}

fn bundles() -> &'static HashMap<&'static str, FluentBundle<FluentResource>> {
    static ALL: OnceLock<HashMap<&'static str, FluentBundle<FluentResource>>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut out = HashMap::new();
        for lang in LOCALES {
            let id: unic_langid::LanguageIdentifier = lang.parse().expect("a valid language id");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle.set_use_isolating(false);
            for (l, file, text) in SOURCES {
                if l == lang && file == "app.ftl" {
                    let res = FluentResource::try_new(text.to_string())
                        .unwrap_or_else(|(_, e)| panic!("locales/{l}/{file}: {e:?}"));
                    bundle.add_resource(res).unwrap_or_else(|e| panic!("locales/{l}/{file}: {e:?}"));
                }
            }
            out.insert(lang, bundle);
        }
        out
    })
}

/// Format a message in `lang`, falling back to English, then to the id.
pub fn message(lang: &str, id: &str, args: &[(&str, &str)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.to_string());
    }
    for l in [negotiate(lang), "en"] {
        let bundle = &bundles()[l];
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = vec![];
            let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
            if errors.is_empty() {
                return text.into_owned();
            }
        }
    }
    id.to_string()
}

/// The consent text as shown to the customer, and its version: `consent-v1-` and the first 12
/// hex digits of the SHA-256 of the exact text. The version recorded with a consent therefore
/// names the words shown, in that language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConsentText {
    pub locale: String,
    pub version: String,
    pub title: String,
    pub text: String,
}

pub fn consent_text(lang: &str, merchant: &str) -> ConsentText {
    let lang = negotiate(lang);
    let title = message(lang, "consent-title", &[]);
    let text = message(lang, "consent-text", &[("shop", merchant)]);
    let digest = Sha256::digest(format!("{title}\n{text}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    ConsentText { locale: lang.to_string(), version: format!("consent-v1-{hex}"), title, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_files_are_exactly_the_locales() {
        for file in ["app.ftl", "element.ftl"] {
            let langs: Vec<&str> = SOURCES.iter().filter(|(_, f, _)| *f == file).map(|(l, _, _)| *l).collect();
            assert_eq!(langs, LOCALES, "{file}: SOURCES must list LOCALES, in order");
        }
    }

    #[test]
    fn negotiation() {
        assert_eq!(negotiate("pt_BR.UTF-8"), "pt");
        assert_eq!(negotiate("de-AT"), "de");
        assert_eq!(negotiate("NL"), "nl");
        assert_eq!(negotiate("zh_CN"), "en");
        assert_eq!(negotiate(""), "en");
        assert_eq!(sdk_locale("ko"), "ko_KR");
        assert_eq!(sdk_locale("xx"), "en_US");
        for l in LOCALES {
            assert_eq!(negotiate(sdk_locale(l)), l);
        }
    }

    #[test]
    fn consent_versions_follow_the_words() {
        let en = consent_text("en", "Shop A");
        assert!(en.text.contains("Shop A"), "{}", en.text);
        assert_eq!(en, consent_text("en", "Shop A"), "stable");
        assert_ne!(en.version, consent_text("en", "Shop B").version);
        let de = consent_text("de", "Shop A");
        assert_ne!(en.version, de.version);
        assert_ne!(en.text, de.text, "translated, not English");
        assert_eq!(consent_text("xx", "Shop A"), en, "unknown languages fall back to English");
    }

    #[test]
    fn messages_fall_back_to_english_then_the_id() {
        assert_eq!(message("fr", "no-such-id", &[]), "no-such-id");
        assert_ne!(message("fr", "app-tagline", &[]), message("en", "app-tagline", &[]));
    }
}
