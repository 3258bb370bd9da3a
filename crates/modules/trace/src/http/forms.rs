//! The producers' pages (`/trace/record`): simple forms for herders and cooperatives that
//! record animals and lots, inspections, slaughter and processing, packing, shipping with
//! the cold chain, receiving and retail sale, each written as a correct EPCIS event.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::Error;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{AppState, CsrfForm, PageUser};
use serde::Deserialize;

use crate::service::forms::{parse_readings, Actor};
use crate::store::master;
use crate::{service, Ctx, Trace};

pub fn router() -> Router<AppState> {
    Router::new().route("/trace/record", get(record_page)).route("/trace/record/{form}", post(submit))
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
    lot: Option<String>,
    gtin: Option<String>,
}

/// A translated message for an error shown inside a form (English detail when no
/// translation exists for its code).
pub(crate) fn message(state: &AppState, lang: &str, e: &Error) -> String {
    let key = format!("error-{}", e.code.replace('.', "-"));
    if state.i18n.has(&key) {
        let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        state.i18n.t(lang, &key, &args)
    } else {
        e.detail.clone()
    }
}

async fn page(
    state: &AppState,
    trace: &Trace,
    base: &Base,
    actor: &Actor,
    flash: Flash,
    error: Option<String>,
    form: Option<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(state, base, e);
    let products = master::products_of(&state.db, None).await.map_err(err)?;
    let parties = master::parties(&state.db).await.map_err(err)?;
    let lots = master::lots_of(&state.db, &actor.party.uscc, 50).await.map_err(err)?;
    let animals = master::animals_of(&state.db, &actor.party.uscc, 50).await.map_err(err)?;
    let today = trace.today();
    let status = if error.is_some() { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    Ok(qy_web::page::render_with_status(
        state,
        base,
        status,
        "trace/record.html",
        context! {
            party => &actor.party, products, parties, lots, animals, today, error, form,
            done => flash.done, done_lot => flash.lot, done_gtin => flash.gtin,
        },
    ))
}

async fn record_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let trace = service(&state, &ctx);
    let actor = trace.actor(&user.principal).await.map_err(|e| PageError::new(&state, &base, e))?;
    page(&state, &trace, &base, &actor, flash, None, None).await
}

/// Every form's fields; each form uses its own subset.
#[derive(Debug, Deserialize, Default)]
struct RecordForm {
    #[serde(default)]
    ear_tag: String,
    #[serde(default)]
    breed: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gtin: String,
    #[serde(default)]
    lot: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    produced_on: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    certificate: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    inputs: String,
    #[serde(default)]
    sscc: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    readings: String,
    #[serde(default)]
    at: String,
}

fn quantity(s: &str) -> Result<f64, Error> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| Error::bad_request("trace.invalid_quantity", "quantity must be a positive number of kilograms"))
}

fn lines(s: &str) -> Vec<String> {
    s.split(['\n', ',', ' ', '，']).map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

async fn submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(form): Path<String>,
    CsrfForm(f): CsrfForm<RecordForm>,
) -> Result<Response, PageError> {
    let trace = service(&state, &ctx);
    let actor = trace.actor(&user.principal).await.map_err(|e| PageError::new(&state, &base, e))?;
    let at = Some(f.at.as_str()).filter(|s| !s.trim().is_empty());
    let outcome: Result<String, Error> = async {
        match form.as_str() {
            "animal" => {
                trace.register_animal(&actor, &f.ear_tag, &f.breed, &f.birth_date, at).await?;
                Ok("done=animal".to_owned())
            }
            "lot" => {
                let lot = trace.register_lot(&actor, &f.gtin, &f.lot, quantity(&f.quantity)?, &f.produced_on).await?;
                Ok(lot_flash(&lot.gtin, &lot.lot))
            }
            "inspect" => {
                let issuer = if f.issuer.trim().is_empty() { actor.party.name.clone() } else { f.issuer.clone() };
                trace.inspect(&actor, &f.target, &f.certificate, f.result != "fail", &issuer, at).await?;
                Ok("done=inspect".to_owned())
            }
            "transform" => {
                let lot =
                    trace.transform(&actor, &lines(&f.inputs), &f.gtin, &f.lot, quantity(&f.quantity)?, at).await?;
                Ok(lot_flash(&lot.gtin, &lot.lot))
            }
            "pack" => {
                trace.pack(&actor, &f.sscc, &lines(&f.inputs), at).await?;
                Ok("done=pack".to_owned())
            }
            "ship" => {
                let day = at.map(|a| a.get(..10).unwrap_or(a).to_owned()).unwrap_or_else(|| trace.today());
                let readings = parse_readings(&day, &f.readings)?;
                trace.ship(&actor, &f.target, &f.to, &readings, at).await?;
                Ok("done=ship".to_owned())
            }
            "receive" => {
                trace.receive(&actor, &f.target, at).await?;
                Ok("done=receive".to_owned())
            }
            "sell" => {
                trace.sell(&actor, &f.target, at).await?;
                Ok("done=sell".to_owned())
            }
            other => Err(Error::not_found("trace.no_such_form", format!("no form {other}"))),
        }
    }
    .await;
    match outcome {
        Ok(flash) => Ok(Redirect::to(&format!("/trace/record?{flash}#done")).into_response()),
        Err(e) if e.kind == qy_kernel::ErrorKind::Internal => Err(PageError::new(&state, &base, e)),
        Err(e) => {
            let msg = message(&state, base.lang, &e);
            page(&state, &trace, &base, &actor, Flash::default(), Some(msg), Some(form)).await
        }
    }
}

fn lot_flash(gtin: &str, lot: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("done", "lot")
        .append_pair("gtin", gtin)
        .append_pair("lot", lot)
        .finish()
}
