//! The catalog service: every rule that needs the store. Handlers, the CLI and the demo
//! call this.

pub mod data;
pub mod entries;
pub mod exchange;
pub mod open;
pub mod read;
pub mod sharing;
pub mod sheet;
pub mod subscriptions;

use std::sync::Arc;

use qy_kernel::feed::DataFeeds;
use qy_kernel::{Clock, Error, Principal, Result};
use qy_storage::Db;
use qy_workcal::Date;

use crate::domain::{Entry, Org};
use crate::policy::{beijing_date, Policy};
use crate::store::orgs;

#[derive(Clone)]
pub struct Catalog {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub feeds: Arc<dyn DataFeeds>,
    pub policy: Arc<Policy>,
    pub(crate) open_cache: Arc<open::OpenCache>,
}

impl Catalog {
    pub fn new(db: Db, clock: Arc<dyn Clock>, feeds: Arc<dyn DataFeeds>, policy: Arc<Policy>) -> Self {
        Self { db, clock, feeds, policy, open_cache: Default::default() }
    }

    /// Shares a server-wide cache of the open catalog (a new `Catalog` is made per request).
    pub(crate) fn with_open_cache(mut self, cache: Arc<open::OpenCache>) -> Self {
        self.open_cache = cache;
        self
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn today(&self) -> Date {
        beijing_date(self.now_ms())
    }

    /// The department (provider) a staff member acts for. Operators act for any.
    pub async fn org_of(&self, p: &Principal) -> Result<Option<Org>> {
        match &p.department_id {
            Some(d) => orgs::by_department(&self.db, d).await,
            None => Ok(None),
        }
    }

    /// Staff may change only their own department's entries; operators any.
    pub async fn ensure_own(&self, p: &Principal, e: &Entry) -> Result<()> {
        if p.is_operator() {
            return Ok(());
        }
        match self.org_of(p).await? {
            Some(o) if o.id == e.org_id => Ok(()),
            _ => Err(Error::forbidden("catalog.other_department", "this entry belongs to another department")),
        }
    }
}

pub fn require(p: &Principal, permission: &str) -> Result<()> {
    if p.can(permission) {
        Ok(())
    } else {
        Err(Error::forbidden("catalog.forbidden", format!("needs {permission}")).with_arg("permission", permission))
    }
}

pub(crate) fn non_empty(field: &str, s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        Err(Error::bad_request("catalog.field_required", format!("{field} is required")).with_arg("field", field))
    } else {
        Ok(t.to_owned())
    }
}
