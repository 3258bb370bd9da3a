//! `catalog_entry`, its 信息项, published versions and the bigram index.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::{query, Any, Transaction};
use qy_storage::{Db, GramIndex, Params, Row, StoreResultExt};
use qy_textsearch as search;

use super::{from_json_list, json_list};
use crate::domain::{DataType, Entry, FormatKind, Item, OpenType, ShareType, SourceKind, Status, UpdateCycle};

/// The full-text index of entry names, abstracts and keywords.
pub const INDEX: GramIndex = GramIndex { table: "catalog_gram", key: "entry_id", counts_table: None };

const COLUMNS: &str = "id, code, slug, category_code, seq, org_id, name, abstract, keywords, format_kind, \
    format_detail, share_type, share_condition, share_basis, share_modes, open_type, open_condition, update_cycle, \
    region_code, related_codes, source_kind, feed_code, endpoint_url, data_table, row_count, status, version, \
    published_on, review_note, created_by, created_at, updated_at";

fn entry_of(r: &AnyRow) -> Result<Entry> {
    let text = |c: &str| -> Result<String> { r.try_get(c).store() };
    Ok(Entry {
        id: text("id")?,
        code: text("code")?,
        slug: text("slug")?,
        category_code: text("category_code")?,
        org_id: text("org_id")?,
        name: text("name")?,
        summary: text("abstract")?,
        keywords: from_json_list(&text("keywords")?),
        format_kind: FormatKind::parse(&text("format_kind")?).unwrap_or(FormatKind::Other),
        format_detail: text("format_detail")?,
        share_type: ShareType::parse(&text("share_type")?).unwrap_or(ShareType::None),
        share_condition: text("share_condition")?,
        share_basis: text("share_basis")?,
        share_modes: from_json_list(&text("share_modes")?),
        open_type: OpenType::parse(&text("open_type")?).unwrap_or(OpenType::None),
        open_condition: text("open_condition")?,
        update_cycle: UpdateCycle::parse(&text("update_cycle")?).unwrap_or(UpdateCycle::Irregular),
        region_code: text("region_code")?,
        related_codes: from_json_list(&text("related_codes")?),
        source_kind: SourceKind::parse(&text("source_kind")?).unwrap_or(SourceKind::None),
        feed_code: r.try_get("feed_code").store()?,
        endpoint_url: r.try_get("endpoint_url").store()?,
        data_table: r.try_get("data_table").store()?,
        row_count: r.try_get("row_count").store()?,
        status: Status::parse(&text("status")?).unwrap_or(Status::Draft),
        version: r.try_get("version").store()?,
        published_on: r.try_get("published_on").store()?,
        review_note: r.try_get("review_note").store()?,
        items: Vec::new(),
        created_by: text("created_by")?,
        created_at: r.try_get("created_at").store()?,
        updated_at: r.try_get("updated_at").store()?,
    })
}

async fn with_items(db: &Db, mut entries: Vec<Entry>) -> Result<Vec<Entry>> {
    if entries.is_empty() {
        return Ok(entries);
    }
    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut p = Params::new();
    let list = p.push_list(&ids);
    let sql = format!(
        "SELECT entry_id, seq, name, column_name, data_type, length, is_key, personal FROM catalog_item \
         WHERE entry_id IN ({list}) ORDER BY entry_id, seq"
    );
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    for r in &rows {
        let entry_id: String = r.try_get("entry_id").store()?;
        let data_type: String = r.try_get("data_type").store()?;
        let seq: i64 = r.try_get("seq").store()?;
        let length: Option<i64> = r.try_get("length").store()?;
        let is_key: i64 = r.try_get("is_key").store()?;
        let personal: i64 = r.try_get("personal").store()?;
        let item = Item {
            seq: u32::try_from(seq).unwrap_or(0),
            name: r.try_get("name").store()?,
            column_name: r.try_get("column_name").store()?,
            data_type: DataType::parse(&data_type).unwrap_or(DataType::C),
            length: length.and_then(|l| u32::try_from(l).ok()),
            is_key: is_key != 0,
            personal: personal != 0,
        };
        if let Some(e) = entries.iter_mut().find(|e| e.id == entry_id) {
            e.items.push(item);
        }
    }
    Ok(entries)
}

async fn one(db: &Db, key: &'static str, value: &str) -> Result<Option<Entry>> {
    let row = query(&format!("SELECT {COLUMNS} FROM catalog_entry WHERE {key} = $1"))
        .bind(value)
        .fetch_optional(db.pool())
        .await
        .store()?;
    match row {
        Some(r) => Ok(with_items(db, vec![entry_of(&r)?]).await?.pop()),
        None => Ok(None),
    }
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Entry>> {
    one(db, "id", id).await
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Entry>> {
    one(db, "code", code).await
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Entry>> {
    one(db, "slug", slug).await
}

/// Entries by id (with items), in no particular order.
pub async fn by_ids(db: &Db, ids: &[String]) -> Result<Vec<Entry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut p = Params::new();
    let list = p.push_list(ids);
    let sql = format!("SELECT {COLUMNS} FROM catalog_entry WHERE id IN ({list})");
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    with_items(db, rows.iter().map(entry_of).collect::<Result<_>>()?).await
}

/// Filters for lists of entries.
#[derive(Debug, Default, Clone)]
pub struct Filter<'a> {
    pub org_id: Option<&'a str>,
    pub status: Option<Status>,
    /// Only entries open to the public (unconditionally or on application).
    pub open_only: bool,
    /// Only entries modified at or after this instant (ms).
    pub modified_since: Option<i64>,
}

fn where_clause(p: &mut Params, f: &Filter<'_>) -> String {
    let mut sql = String::from(" WHERE 1 = 1");
    if let Some(o) = f.org_id {
        sql.push_str(&format!(" AND org_id = {}", p.push(o)));
    }
    if let Some(s) = f.status {
        sql.push_str(&format!(" AND status = {}", p.push(s.as_str())));
    }
    if f.open_only {
        sql.push_str(" AND status = 'published' AND open_type IN ('unconditional', 'conditional')");
    }
    if let Some(t) = f.modified_since {
        sql.push_str(&format!(" AND updated_at >= {}", p.push(t)));
    }
    sql
}

/// Entries matching `f`, ordered by `order` (a fixed clause from the caller).
pub async fn list(db: &Db, f: &Filter<'_>, order: &str, limit: i64, offset: i64) -> Result<Vec<Entry>> {
    let mut p = Params::new();
    let mut sql = format!("SELECT {COLUMNS} FROM catalog_entry");
    sql.push_str(&where_clause(&mut p, f));
    sql.push_str(&format!(" ORDER BY {order} LIMIT {} OFFSET {}", p.push(limit), p.push(offset)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    with_items(db, rows.iter().map(entry_of).collect::<Result<_>>()?).await
}

pub async fn count(db: &Db, f: &Filter<'_>) -> Result<i64> {
    let mut p = Params::new();
    let sql = format!("SELECT COUNT(*) AS n FROM catalog_entry{}", where_clause(&mut p, f));
    let row = p.bind(&sql).fetch_one(db.pool()).await.store()?;
    row.try_get("n").store()
}

/// The next 顺序码 in a category.
pub async fn next_seq(tx: &mut Transaction<'static, Any>, category: &str) -> Result<i64> {
    let row = query("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM catalog_entry WHERE category_code = $1")
        .bind(category)
        .fetch_one(&mut **tx)
        .await
        .store()?;
    row.try_get("n").store()
}

async fn write_items(tx: &mut Transaction<'static, Any>, entry_id: &str, items: &[Item]) -> Result<()> {
    query("DELETE FROM catalog_item WHERE entry_id = $1").bind(entry_id).execute(&mut **tx).await.store()?;
    for i in items {
        query(
            "INSERT INTO catalog_item (entry_id, seq, name, column_name, data_type, length, is_key, personal) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(entry_id)
        .bind(i64::from(i.seq))
        .bind(&i.name)
        .bind(&i.column_name)
        .bind(i.data_type.code().to_string())
        .bind(i.length.map(i64::from))
        .bind(i64::from(i.is_key))
        .bind(i64::from(i.personal))
        .execute(&mut **tx)
        .await
        .store()?;
    }
    Ok(())
}

/// The text a person searches an entry by.
fn indexed_text(e: &Entry) -> String {
    format!("{} {} {}", e.name, e.summary, e.keywords.join(" "))
}

async fn write_grams(tx: &mut Transaction<'static, Any>, e: &Entry) -> Result<()> {
    query("DELETE FROM catalog_gram WHERE entry_id = $1").bind(&e.id).execute(&mut **tx).await.store()?;
    let grams = search::bigrams(&search::normalise(&indexed_text(e)));
    for chunk in grams.chunks(400) {
        let mut p = Params::new();
        let rows: Vec<String> =
            chunk.iter().map(|g| format!("({}, {})", p.push(g.as_str()), p.push(e.id.as_str()))).collect();
        let sql =
            format!("INSERT INTO catalog_gram (gram, entry_id) VALUES {} ON CONFLICT DO NOTHING", rows.join(", "));
        p.bind(&sql).execute(&mut **tx).await.store()?;
    }
    Ok(())
}

fn bind_entry<'q>(
    q: qy_storage::sqlx::query::Query<'q, Any, qy_storage::sqlx::any::AnyArguments<'q>>,
    e: &'q Entry,
) -> qy_storage::sqlx::query::Query<'q, Any, qy_storage::sqlx::any::AnyArguments<'q>> {
    q.bind(&e.id)
        .bind(&e.code)
        .bind(&e.slug)
        .bind(&e.category_code)
        .bind(&e.org_id)
        .bind(&e.name)
        .bind(&e.summary)
        .bind(json_list(&e.keywords))
        .bind(e.format_kind.as_str())
        .bind(&e.format_detail)
        .bind(e.share_type.as_str())
        .bind(&e.share_condition)
        .bind(&e.share_basis)
        .bind(json_list(&e.share_modes))
        .bind(e.open_type.as_str())
        .bind(&e.open_condition)
        .bind(e.update_cycle.as_str())
        .bind(&e.region_code)
        .bind(json_list(&e.related_codes))
        .bind(e.source_kind.as_str())
        .bind(&e.feed_code)
        .bind(&e.endpoint_url)
        .bind(e.updated_at)
}

/// A new entry: its 顺序码 is the next in its category, and the code and slug are rendered
/// from it by `render` inside the same transaction.
pub async fn insert(db: &Db, e: &mut Entry, render: impl Fn(&str, i64) -> (String, String)) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    let seq = next_seq(&mut tx, &e.category_code).await?;
    (e.code, e.slug) = render(&e.category_code, seq);
    bind_entry(
        query(
            "INSERT INTO catalog_entry (id, code, slug, category_code, org_id, name, abstract, keywords, format_kind, \
             format_detail, share_type, share_condition, share_basis, share_modes, open_type, open_condition, \
             update_cycle, region_code, related_codes, source_kind, feed_code, endpoint_url, updated_at, seq, \
             data_table, row_count, status, version, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $22, $23, $24, NULL, 0, 'draft', 0, $25, $23)",
        ),
        e,
    )
    .bind(seq)
    .bind(&e.created_by)
    .execute(&mut *tx)
    .await
    .store()?;
    write_items(&mut tx, &e.id, &e.items).await?;
    write_grams(&mut tx, e).await?;
    bump_generation(&mut *tx).await?;
    tx.commit().await.store()
}

/// Saves edited metadata and items (the code, category and status do not change here).
pub async fn update(db: &Db, e: &Entry) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    bind_entry(
        query(
            "UPDATE catalog_entry SET code = $2, slug = $3, category_code = $4, org_id = $5, name = $6, abstract = $7, \
             keywords = $8, format_kind = $9, format_detail = $10, share_type = $11, share_condition = $12, \
             share_basis = $13, share_modes = $14, open_type = $15, open_condition = $16, update_cycle = $17, \
             region_code = $18, related_codes = $19, source_kind = $20, feed_code = $21, endpoint_url = $22, \
             updated_at = $23 WHERE id = $1",
        ),
        e,
    )
    .execute(&mut *tx)
    .await
    .store()?;
    write_items(&mut tx, &e.id, &e.items).await?;
    write_grams(&mut tx, e).await?;
    bump_generation(&mut *tx).await?;
    tx.commit().await.store()
}

/// Moves an entry from `from` to `to`; false when it was no longer in `from`.
pub async fn transition(db: &Db, id: &str, from: Status, to: Status, note: Option<&str>, now: i64) -> Result<bool> {
    let r =
        query("UPDATE catalog_entry SET status = $3, review_note = $4, updated_at = $5 WHERE id = $1 AND status = $2")
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(note)
            .bind(now)
            .execute(db.pool())
            .await
            .store()?;
    bump_generation(db.pool()).await?;
    Ok(r.rows_affected() == 1)
}

/// Publishes: status, a new version number, the 发布日期, and the version snapshot, at once.
pub async fn publish(db: &Db, e: &Entry, by: &str, on: &str, now: i64) -> Result<i64> {
    let mut tx = db.pool().begin().await.store()?;
    let version = e.version + 1;
    let r = query(
        "UPDATE catalog_entry SET status = 'published', version = $2, published_on = $3, review_note = NULL, \
         updated_at = $4 WHERE id = $1 AND status = 'review'",
    )
    .bind(&e.id)
    .bind(version)
    .bind(on)
    .bind(now)
    .execute(&mut *tx)
    .await
    .store()?;
    if r.rows_affected() != 1 {
        return Err(qy_kernel::Error::conflict("catalog.invalid_transition", "the entry is no longer in review"));
    }
    let mut snapshot = e.clone();
    snapshot.status = Status::Published;
    snapshot.version = version;
    snapshot.published_on = Some(on.to_owned());
    query(
        "INSERT INTO catalog_entry_version (entry_id, version, snapshot, published_at, published_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&e.id)
    .bind(version)
    .bind(serde_json::to_string(&snapshot).unwrap_or_default())
    .bind(now)
    .bind(by)
    .execute(&mut *tx)
    .await
    .store()?;
    bump_generation(&mut *tx).await?;
    tx.commit().await.store()?;
    Ok(version)
}

/// Published versions of an entry: (version, published_at, published_by, snapshot JSON).
pub async fn versions(db: &Db, id: &str) -> Result<Vec<(i64, i64, String, String)>> {
    let rows = query(
        "SELECT version, published_at, published_by, snapshot FROM catalog_entry_version WHERE entry_id = $1 \
         ORDER BY version DESC",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("version").store()?,
                r.try_get("published_at").store()?,
                r.try_get("published_by").store()?,
                r.try_get("snapshot").store()?,
            ))
        })
        .collect()
}

/// What is behind an entry.
#[derive(Debug, Clone, Default)]
pub struct Source<'a> {
    pub kind: Option<SourceKind>,
    pub table: Option<&'a str>,
    pub rows: i64,
    pub feed: Option<&'a str>,
    pub endpoint: Option<&'a str>,
}

/// Points an entry at its data: a loaded table (with its row count), a feed or an endpoint.
pub async fn set_source(db: &Db, id: &str, s: &Source<'_>, now: i64) -> Result<()> {
    query(
        "UPDATE catalog_entry SET source_kind = $2, data_table = $3, row_count = $4, feed_code = $5, \
         endpoint_url = $6, updated_at = $7 WHERE id = $1",
    )
    .bind(id)
    .bind(s.kind.unwrap_or(SourceKind::None).as_str())
    .bind(s.table)
    .bind(s.rows)
    .bind(s.feed)
    .bind(s.endpoint)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    bump_generation(db.pool()).await
}

/// The searchable fields of every open entry (published, or a revision of a published one).
pub async fn open_light(db: &Db) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM catalog_entry WHERE open_type IN ('unconditional', 'conditional') \
         AND (status = 'published' OR (status IN ('draft', 'review') AND version > 0))"
    );
    let rows = query(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(entry_of).collect()
}

/// Loads the 信息项 of entries read without them.
pub async fn load_items(db: &Db, entries: Vec<Entry>) -> Result<Vec<Entry>> {
    with_items(db, entries).await
}

/// Counts of published open entries by a column (facets of the portal).
pub async fn facet(db: &Db, column: &'static str) -> Result<Vec<(String, i64)>> {
    let rows = query(&format!(
        "SELECT {column} AS v, COUNT(*) AS n FROM catalog_entry WHERE status = 'published' \
         AND open_type IN ('unconditional', 'conditional') GROUP BY {column} ORDER BY n DESC, v"
    ))
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get("v").store()?, r.try_get("n").store()?))).collect()
}

/// Moves the counter readers of the open catalog compare (`generation`).
async fn bump_generation<'e>(
    conn: impl qy_storage::sqlx::Executor<'e, Database = qy_storage::sqlx::Any>,
) -> Result<()> {
    query("UPDATE catalog_generation SET generation = generation + 1 WHERE id = 1").execute(conn).await.store()?;
    Ok(())
}

/// The counter every write to `catalog_entry` moves.
pub async fn generation(db: &Db) -> Result<i64> {
    let r = query("SELECT generation FROM catalog_generation WHERE id = 1").fetch_one(db.pool()).await.store()?;
    r.try_get("generation").store()
}

/// Every (gram, entry id) of the bigram index: the postings the in-memory search view keeps.
pub async fn all_grams(db: &Db) -> Result<Vec<(String, String)>> {
    let rows = query("SELECT gram, entry_id FROM catalog_gram").fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| Ok((r.try_get("gram").store()?, r.try_get("entry_id").store()?))).collect()
}
