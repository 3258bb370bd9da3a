//! List workflows: an officer proposes, a second person approves; exits likewise. Entering
//! the serious-dishonesty list suspends the subject's red-list entries (守信激励 presupposes
//! no serious dishonesty) until it is left.

use qy_kernel::{id, Error, Principal, Result};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{non_empty, parse_date, require, same_department, Credit};
use crate::domain::{perm, ListEntry, ListKind, SubjectKind};
use crate::store::{lists, subjects};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewListEntry {
    /// The subject's USCC.
    pub uscc: String,
    /// red, serious_dishonest or key_attention
    pub list: ListKind,
    pub legal_basis: String,
    pub reason: String,
    pub authority: String,
    pub authority_uscc: String,
    /// YYYY-MM-DD
    pub decided_on: String,
    /// YYYY-MM-DD
    pub valid_from: String,
    /// YYYY-MM-DD; none for an entry that lasts until an exit.
    #[serde(default)]
    pub valid_to: Option<String>,
}

impl Credit {
    pub async fn propose_list_entry(&self, by: &Principal, new: NewListEntry) -> Result<ListEntry> {
        require(by, perm::LISTS_PROPOSE)?;
        let legal_basis = non_empty("legal_basis", &new.legal_basis)?;
        let reason = non_empty("reason", &new.reason)?;
        let authority = non_empty("authority", &new.authority)?;
        let authority_uscc = qy_cnid::Uscc::parse(&new.authority_uscc).map_err(|e| {
            Error::bad_request("credit.uscc_invalid", format!("authority_uscc: {e}"))
                .with_arg("field", "authority_uscc")
        })?;
        let decided_on = parse_date("decided_on", &new.decided_on)?;
        let valid_from = parse_date("valid_from", &new.valid_from)?;
        let valid_to =
            new.valid_to.as_deref().filter(|s| !s.trim().is_empty()).map(|s| parse_date("valid_to", s)).transpose()?;
        if valid_to.is_some_and(|to| to <= valid_from) {
            return Err(Error::bad_request("credit.invalid_period", "valid_to must be after valid_from"));
        }
        if decided_on > self.today() {
            return Err(Error::bad_request("credit.date_in_future", "decided_on is in the future")
                .with_arg("field", "decided_on"));
        }
        let uscc = qy_cnid::Uscc::parse(&new.uscc)
            .map_err(|e| Error::bad_request("credit.uscc_invalid", format!("uscc: {e}")).with_arg("field", "uscc"))?;
        let subject = subjects::by_uscc(&self.db, uscc.as_str())
            .await?
            .filter(|s| s.kind != SubjectKind::NaturalPerson)
            .ok_or_else(|| {
                Error::not_found("credit.subject_not_found", format!("no credit subject {}", uscc.as_str()))
            })?;
        let entry = ListEntry {
            id: id::new_id(),
            subject_id: subject.id.clone(),
            list: new.list,
            status: "proposed".into(),
            legal_basis,
            reason,
            authority,
            authority_uscc: authority_uscc.as_str().to_owned(),
            decided_on: decided_on.to_string(),
            valid_from: valid_from.to_string(),
            valid_to: valid_to.map(|d| d.to_string()),
            exit_reason: None,
            removed_on: None,
            department_id: by.department_id.clone(),
            proposed_by: by.account_id.clone(),
        };
        lists::insert(&self.db, &entry, self.now_ms()).await?;
        self.event(
            &subject.id,
            &by.account_id,
            &format!("list.{}.proposed", entry.list.as_str()),
            &entry.id,
            &entry.reason,
        )
        .await?;
        Ok(entry)
    }

    async fn entry_for_decision(&self, by: &Principal, id: &str, expected: &str) -> Result<ListEntry> {
        require(by, perm::LISTS_APPROVE)?;
        let entry = lists::by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("credit.list_entry_not_found", "no such list entry"))?;
        if entry.status != expected {
            return Err(Error::conflict(
                "credit.invalid_transition",
                format!("the entry is {}, not {expected}", entry.status),
            )
            .with_arg("status", entry.status.clone()));
        }
        if entry.proposed_by == by.account_id {
            return Err(Error::forbidden("credit.four_eyes", "a second person must approve what you proposed"));
        }
        Ok(entry)
    }

    /// A second person approves a proposed entry: it is in force from its `valid_from`.
    pub async fn approve_list_entry(&self, by: &Principal, id: &str) -> Result<ListEntry> {
        let entry = self.entry_for_decision(by, id, "proposed").await?;
        lists::approve(&self.db, id, &by.account_id, self.now_ms()).await?;
        let action = format!("list.{}.approved", entry.list.as_str());
        self.event(&entry.subject_id, &by.account_id, &action, id, "").await?;
        if entry.list == ListKind::SeriousDishonest {
            let n = lists::suspend_red(&self.db, &entry.subject_id, id).await?;
            if n > 0 {
                self.event(&entry.subject_id, &by.account_id, "list.red.suspended", id, &n.to_string()).await?;
            }
        }
        self.list_entry(id).await
    }

    pub async fn reject_list_entry(&self, by: &Principal, id: &str, reason: &str) -> Result<ListEntry> {
        let reason = non_empty("reason", reason)?;
        let entry = self.entry_for_decision(by, id, "proposed").await?;
        lists::set_status(&self.db, id, "rejected").await?;
        self.event(&entry.subject_id, &by.account_id, &format!("list.{}.rejected", entry.list.as_str()), id, &reason)
            .await?;
        self.list_entry(id).await
    }

    /// The issuing department asks for an active entry to end (obligations met, decision
    /// revoked, …). The reason is required and kept.
    pub async fn request_list_exit(&self, by: &Principal, id: &str, reason: &str) -> Result<ListEntry> {
        require(by, perm::LISTS_PROPOSE)?;
        let reason = non_empty("reason", reason)?;
        let entry = self.list_entry(id).await?;
        same_department(by, entry.department_id.as_deref())?;
        if entry.status != "active" && entry.status != "suspended" {
            return Err(Error::conflict("credit.invalid_transition", format!("the entry is {}", entry.status))
                .with_arg("status", entry.status.clone()));
        }
        lists::request_exit(&self.db, id, &by.account_id, &reason).await?;
        self.event(
            &entry.subject_id,
            &by.account_id,
            &format!("list.{}.exit_requested", entry.list.as_str()),
            id,
            &reason,
        )
        .await?;
        self.list_entry(id).await
    }

    /// A second person approves the exit: the entry is removed today, and red-list entries
    /// it suspended resume.
    pub async fn approve_list_exit(&self, by: &Principal, id: &str) -> Result<ListEntry> {
        require(by, perm::LISTS_APPROVE)?;
        let entry = self.list_entry(id).await?;
        if entry.status != "exit_requested" {
            return Err(Error::conflict("credit.invalid_transition", format!("the entry is {}", entry.status))
                .with_arg("status", entry.status.clone()));
        }
        let requested_by = crate::store::lists::exit_requested_by(&self.db, id).await?;
        if requested_by.as_deref() == Some(by.account_id.as_str()) {
            return Err(Error::forbidden("credit.four_eyes", "a second person must approve what you requested"));
        }
        lists::remove(&self.db, id, &by.account_id, &self.today().to_string(), self.now_ms()).await?;
        self.event(&entry.subject_id, &by.account_id, &format!("list.{}.removed", entry.list.as_str()), id, "").await?;
        if entry.list == ListKind::SeriousDishonest {
            let n = lists::resume_red(&self.db, id).await?;
            if n > 0 {
                self.event(&entry.subject_id, &by.account_id, "list.red.resumed", id, &n.to_string()).await?;
            }
        }
        self.list_entry(id).await
    }

    pub async fn list_entry(&self, id: &str) -> Result<ListEntry> {
        lists::by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("credit.list_entry_not_found", "no such list entry"))
    }
}
