//! A credit service on a fresh database with a movable clock, plus record builders.

use std::sync::Arc;

use qy_credit::domain::perm;
use qy_credit::{Credit, Policy};
use qy_credit_rules::{Licence, LicenceKind, LicenceStatus, Penalty, PenaltyCategory, Severity, SubjectCategory};
use qy_kernel::vault::PersonalDataVault;
use qy_kernel::{FixedClock, Principal, PrincipalKind, RegionScope};
use qy_storage::testing::TestDb;
use qy_workcal::Date;
use sha2::{Digest, Sha256};

/// Test double of the identity module's vault: reversible and keyed enough to tell that
/// callers never store or show the plain value.
pub struct TestVault;

impl PersonalDataVault for TestVault {
    fn seal(&self, plain: &str) -> qy_kernel::Result<String> {
        Ok(format!("sealed:{}", plain.chars().rev().collect::<String>()))
    }
    fn open(&self, sealed: &str) -> qy_kernel::Result<String> {
        Ok(sealed.trim_start_matches("sealed:").chars().rev().collect())
    }
    fn blind_index(&self, plain: &str) -> qy_kernel::Result<String> {
        Ok(hex::encode(Sha256::digest(format!("key:{plain}").as_bytes())))
    }
}

pub struct H {
    pub credit: Credit,
    pub clock: Arc<FixedClock>,
    _db: TestDb,
}

/// Epoch milliseconds of 10:00 Beijing time on `date`.
pub fn at(date: &str) -> i64 {
    let d: Date = date.parse().unwrap();
    let days = d.since(Date::new(1970, 1, 1).unwrap()).unwrap().get_days() as i64;
    days * 86_400_000 + 2 * 3_600_000
}

impl H {
    pub async fn on(date: &str) -> H {
        let t = TestDb::new().await.unwrap();
        qy_storage::migrate(&t.db, &[qy_credit::MIGRATIONS], 0).await.unwrap();
        let clock = Arc::new(FixedClock::new(at(date)));
        let credit = Credit::new(t.db.clone(), clock.clone(), Arc::new(TestVault), Arc::new(Policy::default()));
        H { credit, clock, _db: t }
    }

    pub fn set_date(&self, date: &str) {
        let now = qy_kernel::Clock::now_ms(&*self.clock);
        self.clock.advance_ms(at(date) - now);
    }
}

pub fn staff(id: &str, department: &str, perms: &[&str]) -> Principal {
    Principal {
        account_id: id.into(),
        username: id.into(),
        display_name: id.into(),
        kind: PrincipalKind::Staff,
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        scope: RegionScope::province(),
        department_id: Some(department.into()),
        uscc: None,
        token_scopes: None,
    }
}

/// An officer of the market-regulation department who may do everything but approve.
pub fn officer() -> Principal {
    staff(
        "officer-1",
        "dept-market",
        &[perm::RECORDS_WRITE, perm::LISTS_PROPOSE, perm::REPAIRS_REVIEW, perm::INTERNAL_READ, perm::CHECK],
    )
}

/// A second person who approves list entries.
pub fn reviewer() -> Principal {
    staff("reviewer-1", "dept-ndrc", &[perm::LISTS_APPROVE, perm::INTERNAL_READ, perm::PERSONAL_DATA_READ])
}

pub fn enterprise(uscc: &str) -> Principal {
    Principal {
        account_id: format!("ent-{uscc}"),
        username: "ent".into(),
        display_name: "ent".into(),
        kind: PrincipalKind::Enterprise,
        permissions: Default::default(),
        scope: RegionScope::province(),
        department_id: None,
        uscc: Some(uscc.into()),
        token_scopes: None,
    }
}

/// A valid USCC in Qinghai from an 8-character organisation body.
pub fn uscc(region: &str, body: &str) -> String {
    qy_cnid::Uscc::build("91", region, body).unwrap().as_str().to_owned()
}

pub fn authority_uscc() -> String {
    qy_cnid::Uscc::build("11", "632521", "MB1234A5").unwrap().as_str().to_owned()
}

pub fn penalty(name: &str, code: &str, decision_no: &str, decided: &str, severity: Severity) -> Penalty {
    Penalty {
        subject_name: name.into(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(code.into()),
        legal_rep: Some("王建国".into()),
        person_id_type: None,
        person_id: None,
        decision_no: decision_no.into(),
        violation_type: "销售过期食品".into(),
        facts: "销售超过保质期的预包装食品".into(),
        basis: "《中华人民共和国食品安全法》第一百二十四条".into(),
        categories: vec![PenaltyCategory::Fine],
        content: "罚款人民币20000元".into(),
        fine_fen: 2_000_000,
        confiscated_fen: 0,
        suspended_licence: None,
        decision_date: decided.parse().unwrap(),
        valid_until: None,
        authority: "共和县市场监督管理局".into(),
        authority_uscc: authority_uscc(),
        source: "共和县市场监督管理局".into(),
        source_uscc: authority_uscc(),
        severity,
        note: None,
    }
}

pub fn licence(name: &str, code: &str, decision_no: &str, decided: &str) -> Licence {
    Licence {
        subject_name: name.into(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(code.into()),
        legal_rep: Some("王建国".into()),
        person_id_type: None,
        person_id: None,
        decision_doc_name: "准予行政许可决定书".into(),
        decision_no: decision_no.into(),
        kind: LicenceKind::General,
        certificate_name: "食品经营许可证".into(),
        licence_no: "JY16325210001".into(),
        content: "预包装食品销售".into(),
        decision_date: decided.parse().unwrap(),
        valid_from: Some(decided.parse().unwrap()),
        valid_to: Some("2099-12-31".parse().unwrap()),
        authority: "共和县市场监督管理局".into(),
        authority_uscc: authority_uscc(),
        status: LicenceStatus::Valid,
        source: "共和县市场监督管理局".into(),
        source_uscc: authority_uscc(),
        note: None,
    }
}
