//! Accounts, sessions and personal access tokens through the identity API, as an integrator
//! sets them up.

use anyhow::{anyhow, Context};
use serde_json::json;

use super::http::Http;

/// A session of `username` (`POST /api/v1/identity/sessions`).
pub(crate) async fn login(http: &mut Http, username: &str, password: &str) -> anyhow::Result<String> {
    let body = json!({ "username": username, "password": password }).to_string();
    let reply = http.send("POST", "/api/v1/identity/sessions", None, Some(body.as_bytes())).await?;
    let body = reply.expect(201).with_context(|| format!("logging in as {username}"))?;
    field(&body, "token")
}

/// A personal access token of the session's account limited to `scopes`, valid for a day.
pub(crate) async fn personal_token(
    http: &mut Http,
    session: &str,
    name: &str,
    scopes: &[&str],
) -> anyhow::Result<String> {
    let body = json!({ "name": name, "scopes": scopes, "expires_in_days": 1 }).to_string();
    let reply = http.send("POST", "/api/v1/identity/tokens", Some(session), Some(body.as_bytes())).await?;
    let body = reply.expect(201).context("creating a personal access token")?;
    field(&body, "token")
}

/// A department (`POST /api/v1/identity/departments`); its id.
pub(crate) async fn department(http: &mut Http, session: &str, name: &str, region: &str) -> anyhow::Result<String> {
    let body = json!({ "name": name, "region_code": region }).to_string();
    let reply = http.send("POST", "/api/v1/identity/departments", Some(session), Some(body.as_bytes())).await?;
    let body = reply.expect(201).context("creating a department")?;
    field(&body, "id")
}

/// A staff account of `department` without roles (`POST /api/v1/identity/accounts`); its id.
pub(crate) async fn staff_account(
    http: &mut Http,
    session: &str,
    username: &str,
    display_name: &str,
    password: &str,
    department: &str,
) -> anyhow::Result<String> {
    let body = json!({
        "username": username,
        "password": password,
        "display_name": display_name,
        "kind": "staff",
        "department_id": department,
    })
    .to_string();
    let reply = http.send("POST", "/api/v1/identity/accounts", Some(session), Some(body.as_bytes())).await?;
    let body = reply.expect(201).context("creating a staff account")?;
    field(&body, "id")
}

/// A string field of a JSON object answer.
fn field(body: &[u8], name: &str) -> anyhow::Result<String> {
    let v: serde_json::Value = serde_json::from_slice(body).context("the answer is not JSON")?;
    v.get(name).and_then(|t| t.as_str()).map(str::to_owned).ok_or_else(|| anyhow!("the answer has no {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_answers() {
        assert_eq!(field(br#"{"token":"qy_pat_1","id":"x"}"#, "token").ok().as_deref(), Some("qy_pat_1"));
        assert!(field(br#"{"token":1}"#, "token").is_err());
        assert!(field(b"<html>", "id").is_err());
    }
}
