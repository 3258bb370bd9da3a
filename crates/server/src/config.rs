//! Configuration: working defaults, then a TOML file, then `QY_*` environment variables.
//!
//! The file is `$QY_CONFIG` if set, else `qingyun.toml` in the working directory if present.
//! Keys are the lower-case names of the variables without the prefix (`http_addr = "…"`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `QY_DATA_DIR`: where the SQLite file, the secret key and backups live.
    pub data_dir: PathBuf,
    /// `QY_HTTP_ADDR`
    pub http_addr: String,
    /// `QY_DATABASE_URL`: `postgres://…` for PostgreSQL; default a SQLite file in data_dir.
    pub database_url: Option<String>,
    /// `QY_NATS_URL`: NATS JetStream for events across instances; default in-process.
    pub nats_url: Option<String>,
    /// `QY_MQTT_URL`: MQTT broker for sensor ingest (used by modules that ingest).
    pub mqtt_url: Option<String>,
    /// `QY_INSTANCE_ID`: names this instance to brokers (stable across restarts; unique per
    /// instance). Default: the host name.
    pub instance_id: String,
    /// `QY_HJ212_ADDR`: the HJ 212 TCP gateway for monitoring stations.
    pub hj212_addr: String,
    /// `QY_PACKET_RETENTION_DAYS`: how long raw HJ 212 packets are kept for replay.
    pub packet_retention_days: u32,
    /// `QY_BOOTSTRAP_ADMIN_PASSWORD`: password of the first operator `admin`.
    pub bootstrap_admin_password: Option<String>,
    /// `QY_COOKIE_SECURE`: mark cookies Secure (set when served over HTTPS).
    pub cookie_secure: bool,
    /// `QY_PUBLIC_URL`: the address users reach Qingyun at, for links printed on paper
    /// (credit reports' QR codes). Default: the request's host.
    pub public_url: Option<String>,
    /// `QY_CREDIT_POLICY`: a TOML file with the credit module's publication regimes, scoring
    /// model, deadlines and extra holiday calendars (see crates/modules/credit/README.md).
    pub credit_policy: Option<PathBuf>,
    /// `QY_TRACE_NAMESPACE`: the HTTP namespace of the province's own traceability
    /// identifiers (animals, certificates, vocabulary), ending in `/`. Fixed per deployment:
    /// it is part of every event hash that names such an identifier.
    pub trace_namespace: Option<String>,
    /// `QY_LOG`: tracing filter, e.g. `info,qy_identity=debug`.
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./qingyun-data"),
            http_addr: "127.0.0.1:8080".into(),
            database_url: None,
            nats_url: None,
            mqtt_url: None,
            hj212_addr: "127.0.0.1:8212".into(),
            instance_id: default_instance_id(),
            packet_retention_days: 90,
            bootstrap_admin_password: None,
            cookie_secure: false,
            public_url: None,
            credit_policy: None,
            trace_namespace: None,
            log: "info".into(),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("http_addr", &self.http_addr)
            .field("database_url", &self.database_url.as_deref().map(qy_storage::db::redact_url))
            .field("nats_url", &self.nats_url)
            .field("mqtt_url", &self.mqtt_url)
            .field("hj212_addr", &self.hj212_addr)
            .field("packet_retention_days", &self.packet_retention_days)
            .field("bootstrap_admin_password", &self.bootstrap_admin_password.as_ref().map(|_| "***"))
            .field("cookie_secure", &self.cookie_secure)
            .field("public_url", &self.public_url)
            .field("credit_policy", &self.credit_policy)
            .field("trace_namespace", &self.trace_namespace)
            .finish()
    }
}

impl Config {
    /// Loads defaults ← file ← environment.
    pub fn load() -> Result<Self, String> {
        let file = std::env::var("QY_CONFIG").ok().map(PathBuf::from).or_else(|| {
            let p = PathBuf::from("qingyun.toml");
            p.exists().then_some(p)
        });
        let mut cfg = match file {
            Some(path) => Self::from_file(&path)?,
            None => Self::default(),
        };
        cfg.apply_env(|k| std::env::var(k).ok())?;
        Ok(cfg)
    }

    pub fn from_file(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Applies `QY_*` variables read through `get` (injected for tests).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        let nonempty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        if let Some(v) = nonempty("QY_DATA_DIR") {
            self.data_dir = PathBuf::from(v);
        }
        if let Some(v) = nonempty("QY_HTTP_ADDR") {
            self.http_addr = v;
        }
        if let Some(v) = nonempty("QY_DATABASE_URL") {
            self.database_url = Some(v);
        }
        if let Some(v) = nonempty("QY_NATS_URL") {
            self.nats_url = Some(v);
        }
        if let Some(v) = nonempty("QY_MQTT_URL") {
            self.mqtt_url = Some(v);
        }
        if let Some(v) = nonempty("QY_INSTANCE_ID") {
            self.instance_id = v;
        }
        if let Some(v) = nonempty("QY_HJ212_ADDR") {
            self.hj212_addr = v;
        }
        if let Some(v) = nonempty("QY_PACKET_RETENTION_DAYS") {
            self.packet_retention_days =
                v.parse().map_err(|_| format!("QY_PACKET_RETENTION_DAYS must be a number of days, not {v:?}"))?;
        }
        if let Some(v) = nonempty("QY_BOOTSTRAP_ADMIN_PASSWORD") {
            self.bootstrap_admin_password = Some(v);
        }
        if let Some(v) = nonempty("QY_COOKIE_SECURE") {
            self.cookie_secure = match v.as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => return Err(format!("QY_COOKIE_SECURE must be true or false, not {other:?}")),
            };
        }
        if let Some(v) = nonempty("QY_PUBLIC_URL") {
            if !(v.starts_with("https://") || v.starts_with("http://")) {
                return Err(format!("QY_PUBLIC_URL must start with https:// or http://, not {v:?}"));
            }
            self.public_url = Some(v);
        }
        if let Some(v) = nonempty("QY_CREDIT_POLICY") {
            self.credit_policy = Some(PathBuf::from(v));
        }
        if let Some(v) = nonempty("QY_TRACE_NAMESPACE") {
            if !(v.starts_with("https://") || v.starts_with("http://")) || !v.ends_with('/') {
                return Err(format!("QY_TRACE_NAMESPACE must be an http(s) URL ending in /, not {v:?}"));
            }
            self.trace_namespace = Some(v);
        }
        if let Some(v) = nonempty("QY_LOG") {
            self.log = v;
        }
        Ok(())
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| qy_storage::db::sqlite_url_in(&self.data_dir))
    }

    /// The platform secret (32 bytes) in `data_dir/secret.key`, created on first start.
    /// It seals personal data at rest: back it up with the database.
    pub fn load_or_create_secret(&self) -> Result<[u8; 32], String> {
        let path = self.data_dir.join("secret.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let bytes = hex::decode(text.trim()).map_err(|_| format!("{} is not hex", path.display()))?;
            return bytes.try_into().map_err(|_| format!("{} must hold 32 bytes", path.display()));
        }
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", self.data_dir.display()))?;
        let mut key = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
        write_private(&path, &hex::encode(key)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(key)
    }
}

/// The host name, or `qingyun` when it cannot be read.
fn default_instance_id() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty() && h.len() <= 64)
        .unwrap_or_else(|| "qingyun".to_owned())
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = Config::default();
        assert_eq!(c.http_addr, "127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./qingyun-data"));
        assert!(c.database_url().starts_with("sqlite://"));
    }

    #[test]
    fn environment_overrides_file() {
        let mut c: Config = toml::from_str("http_addr = \"0.0.0.0:9000\"\ndata_dir = \"/srv/qy\"").unwrap_or_default();
        assert_eq!(c.http_addr, "0.0.0.0:9000");
        let env = |k: &str| (k == "QY_HTTP_ADDR").then(|| "127.0.0.1:7000".to_owned());
        assert!(c.apply_env(env).is_ok());
        assert_eq!(c.http_addr, "127.0.0.1:7000");
        assert_eq!(c.data_dir, PathBuf::from("/srv/qy"));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_errors() {
        assert!(toml::from_str::<Config>("htp_addr = \"x\"").is_err());
        let mut c = Config::default();
        assert!(c.apply_env(|k| (k == "QY_COOKIE_SECURE").then(|| "maybe".into())).is_err());
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Config {
            database_url: Some("postgres://u:pw@h/db".into()),
            bootstrap_admin_password: Some("pw".into()),
            ..Config::default()
        };
        let s = format!("{c:?}");
        assert!(!s.contains("pw@") && !s.contains("\"pw\""));
    }
}
