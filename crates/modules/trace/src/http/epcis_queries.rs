//! Named queries (`/epcis/queries`) and their webhook subscriptions.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use qy_kernel::Error;
use qy_web::AppState;
use serde_json::{json, Value};

use super::epcis::{answer, encode, params_of, require, EpcisUser};
use super::epcis_error::EpcisResult;
use crate::domain::perm;
use crate::store::queries::{self, Subscription};
use crate::{service, Ctx};

fn body_json(body: &Bytes) -> EpcisResult<Value> {
    Ok(serde_json::from_slice(body)
        .map_err(|e| Error::bad_request("trace.malformed_query", format!("not JSON: {e}")))?)
}

fn created(location: String) -> Response {
    let mut r = StatusCode::CREATED.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

pub async fn list(State(state): State<AppState>, EpcisUser(p): EpcisUser) -> EpcisResult<Json<Value>> {
    require(&p, perm::QUERY)?;
    let all = queries::list(&state.db).await?;
    Ok(Json(Value::Array(all.into_iter().map(|q| json!({"name": q.name, "query": q.query})).collect())))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    body: Bytes,
) -> EpcisResult<Response> {
    let v = body_json(&body)?;
    let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
    let q = v.get("query").cloned().unwrap_or_else(|| json!({}));
    service(&state, &ctx).create_query(&p, &name, &q).await?;
    Ok(created(format!("/epcis/queries/{}", encode(&name))))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    Path(name): Path<String>,
) -> EpcisResult<Json<Value>> {
    require(&p, perm::QUERY)?;
    let q = service(&state, &ctx).named_query(&name).await?;
    Ok(Json(json!({"name": q.name, "query": q.query})))
}

pub async fn delete(
    State(state): State<AppState>,
    EpcisUser(p): EpcisUser,
    Path(name): Path<String>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    if queries::delete(&state.db, &name).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(Error::not_found("trace.no_such_query", format!("no query named {name}")).into())
    }
}

/// The named query's results; URL parameters (paging) add to its own.
pub async fn events(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    headers: HeaderMap,
    uri: Uri,
    Path(name): Path<String>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    let trace = service(&state, &ctx);
    let q = trace.named_query(&name).await?;
    let mut pairs = qy_epcis::query::body_to_params(&q.query)
        .map_err(|e| Error::bad_request("trace.query_parameter", format!("{}: {}", e.parameter, e.message)))?;
    pairs.extend(params_of(&uri));
    answer(&trace, &uri, &headers, &name, pairs).await
}

fn sub_json(s: &Subscription) -> Value {
    json!({
        "subscriptionID": s.id, "queryName": s.query_name, "dest": s.dest, "stream": s.stream,
        "schedule": s.schedule, "reportIfEmpty": s.report_if_empty, "lastStatus": s.last_status,
        "createdAt": jiff::Timestamp::from_millisecond(s.created_at).map(|t| t.to_string()).unwrap_or_default(),
    })
}

pub async fn subscriptions(
    State(state): State<AppState>,
    EpcisUser(p): EpcisUser,
    Path(name): Path<String>,
) -> EpcisResult<Json<Value>> {
    require(&p, perm::QUERY)?;
    if queries::get(&state.db, &name).await?.is_none() {
        return Err(Error::not_found("trace.no_such_query", format!("no query named {name}")).into());
    }
    let subs = queries::subscriptions(&state.db, Some(&name)).await?;
    Ok(Json(Value::Array(subs.iter().map(sub_json).collect())))
}

pub async fn subscribe(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    Path(name): Path<String>,
    body: Bytes,
) -> EpcisResult<Response> {
    let v = body_json(&body)?;
    let s = service(&state, &ctx).subscribe(&p, &name, &v).await?;
    Ok(created(format!("/epcis/queries/{}/subscriptions/{}", encode(&name), s.id)))
}

pub async fn subscription(
    State(state): State<AppState>,
    EpcisUser(p): EpcisUser,
    Path((name, id)): Path<(String, String)>,
) -> EpcisResult<Json<Value>> {
    require(&p, perm::QUERY)?;
    let s = queries::subscription(&state.db, &name, &id)
        .await?
        .ok_or_else(|| Error::not_found("trace.no_such_subscription", format!("no subscription {id}")))?;
    Ok(Json(sub_json(&s)))
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    EpcisUser(p): EpcisUser,
    Path((name, id)): Path<(String, String)>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    if queries::unsubscribe(&state.db, &name, &id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(Error::not_found("trace.no_such_subscription", format!("no subscription {id}")).into())
    }
}
