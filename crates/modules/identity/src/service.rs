//! Use cases of identity and access. Handlers stay thin and call these.

use std::collections::BTreeSet;
use std::sync::Arc;

use qy_kernel::auth::Authenticated;
use qy_kernel::region::RegionDirectory;
use qy_kernel::{id, Clock, Error, ErrorKind, Principal, PrincipalKind, RegionScope, Result};
use qy_storage::Db;

use crate::crypto::{self, Sealer};
use crate::domain::{self, perm, AccessToken, Account, Department, NewAccount, Role};
use crate::store::{self, AccountFilter, InsertAccount};

pub const SESSION_PREFIX: &str = "qy_s_";
pub const TOKEN_PREFIX: &str = "qy_pat_";

/// The identity service over one database.
#[derive(Clone)]
pub struct Identity {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub sealer: Sealer,
}

/// How long a resolved API bearer token is reused without asking the store. A logout, a
/// revoked token or a disabled account on this instance takes effect at once (the cache is
/// cleared); made on another instance sharing the database, within this time.
const BEARER_CACHE_MS: i64 = 5_000;
/// Entries kept at most; the cache is emptied when it would grow beyond.
const BEARER_CACHE_MAX: usize = 10_000;

/// token hash → (resolved at, the result). One for the whole process, because handlers build
/// an `Identity` handle per request: a logout through one handle must clear what the
/// authenticator's handle cached. Token hashes are unique, so servers sharing a process
/// (tests) cannot see each other's entries.
type BearerCache = std::collections::HashMap<String, (i64, Authenticated)>;
static BEARER_CACHE: std::sync::LazyLock<std::sync::Mutex<BearerCache>> = std::sync::LazyLock::new(Default::default);
/// Bumped by every clearing: a resolution that started before a logout or revocation must
/// not put its (now stale) result back into the cache.
static BEARER_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// What the first start created.
#[derive(Debug, Default)]
pub struct Bootstrap {
    /// Id of the operator `admin`, when this start created it.
    pub created_admin: Option<String>,
    /// Its password, when none was configured (print it once).
    pub generated_password: Option<String>,
}

/// A successful login.
#[derive(Debug)]
pub struct Login {
    pub token: String,
    pub csrf_token: Option<String>,
    pub expires_at: i64,
    pub account: Account,
    pub locale: Option<String>,
}

async fn hash_blocking(password: String) -> Result<String> {
    crate::hasher::run(move || crypto::hash_password(&password)).await?
}

async fn verify_blocking(password: String, phc: String) -> bool {
    crate::hasher::run(move || crypto::verify_password(&password, &phc)).await.unwrap_or(false)
}

impl Identity {
    pub fn new(db: Db, clock: Arc<dyn Clock>, sealer: Sealer) -> Self {
        Self { db, clock, sealer }
    }

    // ---- login and sessions --------------------------------------------------------------

    /// Checks a password. Refuses locked and disabled accounts; locks after repeated failures.
    /// `kind` is `web` (cookie, with a CSRF token) or `api` (bearer).
    pub async fn login(&self, username: &str, password: &str, kind: &str) -> Result<Login> {
        let now = self.clock.now_ms();
        let invalid =
            || Error::new(ErrorKind::Unauthenticated, "identity.invalid_credentials", "wrong user name or password");
        let username = username.trim().to_lowercase();
        let Some(row) = store::account_by_username(&self.db, &username).await? else {
            // Same work as for a real account, so timing does not reveal which names exist.
            verify_blocking(password.to_owned(), crypto::dummy_hash().to_owned()).await;
            return Err(invalid());
        };
        if row.locked_until > now {
            return Err(Error::new(
                ErrorKind::TooManyRequests,
                "identity.account_locked",
                "too many failed logins; the account is locked for 15 minutes",
            ));
        }
        if !verify_blocking(password.to_owned(), row.password_hash.clone()).await {
            let lock = (row.failed_logins + 1 >= domain::LOCK_AFTER_FAILURES).then_some(now + domain::LOCK_MS);
            store::record_failure(&self.db, &row.account.id, lock).await?;
            if lock.is_some() {
                tracing::warn!(account = %row.account.id, "account locked after repeated failed logins");
            }
            return Err(invalid());
        }
        if row.account.disabled {
            return Err(Error::forbidden("identity.account_disabled", "this account is disabled"));
        }
        store::reset_failures(&self.db, &row.account.id).await?;
        let token = crypto::new_token(SESSION_PREFIX);
        let csrf = (kind == "web").then(qy_web::csrf::new_token);
        let expires_at = now + domain::SESSION_MS;
        store::insert_session(
            &self.db,
            &crypto::token_hash(&token),
            &row.account.id,
            kind,
            csrf.as_deref(),
            now,
            expires_at,
        )
        .await?;
        Ok(Login { token, csrf_token: csrf, expires_at, account: row.account, locale: row.locale })
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let deleted = store::delete_session(&self.db, &crypto::token_hash(token)).await;
        self.forget_bearers();
        deleted
    }

    /// Drops every cached bearer resolution (after a change to accounts or tokens).
    fn forget_bearers(&self) {
        if let Ok(mut c) = BEARER_CACHE.lock() {
            BEARER_GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            c.clear();
        }
    }

    /// Resolves a session token or personal access token. API bearers (`web == false`) are
    /// cached for `BEARER_CACHE_MS`: a SensorThings client or data logger sends one request
    /// after another with the same token, and each resolution is three or four queries.
    pub async fn authenticate(&self, token: &str, web: bool) -> Result<Option<Authenticated>> {
        let now = self.clock.now_ms();
        let hash = crypto::token_hash(token);
        if web {
            return self.resolve(token, &hash, web, now).await;
        }
        let cached = BEARER_CACHE.lock().ok().and_then(|c| c.get(&hash).cloned());
        if let Some((at, auth)) = cached {
            // `at <= now`: a clock stepped back does not stretch an entry's life.
            if at <= now && now - at < BEARER_CACHE_MS {
                return Ok(Some(auth));
            }
        }
        let generation = BEARER_GENERATION.load(std::sync::atomic::Ordering::SeqCst);
        let resolved = self.resolve(token, &hash, web, now).await?;
        if let (Some(auth), Ok(mut c)) = (&resolved, BEARER_CACHE.lock()) {
            // Checked under the lock that clearing holds: nothing was forgotten meanwhile.
            if BEARER_GENERATION.load(std::sync::atomic::Ordering::SeqCst) == generation {
                if c.len() >= BEARER_CACHE_MAX {
                    c.clear();
                }
                c.insert(hash, (now, auth.clone()));
            }
        }
        Ok(resolved)
    }

    async fn resolve(&self, token: &str, hash: &str, web: bool, now: i64) -> Result<Option<Authenticated>> {
        if token.starts_with(SESSION_PREFIX) {
            let Some((account_id, csrf)) = store::session(&self.db, hash, if web { "web" } else { "api" }, now).await?
            else {
                return Ok(None);
            };
            return self
                .principal_of(&account_id, None)
                .await
                .map(|p| p.map(|(principal, locale)| Authenticated { principal, csrf_token: csrf, locale }));
        }
        if token.starts_with(TOKEN_PREFIX) && !web {
            let Some((account_id, t)) = store::live_token(&self.db, hash, now).await? else {
                return Ok(None);
            };
            store::touch_token(&self.db, &t.id, now).await?;
            let scopes: BTreeSet<String> = t.scopes.into_iter().collect();
            return self
                .principal_of(&account_id, Some(scopes))
                .await
                .map(|p| p.map(|(principal, locale)| Authenticated { principal, csrf_token: None, locale }));
        }
        Ok(None)
    }

    async fn principal_of(
        &self,
        account_id: &str,
        token_scopes: Option<BTreeSet<String>>,
    ) -> Result<Option<(Principal, Option<String>)>> {
        let Some(row) = store::account_by_id(&self.db, account_id).await? else {
            return Ok(None);
        };
        if row.account.disabled {
            return Ok(None);
        }
        let kind = PrincipalKind::parse(&row.account.kind).unwrap_or(PrincipalKind::Citizen);
        let permissions =
            store::roles_of(&self.db, account_id).await?.into_iter().flat_map(|r| r.permissions).collect();
        let scope = if kind == PrincipalKind::Operator {
            RegionScope::province()
        } else {
            RegionScope::new(&row.account.region_code).unwrap_or_else(RegionScope::province)
        };
        let principal = Principal {
            account_id: row.account.id.clone(),
            username: row.account.username.clone(),
            display_name: row.account.display_name.clone(),
            kind,
            permissions,
            scope,
            department_id: row.account.department_id.clone(),
            uscc: row.account.uscc.clone(),
            token_scopes,
        };
        Ok(Some((principal, row.locale)))
    }

    // ---- accounts ------------------------------------------------------------------------

    /// Creates an account. `by` is `None` only for bootstrap and the CLI (trusted callers).
    pub async fn create_account(
        &self,
        by: Option<&Principal>,
        regions: &dyn RegionDirectory,
        new: NewAccount,
    ) -> Result<Account> {
        let kind = domain::parse_kind(&new.kind)?;
        let username = new.username.trim().to_lowercase();
        domain::validate_username(&username)?;
        domain::validate_password(&new.password)?;
        domain::validate_display_name(&new.display_name)?;
        let mut department_name = None;
        let mut resident = None;
        let mut uscc = None;
        let region_code = match kind {
            PrincipalKind::Staff => {
                let dep_id = new.department_id.as_deref().ok_or_else(|| {
                    Error::bad_request(
                        "identity.department_required",
                        "staff accounts belong to a department: give department_id",
                    )
                })?;
                let dep = store::get_department(&self.db, dep_id).await?.ok_or_else(|| {
                    Error::bad_request("identity.unknown_department", format!("no department {dep_id}"))
                })?;
                department_name = Some(dep.name.clone());
                dep.region_code
            }
            _ => {
                let code = new.region_code.clone().unwrap_or_else(|| "630000".to_owned());
                if regions.get(&code).await?.is_none() {
                    return Err(Error::bad_request("identity.unknown_region", format!("no region {code} in Qinghai")));
                }
                code
            }
        };
        match kind {
            PrincipalKind::Citizen => {
                let raw = new.resident_id.as_deref().ok_or_else(|| {
                    Error::bad_request(
                        "identity.resident_id_required",
                        "citizen accounts need an 18-character resident ID",
                    )
                })?;
                let rid = qy_cnid::ResidentId::parse(raw)
                    .map_err(|e| Error::bad_request("identity.invalid_resident_id", format!("resident ID: {e}")))?;
                resident = Some(rid);
            }
            PrincipalKind::Enterprise => {
                let raw = new.uscc.as_deref().ok_or_else(|| {
                    Error::bad_request(
                        "identity.uscc_required",
                        "enterprise accounts need a unified social credit code",
                    )
                })?;
                let code = qy_cnid::Uscc::parse(raw).map_err(|e| {
                    Error::bad_request("identity.invalid_uscc", format!("unified social credit code: {e}"))
                })?;
                uscc = Some(code.as_str().to_owned());
            }
            _ => {}
        }
        self.authorize_account_change(by, kind, &region_code, new.department_id.as_deref())?;
        let roles = self.resolve_roles(by, &new.roles).await?;
        let account = Account {
            id: id::new_id(),
            username,
            display_name: new.display_name.trim().to_owned(),
            kind: kind.as_str().to_owned(),
            department_id: if kind == PrincipalKind::Staff { new.department_id.clone() } else { None },
            department_name,
            region_code,
            resident_id_masked: resident.as_ref().map(|r| r.masked()),
            uscc,
            disabled: false,
            roles: roles.iter().map(|r| r.name.clone()).collect(),
            created_at: self.clock.now_ms(),
        };
        let sealed = resident.as_ref().map(|r| self.sealer.seal(r.as_str())).transpose()?;
        let index = resident.as_ref().map(|r| self.sealer.blind_index(r.as_str())).transpose()?;
        let hash = hash_blocking(new.password).await?;
        store::insert_account(
            &self.db,
            InsertAccount {
                account: &account,
                password_hash: &hash,
                resident_id_sealed: sealed.as_deref(),
                resident_id_index: index.as_deref(),
            },
        )
        .await
        .map_err(|e| {
            if e.code == "store.conflict" {
                Error::conflict(
                    "identity.account_exists",
                    "an account with this user name, resident ID or USCC already exists",
                )
            } else {
                e
            }
        })?;
        for role in &roles {
            store::grant_role(&self.db, &account.id, &role.id).await?;
        }
        Ok(account)
    }

    /// Region subtree and department bound every change a non-operator makes.
    fn authorize_account_change(
        &self,
        by: Option<&Principal>,
        kind: PrincipalKind,
        region: &str,
        department: Option<&str>,
    ) -> Result<()> {
        let Some(p) = by else { return Ok(()) };
        if p.is_operator() {
            return Ok(());
        }
        let allowed = match kind {
            PrincipalKind::Staff => {
                p.can_in_region(perm::STAFF_MANAGE, region)
                    && (p.can(perm::DEPARTMENTS_MANAGE)
                        || (department.is_some() && department == p.department_id.as_deref()))
            }
            PrincipalKind::Operator | PrincipalKind::System => false,
            _ => p.can_in_region(perm::DEPARTMENTS_MANAGE, region),
        };
        if allowed {
            Ok(())
        } else {
            Err(out_of_scope())
        }
    }

    async fn resolve_roles(&self, by: Option<&Principal>, names: &[String]) -> Result<Vec<Role>> {
        let all = store::list_roles(&self.db).await?;
        names
            .iter()
            .map(|n| {
                let role = all
                    .iter()
                    .find(|r| &r.name == n)
                    .cloned()
                    .ok_or_else(|| Error::bad_request("identity.unknown_role", format!("no role {n:?}")))?;
                // Nobody grants what they do not hold themselves.
                if let Some(p) = by {
                    if !p.is_operator() && !role.permissions.iter().all(|perm| p.can(perm)) {
                        return Err(Error::forbidden(
                            "identity.role_exceeds_own",
                            format!("you cannot grant role {n:?}: it holds permissions you lack"),
                        ));
                    }
                }
                Ok(role)
            })
            .collect()
    }

    /// One account, if the reader may see it.
    pub async fn get_account(&self, by: &Principal, id: &str) -> Result<Account> {
        if !id::is_uuid(id) {
            return Err(Error::bad_request("identity.invalid_id", "account ids are UUIDs"));
        }
        let row = store::account_by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("identity.account_not_found", "no such account"))?;
        if by.account_id != row.account.id && !self.may_read(by, &row.account) {
            return Err(out_of_scope());
        }
        self.with_roles(row.account).await
    }

    fn may_read(&self, by: &Principal, a: &Account) -> bool {
        match PrincipalKind::parse(&a.kind) {
            Some(PrincipalKind::Staff) => by.can_in_region(perm::STAFF_READ, &a.region_code),
            Some(PrincipalKind::Citizen | PrincipalKind::Enterprise) => {
                by.can_in_region(perm::PUBLIC_READ, &a.region_code)
            }
            _ => by.is_operator(),
        }
    }

    async fn with_roles(&self, mut a: Account) -> Result<Account> {
        a.roles = store::roles_of(&self.db, &a.id).await?.into_iter().map(|r| r.name).collect();
        Ok(a)
    }

    /// Accounts the reader may see, in their region subtree.
    pub async fn list_accounts(
        &self,
        by: &Principal,
        kind: Option<&str>,
        q: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Account>> {
        // `can` also applies a token's scopes, so an operator's narrow token stays narrow.
        let mut kinds: Vec<&str> = Vec::new();
        if by.can(perm::STAFF_READ) {
            kinds.push("staff");
            if by.is_operator() {
                kinds.push("operator");
            }
        }
        if by.can(perm::PUBLIC_READ) {
            kinds.extend(["citizen", "enterprise"]);
        }
        if let Some(k) = kind {
            kinds.retain(|x| *x == k);
        }
        if kinds.is_empty() {
            return Err(Error::forbidden("identity.forbidden", "you may not list accounts"));
        }
        let rows = store::list_accounts(
            &self.db,
            AccountFilter { region_like: by.scope.like_pattern(), kinds: &kinds, department_id: None, q, after, limit },
        )
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.with_roles(r.account).await?);
        }
        Ok(out)
    }

    pub async fn set_disabled(&self, by: &Principal, id: &str, disabled: bool) -> Result<Account> {
        let account = self.get_account(by, id).await?;
        let kind = PrincipalKind::parse(&account.kind).unwrap_or(PrincipalKind::Citizen);
        self.authorize_account_change(Some(by), kind, &account.region_code, account.department_id.as_deref())?;
        if account.id == by.account_id {
            return Err(Error::bad_request("identity.cannot_disable_self", "you cannot disable your own account"));
        }
        store::set_disabled(&self.db, id, disabled).await?;
        self.forget_bearers();
        Ok(Account { disabled, ..account })
    }

    /// The unmasked resident ID. The caller must write the audit record with `reason`.
    pub async fn reveal_resident_id(&self, by: &Principal, id: &str, reason: &str) -> Result<String> {
        if reason.trim().chars().count() < 4 {
            return Err(Error::bad_request(
                "identity.reason_required",
                "say why you need the full number (at least 4 characters)",
            ));
        }
        let account = self.get_account(by, id).await?;
        if !by.can_in_region(perm::PERSONAL_DATA_READ, &account.region_code) {
            return Err(out_of_scope());
        }
        let row = store::account_by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("identity.account_not_found", "no such account"))?;
        let sealed = row
            .resident_id_sealed
            .ok_or_else(|| Error::not_found("identity.no_personal_data", "this account has no resident ID"))?;
        self.sealer.open(&sealed)
    }

    pub async fn change_password(&self, by: &Principal, current: &str, new: &str) -> Result<()> {
        let row = store::account_by_id(&self.db, &by.account_id)
            .await?
            .ok_or_else(|| Error::not_found("identity.account_not_found", "no such account"))?;
        if !verify_blocking(current.to_owned(), row.password_hash).await {
            return Err(Error::bad_request("identity.wrong_password", "the current password is wrong"));
        }
        domain::validate_password(new)?;
        let hash = hash_blocking(new.to_owned()).await?;
        store::set_password(&self.db, &by.account_id, &hash).await
    }

    pub async fn set_locale(&self, account_id: &str, locale: &str) -> Result<()> {
        store::set_locale(&self.db, account_id, locale).await?;
        self.forget_bearers();
        Ok(())
    }

    // ---- departments and roles -----------------------------------------------------------

    pub async fn create_department(
        &self,
        by: Option<&Principal>,
        regions: &dyn RegionDirectory,
        name: &str,
        region_code: &str,
    ) -> Result<Department> {
        let name = name.trim();
        if !(1..=100).contains(&name.chars().count()) {
            return Err(Error::bad_request(
                "identity.invalid_department_name",
                "department names need 1–100 characters",
            ));
        }
        let region = regions.get(region_code).await?.ok_or_else(|| {
            Error::bad_request("identity.unknown_region", format!("no region {region_code} in Qinghai"))
        })?;
        if let Some(p) = by {
            if !p.can_in_region(perm::DEPARTMENTS_MANAGE, region_code) {
                return Err(out_of_scope());
            }
        }
        let d = Department {
            id: id::new_id(),
            name: name.to_owned(),
            region_code: region_code.to_owned(),
            region_name: Some(region.name),
            created_at: self.clock.now_ms(),
        };
        store::insert_department(&self.db, &d).await.map_err(|e| {
            if e.code == "store.conflict" {
                Error::conflict("identity.department_exists", "this region already has a department with that name")
            } else {
                e
            }
        })?;
        Ok(d)
    }

    pub async fn list_departments(&self, by: &Principal) -> Result<Vec<Department>> {
        store::list_departments(&self.db, &by.scope.like_pattern()).await
    }

    pub async fn list_roles(&self) -> Result<Vec<Role>> {
        store::list_roles(&self.db).await
    }

    pub async fn create_role(
        &self,
        by: Option<&Principal>,
        name: &str,
        description: &str,
        permissions: Vec<String>,
    ) -> Result<Role> {
        if let Some(p) = by {
            if !p.can(perm::ROLES_MANAGE) {
                return Err(Error::forbidden("identity.forbidden", "you may not define roles"));
            }
        }
        domain::validate_username(name)
            .map_err(|_| Error::bad_request("identity.invalid_role_name", "role names use a-z, 0-9, '.', '_', '-'"))?;
        if let Some(bad) = permissions.iter().find(|p| !perm::ALL.contains(&p.as_str()) && !p.contains('.')) {
            return Err(Error::bad_request(
                "identity.invalid_permission",
                format!("{bad:?} is not a permission (module.object.action)"),
            ));
        }
        let role =
            Role { id: id::new_id(), name: name.to_owned(), description: description.trim().to_owned(), permissions };
        store::insert_role(&self.db, &role, self.clock.now_ms()).await.map_err(|e| {
            if e.code == "store.conflict" {
                Error::conflict("identity.role_exists", "a role with this name exists")
            } else {
                e
            }
        })?;
        Ok(role)
    }

    // ---- personal access tokens ----------------------------------------------------------

    /// Issues a token for the caller's own account. Returns the token text, shown only once.
    pub async fn create_token(
        &self,
        by: &Principal,
        name: &str,
        scopes: Vec<String>,
        expires_in_days: Option<u32>,
    ) -> Result<(String, AccessToken)> {
        if by.token_scopes.is_some() {
            return Err(Error::forbidden(
                "identity.token_cannot_mint",
                "a token cannot create tokens; log in with a password",
            ));
        }
        let name = name.trim();
        if !(1..=100).contains(&name.chars().count()) {
            return Err(Error::bad_request("identity.invalid_token_name", "token names need 1–100 characters"));
        }
        if scopes.is_empty() || scopes.iter().any(|s| s.is_empty() || s.len() > 100) {
            return Err(Error::bad_request(
                "identity.invalid_scopes",
                "give at least one scope, e.g. \"identity.staff.read\" or \"regions.*\"",
            ));
        }
        let now = self.clock.now_ms();
        let t = AccessToken {
            id: id::new_id(),
            name: name.to_owned(),
            scopes,
            created_at: now,
            expires_at: expires_in_days.map(|d| now + i64::from(d.clamp(1, 3650)) * 86_400_000),
            revoked_at: None,
            last_used_at: None,
        };
        let secret = crypto::new_token(TOKEN_PREFIX);
        store::insert_token(&self.db, &by.account_id, &t, &crypto::token_hash(&secret)).await?;
        Ok((secret, t))
    }

    pub async fn list_tokens(&self, by: &Principal) -> Result<Vec<AccessToken>> {
        store::tokens_of(&self.db, &by.account_id).await
    }

    pub async fn revoke_token(&self, by: &Principal, id: &str) -> Result<()> {
        if store::revoke_token(&self.db, &by.account_id, id, self.clock.now_ms()).await? {
            self.forget_bearers();
            Ok(())
        } else {
            Err(Error::not_found("identity.token_not_found", "no such live token of yours"))
        }
    }

    // ---- bootstrap -----------------------------------------------------------------------

    /// Creates the built-in roles and the first operator `admin` when missing. Returns the
    /// generated password when none was configured (to be printed once).
    pub async fn bootstrap(&self, regions: &dyn RegionDirectory, admin_password: Option<&str>) -> Result<Bootstrap> {
        let existing = store::list_roles(&self.db).await?;
        for (name, description, perms) in domain::BUILTIN_ROLES {
            if !existing.iter().any(|r| r.name == *name) {
                self.create_role(None, name, description, perms.iter().map(|p| (*p).to_owned()).collect()).await?;
            }
        }
        if store::account_by_username(&self.db, "admin").await?.is_some() {
            return Ok(Bootstrap::default());
        }
        let (password, generated) = match admin_password {
            Some(p) => (p.to_owned(), false),
            None => (crypto::new_token("").chars().take(20).collect::<String>(), true),
        };
        let new = NewAccount {
            username: "admin".into(),
            password: password.clone(),
            display_name: "平台运营管理员".into(),
            kind: "operator".into(),
            department_id: None,
            region_code: Some("630000".into()),
            resident_id: None,
            uscc: None,
            roles: Vec::new(),
        };
        let admin = self.create_account(None, regions, new).await?;
        Ok(Bootstrap { created_admin: Some(admin.id), generated_password: generated.then_some(password) })
    }
}

fn out_of_scope() -> Error {
    Error::forbidden("identity.out_of_scope", "this is outside your region or department")
}
