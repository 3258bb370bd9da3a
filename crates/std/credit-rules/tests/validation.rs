//! Record validation: reference §7.2 rules 1–3, one failing and one passing case per rule.

use jiff::civil::{date, Date};
use qy_credit_rules::{
    FieldError, Licence, LicenceKind, LicenceStatus, Penalty, PenaltyCategory, Severity, SubjectCategory, LONG_TERM,
};

const TODAY: Date = date(2026, 6, 1);
const ORG: &str = "914403001922038216";
const AUTHORITY: &str = "911000001000013428";
const SOURCE: &str = "91100000100003962T";
const PERSON: &str = "630102199003071231";

fn penalty() -> Penalty {
    Penalty {
        subject_name: "某某有限公司".into(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(ORG.into()),
        legal_rep: Some("张三".into()),
        person_id_type: None,
        person_id: None,
        decision_no: "西市监罚〔2026〕12号".into(),
        violation_type: "未按规定公示年度报告".into(),
        facts: "当事人未按期报送年度报告".into(),
        basis: "《企业信息公示暂行条例》第十八条".into(),
        categories: vec![PenaltyCategory::Warning, PenaltyCategory::Fine],
        content: "警告并处罚款五千元".into(),
        fine_fen: 500_000,
        confiscated_fen: 0,
        suspended_licence: None,
        decision_date: date(2026, 5, 10),
        valid_until: None,
        authority: "西宁市市场监督管理局".into(),
        authority_uscc: AUTHORITY.into(),
        source: "西宁市市场监督管理局".into(),
        source_uscc: SOURCE.into(),
        severity: Severity::General,
        note: None,
    }
}

fn licence() -> Licence {
    Licence {
        subject_name: "某某有限公司".into(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(ORG.into()),
        legal_rep: Some("张三".into()),
        person_id_type: None,
        person_id: None,
        decision_doc_name: "食品经营许可决定书".into(),
        decision_no: "青食许〔2026〕3号".into(),
        kind: LicenceKind::General,
        certificate_name: "食品经营许可证".into(),
        licence_no: "JY16301020000001".into(),
        content: "预包装食品销售".into(),
        decision_date: date(2026, 3, 1),
        valid_from: Some(date(2026, 3, 1)),
        valid_to: Some(date(2031, 2, 28)),
        authority: "西宁市市场监督管理局".into(),
        authority_uscc: AUTHORITY.into(),
        status: LicenceStatus::Valid,
        source: "西宁市市场监督管理局".into(),
        source_uscc: SOURCE.into(),
        note: None,
    }
}

/// (field, code) pairs, for compact assertions.
fn codes(errors: &[FieldError]) -> Vec<(&'static str, &'static str)> {
    errors.iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn base_records_are_valid() {
    assert_eq!(penalty().validate(TODAY), vec![]);
    assert_eq!(licence().validate(TODAY), vec![]);
}

// Rule 1: subjects.

#[test]
fn legal_entity_needs_a_valid_uscc() {
    let mut p = penalty();
    p.uscc = None;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_SHXYM", "credit.field_required")]);
    p.uscc = Some("914403001922038217".into());
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_SHXYM", "credit.uscc_invalid")]);

    let mut l = licence();
    l.uscc = Some("9144030019220382".into());
    assert_eq!(codes(&l.validate(TODAY)), [("XK_XDR_SHXYM", "credit.uscc_invalid")]);
}

#[test]
fn individual_business_with_uscc_needs_it_valid() {
    let mut p = penalty();
    p.subject_category = SubjectCategory::IndividualBusiness;
    assert_eq!(p.validate(TODAY), vec![]);
    p.uscc = Some("91440300192203821I".into());
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_SHXYM", "credit.uscc_invalid")]);
}

#[test]
fn individual_business_without_uscc_is_identified_by_its_operator() {
    let mut p = penalty();
    p.subject_category = SubjectCategory::IndividualBusiness;
    p.uscc = None;
    assert_eq!(
        codes(&p.validate(TODAY)),
        [("CF_XDR_ZJLX", "credit.field_required"), ("CF_XDR_ZJHM", "credit.field_required")]
    );
    p.person_id_type = Some("身份证".into());
    p.person_id = Some(PERSON.into());
    assert_eq!(p.validate(TODAY), vec![]);
}

#[test]
fn natural_person_needs_document_type_and_number() {
    let mut p = penalty();
    p.subject_category = SubjectCategory::NaturalPerson;
    p.uscc = None;
    p.person_id_type = Some("身份证".into());
    p.person_id = Some(PERSON.into());
    assert_eq!(p.validate(TODAY), vec![]);

    p.person_id = None;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_ZJHM", "credit.field_required")]);
    p.person_id = Some(PERSON.into());
    p.person_id_type = Some(" ".into());
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_ZJLX", "credit.field_required")]);
}

#[test]
fn resident_id_is_checked_only_for_the_identity_card() {
    let mut l = licence();
    l.subject_category = SubjectCategory::NaturalPerson;
    l.uscc = None;
    l.person_id_type = Some("身份证".into());
    l.person_id = Some("110105194912310021".into());
    let errors = l.validate(TODAY);
    assert_eq!(codes(&errors), [("XK_XDR_ZJHM", "credit.person_id_invalid")]);
    assert!(!errors[0].detail.contains("110105194912310021"), "{}", errors[0].detail);

    l.person_id = Some(PERSON.into());
    assert_eq!(l.validate(TODAY), vec![]);

    // A passport number is not checked against GB 11643.
    l.person_id_type = Some("护照".into());
    l.person_id = Some("E12345678".into());
    assert_eq!(l.validate(TODAY), vec![]);
}

#[test]
fn natural_person_with_a_stray_invalid_uscc_is_flagged() {
    let mut p = penalty();
    p.subject_category = SubjectCategory::NaturalPerson;
    p.uscc = Some("123".into());
    p.person_id_type = Some("居民身份证".into());
    p.person_id = Some(PERSON.into());
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_SHXYM", "credit.uscc_invalid")]);
}

#[test]
fn subject_name_is_required() {
    let mut p = penalty();
    p.subject_name = "  ".into();
    assert_eq!(codes(&p.validate(TODAY)), [("CF_XDR_MC", "credit.field_required")]);
    let mut l = licence();
    l.subject_name = String::new();
    assert_eq!(codes(&l.validate(TODAY)), [("XK_XDR_MC", "credit.field_required")]);
}

// Rule 2: licences.

#[test]
fn licence_required_fields() {
    let mut l = licence();
    l.decision_no = String::new();
    l.content = " ".into();
    l.authority = String::new();
    l.source = String::new();
    assert_eq!(
        codes(&l.validate(TODAY)),
        [
            ("XK_WSH", "credit.field_required"),
            ("XK_NR", "credit.field_required"),
            ("XK_XKJG", "credit.field_required"),
            ("XK_LYDW", "credit.field_required"),
        ]
    );
}

#[test]
fn licence_decision_date_not_in_future() {
    let mut l = licence();
    l.decision_date = TODAY;
    assert_eq!(l.validate(TODAY), vec![]);
    l.decision_date = date(2026, 6, 2);
    assert_eq!(codes(&l.validate(TODAY)), [("XK_JDRQ", "credit.date_in_future")]);
}

#[test]
fn licence_authority_and_source_codes_are_valid_usccs() {
    let mut l = licence();
    l.authority_uscc = "9163000071040638XK".into();
    l.source_uscc = String::new();
    assert_eq!(
        codes(&l.validate(TODAY)),
        [("XK_XKJGDM", "credit.uscc_invalid"), ("XK_LYDWDM", "credit.field_required")]
    );
}

#[test]
fn licence_validity_dates_in_order() {
    let mut l = licence();
    l.valid_to = Some(date(2026, 2, 28));
    assert_eq!(codes(&l.validate(TODAY)), [("XK_YXQZI", "credit.date_order")]);
    l.valid_to = Some(date(2026, 3, 1));
    assert_eq!(l.validate(TODAY), vec![]);
    l.valid_to = Some(LONG_TERM);
    assert_eq!(l.validate(TODAY), vec![]);
    assert!(l.is_long_term());
    assert!(l.is_valid_on(TODAY));
    l.status = LicenceStatus::Invalid;
    assert!(!l.is_valid_on(TODAY));
}

#[test]
fn licence_kind_and_status_parse_national_values() {
    for k in LicenceKind::ALL {
        assert_eq!(k.as_str().parse::<LicenceKind>(), Ok(k));
    }
    assert!("许可".parse::<LicenceKind>().is_err());
    assert_eq!("1".parse::<LicenceStatus>(), Ok(LicenceStatus::Valid));
    assert_eq!("无效".parse::<LicenceStatus>(), Ok(LicenceStatus::Invalid));
    assert_eq!(LicenceStatus::Invalid.code(), "2");
    assert!("3".parse::<LicenceStatus>().is_err());
}

// Rule 3: penalties.

#[test]
fn penalty_required_fields() {
    let mut p = penalty();
    p.decision_no = String::new();
    p.violation_type = String::new();
    p.facts = String::new();
    p.basis = "\t".into();
    p.content = String::new();
    p.authority = String::new();
    p.source = String::new();
    assert_eq!(
        codes(&p.validate(TODAY)),
        [
            ("CF_WSH", "credit.field_required"),
            ("CF_WFXW", "credit.field_required"),
            ("CF_SY", "credit.field_required"),
            ("CF_YJ", "credit.field_required"),
            ("CF_NR", "credit.field_required"),
            ("CF_CFJG", "credit.field_required"),
            ("CF_SJLY", "credit.field_required"),
        ]
    );
}

#[test]
fn penalty_categories_non_empty_and_distinct() {
    let mut p = penalty();
    p.categories = vec![];
    p.fine_fen = 0;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_CFLB", "credit.field_required")]);
    p.categories = vec![PenaltyCategory::Warning, PenaltyCategory::Warning];
    assert_eq!(codes(&p.validate(TODAY)), [("CF_CFLB", "credit.category_duplicate")]);
    p.categories = vec![PenaltyCategory::Warning];
    assert_eq!(p.validate(TODAY), vec![]);
}

#[test]
fn fine_category_iff_fine_amount() {
    let mut p = penalty();
    p.fine_fen = 0;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_NR_FK", "credit.fine_mismatch")]);
    p.categories = vec![PenaltyCategory::Warning];
    assert_eq!(p.validate(TODAY), vec![]);
    p.fine_fen = 1;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_NR_FK", "credit.fine_mismatch")]);
    p.fine_fen = -1;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_NR_FK", "credit.amount_negative")]);
}

#[test]
fn confiscation_category_iff_confiscated_amount() {
    let mut p = penalty();
    p.confiscated_fen = 120_000;
    let errors = p.validate(TODAY);
    assert_eq!(codes(&errors), [("CF_NR_WFFF", "credit.confiscation_mismatch")]);
    assert!(errors[0].detail.contains("0.12"), "{}", errors[0].detail);
    p.categories.push(PenaltyCategory::ConfiscateIllegalGains);
    assert_eq!(p.validate(TODAY), vec![]);
    p.categories = vec![PenaltyCategory::ConfiscateIllegalProperty];
    p.fine_fen = 0;
    assert_eq!(p.validate(TODAY), vec![]);
    p.confiscated_fen = 0;
    assert_eq!(codes(&p.validate(TODAY)), [("CF_NR_WFFF", "credit.confiscation_mismatch")]);
}

#[test]
fn suspension_or_revocation_names_the_licence() {
    for c in [PenaltyCategory::SuspendLicence, PenaltyCategory::RevokeLicence] {
        let mut p = penalty();
        p.categories.push(c);
        assert_eq!(codes(&p.validate(TODAY)), [("CF_NR_ZKDX", "credit.field_required")]);
        p.suspended_licence = Some("食品经营许可证 JY16301020000001".into());
        assert_eq!(p.validate(TODAY), vec![]);
    }
}

#[test]
fn penalty_decision_date_not_in_future() {
    let mut p = penalty();
    p.decision_date = date(2026, 6, 2);
    assert_eq!(codes(&p.validate(TODAY)), [("CF_JDRQ", "credit.date_in_future")]);
    p.decision_date = TODAY;
    assert_eq!(p.validate(TODAY), vec![]);
}

#[test]
fn penalty_validity_not_before_decision() {
    let mut p = penalty();
    p.valid_until = Some(date(2026, 5, 9));
    assert_eq!(codes(&p.validate(TODAY)), [("CF_YXQ", "credit.date_order")]);
    p.valid_until = Some(date(2027, 5, 10));
    assert_eq!(p.validate(TODAY), vec![]);
}

#[test]
fn penalty_authority_and_source_codes_are_valid_usccs() {
    let mut p = penalty();
    p.authority_uscc = String::new();
    p.source_uscc = "not a code".into();
    assert_eq!(
        codes(&p.validate(TODAY)),
        [("CF_CFJGDM", "credit.field_required"), ("CF_SJLYDM", "credit.uscc_invalid")]
    );
}

#[test]
fn penalty_window_uses_the_policy() -> Result<(), qy_credit_rules::RuleError> {
    let w = penalty().window(&Default::default())?;
    assert_eq!((w.min_end, w.max_end), (date(2026, 8, 10), date(2027, 5, 10)));
    Ok(())
}

#[test]
fn records_round_trip_through_json() -> Result<(), serde_json::Error> {
    let p = penalty();
    let json = serde_json::to_value(&p)?;
    assert_eq!(json["categories"], serde_json::json!(["警告", "罚款"]));
    assert_eq!(json["subject_category"], "legal_entity");
    assert_eq!(json["decision_date"], "2026-05-10");
    assert_eq!(serde_json::from_value::<Penalty>(json)?, p);
    let l = licence();
    assert_eq!(serde_json::from_value::<Licence>(serde_json::to_value(&l)?)?, l);
    let e = FieldError { field: "CF_WSH", code: "credit.field_required", detail: "x".into() };
    assert_eq!(
        serde_json::to_value(&e)?,
        serde_json::json!({"field": "CF_WSH", "code": "credit.field_required", "detail": "x"})
    );
    Ok(())
}

#[test]
fn subject_category_parses_chinese() {
    assert_eq!("法人及非法人组织".parse(), Ok(SubjectCategory::LegalEntity));
    assert_eq!("法人及其他组织".parse(), Ok(SubjectCategory::LegalEntity));
    assert_eq!(" 自然人 ".parse(), Ok(SubjectCategory::NaturalPerson));
    assert_eq!("个体工商户".parse(), Ok(SubjectCategory::IndividualBusiness));
    assert!("公司".parse::<SubjectCategory>().is_err());
    assert_eq!(SubjectCategory::IndividualBusiness.as_str(), "个体工商户");
}
