//! Personal data that must not reach the public even when an officer types it into a free
//! text field (违法事实 "当事人张三，身份证号…，电话…"): resident ID numbers and mobile numbers
//! are masked in every public view. Structured personal fields are removed separately.

/// Masks 18-character resident ID numbers (`630102********1234`) and 11-digit mainland
/// mobile numbers (`139****5678`) inside `text`. Digit runs of other lengths (amounts,
/// document numbers, USCC parts) are left alone.
pub fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        // An ID's last character may be X.
        if i - start == 17 && i < chars.len() && matches!(chars[i], 'X' | 'x') {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let followed_by_alnum = i < chars.len() && chars[i].is_ascii_alphanumeric();
        let masked = match run.len() {
            18 if !followed_by_alnum => Some(format!("{}********{}", &run[..6], &run[14..])),
            11 if !followed_by_alnum && run.starts_with('1') && run.as_bytes()[1] >= b'3' => {
                Some(format!("{}****{}", &run[..3], &run[7..]))
            }
            _ => None,
        };
        out.push_str(masked.as_deref().unwrap_or(&run));
    }
    out
}

/// `redact` applied to every string inside a JSON value.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => *s = redact(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn ids_and_mobiles_are_masked_in_free_text() {
        assert_eq!(
            redact("当事人张三（身份证号632521198503120317，电话13912345678）"),
            "当事人张三（身份证号632521********0317，电话139****5678）"
        );
        assert_eq!(redact("身份证63252119850312031X。"), "身份证632521********031X。");
    }

    #[test]
    fn other_numbers_are_left_alone() {
        for s in ["罚款人民币20000元", "共市监罚〔2026〕12号", "91632521MA0ABC1234", "编号 123456789012", "12345678901"]
        {
            assert_eq!(redact(s), s);
        }
    }
}
