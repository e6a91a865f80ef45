//! Where requests go: region hosts, a custom base URL, and the sandbox path rule (§1.3, §1.4).

use std::fmt;
use std::net::IpAddr;

/// Antom's gateway regions (Java SDK constants SG/US/DE, plus the US-merchant host).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Region {
    /// Asia: `open-sea-global.alipay.com`.
    Sg,
    /// North America, non-US merchants: `open-na-global.alipay.com`.
    Na,
    /// North America, US merchants: `open.antglobal-us.com`.
    Us,
    /// Europe: `open-de-global.alipay.com`.
    De,
}

impl Region {
    pub const ALL: [Region; 4] = [Region::Sg, Region::Na, Region::Us, Region::De];

    pub fn host(self) -> &'static str {
        match self {
            Region::Sg => "open-sea-global.alipay.com",
            Region::Na => "open-na-global.alipay.com",
            Region::Us => "open.antglobal-us.com",
            Region::De => "open-de-global.alipay.com",
        }
    }

    /// The `hostSign` the web SDK uses for this region's session data.
    pub fn host_sign(self) -> &'static str {
        match self {
            Region::Sg => "SG",
            Region::Na | Region::Us => "US",
            Region::De => "DE",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Region::Sg => "SG",
            Region::Na => "NA",
            Region::Us => "US",
            Region::De => "DE",
        })
    }
}

impl std::str::FromStr for Region {
    type Err = GatewayError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "SG" | "SEA" | "ASIA" => Ok(Region::Sg),
            "NA" => Ok(Region::Na),
            "US" => Ok(Region::Us),
            "DE" | "EU" | "EUROPE" => Ok(Region::De),
            other => Err(GatewayError::UnknownRegion(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("unknown region {0:?}; use SG, NA, US or DE")]
    UnknownRegion(String),
    #[error("the base URL {0:?} is not an absolute http(s) URL")]
    NotAUrl(String),
    #[error("the base URL must use https (plain http is only allowed for loopback addresses)")]
    InsecureScheme,
    #[error("the base URL must not have a path, query or fragment (the API path is added by the client)")]
    HasPath,
}

/// The origin requests are sent to (`scheme://host[:port]`, no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Gateway {
    origin: String,
    loopback: bool,
}

impl Gateway {
    pub fn region(region: Region) -> Self {
        Gateway { origin: format!("https://{}", region.host()), loopback: false }
    }

    /// A custom origin: a proxy, another Antom host, or the simulator on loopback.
    pub fn custom(url: &str) -> Result<Self, GatewayError> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url.split_once("://").ok_or_else(|| GatewayError::NotAUrl(url.into()))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(GatewayError::NotAUrl(url.into()));
        }
        if rest.is_empty() || rest.contains(['?', '#']) {
            return Err(if rest.is_empty() { GatewayError::NotAUrl(url.into()) } else { GatewayError::HasPath });
        }
        if rest.contains('/') {
            return Err(GatewayError::HasPath);
        }
        let host = host_of(rest);
        if host.is_empty() || host.contains('@') {
            return Err(GatewayError::NotAUrl(url.into()));
        }
        let loopback = is_loopback(host);
        if scheme == "http" && !loopback {
            return Err(GatewayError::InsecureScheme);
        }
        Ok(Gateway { origin: format!("{scheme}://{rest}"), loopback })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_loopback(&self) -> bool {
        self.loopback
    }
}

fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether a client id selects Antom's sandbox (the SDKs' rule: it starts with `SANDBOX_`).
pub fn is_sandbox_client(client_id: &str) -> bool {
    client_id.starts_with("SANDBOX_")
}

/// The path that is requested and signed: the production path, with its first `/ams/api`
/// replaced by `/ams/sandbox/api` for sandbox client ids, as all three official SDKs do.
pub fn api_path(client_id: &str, production_path: &str) -> String {
    if is_sandbox_client(client_id) {
        production_path.replacen("/ams/api", "/ams/sandbox/api", 1)
    } else {
        production_path.to_string()
    }
}

/// Why a client id does not go with a path, if it does not: every official SDK sends `SANDBOX_`
/// ids to `/ams/sandbox/api/…` and all other ids to `/ams/api/…`, so Antom serves no other pair.
pub fn path_mismatch(client_id: &str, path: &str) -> Option<String> {
    let sandbox_path = path.starts_with("/ams/sandbox/api/");
    match (is_sandbox_client(client_id), sandbox_path) {
        (true, false) => Some(format!(
            "the SANDBOX_ client id {client_id} is signed over {path}, a production path; the official SDKs send sandbox ids to /ams/sandbox/api/…, and Antom refuses this pair"
        )),
        (false, true) => Some(format!(
            "the production client id {client_id} is signed over {path}, a sandbox path; only SANDBOX_ client ids use /ams/sandbox/api/…, and Antom refuses this pair"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids_and_paths_pair_as_the_sdks_send_them() {
        assert_eq!(path_mismatch("SANDBOX_1", "/ams/sandbox/api/v1/vaults/inquireVaulting"), None);
        assert_eq!(path_mismatch("2188", "/ams/api/v1/vaults/inquireVaulting"), None);
        assert!(path_mismatch("SANDBOX_1", "/ams/api/v1/vaults/inquireVaulting").is_some());
        assert!(path_mismatch("2188", "/ams/sandbox/api/v1/vaults/inquireVaulting").is_some());
        for (id, p) in [("SANDBOX_1", "/ams/api/v1/x"), ("2188", "/ams/api/v1/x")] {
            assert_eq!(path_mismatch(id, &api_path(id, p)), None, "what api_path makes always pairs");
        }
    }

    #[test]
    fn sandbox_rule() {
        assert_eq!(
            api_path("SANDBOX_5X00000000000000", "/ams/api/v1/vaults/createVaultingSession"),
            "/ams/sandbox/api/v1/vaults/createVaultingSession"
        );
        assert_eq!(
            api_path("5X00000000000000", "/ams/api/v1/vaults/inquireVaulting"),
            "/ams/api/v1/vaults/inquireVaulting"
        );
        assert_eq!(api_path("sandbox_x", "/ams/api/v1/x"), "/ams/api/v1/x");
    }

    #[test]
    fn gateways() {
        assert_eq!(Gateway::region(Region::Sg).origin(), "https://open-sea-global.alipay.com");
        assert_eq!(Gateway::region(Region::Us).origin(), "https://open.antglobal-us.com");
        assert_eq!(Gateway::custom("http://127.0.0.1:8080/").unwrap().origin(), "http://127.0.0.1:8080");
        assert!(Gateway::custom("http://[::1]:9").unwrap().is_loopback());
        assert!(Gateway::custom("http://localhost:9").unwrap().is_loopback());
        assert_eq!(Gateway::custom("http://example.com").unwrap_err(), GatewayError::InsecureScheme);
        assert_eq!(Gateway::custom("https://example.com/ams").unwrap_err(), GatewayError::HasPath);
        assert!(matches!(Gateway::custom("example.com").unwrap_err(), GatewayError::NotAUrl(_)));
        assert_eq!("eu".parse::<Region>().unwrap(), Region::De);
    }
}
