//! Where the events of an EPCIS document are.

use serde_json::Value;

use crate::problem::Problem;

/// JSON pointer of the event list in an EPCISDocument (the capture payload).
pub const DOCUMENT_EVENTS: &str = "/epcisBody/eventList";
/// JSON pointer of the event list in an EPCISQueryDocument (query results, subscription payloads,
/// and also accepted by `POST /capture`).
pub const QUERY_DOCUMENT_EVENTS: &str = "/epcisBody/queryResults/resultsBody/eventList";

/// The event list of an EPCISDocument or EPCISQueryDocument, in document order.
///
/// # Errors
/// A [`Problem`] naming the missing or mistyped part when `doc` is neither shape.
pub fn events(doc: &Value) -> Result<&Vec<Value>, Problem> {
    let (list, pointer) = locate(doc)?;
    list.as_array().ok_or_else(|| Problem::at(pointer.to_owned(), "eventList must be an array of events"))
}

/// The event list and its pointer; the pointer prefixes every per-event problem.
pub(crate) fn locate(doc: &Value) -> Result<(&Value, &'static str), Problem> {
    if let Some(list) = doc.pointer(DOCUMENT_EVENTS) {
        return Ok((list, DOCUMENT_EVENTS));
    }
    if let Some(list) = doc.pointer(QUERY_DOCUMENT_EVENTS) {
        return Ok((list, QUERY_DOCUMENT_EVENTS));
    }
    if !doc.is_object() {
        return Err(Problem::at(String::new(), "an EPCIS document must be a JSON object"));
    }
    match doc.get("epcisBody") {
        None => Err(Problem::at("/epcisBody".to_owned(), "epcisBody is missing")),
        Some(body) if body.get("queryResults").is_some() => Err(Problem::at(
            "/epcisBody/queryResults/resultsBody/eventList".to_owned(),
            "queryResults.resultsBody.eventList is missing",
        )),
        Some(_) => Err(Problem::at(DOCUMENT_EVENTS.to_owned(), "epcisBody.eventList is missing")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn finds_both_document_shapes() {
        let doc = json!({"epcisBody": {"eventList": [{"type": "ObjectEvent"}]}});
        assert_eq!(events(&doc).map(Vec::len), Ok(1));
        let query = json!({"epcisBody": {"queryResults": {"resultsBody": {"eventList": []}}}});
        assert_eq!(events(&query).map(Vec::len), Ok(0));
    }

    #[test]
    fn names_the_missing_part() {
        let err = events(&json!({"epcisBody": {}})).err().map(|p| p.field);
        assert_eq!(err.as_deref(), Some("eventList"));
        let err = events(&json!({"type": "EPCISDocument"})).err().map(|p| p.field);
        assert_eq!(err.as_deref(), Some("epcisBody"));
    }
}
