//! All SQL of the identity module.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Params, Row, StoreResultExt};

use crate::domain::{AccessToken, Account, Department, Role};

// ---- departments -------------------------------------------------------------------------

pub async fn insert_department(db: &Db, d: &Department) -> Result<()> {
    query("INSERT INTO identity_department (id, name, region_code, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&d.id)
        .bind(&d.name)
        .bind(&d.region_code)
        .bind(d.created_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

fn department_of(r: &AnyRow) -> Result<Department> {
    Ok(Department {
        id: r.try_get("id").store()?,
        name: r.try_get("name").store()?,
        region_code: r.try_get("region_code").store()?,
        region_name: None,
        created_at: r.try_get("created_at").store()?,
    })
}

pub async fn get_department(db: &Db, id: &str) -> Result<Option<Department>> {
    let row = query("SELECT id, name, region_code, created_at FROM identity_department WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(department_of).transpose()
}

/// Departments whose region code matches `region_like` (a subtree pattern).
pub async fn list_departments(db: &Db, region_like: &str) -> Result<Vec<Department>> {
    let rows = query("SELECT id, name, region_code, created_at FROM identity_department WHERE region_code LIKE $1 ORDER BY region_code, name")
        .bind(region_like)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(department_of).collect()
}

// ---- roles -------------------------------------------------------------------------------

pub async fn insert_role(db: &Db, r: &Role, now: i64) -> Result<()> {
    query("INSERT INTO identity_role (id, name, description, permissions, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&r.id)
        .bind(&r.name)
        .bind(&r.description)
        .bind(serde_json::to_string(&r.permissions).unwrap_or_else(|_| "[]".into()))
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

fn role_of(r: &AnyRow) -> Result<Role> {
    let perms: String = r.try_get("permissions").store()?;
    Ok(Role {
        id: r.try_get("id").store()?,
        name: r.try_get("name").store()?,
        description: r.try_get("description").store()?,
        permissions: serde_json::from_str(&perms).unwrap_or_default(),
    })
}

pub async fn list_roles(db: &Db) -> Result<Vec<Role>> {
    let rows = query("SELECT id, name, description, permissions FROM identity_role ORDER BY name")
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(role_of).collect()
}

pub async fn roles_of(db: &Db, account_id: &str) -> Result<Vec<Role>> {
    let rows = query(
        "SELECT r.id, r.name, r.description, r.permissions FROM identity_role r \
         JOIN identity_account_role ar ON ar.role_id = r.id WHERE ar.account_id = $1 ORDER BY r.name",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(role_of).collect()
}

pub async fn grant_role(db: &Db, account_id: &str, role_id: &str) -> Result<()> {
    query("INSERT INTO identity_account_role (account_id, role_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(account_id)
        .bind(role_id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

// ---- accounts ----------------------------------------------------------------------------

/// An account row with the secrets that only this module's service may see.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub account: Account,
    pub password_hash: String,
    pub resident_id_sealed: Option<String>,
    pub failed_logins: i64,
    pub locked_until: i64,
    pub locale: Option<String>,
}

pub struct InsertAccount<'a> {
    pub account: &'a Account,
    pub password_hash: &'a str,
    pub resident_id_sealed: Option<&'a str>,
    pub resident_id_index: Option<&'a str>,
}

pub async fn insert_account(db: &Db, a: InsertAccount<'_>) -> Result<()> {
    let acc = a.account;
    query(
        "INSERT INTO identity_account (id, username, display_name, kind, password_hash, department_id, region_code, \
         resident_id_sealed, resident_id_masked, resident_id_index, uscc, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&acc.id)
    .bind(&acc.username)
    .bind(&acc.display_name)
    .bind(&acc.kind)
    .bind(a.password_hash)
    .bind(acc.department_id.clone())
    .bind(&acc.region_code)
    .bind(a.resident_id_sealed.map(str::to_owned))
    .bind(acc.resident_id_masked.clone())
    .bind(a.resident_id_index.map(str::to_owned))
    .bind(acc.uscc.clone())
    .bind(i32::from(acc.disabled))
    .bind(acc.created_at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

const ACCOUNT_SELECT: &str = "SELECT a.id, a.username, a.display_name, a.kind, a.password_hash, a.department_id, \
    d.name AS department_name, a.region_code, a.resident_id_sealed, a.resident_id_masked, a.uscc, a.locale, a.disabled, \
    a.failed_logins, a.locked_until, a.created_at FROM identity_account a \
    LEFT JOIN identity_department d ON d.id = a.department_id";

fn account_row_of(r: &AnyRow) -> Result<AccountRow> {
    let disabled: i32 = r.try_get("disabled").store()?;
    Ok(AccountRow {
        account: Account {
            id: r.try_get("id").store()?,
            username: r.try_get("username").store()?,
            display_name: r.try_get("display_name").store()?,
            kind: r.try_get("kind").store()?,
            department_id: r.try_get("department_id").store()?,
            department_name: r.try_get("department_name").store()?,
            region_code: r.try_get("region_code").store()?,
            resident_id_masked: r.try_get("resident_id_masked").store()?,
            uscc: r.try_get("uscc").store()?,
            disabled: disabled != 0,
            roles: Vec::new(),
            created_at: r.try_get("created_at").store()?,
        },
        password_hash: r.try_get("password_hash").store()?,
        resident_id_sealed: r.try_get("resident_id_sealed").store()?,
        failed_logins: r.try_get("failed_logins").store()?,
        locked_until: r.try_get("locked_until").store()?,
        locale: r.try_get("locale").store()?,
    })
}

pub async fn account_by_id(db: &Db, id: &str) -> Result<Option<AccountRow>> {
    let sql = format!("{ACCOUNT_SELECT} WHERE a.id = $1");
    let row = query(&sql).bind(id).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(account_row_of).transpose()
}

pub async fn account_by_username(db: &Db, username: &str) -> Result<Option<AccountRow>> {
    let sql = format!("{ACCOUNT_SELECT} WHERE a.username = $1");
    let row = query(&sql).bind(username).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(account_row_of).transpose()
}

pub struct AccountFilter<'a> {
    pub region_like: String,
    pub kinds: &'a [&'a str],
    pub department_id: Option<&'a str>,
    pub q: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

pub async fn list_accounts(db: &Db, f: AccountFilter<'_>) -> Result<Vec<AccountRow>> {
    let mut p = Params::new();
    let mut sql = format!("{ACCOUNT_SELECT} WHERE a.region_code LIKE {}", p.push(f.region_like.clone()));
    if !f.kinds.is_empty() {
        let list: Vec<String> = f.kinds.iter().map(|k| p.push(*k)).collect();
        sql.push_str(&format!(" AND a.kind IN ({})", list.join(", ")));
    }
    if let Some(d) = f.department_id {
        sql.push_str(&format!(" AND a.department_id = {}", p.push(d)));
    }
    if let Some(q) = f.q.filter(|q| !q.is_empty()) {
        let like = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let a = p.push(like.clone());
        let b = p.push(like);
        sql.push_str(&format!(" AND (a.username LIKE {a} ESCAPE '\\' OR a.display_name LIKE {b} ESCAPE '\\')"));
    }
    if let Some(after) = f.after {
        sql.push_str(&format!(" AND a.username > {}", p.push(after)));
    }
    sql.push_str(&format!(" ORDER BY a.username LIMIT {}", p.push(f.limit + 1)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(account_row_of).collect()
}

pub async fn set_disabled(db: &Db, id: &str, disabled: bool) -> Result<()> {
    query("UPDATE identity_account SET disabled = $1 WHERE id = $2")
        .bind(i32::from(disabled))
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    if disabled {
        delete_sessions_of(db, id).await?;
    }
    Ok(())
}

pub async fn set_password(db: &Db, id: &str, hash: &str) -> Result<()> {
    query("UPDATE identity_account SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn set_locale(db: &Db, id: &str, locale: &str) -> Result<()> {
    query("UPDATE identity_account SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// Counts a failed login; locks the account until `lock_until` when `lock` is set.
pub async fn record_failure(db: &Db, id: &str, lock_until: Option<i64>) -> Result<()> {
    match lock_until {
        Some(until) => {
            query("UPDATE identity_account SET failed_logins = 0, locked_until = $1 WHERE id = $2").bind(until).bind(id)
        }
        None => query("UPDATE identity_account SET failed_logins = failed_logins + 1 WHERE id = $1").bind(id),
    }
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn reset_failures(db: &Db, id: &str) -> Result<()> {
    query("UPDATE identity_account SET failed_logins = 0, locked_until = 0 WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn count_accounts(db: &Db) -> Result<i64> {
    let row = query("SELECT COUNT(*) FROM identity_account").fetch_one(db.pool()).await.store()?;
    row.try_get(0).store()
}

// ---- sessions ----------------------------------------------------------------------------

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    account_id: &str,
    kind: &str,
    csrf: Option<&str>,
    now: i64,
    expires: i64,
) -> Result<()> {
    query("INSERT INTO identity_session (token_hash, account_id, kind, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(token_hash)
        .bind(account_id)
        .bind(kind)
        .bind(csrf.map(str::to_owned))
        .bind(now)
        .bind(expires)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// The account id and CSRF token of a live session.
pub async fn session(db: &Db, token_hash: &str, kind: &str, now: i64) -> Result<Option<(String, Option<String>)>> {
    let row = query(
        "SELECT account_id, csrf_token FROM identity_session WHERE token_hash = $1 AND kind = $2 AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .store()?;
    row.map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).transpose()
}

pub async fn delete_session(db: &Db, token_hash: &str) -> Result<()> {
    query("DELETE FROM identity_session WHERE token_hash = $1").bind(token_hash).execute(db.pool()).await.store()?;
    Ok(())
}

pub async fn delete_sessions_of(db: &Db, account_id: &str) -> Result<()> {
    query("DELETE FROM identity_session WHERE account_id = $1").bind(account_id).execute(db.pool()).await.store()?;
    Ok(())
}

pub async fn delete_expired_sessions(db: &Db, now: i64) -> Result<u64> {
    let r = query("DELETE FROM identity_session WHERE expires_at <= $1").bind(now).execute(db.pool()).await.store()?;
    Ok(r.rows_affected())
}

// ---- personal access tokens --------------------------------------------------------------

pub async fn insert_token(db: &Db, account_id: &str, t: &AccessToken, token_hash: &str) -> Result<()> {
    query("INSERT INTO identity_token (id, account_id, name, token_hash, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&t.id)
        .bind(account_id)
        .bind(&t.name)
        .bind(token_hash)
        .bind(serde_json::to_string(&t.scopes).unwrap_or_else(|_| "[]".into()))
        .bind(t.created_at)
        .bind(t.expires_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

fn token_of(r: &AnyRow) -> Result<AccessToken> {
    let scopes: String = r.try_get("scopes").store()?;
    Ok(AccessToken {
        id: r.try_get("id").store()?,
        name: r.try_get("name").store()?,
        scopes: serde_json::from_str(&scopes).unwrap_or_default(),
        created_at: r.try_get("created_at").store()?,
        expires_at: r.try_get("expires_at").store()?,
        revoked_at: r.try_get("revoked_at").store()?,
        last_used_at: r.try_get("last_used_at").store()?,
    })
}

const TOKEN_SELECT: &str =
    "SELECT id, account_id, name, scopes, created_at, expires_at, revoked_at, last_used_at FROM identity_token";

pub async fn tokens_of(db: &Db, account_id: &str) -> Result<Vec<AccessToken>> {
    let sql = format!("{TOKEN_SELECT} WHERE account_id = $1 ORDER BY created_at DESC");
    let rows = query(&sql).bind(account_id).fetch_all(db.pool()).await.store()?;
    rows.iter().map(token_of).collect()
}

/// A usable token (not revoked, not expired) and its account id.
pub async fn live_token(db: &Db, token_hash: &str, now: i64) -> Result<Option<(String, AccessToken)>> {
    let sql = format!(
        "{TOKEN_SELECT} WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)"
    );
    let row = query(&sql).bind(token_hash).bind(now).fetch_optional(db.pool()).await.store()?;
    row.map(|r| Ok((r.try_get("account_id").store()?, token_of(&r)?))).transpose()
}

pub async fn touch_token(db: &Db, id: &str, now: i64) -> Result<()> {
    query("UPDATE identity_token SET last_used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// Revokes the account's token `id`; `false` when there is no such live token.
pub async fn revoke_token(db: &Db, account_id: &str, id: &str, now: i64) -> Result<bool> {
    let r = query("UPDATE identity_token SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL")
        .bind(now)
        .bind(id)
        .bind(account_id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}
