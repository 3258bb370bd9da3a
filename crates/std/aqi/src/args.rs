//! `KEY=VALUE` command-line arguments, shared by the AQI and water-class commands.

use crate::decimal::Decimal;
use crate::error::AqiError;

/// Split `KEY=VALUE` at the first `=`, parse the key with `parse_key` and the value as a
/// [`Decimal`].
pub(crate) fn parse_pairs<K, S: AsRef<str>>(
    args: &[S],
    parse_key: impl Fn(&str) -> Result<K, AqiError>,
) -> Result<Vec<(K, Decimal)>, AqiError> {
    args.iter()
        .map(|arg| {
            let arg = arg.as_ref();
            let (k, v) = arg.split_once('=').ok_or_else(|| AqiError::BadArgument { found: arg.to_string() })?;
            if k.trim().is_empty() {
                return Err(AqiError::BadArgument { found: arg.to_string() });
            }
            Ok((parse_key(k)?, Decimal::parse(v)?))
        })
        .collect()
}
