//! Sharing (国发〔2016〕51号): 无条件 resources are granted to any government system that asks
//! (still recorded: purpose limitation applies); 有条件 ones are decided by the provider within
//! a deadline in working days, refusals with reasons; 不予共享 never. Grants are per consumer
//! system, per column and per region of rows.

use qy_kernel::{id, Error, Principal, Result};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{non_empty, require, Catalog};
use crate::domain::{perm, Grant, ShareRequest, ShareType, System};
use crate::store::{orgs, sharing};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewSystem {
    /// The consumer's department (operators; staff register for their own).
    #[serde(default)]
    pub org_id: Option<String>,
    /// Short code, unique in the department, e.g. `zwfw-portal`.
    pub code: String,
    pub name: String,
    /// The identity account (a technical account of the department) whose access tokens the
    /// system calls with.
    pub account_id: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewShareRequest {
    /// Entry id or code.
    pub entry: String,
    pub system_id: String,
    /// 用途.
    pub purpose: String,
    /// 履职依据.
    pub basis: String,
    /// Columns wanted; all non-personal ones when empty.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Rows of this region subtree only.
    #[serde(default)]
    pub region_filter: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ShareDecision {
    pub approve: bool,
    /// Required when refusing.
    #[serde(default)]
    pub reason: String,
    /// The provider may grant fewer columns than asked.
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// …or narrow the rows to a region subtree.
    #[serde(default)]
    pub region_filter: Option<String>,
}

impl Catalog {
    pub async fn register_system(&self, by: &Principal, new: NewSystem) -> Result<System> {
        require(by, perm::SHARING_REQUEST)?;
        let org_id = match (&new.org_id, self.org_of(by).await?) {
            (Some(o), _) if by.is_operator() => {
                orgs::by_id(&self.db, o)
                    .await?
                    .ok_or_else(|| Error::bad_request("catalog.org_not_found", "no such department"))?
                    .id
            }
            (_, Some(own)) if new.org_id.as_deref().is_none_or(|o| o == own.id) => own.id,
            _ => return Err(Error::forbidden("catalog.other_department", "register systems of your own department")),
        };
        let code = non_empty("code", &new.code)?;
        if !crate::domain::valid_column_name(&code.replace('-', "_")) {
            return Err(Error::bad_request("catalog.invalid_code", "system codes use a-z, 0-9, - and _")
                .with_arg("field", "code"));
        }
        let s = System {
            id: id::new_id(),
            org_id,
            code,
            name: non_empty("name", &new.name)?,
            account_id: non_empty("account_id", &new.account_id)?,
            created_at: self.now_ms(),
        };
        sharing::insert_system(&self.db, &s).await.map_err(|e| {
            if e.code == "store.conflict" {
                Error::conflict("catalog.system_exists", "a system with this code or account exists")
            } else {
                e
            }
        })?;
        Ok(s)
    }

    /// Checks the columns asked for exist; empty means every non-personal column.
    fn columns_for(&self, e: &crate::domain::Entry, asked: &[String]) -> Result<Vec<String>> {
        if asked.is_empty() {
            return Ok(e.items.iter().filter(|i| !i.personal).map(|i| i.column_name.clone()).collect());
        }
        for c in asked {
            if !e.items.iter().any(|i| i.column_name == *c) {
                return Err(
                    Error::bad_request("catalog.unknown_field", format!("no column {c:?}")).with_arg("field", c)
                );
            }
        }
        Ok(asked.to_vec())
    }

    fn region_filter(&self, r: Option<&str>) -> Result<Option<String>> {
        match r.map(str::trim).filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(code) if qy_kernel::region::significant_prefix(code).is_some() => Ok(Some(code.to_owned())),
            Some(code) => Err(Error::bad_request("catalog.invalid_region", format!("{code:?} is not a region code"))),
        }
    }

    /// A consumer department asks for a resource for one of its systems.
    pub async fn request_share(&self, by: &Principal, new: NewShareRequest) -> Result<(ShareRequest, Option<Grant>)> {
        require(by, perm::SHARING_REQUEST)?;
        let system = sharing::system_by_id(&self.db, &new.system_id)
            .await?
            .ok_or_else(|| Error::bad_request("catalog.system_not_found", "no such consumer system"))?;
        if !by.is_operator() && self.org_of(by).await?.is_none_or(|o| o.id != system.org_id) {
            return Err(Error::forbidden("catalog.other_department", "request for your own department's systems"));
        }
        let entry = self.entry(&new.entry).await?;
        let entry = self
            .published_view(entry)
            .await?
            .ok_or_else(|| Error::conflict("catalog.not_published", "the resource is not published"))?;
        if entry.share_type == ShareType::None {
            return Err(Error::conflict("catalog.not_shareable", format!("不予共享: {}", entry.share_basis)));
        }
        let purpose = non_empty("purpose", &new.purpose)?;
        let basis = non_empty("basis", &new.basis)?;
        let columns = self.columns_for(&entry, &new.columns)?;
        let region_filter = self.region_filter(new.region_filter.as_deref())?;
        let now = self.now_ms();
        let today = self.today();
        let due = self.policy.calendar.deadline(today, self.policy.share_answer_days);
        let mut request = ShareRequest {
            id: id::new_id(),
            entry_id: entry.id.clone(),
            system_id: system.id.clone(),
            purpose,
            basis,
            columns: columns.clone(),
            region_filter: region_filter.clone(),
            status: "submitted".into(),
            due_on: due.date.to_string(),
            due_provisional: due.provisional,
            requested_by: by.account_id.clone(),
            requested_at: now,
            decided_at: None,
            decision_reason: None,
        };
        match entry.share_type {
            ShareType::Unconditional => {
                // Personal items are conditional by nature: asking for one needs a decision.
                let personal = entry.items.iter().any(|i| i.personal && columns.contains(&i.column_name));
                if !personal {
                    request.status = "approved".into();
                    request.decided_at = Some(now);
                    request.decision_reason = Some("无条件共享".into());
                    sharing::insert_request(&self.db, &request).await?;
                    let grant = self.grant(&request, columns, region_filter).await?;
                    return Ok((request, Some(grant)));
                }
            }
            ShareType::Conditional | ShareType::None => {}
        }
        sharing::insert_request(&self.db, &request).await?;
        Ok((request, None))
    }

    async fn grant(&self, r: &ShareRequest, columns: Vec<String>, region_filter: Option<String>) -> Result<Grant> {
        let g = Grant {
            id: id::new_id(),
            request_id: r.id.clone(),
            entry_id: r.entry_id.clone(),
            system_id: r.system_id.clone(),
            columns,
            region_filter,
            created_at: self.now_ms(),
            revoked_at: None,
        };
        sharing::insert_grant(&self.db, &g).await?;
        Ok(g)
    }

    /// The provider decides a conditional request.
    pub async fn decide_share(
        &self,
        by: &Principal,
        request_id: &str,
        d: ShareDecision,
    ) -> Result<(ShareRequest, Option<Grant>)> {
        require(by, perm::SHARING_DECIDE)?;
        let r = sharing::request_by_id(&self.db, request_id)
            .await?
            .ok_or_else(|| Error::not_found("catalog.request_not_found", "no such share request"))?;
        let entry = self.entry(&r.entry_id).await?;
        self.ensure_own(by, &entry).await?;
        if r.status != "submitted" {
            return Err(Error::conflict("catalog.invalid_transition", format!("the request is {}", r.status)));
        }
        let now = self.now_ms();
        if !d.approve {
            let reason = non_empty("reason", &d.reason)?;
            if !sharing::decide_request(&self.db, &r.id, "refused", &by.account_id, Some(&reason), now).await? {
                return Err(Error::conflict("catalog.invalid_transition", "someone else decided first"));
            }
        } else {
            let columns = match &d.columns {
                Some(c) => {
                    let c = self.columns_for(&entry, c)?;
                    if c.iter().any(|x| !r.columns.contains(x)) {
                        return Err(Error::bad_request(
                            "catalog.more_than_asked",
                            "grant at most the columns asked for",
                        ));
                    }
                    c
                }
                None => r.columns.clone(),
            };
            let region = match &d.region_filter {
                Some(f) => self.region_filter(Some(f))?,
                None => r.region_filter.clone(),
            };
            let reason = (!d.reason.trim().is_empty()).then(|| d.reason.trim().to_owned());
            if !sharing::decide_request(&self.db, &r.id, "approved", &by.account_id, reason.as_deref(), now).await? {
                return Err(Error::conflict("catalog.invalid_transition", "someone else decided first"));
            }
            let grant = self.grant(&r, columns, region).await?;
            let r =
                sharing::request_by_id(&self.db, &r.id).await?.ok_or_else(|| Error::internal("request vanished"))?;
            return Ok((r, Some(grant)));
        }
        let r = sharing::request_by_id(&self.db, &r.id).await?.ok_or_else(|| Error::internal("request vanished"))?;
        Ok((r, None))
    }

    /// The provider withdraws a grant (the purpose ended, misuse, the data changed class).
    pub async fn revoke_grant(&self, by: &Principal, grant_id: &str, reason: &str) -> Result<Grant> {
        require(by, perm::SHARING_DECIDE)?;
        let reason = non_empty("reason", reason)?;
        let g = sharing::grant_by_id(&self.db, grant_id)
            .await?
            .ok_or_else(|| Error::not_found("catalog.grant_not_found", "no such grant"))?;
        let entry = self.entry(&g.entry_id).await?;
        self.ensure_own(by, &entry).await?;
        if !sharing::revoke_grant(&self.db, &g.id, &reason, self.now_ms()).await? {
            return Err(Error::conflict("catalog.invalid_transition", "the grant is already revoked"));
        }
        sharing::grant_by_id(&self.db, &g.id).await?.ok_or_else(|| Error::internal("grant vanished"))
    }

    /// The consumer system a principal calls as: the identity account registered for the
    /// system (a technical account of the consumer department, calling with its personal
    /// access token).
    pub async fn system_of(&self, p: &Principal) -> Result<Option<System>> {
        sharing::system_by_account(&self.db, &p.account_id).await
    }
}
