//! Exchange: consumer systems pull rows through their grants. Every call, allowed or denied,
//! is appended to the hash-chained call record before the answer leaves; usage statistics
//! are computed from that record. Consumers report wrong data (数据异议) and the provider
//! answers and corrects within a deadline.

use qy_kernel::{id, Error, Principal, Result};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::read::{RowQuery, Rows};
use super::{non_empty, require, Catalog};
use crate::domain::{perm, Objection};
use crate::store::calls::{self, Call, GENESIS};
use crate::store::{cases, sharing};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pulled {
    /// The call's id in the call record (also the `X-Request-Id` of the answer).
    pub request_id: String,
    pub seq: i64,
    #[serde(flatten)]
    pub rows: Rows,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChainVerdict {
    pub intact: bool,
    pub rows_checked: i64,
    /// The first row that does not verify, with why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

fn digest(entry: &str, q: &RowQuery) -> String {
    let text = serde_json::json!({
        "entry": entry, "columns": q.columns, "region": q.region, "equals": q.equals, "cursor": q.cursor, "limit": q.limit
    });
    hex::encode(Sha256::digest(text.to_string().as_bytes()))
}

impl Catalog {
    async fn record(
        &self,
        by: &Principal,
        entry_code: &str,
        q: &RowQuery,
        outcome: (&str, &str),
        detail: CallDetail,
    ) -> Result<Call> {
        calls::append(
            &self.db,
            Call {
                seq: 0,
                at: self.now_ms(),
                request_id: id::new_id(),
                system_id: detail.system_id,
                account_id: by.account_id.clone(),
                entry_code: entry_code.to_owned(),
                grant_id: detail.grant_id,
                outcome: outcome.0.to_owned(),
                reason: outcome.1.to_owned(),
                columns: detail.columns,
                row_count: detail.rows,
                query_digest: digest(entry_code, q),
                prev_hash: String::new(),
                hash: String::new(),
            },
        )
        .await
    }

    /// A consumer system pulls rows of `entry_code` through its grant.
    pub async fn pull(&self, by: &Principal, entry_code: &str, q: RowQuery) -> Result<Pulled> {
        let system = self.system_of(by).await?;
        let Some(system) = system else {
            self.record(by, entry_code, &q, ("denied", "not_a_system"), CallDetail::default()).await?;
            return Err(Error::forbidden("catalog.not_a_system", "only registered consumer systems pull data"));
        };
        let sys = || CallDetail { system_id: Some(system.id.clone()), ..Default::default() };
        let entry = match self.entry(entry_code).await {
            Ok(e) => self.published_view(e).await?,
            Err(_) => None,
        };
        let Some(entry) = entry else {
            self.record(by, entry_code, &q, ("denied", "not_published"), sys()).await?;
            return Err(Error::not_found("catalog.entry_not_found", format!("no published resource {entry_code:?}")));
        };
        let grant = sharing::active_grant(&self.db, &system.id, &entry.id).await?;
        let Some(grant) = grant else {
            self.record(by, &entry.code, &q, ("denied", "no_grant"), sys()).await?;
            return Err(Error::forbidden(
                "catalog.no_grant",
                "this system has no grant for the resource; request it first",
            ));
        };
        let with_grant = || CallDetail {
            system_id: Some(system.id.clone()),
            grant_id: Some(grant.id.clone()),
            ..Default::default()
        };
        if let Some(cols) = &q.columns {
            if let Some(c) = cols.iter().find(|c| !grant.columns.contains(c)) {
                self.record(by, &entry.code, &q, ("denied", "column_not_granted"), with_grant()).await?;
                return Err(Error::forbidden("catalog.column_not_granted", format!("column {c:?} is not granted"))
                    .with_arg("field", c.as_str()));
            }
        }
        // The grant's region limits the rows; a narrower region asked for is honoured.
        let mut q = q;
        if let Some(granted) = &grant.region_filter {
            let scope = qy_kernel::RegionScope::new(granted).unwrap_or_else(qy_kernel::RegionScope::province);
            match &q.region {
                Some(asked) if scope.contains(asked) => {}
                Some(_) => {
                    self.record(by, &entry.code, &q, ("denied", "region_not_granted"), with_grant()).await?;
                    return Err(Error::forbidden("catalog.region_not_granted", "rows outside the granted region"));
                }
                None => q.region = Some(granted.clone()),
            }
        }
        match self.read_rows(&entry, &q, Some(&grant.columns)).await {
            Ok(rows) => {
                let detail = CallDetail {
                    columns: rows.columns.iter().map(|c| c.column.clone()).collect(),
                    rows: rows.rows.len() as i64,
                    ..with_grant()
                };
                let call = self.record(by, &entry.code, &q, ("ok", ""), detail).await?;
                Ok(Pulled { request_id: call.request_id, seq: call.seq, rows })
            }
            Err(e) => {
                self.record(by, &entry.code, &q, ("error", &e.code), with_grant()).await?;
                Err(e)
            }
        }
    }

    /// Recomputes the call record's chain and its head anchor.
    pub async fn verify_calls(&self) -> Result<ChainVerdict> {
        let mut prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut checked = 0;
        let bad = |seq: i64, checked: i64, why: String| ChainVerdict {
            intact: false,
            rows_checked: checked,
            first_bad: Some(seq),
            problem: Some(why),
        };
        loop {
            let page = calls::page(&self.db, expected_seq - 1, 1000).await?;
            if page.is_empty() {
                break;
            }
            for c in page {
                if c.seq != expected_seq {
                    return Ok(bad(expected_seq, checked, format!("seq jumps from {} to {}", expected_seq - 1, c.seq)));
                }
                if c.prev_hash != prev || calls::hash_of(&c) != c.hash {
                    return Ok(bad(c.seq, checked, "the row's hash does not match its content".into()));
                }
                prev = c.hash.clone();
                expected_seq += 1;
                checked += 1;
            }
        }
        match calls::head(&self.db).await? {
            Some((seq, hash)) if seq != checked || hash != prev => {
                Ok(bad(checked + 1, checked, format!("the head anchors row {seq}, the chain ends at {checked}")))
            }
            None if checked > 0 => Ok(bad(1, checked, "the head anchor is missing".into())),
            _ => Ok(ChainVerdict { intact: true, rows_checked: checked, first_bad: None, problem: None }),
        }
    }

    /// A consumer (system or staff) reports wrong data.
    pub async fn raise_objection(&self, by: &Principal, entry: &str, description: &str) -> Result<Objection> {
        let e = self.entry(entry).await?;
        let org = match self.system_of(by).await? {
            Some(s) => Some(s.org_id),
            None => {
                require(by, perm::SHARING_REQUEST)?;
                self.org_of(by).await?.map(|o| o.id)
            }
        };
        let due = self.policy.calendar.deadline(self.today(), self.policy.objection_days);
        let o = Objection {
            id: id::new_id(),
            entry_id: e.id,
            raised_by: by.account_id.clone(),
            description: non_empty("description", description)?,
            status: "open".into(),
            due_on: due.date.to_string(),
            due_provisional: due.provisional,
            raised_at: self.now_ms(),
            answered_at: None,
            answer: None,
        };
        cases::insert_objection(&self.db, &o, org.as_deref()).await?;
        Ok(o)
    }

    /// The provider answers: `corrected` (with what was done) or `rejected` (with why).
    pub async fn answer_objection(&self, by: &Principal, id: &str, corrected: bool, answer: &str) -> Result<Objection> {
        require(by, perm::SHARING_DECIDE)?;
        let answer = non_empty("answer", answer)?;
        let o = cases::objection_by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("catalog.objection_not_found", "no such objection"))?;
        let e = self.entry(&o.entry_id).await?;
        self.ensure_own(by, &e).await?;
        let status = if corrected { "corrected" } else { "rejected" };
        if !cases::answer_objection(&self.db, &o.id, status, &by.account_id, &answer, self.now_ms()).await? {
            return Err(Error::conflict("catalog.invalid_transition", "the objection is already answered"));
        }
        cases::objection_by_id(&self.db, id).await?.ok_or_else(|| Error::internal("objection vanished"))
    }
}

/// What a call record row says besides its outcome.
#[derive(Debug, Clone, Default)]
struct CallDetail {
    system_id: Option<String>,
    grant_id: Option<String>,
    columns: Vec<String>,
    rows: i64,
}
