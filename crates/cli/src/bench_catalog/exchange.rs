//! The exchange side, set up as a provider and a consumer would: the ecology department
//! catalogues hourly readings of 250 air-quality micro-stations, uploads a large table through
//! the service and has it published; the market regulator's credit platform gets an identity
//! account and a personal access token through the identity API, is registered as a consumer
//! system, asks for four columns of the whole province, and the provider grants three of them
//! for one prefecture (海西州) only, so that most rows are filtered out by the grant.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use qy_catalog::domain::{perm, DataType, FormatKind, Item, OpenType, Org, ShareMode, ShareType, UpdateCycle};
use qy_catalog::service::entries::EntryInput;
use qy_catalog::service::sharing::{NewShareRequest, NewSystem, ShareDecision};
use qy_catalog::Catalog;
use qy_kernel::{Principal, PrincipalKind};
use qy_storage::sqlx::query;
use qy_storage::{Db, Row};
use qy_workcal::Date;

use super::seed::{officer, principal, reviewer};
use crate::bench::kerr;
use crate::bench_kit::http::Http;
use crate::bench_kit::identity;
use crate::bench_kit::rng::Rng;

/// The prefecture the grant limits rows to (海西蒙古族藏族自治州).
pub(super) const GRANTED_REGION: &str = "632800";
/// The columns granted: three of the table's six (the region column is not among them).
pub(super) const GRANTED: [&str; 3] = ["station_code", "monitored_at", "aqi"];
/// What the consumer asks for.
const ASKED: [&str; 4] = ["station_code", "region", "monitored_at", "aqi"];
/// Micro-stations in the table, spread over the county-level regions in turn.
const STATIONS: usize = 250;
/// The scope of the system's token: pulling needs no permission, only the registration of
/// the token's account as a consumer system; the scope says what the token is for.
const TOKEN_SCOPE: &str = "catalog.exchange";

/// The table as uploaded.
pub(super) struct Table {
    pub(super) csv: Vec<u8>,
    pub(super) rows: usize,
    /// Rows in the granted prefecture.
    pub(super) granted_rows: usize,
}

/// What the load phases pull, and how it was set up.
pub(super) struct Exchange {
    pub(super) code: String,
    pub(super) slug: String,
    pub(super) table_rows: usize,
    pub(super) granted_rows: usize,
    pub(super) csv_mb: f64,
    pub(super) upload_seconds: f64,
    /// Seconds of the identity calls, registration, request and approval.
    pub(super) consumer_seconds: f64,
    pub(super) data_table: Option<String>,
    /// The consumer system's personal access token.
    pub(super) token: String,
    /// The consumer system's principal, for in-process pulls.
    pub(super) system: Principal,
}

/// County-level region codes from the shipped regions.
pub(super) async fn counties(db: &Db) -> anyhow::Result<Vec<String>> {
    let rows = query("SELECT code FROM regions_region WHERE level IN ('county', 'county_stat') ORDER BY code")
        .fetch_all(db.pool())
        .await
        .context("reading counties")?;
    let codes = rows.iter().map(|r| r.try_get::<String, _>("code")).collect::<Result<Vec<_>, _>>()?;
    if codes.is_empty() {
        bail!("no county-level regions in the store");
    }
    Ok(codes)
}

/// `rows` hourly readings, hour by hour and station by station from 2024-01-01 00:00; station
/// `s` lies in `counties[s % counties.len()]`.
pub(super) fn table(rows: usize, counties: &[String], rng: &mut Rng) -> Table {
    let mut csv = String::with_capacity(rows * 48 + 64);
    csv.push_str("station_code,region,monitored_at,aqi,pm25,primary_pollutant\n");
    let granted_prefix = GRANTED_REGION.trim_end_matches('0');
    let start = Date::constant(2024, 1, 1);
    let (mut granted_rows, mut day_text, mut day) = (0, start.to_string(), 0usize);
    for i in 0..rows {
        let (hour, station) = (i / STATIONS, i % STATIONS);
        if hour / 24 != day {
            day = hour / 24;
            let span = Duration::from_secs(86_400 * day as u64);
            day_text = start.checked_add(span).map(|d| d.to_string()).unwrap_or_default();
        }
        let region = counties.get(station % counties.len().max(1)).map(String::as_str).unwrap_or("630102");
        granted_rows += usize::from(region.starts_with(granted_prefix));
        let aqi = 15 + rng.below(160) + rng.below(60);
        let pollutant = if aqi <= 50 { "" } else { rng.pick(&["PM2.5", "PM10", "O3", "PM10"]) };
        csv.push_str(&format!(
            "QHW{station:04},{region},{day_text} {:02}:00,{aqi},{}.{},{pollutant}\n",
            hour % 24,
            aqi * 2 / 3,
            rng.below(10)
        ));
    }
    Table { csv: csv.into_bytes(), rows, granted_rows }
}

fn item(seq: u32, column: &str, name: &str, data_type: DataType, is_key: bool) -> Item {
    Item { seq, name: name.into(), column_name: column.into(), data_type, length: None, is_key, personal: false }
}

fn table_entry() -> EntryInput {
    EntryInput {
        org_id: None,
        category_code: "201001".into(),
        name: "青海省空气质量自动监测微站小时数据".into(),
        summary: "全省250个空气质量自动监测微站的逐小时监测结果，包括站点编码、行政区划、监测时间、空气质量指数、\
                  细颗粒物浓度和首要污染物，实时更新。"
            .into(),
        keywords: vec!["空气质量".into(), "微站".into(), "小时数据".into()],
        format_kind: FormatKind::Database,
        format_detail: "API (JSON)".into(),
        share_type: ShareType::Conditional,
        share_condition: "仅用于履行环境监管和信用监管职责".into(),
        share_basis: "《政务信息资源共享管理暂行办法》（国发〔2016〕51号）".into(),
        share_modes: vec![ShareMode::Interface],
        open_type: OpenType::Conditional,
        open_condition: "签署数据使用协议".into(),
        update_cycle: UpdateCycle::Realtime,
        region_code: "630000".into(),
        related_codes: Vec::new(),
        items: vec![
            item(1, "station_code", "站点编码", DataType::C, true),
            item(2, "region", "行政区划代码", DataType::C, false),
            item(3, "monitored_at", "监测时间", DataType::T, true),
            item(4, "aqi", "空气质量指数", DataType::I, false),
            item(5, "pm25", "细颗粒物浓度（微克/立方米）", DataType::N, false),
            item(6, "primary_pollutant", "首要污染物", DataType::C, false),
        ],
    }
}

/// The provider's entry with its table, published; then the consumer system and its grant.
/// `session`: an operator's session; `consumer.department_id`: an identity department.
pub(super) async fn setup(
    catalog: &Catalog,
    http: &mut Http,
    session: &str,
    provider: &Org,
    consumer: &Org,
    table: Table,
    rng: &mut Rng,
) -> anyhow::Result<Exchange> {
    // The provider: entry, upload, publication.
    let by = officer(provider);
    let e = catalog.create_entry(&by, table_entry()).await.map_err(kerr).context("creating the table's entry")?;
    let csv_mb = table.csv.len() as f64 / 1_048_576.0;
    eprintln!("bench: uploading {} rows ({csv_mb:.1} MB of CSV) through the service", table.rows);
    let t = Instant::now();
    let report = catalog.upload(&by, &e.id, "text/csv", &table.csv).await.map_err(kerr).context("uploading")?;
    let upload_seconds = t.elapsed().as_secs_f64();
    if !report.loaded {
        let first = report.errors.first().map(|c| format!("row {} {}: {}", c.row, c.column, c.detail));
        bail!("the upload was refused: {}", first.unwrap_or_default());
    }
    eprintln!("bench: {} rows loaded in {upload_seconds:.1} s", report.rows);
    catalog.submit_entry(&by, &e.id).await.map_err(kerr).context("submitting the table's entry")?;
    let e = catalog.review_entry(&reviewer(), &e.id, true, "").await.map_err(kerr).context("publishing it")?;

    // The consumer: an account and a token through the identity API, then the catalog.
    let t = Instant::now();
    let department = consumer.department_id.clone().ok_or_else(|| anyhow!("the consumer has no department"))?;
    let password = crate::bench_kit::password(rng);
    let (username, display) = ("bench.xypt", "市场监管信用监管平台（基准测试）");
    let account = identity::staff_account(http, session, username, display, &password, &department).await?;
    let system_session = identity::login(http, username, &password).await?;
    let token = identity::personal_token(http, &system_session, "exchange pull", &[TOKEN_SCOPE]).await?;
    let requester = principal(&format!("officer-{}", consumer.slug), &department, &[perm::SHARING_REQUEST]);
    let system = catalog
        .register_system(
            &requester,
            NewSystem { org_id: None, code: "bench-xypt".into(), name: display.into(), account_id: account.clone() },
        )
        .await
        .map_err(kerr)
        .context("registering the consumer system")?;
    let (request, granted) = catalog
        .request_share(
            &requester,
            NewShareRequest {
                entry: e.code.clone(),
                system_id: system.id.clone(),
                purpose: "企业信用监管中核查排污单位所在区域的空气质量".into(),
                basis: "《企业信息公示暂行条例》第六条".into(),
                columns: ASKED.iter().map(|c| (*c).to_owned()).collect(),
                region_filter: None,
            },
        )
        .await
        .map_err(kerr)
        .context("requesting the share")?;
    if granted.is_some() {
        bail!("a conditional share was granted without a decision");
    }
    let (_, grant) = catalog
        .decide_share(
            &by,
            &request.id,
            ShareDecision {
                approve: true,
                reason: "批准站点编码、监测时间和空气质量指数三项，限海西州范围".into(),
                columns: Some(GRANTED.iter().map(|c| (*c).to_owned()).collect()),
                region_filter: Some(GRANTED_REGION.into()),
            },
        )
        .await
        .map_err(kerr)
        .context("approving the share")?;
    let grant = grant.ok_or_else(|| anyhow!("the approval made no grant"))?;
    let consumer_seconds = t.elapsed().as_secs_f64();
    eprintln!(
        "bench: system {} granted {} of 6 columns in region {:?} ({} of {} rows)",
        system.code,
        grant.columns.len(),
        grant.region_filter,
        table.granted_rows,
        table.rows
    );
    let system = Principal {
        account_id: account,
        username: username.into(),
        display_name: display.into(),
        kind: PrincipalKind::Staff,
        permissions: Default::default(),
        scope: qy_kernel::RegionScope::province(),
        department_id: Some(department),
        uscc: None,
        token_scopes: Some([TOKEN_SCOPE.to_owned()].into_iter().collect()),
    };
    Ok(Exchange {
        code: e.code,
        slug: e.slug,
        table_rows: table.rows,
        granted_rows: table.granted_rows,
        csv_mb,
        upload_seconds,
        consumer_seconds,
        data_table: e.data_table,
        token,
        system,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_hourly_per_station_and_counted_by_region() {
        let counties: Vec<String> = ["630102", "632801", "632802", "632821"].iter().map(|c| (*c).to_owned()).collect();
        let t = table(STATIONS * 25 + 3, &counties, &mut Rng::new(1));
        let text = String::from_utf8(t.csv).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), t.rows + 1);
        assert!(lines[1].starts_with("QHW0000,630102,2024-01-01 00:00,"), "{}", lines[1]);
        // Hour 24 is the next day.
        assert!(
            lines[STATIONS * 24 + 2].starts_with("QHW0001,632801,2024-01-02 00:00,"),
            "{}",
            lines[STATIONS * 24 + 2]
        );
        let granted =
            lines.iter().skip(1).filter(|l| l.split(',').nth(1).is_some_and(|r| r.starts_with("6328"))).count();
        assert_eq!(granted, t.granted_rows);
        assert!(granted > t.rows / 2 && granted < t.rows, "{granted}");
    }
}
