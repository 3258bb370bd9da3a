//! Catalog entries: metadata rules of the compilation guide, and the lifecycle
//! draft → review → published → withdrawn. A revision of a published entry is a draft of
//! its next version; the last published version stays public until the new one is.

use qy_kernel::{id, Error, Principal, Result};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{non_empty, require, Catalog};
use crate::domain::{
    perm, valid_column_name, Entry, FormatKind, Item, OpenType, ShareMode, ShareType, SourceKind, Status, UpdateCycle,
};
use crate::store::{entries, orgs};

/// An entry as a department writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EntryInput {
    /// The providing department; staff may leave it out (their own department).
    #[serde(default)]
    pub org_id: Option<String>,
    /// A 目 code (6 digits) of the classification, e.g. `201001`.
    pub category_code: String,
    pub name: String,
    #[serde(rename = "abstract")]
    pub summary: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub format_kind: FormatKind,
    pub format_detail: String,
    pub share_type: ShareType,
    #[serde(default)]
    pub share_condition: String,
    #[serde(default)]
    pub share_basis: String,
    #[serde(default)]
    pub share_modes: Vec<ShareMode>,
    pub open_type: OpenType,
    #[serde(default)]
    pub open_condition: String,
    pub update_cycle: UpdateCycle,
    pub region_code: String,
    #[serde(default)]
    pub related_codes: Vec<String>,
    pub items: Vec<Item>,
}

/// `201001/000012` and its CKAN-safe name `qh-201001-000012`.
pub fn render_code(category: &str, seq: i64) -> (String, String) {
    (format!("{category}/{seq:06}"), format!("qh-{category}-{seq:06}"))
}

fn bad(code: &'static str, field: &str, detail: impl Into<String>) -> Error {
    Error::bad_request(code, detail).with_arg("field", field)
}

/// The guide's rules on one entry's metadata.
fn check(input: &EntryInput) -> Result<()> {
    non_empty("name", &input.name)?;
    non_empty("abstract", &input.summary)?;
    non_empty("format_detail", &input.format_detail)?;
    if input.name.chars().count() > 100 {
        return Err(bad("catalog.too_long", "name", "the name has more than 100 characters"));
    }
    match input.share_type {
        ShareType::Conditional => {
            non_empty("share_condition", &input.share_condition)?;
            non_empty("share_basis", &input.share_basis)?;
        }
        ShareType::None => {
            non_empty("share_basis", &input.share_basis)?;
        }
        ShareType::Unconditional => {}
    }
    if input.share_type != ShareType::None && input.share_modes.is_empty() {
        return Err(bad("catalog.field_required", "share_modes", "a shared entry needs at least one 共享方式"));
    }
    if input.open_type == OpenType::Conditional {
        non_empty("open_condition", &input.open_condition)?;
    }
    if qy_kernel::region::significant_prefix(&input.region_code).is_none() || !input.region_code.starts_with("63") {
        return Err(bad("catalog.invalid_region", "region_code", "a Qinghai region code (63…) is required"));
    }
    if input.items.is_empty() {
        return Err(bad("catalog.field_required", "items", "an entry needs at least one 信息项"));
    }
    let mut seqs = std::collections::HashSet::new();
    let mut columns = std::collections::HashSet::new();
    for i in &input.items {
        if !(1..=999).contains(&i.seq) || !seqs.insert(i.seq) {
            return Err(bad("catalog.invalid_item", "items", format!("item seq {} must be unique, 1–999", i.seq)));
        }
        if !valid_column_name(&i.column_name) || !columns.insert(i.column_name.clone()) {
            return Err(bad(
                "catalog.invalid_item",
                "items",
                format!("column {:?} must be unique: lower-case letters, digits and _", i.column_name),
            ));
        }
        non_empty("items.name", &i.name)?;
    }
    Ok(())
}

impl Catalog {
    async fn resolve_org(&self, by: &Principal, requested: Option<&str>) -> Result<String> {
        let own = self.org_of(by).await?;
        match (requested, own) {
            (Some(r), _) if by.is_operator() => orgs::by_id(&self.db, r)
                .await?
                .map(|o| o.id)
                .ok_or_else(|| bad("catalog.org_not_found", "org_id", "no such department")),
            (_, Some(o)) if requested.is_none_or(|r| r == o.id) => Ok(o.id),
            (_, Some(_)) => {
                Err(Error::forbidden("catalog.other_department", "staff catalogue their own department only"))
            }
            (None, None) => {
                Err(bad("catalog.no_department", "org_id", "you are not registered as a providing department"))
            }
            (Some(_), None) => {
                Err(Error::forbidden("catalog.other_department", "staff catalogue their own department only"))
            }
        }
    }

    async fn check_refs(&self, input: &EntryInput, own_code: Option<&str>) -> Result<()> {
        let categories = orgs::categories(&self.db).await?;
        if !categories.iter().any(|c| c.code == input.category_code && c.code.len() == 6) {
            return Err(bad("catalog.invalid_category", "category_code", "a 目 (6-digit) category code is required"));
        }
        for code in &input.related_codes {
            if Some(code.as_str()) == own_code || entries::by_code(&self.db, code).await?.is_none() {
                return Err(bad("catalog.invalid_related", "related_codes", format!("no other entry {code}")));
            }
        }
        Ok(())
    }

    /// Every rule `create_entry` applies, without creating anything (imports check all rows
    /// first).
    pub async fn check_entry(&self, by: &Principal, input: &EntryInput) -> Result<String> {
        require(by, perm::ENTRIES_WRITE)?;
        check(input)?;
        self.check_refs(input, None).await?;
        self.resolve_org(by, input.org_id.as_deref()).await
    }

    pub async fn create_entry(&self, by: &Principal, input: EntryInput) -> Result<Entry> {
        let org_id = self.check_entry(by, &input).await?;
        let now = self.now_ms();
        let mut e = Entry {
            id: id::new_id(),
            code: String::new(),
            slug: String::new(),
            category_code: input.category_code,
            org_id,
            name: input.name.trim().to_owned(),
            summary: input.summary.trim().to_owned(),
            keywords: input.keywords.iter().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect(),
            format_kind: input.format_kind,
            format_detail: input.format_detail.trim().to_owned(),
            share_type: input.share_type,
            share_condition: input.share_condition.trim().to_owned(),
            share_basis: input.share_basis.trim().to_owned(),
            share_modes: input.share_modes,
            open_type: input.open_type,
            open_condition: input.open_condition.trim().to_owned(),
            update_cycle: input.update_cycle,
            region_code: input.region_code,
            related_codes: input.related_codes,
            source_kind: SourceKind::None,
            feed_code: None,
            endpoint_url: None,
            data_table: None,
            row_count: 0,
            status: Status::Draft,
            version: 0,
            published_on: None,
            review_note: None,
            items: input.items,
            created_by: by.account_id.clone(),
            created_at: now,
            updated_at: now,
        };
        entries::insert(&self.db, &mut e, render_code).await?;
        Ok(e)
    }

    pub async fn entry(&self, id_or_code: &str) -> Result<Entry> {
        let found = match entries::by_id(&self.db, id_or_code).await? {
            Some(e) => Some(e),
            None => match entries::by_code(&self.db, id_or_code).await? {
                Some(e) => Some(e),
                None => entries::by_slug(&self.db, id_or_code).await?,
            },
        };
        found.ok_or_else(|| Error::not_found("catalog.entry_not_found", format!("no catalog entry {id_or_code:?}")))
    }

    /// Edits an entry. A published entry becomes the draft of its next version. The
    /// category (and so the code) never changes once assigned.
    pub async fn update_entry(&self, by: &Principal, id: &str, input: EntryInput) -> Result<Entry> {
        require(by, perm::ENTRIES_WRITE)?;
        let mut e = self.entry(id).await?;
        self.ensure_own(by, &e).await?;
        if e.status == Status::Review {
            return Err(Error::conflict("catalog.invalid_transition", "the entry is being reviewed"));
        }
        if input.category_code != e.category_code {
            return Err(bad("catalog.code_fixed", "category_code", "the category and code of an entry do not change"));
        }
        check(&input)?;
        self.check_refs(&input, Some(&e.code)).await?;
        if e.status == Status::Published || e.status == Status::Withdrawn {
            entries::transition(&self.db, &e.id, e.status, Status::Draft, None, self.now_ms()).await?;
            e.status = Status::Draft;
        }
        e.name = input.name.trim().to_owned();
        e.summary = input.summary.trim().to_owned();
        e.keywords = input.keywords.iter().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect();
        e.format_kind = input.format_kind;
        e.format_detail = input.format_detail.trim().to_owned();
        e.share_type = input.share_type;
        e.share_condition = input.share_condition.trim().to_owned();
        e.share_basis = input.share_basis.trim().to_owned();
        e.share_modes = input.share_modes;
        e.open_type = input.open_type;
        e.open_condition = input.open_condition.trim().to_owned();
        e.update_cycle = input.update_cycle;
        e.region_code = input.region_code;
        e.related_codes = input.related_codes;
        if e.source_kind == SourceKind::Table && e.items != input.items {
            return Err(bad(
                "catalog.items_fixed",
                "items",
                "upload the data again to change the 信息项 of a loaded table",
            ));
        }
        e.items = input.items;
        e.updated_at = self.now_ms();
        entries::update(&self.db, &e).await?;
        self.entry(&e.id).await
    }

    pub async fn submit_entry(&self, by: &Principal, id: &str) -> Result<Entry> {
        require(by, perm::ENTRIES_WRITE)?;
        let e = self.entry(id).await?;
        self.ensure_own(by, &e).await?;
        if !entries::transition(&self.db, &e.id, Status::Draft, Status::Review, None, self.now_ms()).await? {
            return Err(Error::conflict("catalog.invalid_transition", format!("the entry is {}", e.status.as_str()))
                .with_arg("status", e.status.as_str()));
        }
        self.entry(&e.id).await
    }

    /// The reviewer (data authority) publishes a new version or sends it back with a note.
    pub async fn review_entry(&self, by: &Principal, id: &str, publish: bool, note: &str) -> Result<Entry> {
        require(by, perm::ENTRIES_REVIEW)?;
        let e = self.entry(id).await?;
        if e.status != Status::Review {
            return Err(Error::conflict("catalog.invalid_transition", format!("the entry is {}", e.status.as_str()))
                .with_arg("status", e.status.as_str()));
        }
        if publish {
            let today = self.today().to_string();
            let version = entries::publish(&self.db, &e, &by.account_id, &today, self.now_ms()).await?;
            self.announce(&e, version).await?;
        } else {
            let note = non_empty("note", note)?;
            entries::transition(&self.db, &e.id, Status::Review, Status::Draft, Some(&note), self.now_ms()).await?;
        }
        self.entry(&e.id).await
    }

    pub async fn withdraw_entry(&self, by: &Principal, id: &str, reason: &str) -> Result<Entry> {
        require(by, perm::ENTRIES_REVIEW)?;
        let reason = non_empty("reason", reason)?;
        let e = self.entry(id).await?;
        if !entries::transition(&self.db, &e.id, Status::Published, Status::Withdrawn, Some(&reason), self.now_ms())
            .await?
        {
            return Err(Error::conflict("catalog.invalid_transition", format!("the entry is {}", e.status.as_str()))
                .with_arg("status", e.status.as_str()));
        }
        self.entry(&e.id).await
    }

    /// What the public and consumers see of an entry: the current row when published, the
    /// last published version while a revision is being prepared, nothing otherwise.
    pub async fn published_view(&self, e: Entry) -> Result<Option<Entry>> {
        match e.status {
            Status::Published => Ok(Some(e)),
            Status::Draft | Status::Review if e.version > 0 => {
                let versions = entries::versions(&self.db, &e.id).await?;
                let last = versions.first().and_then(|(_, _, _, snap)| serde_json::from_str::<Entry>(snap).ok());
                Ok(last.map(|mut s| {
                    // The data behind the entry is the live one.
                    s.data_table = e.data_table;
                    s.row_count = e.row_count;
                    s.source_kind = e.source_kind;
                    s.feed_code = e.feed_code;
                    s.id = e.id;
                    s
                }))
            }
            _ => Ok(None),
        }
    }
}
