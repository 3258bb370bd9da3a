//! Round-trip properties: Digital Link build → write → parse, and EPC URN → Digital Link → URN.

use proptest::prelude::*;
use qy_gs1::charset::CSET82;
use qy_gs1::{digital_link_to_urn, mod10_check_digit, urn_to_digital_link, DigitalLink};

fn gtin14() -> impl Strategy<Value = String> {
    "[0-9]{13}".prop_map(|body| format!("{body}{}", mod10_check_digit(&body).unwrap_or(0)))
}

/// 1 to 20 characters of GS1 AI encodable character set 82.
fn cset82_value() -> impl Strategy<Value = String> {
    let chars: Vec<char> = CSET82.chars().collect();
    prop::collection::vec(prop::sample::select(chars), 1..=20).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #[test]
    fn digital_link_round_trip(gtin in gtin14(), lot in cset82_value(), serial in cset82_value(), with_lot: bool) {
        let mut dl = DigitalLink::new("01", &gtin);
        if with_lot {
            dl = dl.with_qualifier("10", &lot);
        }
        dl = dl.with_qualifier("21", &serial);
        prop_assert_eq!(dl.validate(), Ok(()));
        let uri = dl.to_uri();
        prop_assert_eq!(DigitalLink::parse(&uri), Ok(dl.clone()));
        prop_assert_eq!(dl.canonical(), uri);
    }

    #[test]
    fn custom_domain_round_trip(gtin in gtin14(), lot in cset82_value(), exp in "[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])") {
        let mut dl = DigitalLink::new("01", &gtin).with_qualifier("10", &lot);
        dl.domain = "https://trace.example.cn/qr".into();
        dl.attributes.push(("17".into(), exp));
        let parsed = DigitalLink::parse(&dl.to_uri());
        prop_assert_eq!(parsed, Ok(dl));
    }

    #[test]
    fn urn_round_trip(cp_len in 7usize..=12, digits in "[0-9]{13}", serial in cset82_value()) {
        let cp = &digits[1..=cp_len];
        let ir = format!("{}{}", &digits[..1], &digits[cp_len + 1..]);
        let enc = qy_gs1::charset::percent_encode_urn(&serial);
        let urn = format!("urn:epc:id:sgtin:{cp}.{ir}.{enc}");
        let dl = urn_to_digital_link(&urn);
        prop_assert!(dl.is_ok(), "{urn}: {dl:?}");
        let dl = dl.unwrap_or_default();
        let back = digital_link_to_urn(&dl, u8::try_from(cp_len).unwrap_or(0));
        prop_assert_eq!(back, Ok(urn));
        let parsed = DigitalLink::parse(&dl).map(|l| l.qualifier("21").map(str::to_owned));
        prop_assert_eq!(parsed, Ok(Some(serial)));
    }

    #[test]
    fn sscc_and_sgln_round_trip(cp_len in 7usize..=12, d17 in "[0-9]{17}", d12 in "[0-9]{12}") {
        let l = u8::try_from(cp_len).unwrap_or(0);
        let sscc = format!("urn:epc:id:sscc:{}.{}{}", &d17[1..=cp_len], &d17[..1], &d17[cp_len + 1..]);
        let dl = urn_to_digital_link(&sscc).unwrap_or_default();
        prop_assert_eq!(digital_link_to_urn(&dl, l), Ok(sscc));
        let sgln = format!("urn:epc:id:sgln:{}.{}.0", &d12[..cp_len], &d12[cp_len..]);
        let dl = urn_to_digital_link(&sgln).unwrap_or_default();
        prop_assert_eq!(digital_link_to_urn(&dl, l), Ok(sgln));
    }

    #[test]
    fn never_panics(s in "\\PC{0,60}") {
        let _ = qy_gs1::check(&s);
        let _ = qy_gs1::constrained_canonical(&s);
        let _ = DigitalLink::parse(&format!("https://id.gs1.org/{s}"));
        let _ = urn_to_digital_link(&format!("urn:epc:id:sgtin:{s}"));
        let _ = qy_gs1::parse_ear_tag(&s);
    }
}
