//! Import-sheet headers: national codes, Chinese labels, legacy 2016 names.

use qy_credit_rules::{licence_field, penalty_field, LicenceField, PenaltyField, LICENCE_HEADERS, PENALTY_HEADERS};

#[test]
fn every_template_header_maps_by_code_and_label() {
    for (code, label) in PENALTY_HEADERS {
        let by_code = penalty_field(code);
        assert!(by_code.is_some(), "{code}");
        assert_eq!(penalty_field(label), by_code, "{label}");
        assert_eq!(by_code.map(PenaltyField::code), Some(*code));
        assert_eq!(by_code.map(PenaltyField::label), Some(*label));
    }
    for (code, label) in LICENCE_HEADERS {
        let by_code = licence_field(code);
        assert!(by_code.is_some(), "{code}");
        assert_eq!(licence_field(label), by_code, "{label}");
        assert_eq!(by_code.map(LicenceField::code), Some(*code));
        assert_eq!(by_code.map(LicenceField::label), Some(*label));
    }
}

#[test]
fn template_order_and_size() {
    assert_eq!(PENALTY_HEADERS.len(), 30);
    assert_eq!(PENALTY_HEADERS[0], ("CF_XDR_MC", "行政相对人名称"));
    assert_eq!(PENALTY_HEADERS[28], ("BZ", "备注"));
    assert_eq!(PENALTY_HEADERS[29], ("SEVERITY", "失信程度"));
    assert!(!PENALTY_HEADERS.iter().any(|(c, _)| *c == "CF_GSJZQ"));
    assert_eq!(LICENCE_HEADERS.len(), 28);
    assert_eq!(LICENCE_HEADERS[0], ("XK_XDR_MC", "行政相对人名称"));
    assert_eq!(LICENCE_HEADERS[27], ("BZ", "备注"));
}

#[test]
fn codes_are_trimmed_and_case_insensitive() {
    assert_eq!(penalty_field(" cf_wsh "), Some(PenaltyField::DecisionNo));
    assert_eq!(penalty_field("Cf_Nr_Fk"), Some(PenaltyField::Fine));
    assert_eq!(penalty_field("severity"), Some(PenaltyField::Severity));
    assert_eq!(licence_field("xk_yxqzi"), Some(LicenceField::ValidTo));
    assert_eq!(licence_field("bz"), Some(LicenceField::Note));
}

#[test]
fn chinese_labels_tolerate_formatting() {
    assert_eq!(penalty_field("罚款金额（万元）"), Some(PenaltyField::Fine));
    assert_eq!(penalty_field("罚款金额"), Some(PenaltyField::Fine));
    assert_eq!(penalty_field("*行政处罚决定书文号"), Some(PenaltyField::DecisionNo));
    assert_eq!(penalty_field(" 违法 事实 "), Some(PenaltyField::Facts));
    assert_eq!(penalty_field("统一社会信用代码"), Some(PenaltyField::Uscc));
    assert_eq!(penalty_field("行政相对人代码_1"), Some(PenaltyField::Uscc));
    assert_eq!(penalty_field("处罚类别(多个用分号分隔)"), Some(PenaltyField::Categories));
    assert_eq!(penalty_field("失信程度"), Some(PenaltyField::Severity));
    assert_eq!(licence_field("行政相对人代码_3（组织机构代码）"), Some(LicenceField::OrgCode));
    assert_eq!(licence_field("许可机关统一社会信用代码"), Some(LicenceField::AuthorityUscc));
    assert_eq!(licence_field("有效期至"), Some(LicenceField::ValidTo));
}

#[test]
fn legacy_2016_names() {
    assert_eq!(penalty_field("CF_CFLB1"), Some(PenaltyField::Categories));
    assert_eq!(penalty_field("cf_cflb2"), Some(PenaltyField::Categories));
    assert_eq!(penalty_field("CF_JG"), Some(PenaltyField::Content));
    assert_eq!(penalty_field("处罚结果"), Some(PenaltyField::Content));
    assert_eq!(penalty_field("CF_XZJG"), Some(PenaltyField::Authority));
    assert_eq!(penalty_field("CF_AJMC"), Some(PenaltyField::ViolationType));
    assert_eq!(penalty_field("CF_ZT"), Some(PenaltyField::Ignored));
    assert_eq!(penalty_field("CF_GSJZQ"), Some(PenaltyField::PublicationEnd));
}

#[test]
fn unknown_headers() {
    for h in ["", "  ", "CF_FOO", "金额", "XK_WSH"] {
        assert_eq!(penalty_field(h), None, "{h:?}");
    }
    assert_eq!(licence_field("CF_WSH"), None);
    assert_eq!(licence_field("处罚类别"), None);
}
