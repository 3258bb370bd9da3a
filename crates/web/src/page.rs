//! Rendering pages inside the shared layout.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use minijinja::{context, Value};
use qy_kernel::auth::Authenticated;
use qy_kernel::Error;
use serde::Serialize;

use crate::extract::{lang_of, session_of};
use crate::module::Cloud;
use crate::problem::status_of;
use crate::{assets, csrf, i18n, AppState};

/// What every page needs about the request: locale, visitor, CSRF token, path.
#[derive(Debug, Clone)]
pub struct Base {
    pub lang: &'static str,
    pub auth: Option<Authenticated>,
    /// The raw session cookie, for logging out.
    pub session_token: Option<String>,
    pub csrf: String,
    /// The visitor had no CSRF cookie yet: one is set with this response.
    pub fresh_csrf: bool,
    pub path: String,
    /// Cookies set on this response get `Secure`.
    pub secure: bool,
}

impl FromRequestParts<AppState> for Base {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let auth = session_of(parts, state).await;
        let jar = CookieJar::from_headers(&parts.headers);
        let (csrf, fresh_csrf) = match (&auth, jar.get(csrf::COOKIE)) {
            (Some(a), _) if a.csrf_token.is_some() => (a.csrf_token.clone().unwrap_or_default(), false),
            (_, Some(c)) if !c.value().is_empty() => (c.value().to_owned(), false),
            _ => (csrf::new_token(), true),
        };
        let forwarded_https = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"));
        let session_token = auth.as_ref().and(jar.get(crate::extract::SESSION_COOKIE)).map(|c| c.value().to_owned());
        Ok(Base {
            lang,
            auth,
            session_token,
            csrf,
            fresh_csrf,
            path: parts.uri.path().to_owned(),
            secure: state.config.cookie_secure || forwarded_https,
        })
    }
}

impl Base {
    /// A cookie with the platform's attributes: HttpOnly, SameSite, Path=/, Secure over HTTPS.
    pub fn cookie(&self, name: &'static str, value: String, same_site: SameSite) -> Cookie<'static> {
        Cookie::build((name, value)).path("/").http_only(true).same_site(same_site).secure(self.secure).build()
    }

    pub fn principal(&self) -> Option<&qy_kernel::Principal> {
        self.auth.as_ref().map(|a| &a.principal)
    }
}

#[derive(Serialize)]
struct NavGroup {
    label: String,
    items: Vec<NavLink>,
}

#[derive(Serialize)]
struct NavLink {
    href: &'static str,
    label: String,
    current: bool,
}

fn nav(state: &AppState, base: &Base) -> Vec<NavGroup> {
    Cloud::ALL
        .iter()
        .filter_map(|cloud| {
            let items: Vec<NavLink> = state
                .nav
                .iter()
                .filter(|i| i.cloud == *cloud)
                .filter(|i| match (base.principal(), i.permission) {
                    (None, _) => i.public,
                    (Some(_), None) => true,
                    (Some(p), Some(perm)) => p.can(perm),
                })
                .map(|i| NavLink {
                    href: i.href,
                    label: state.i18n.t(base.lang, i.label, &[]),
                    current: base.path == i.href || (i.href != "/" && base.path.starts_with(i.href)),
                })
                .collect();
            (!items.is_empty()).then(|| NavGroup { label: state.i18n.t(base.lang, cloud.label_key(), &[]), items })
        })
        .collect()
}

/// Renders `template` with `ctx` plus the layout's values. Sets the CSRF cookie when new.
pub fn render(state: &AppState, base: &Base, template: &str, ctx: Value) -> Response {
    render_with_status(state, base, StatusCode::OK, template, ctx)
}

pub fn render_with_status(state: &AppState, base: &Base, status: StatusCode, template: &str, ctx: Value) -> Response {
    let user = base.principal().map(|p| {
        context! {
            name => p.display_name,
            username => p.username,
            kind => p.kind.as_str(),
            is_operator => p.is_operator(),
        }
    });
    let languages: Vec<Value> = i18n::LOCALES
        .iter()
        .map(|l| context! { code => *l, label => state.i18n.t(l, "language-self-name", &[]) })
        .collect();
    let full = context! {
        lang => base.lang,
        html_lang => if base.lang == "zh-CN" { "zh-Hans-CN" } else { base.lang },
        user => user,
        csrf => base.csrf,
        path => base.path,
        nav => nav(state, base),
        languages => languages,
        css => assets::url("qingyun.css"),
        js => assets::url("qingyun.js"),
        htmx => assets::url("htmx.min.js"),
        leaflet_js => assets::url("leaflet.js"),
        leaflet_css => assets::url("leaflet.css"),
        eco_map_js => assets::url("eco-map.js"),
        eco_chart_js => assets::url("eco-chart.js"),
        echarts_js => assets::url("echarts.min.js"),
        trace_map_js => assets::url("trace-map.js"),
        favicon => assets::url("favicon.svg"),
        ..ctx
    };
    let html = state.templates.get_template(template).and_then(|t| t.render(full));
    let mut resp = match html {
        Ok(h) => (status, Html(h)).into_response(),
        Err(e) => {
            tracing::error!(template, error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error; it has been logged").into_response()
        }
    };
    if base.fresh_csrf {
        let c = base.cookie(csrf::COOKIE, base.csrf.clone(), SameSite::Strict);
        if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// An error shown as a page in the visitor's language.
#[derive(Debug)]
pub struct PageError(pub Response);

impl PageError {
    pub fn new(state: &AppState, base: &Base, e: Error) -> Self {
        let status = status_of(e.kind);
        if e.kind == qy_kernel::ErrorKind::Internal {
            tracing::error!(code = %e.code, detail = %e.detail, "internal error on a page");
        }
        let key = format!("error-{}", e.code.replace('.', "-"));
        let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let message = if state.i18n.has(&key) {
            state.i18n.t(base.lang, &key, &args)
        } else {
            state.i18n.t(base.lang, &format!("error-status-{}", status.as_u16()), &[])
        };
        PageError(render_with_status(
            state,
            base,
            status,
            "error.html",
            context! { status => status.as_u16(), message => message, code => e.code.as_ref() },
        ))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0
    }
}
