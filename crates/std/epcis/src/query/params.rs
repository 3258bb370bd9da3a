//! `GET /events` URL parameters.

use super::apply::{apply, finish};
use super::{Query, QueryParamError};

/// Parses decoded URL query pairs (`EQ_bizStep=shipping|receiving`) into a [`Query`]. Values are
/// split on `|`; a parameter may appear once (repeat values with `|`, not by repeating the name).
///
/// ```
/// use qy_epcis::query::parse_query_params;
///
/// let pairs = [("EQ_bizStep".to_owned(), "shipping|receiving".to_owned())];
/// let q = parse_query_params(&pairs).unwrap();
/// assert_eq!(q.biz_steps[1].uri, "https://ref.gs1.org/cbv/BizStep-receiving");
/// ```
///
/// # Errors
/// The first unsupported, repeated or malformed parameter.
pub fn parse_query_params(pairs: &[(String, String)]) -> Result<Query, QueryParamError> {
    let mut q = Query::default();
    let mut seen: Vec<&str> = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        if seen.contains(&name.as_str()) {
            return Err(QueryParamError::new(name, "is given more than once; separate several values with |"));
        }
        seen.push(name);
        let values: Vec<String> =
            if value.is_empty() { Vec::new() } else { value.split('|').map(str::to_owned).collect() };
        apply(&mut q, name, &values)?;
    }
    finish(q)
}
