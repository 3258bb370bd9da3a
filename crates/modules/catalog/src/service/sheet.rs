//! The catalog as the compilation guide's spreadsheet: export a department's entries in the
//! guide's column order (XLSX or CSV, for reporting upward), and import a filled template as
//! draft entries — every row checked first, none created if any row is wrong.

use qy_kernel::{Error, Principal, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::entries::EntryInput;
use super::{require, Catalog};
use crate::domain::{perm, DataType, Entry, FormatKind, Item, OpenType, ShareMode, ShareType, UpdateCycle};
use crate::store::{entries, orgs};

/// The template's columns, in the guide's order.
pub const COLUMNS: &[&str] = &[
    "信息资源分类",
    "信息资源名称",
    "信息资源代码",
    "信息资源提供方",
    "信息资源提供方代码",
    "信息资源摘要",
    "信息资源格式分类",
    "信息资源格式类型",
    "信息项",
    "共享类型",
    "共享条件",
    "共享依据",
    "共享方式",
    "开放类型",
    "开放条件",
    "更新周期",
    "发布日期",
    "关联资源代码",
    "覆盖区划",
    "关键词",
];

fn share_zh(s: ShareType) -> &'static str {
    match s {
        ShareType::Unconditional => "无条件共享",
        ShareType::Conditional => "有条件共享",
        ShareType::None => "不予共享",
    }
}

fn open_zh(o: OpenType) -> &'static str {
    match o {
        OpenType::Unconditional => "无条件开放",
        OpenType::Conditional => "有条件开放",
        OpenType::None => "不予开放",
    }
}

fn cycle_zh(c: UpdateCycle) -> &'static str {
    match c {
        UpdateCycle::Realtime => "实时",
        UpdateCycle::Daily => "每日",
        UpdateCycle::Weekly => "每周",
        UpdateCycle::Monthly => "每月",
        UpdateCycle::Quarterly => "每季度",
        UpdateCycle::HalfYearly => "每半年",
        UpdateCycle::Yearly => "每年",
        UpdateCycle::Irregular => "不定期",
    }
}

fn mode_zh(m: ShareMode) -> &'static str {
    match m {
        ShareMode::Interface => "接口",
        ShareMode::Table => "库表",
        ShareMode::File => "文件",
        ShareMode::Offline => "离线",
    }
}

fn format_zh(f: FormatKind) -> &'static str {
    match f {
        FormatKind::Database => "数据库",
        FormatKind::Spreadsheet => "电子表格",
        FormatKind::Document => "电子文件",
        FormatKind::Interface => "接口",
        FormatKind::Image => "图像",
        FormatKind::Media => "流媒体",
        FormatKind::Other => "其他",
    }
}

fn parse_with<T: Copy>(all: &[T], zh: fn(T) -> &'static str, s: &str) -> Option<T> {
    let s = s.trim();
    all.iter().copied().find(|v| zh(*v) == s || zh(*v).trim_end_matches("共享").trim_end_matches("开放") == s)
}

/// `景区名称(name:C,key)；等级(grade:C)`.
fn items_cell(items: &[Item]) -> String {
    items
        .iter()
        .map(|i| {
            let mut flags = vec![format!("{}:{}", i.column_name, i.data_type.code())];
            if i.is_key {
                flags.push("key".into());
            }
            if i.personal {
                flags.push("personal".into());
            }
            format!("{}({})", i.name, flags.join(","))
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn parse_items(cell: &str) -> std::result::Result<Vec<Item>, String> {
    cell.split(['；', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(|(n, part)| {
            let part = part.replace('（', "(").replace('）', ")");
            let (name, rest) =
                part.split_once('(').ok_or_else(|| format!("信息项 {part:?}: expected 名称(column:type)"))?;
            let inner = rest.strip_suffix(')').ok_or_else(|| format!("信息项 {part:?}: missing )"))?;
            let mut flags = inner.split(',').map(str::trim);
            let (column, t) = flags
                .next()
                .and_then(|f| f.split_once(':'))
                .ok_or_else(|| format!("信息项 {part:?}: expected column:type"))?;
            let data_type = DataType::parse(t)
                .ok_or_else(|| format!("信息项 {part:?}: {t:?} is not one of C N Y D T L M G B I F"))?;
            let rest: Vec<&str> = flags.collect();
            Ok(Item {
                seq: u32::try_from(n + 1).unwrap_or(999),
                name: name.trim().to_owned(),
                column_name: column.trim().to_owned(),
                data_type,
                length: None,
                is_key: rest.contains(&"key"),
                personal: rest.contains(&"personal"),
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetRowError {
    pub row: usize,
    pub column: String,
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetImport {
    pub rows: usize,
    /// Codes of the draft entries created (none when there are errors).
    pub created: Vec<String>,
    pub errors: Vec<SheetRowError>,
}

impl Catalog {
    /// The rows of the template for entries of `org_id` (all when None).
    async fn sheet_rows(&self, org_id: Option<&str>) -> Result<Vec<Vec<String>>> {
        let all_orgs = orgs::all(&self.db).await?;
        let filter = entries::Filter { org_id, ..Default::default() };
        let list: Vec<Entry> = entries::list(&self.db, &filter, "code", 10_000, 0).await?;
        Ok(list
            .into_iter()
            .map(|e| {
                let org = all_orgs.iter().find(|o| o.id == e.org_id);
                vec![
                    e.category_code.clone(),
                    e.name.clone(),
                    e.code.clone(),
                    org.map(|o| o.name.clone()).unwrap_or_default(),
                    org.map(|o| o.uscc.clone()).unwrap_or_default(),
                    e.summary.clone(),
                    format_zh(e.format_kind).to_owned(),
                    e.format_detail.clone(),
                    items_cell(&e.items),
                    share_zh(e.share_type).to_owned(),
                    e.share_condition.clone(),
                    e.share_basis.clone(),
                    e.share_modes.iter().map(|m| mode_zh(*m)).collect::<Vec<_>>().join("、"),
                    open_zh(e.open_type).to_owned(),
                    e.open_condition.clone(),
                    cycle_zh(e.update_cycle).to_owned(),
                    e.published_on.clone().unwrap_or_default(),
                    e.related_codes.join("、"),
                    e.region_code.clone(),
                    e.keywords.join("、"),
                ]
            })
            .collect())
    }

    /// The department's catalog (operators and reviewers: everything) as XLSX.
    pub async fn export_xlsx(&self, by: &Principal) -> Result<Vec<u8>> {
        let org = self.export_scope(by).await?;
        let rows = self.sheet_rows(org.as_deref()).await?;
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let fail = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("xlsx: {e}"));
        sheet.set_name("政务信息资源目录").map_err(fail)?;
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(fail)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v).map_err(fail)?;
            }
        }
        book.save_to_buffer().map_err(fail)
    }

    /// The same as CSV (UTF-8 with BOM, so spreadsheet programs open it as UTF-8).
    pub async fn export_csv(&self, by: &Principal) -> Result<String> {
        let org = self.export_scope(by).await?;
        let rows = self.sheet_rows(org.as_deref()).await?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let io = |e: csv::Error| Error::internal(format!("csv: {e}"));
        w.write_record(COLUMNS).map_err(io)?;
        for r in rows {
            w.write_record(&r).map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|e| Error::internal(format!("csv: {e}")))?;
        Ok(format!("\u{FEFF}{}", String::from_utf8_lossy(&bytes)))
    }

    async fn export_scope(&self, by: &Principal) -> Result<Option<String>> {
        if by.is_operator() || by.can(perm::ENTRIES_REVIEW) {
            return Ok(None);
        }
        require(by, perm::ENTRIES_WRITE)?;
        Ok(Some(self.org_of(by).await?.map(|o| o.id).unwrap_or_default()))
    }

    /// Imports a filled template (XLSX or CSV) as drafts of the caller's department. Rows
    /// that carry a 信息资源代码 are existing entries and are skipped (use the form to revise).
    pub async fn import_sheet(&self, by: &Principal, content_type: &str, body: &[u8]) -> Result<SheetImport> {
        require(by, perm::ENTRIES_WRITE)?;
        let sheet = super::data::read_sheet(content_type, body)?;
        let col = |name: &str| sheet.headers.iter().position(|h| h.trim() == name);
        let missing: Vec<&str> = COLUMNS.iter().copied().filter(|c| *c != "信息资源代码" && col(c).is_none()).collect();
        let mut report = SheetImport { rows: sheet.rows.len(), created: Vec::new(), errors: Vec::new() };
        for m in missing {
            report.errors.push(SheetRowError {
                row: 1,
                column: m.into(),
                code: "catalog.missing_column".into(),
                detail: format!("the template has no column {m}"),
            });
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let mut inputs = Vec::new();
        for (n, raw) in sheet.rows.iter().enumerate() {
            let row = n + 2;
            let get = |name: &str| col(name).and_then(|i| raw.get(i)).map(|s| s.trim().to_owned()).unwrap_or_default();
            if raw.iter().all(|c| c.trim().is_empty()) || !get("信息资源代码").is_empty() {
                continue;
            }
            let mut fail = |column: &str, code: &str, detail: String| {
                report.errors.push(SheetRowError { row, column: column.into(), code: code.into(), detail });
            };
            let share = parse_with(ShareType::ALL, share_zh, &get("共享类型"));
            let open = parse_with(OpenType::ALL, open_zh, &get("开放类型"));
            let cycle = parse_with(UpdateCycle::ALL, cycle_zh, &get("更新周期"));
            let format = parse_with(FormatKind::ALL, format_zh, &get("信息资源格式分类"));
            let modes: Vec<ShareMode> = get("共享方式")
                .split(['、', ',', '，'])
                .filter(|m| !m.trim().is_empty())
                .filter_map(|m| parse_with(ShareMode::ALL, mode_zh, m))
                .collect();
            let items = parse_items(&get("信息项"));
            for (ok, column) in [
                (share.is_some(), "共享类型"),
                (open.is_some(), "开放类型"),
                (cycle.is_some(), "更新周期"),
                (format.is_some(), "信息资源格式分类"),
            ] {
                if !ok {
                    fail(
                        column,
                        "catalog.invalid_value",
                        format!("{column}: {:?} is not one of the guide's values", get(column)),
                    );
                }
            }
            let items = match items {
                Ok(i) => i,
                Err(detail) => {
                    fail("信息项", "catalog.invalid_item", detail);
                    Vec::new()
                }
            };
            let (Some(share_type), Some(open_type), Some(update_cycle), Some(format_kind)) =
                (share, open, cycle, format)
            else {
                continue;
            };
            let split = |s: String| {
                s.split(['、', ',', '，']).map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect::<Vec<_>>()
            };
            inputs.push((
                row,
                EntryInput {
                    org_id: None,
                    category_code: get("信息资源分类"),
                    name: get("信息资源名称"),
                    summary: get("信息资源摘要"),
                    keywords: split(get("关键词")),
                    format_kind,
                    format_detail: get("信息资源格式类型"),
                    share_type,
                    share_condition: get("共享条件"),
                    share_basis: get("共享依据"),
                    share_modes: modes,
                    open_type,
                    open_condition: get("开放条件"),
                    update_cycle,
                    region_code: get("覆盖区划"),
                    related_codes: split(get("关联资源代码")),
                    items,
                },
            ));
        }
        // Every row through the same rules as the form, before anything is created.
        for (row, input) in &inputs {
            if let Err(e) = self.check_entry(by, input).await {
                let column =
                    e.args.iter().find(|(k, _)| k == "field").map(|(_, v)| v.clone()).unwrap_or_else(|| "-".into());
                report.errors.push(SheetRowError { row: *row, column, code: e.code.to_string(), detail: e.detail });
            }
        }
        if !report.errors.is_empty() {
            report.errors.sort_by_key(|e| e.row);
            return Ok(report);
        }
        for (_, input) in inputs {
            report.created.push(self.create_entry(by, input).await?.code);
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_survive_the_cell_format() {
        let items = vec![
            Item {
                seq: 1,
                name: "景区名称".into(),
                column_name: "name".into(),
                data_type: DataType::C,
                length: None,
                is_key: true,
                personal: false,
            },
            Item {
                seq: 2,
                name: "身份证号".into(),
                column_name: "id_number".into(),
                data_type: DataType::C,
                length: None,
                is_key: false,
                personal: true,
            },
        ];
        let cell = items_cell(&items);
        assert_eq!(cell, "景区名称(name:C,key)；身份证号(id_number:C,personal)");
        assert_eq!(parse_items(&cell).ok(), Some(items));
        assert!(parse_items("名称(name:X)").is_err());
        assert!(parse_items("名称").is_err());
    }

    #[test]
    fn guide_values_parse_with_or_without_their_suffix() {
        assert_eq!(parse_with(ShareType::ALL, share_zh, "有条件共享"), Some(ShareType::Conditional));
        assert_eq!(parse_with(ShareType::ALL, share_zh, "有条件"), Some(ShareType::Conditional));
        assert_eq!(parse_with(UpdateCycle::ALL, cycle_zh, "每季度"), Some(UpdateCycle::Quarterly));
        assert_eq!(parse_with(OpenType::ALL, open_zh, "随便"), None);
    }
}
