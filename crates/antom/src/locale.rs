//! The languages of Antom's card-binding element, the one list: the app offers exactly these
//! (`cardbind_core::i18n`, and the UI's list generated from it), and the simulator's element page
//! speaks them. Each with the locale name the web SDK and the element take (`web-sdk.md` §9).

/// (language, the SDK's `locale`), English first: the reference and the fallback.
pub const ELEMENT_LOCALES: [(&str, &str); 8] = [
    ("en", "en_US"),
    ("pt", "pt_BR"),
    ("ko", "ko_KR"),
    ("es", "es_ES"),
    ("fr", "fr_FR"),
    ("de", "de_DE"),
    ("it", "it_IT"),
    ("nl", "nl_NL"),
];

/// The languages alone, in the same order.
pub const LANGUAGES: [&str; ELEMENT_LOCALES.len()] = {
    let mut out = [""; ELEMENT_LOCALES.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = ELEMENT_LOCALES[i].0;
        i += 1;
    }
    out
};

/// The language of a locale tag (`pt-BR`, `pt_BR.UTF-8`, `de`, ...) when it is one of ours,
/// otherwise English.
pub fn language_of(tag: &str) -> &'static str {
    let lang = tag.split(['_', '-', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
    LANGUAGES.iter().find(|l| **l == lang).copied().unwrap_or(LANGUAGES[0])
}

/// The SDK's locale for a language or locale tag (`pt` → `pt_BR`; unknown → `en_US`).
pub fn sdk_locale(tag: &str) -> &'static str {
    let lang = language_of(tag);
    ELEMENT_LOCALES.iter().find(|(l, _)| *l == lang).map_or(ELEMENT_LOCALES[0].1, |(_, s)| s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_sdk_locales() {
        assert_eq!(LANGUAGES, ["en", "pt", "ko", "es", "fr", "de", "it", "nl"]);
        assert_eq!(language_of("pt_BR.UTF-8"), "pt");
        assert_eq!(language_of("zh_CN"), "en");
        assert_eq!(sdk_locale("pt"), "pt_BR");
        assert_eq!(sdk_locale("nl-BE"), "nl_NL");
        assert_eq!(sdk_locale("xx"), "en_US");
    }
}
