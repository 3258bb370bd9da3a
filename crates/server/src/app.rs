//! Builds the whole application from a configuration.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::Router;
use qy_kernel::{Clock, SystemClock};
use qy_storage::Db;
use qy_web::{i18n, templates, AppState, Core, WebConfig};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::{modules, shell, Config};

/// A built application: the router to serve and the state behind it.
pub struct App {
    pub router: Router,
    pub state: AppState,
    /// The generated password of `admin`, when this start created it without one configured.
    pub generated_admin_password: Option<String>,
    pub openapi: utoipa::openapi::OpenApi,
    /// The HJ 212 gateway's shared state (serve it with `qy_eco::gateway::serve`).
    pub ingest: Arc<qy_eco::Ingest>,
    /// The credit service (demo data, CLI).
    pub credit: qy_credit::Credit,
    /// The joint rewards and punishments port, as other modules receive it.
    pub credit_check: Arc<dyn qy_kernel::credit::CreditCheck>,
    /// The catalog service (demo data, webhook deliveries).
    pub catalog: qy_catalog::Catalog,
    /// The traceability service (demo data, subscription deliveries, benchmarks).
    pub trace: qy_trace::Trace,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Qingyun (青云) API", description = "Cloud Qinghai platform API. Errors are RFC 9457 problem+json with a stable `code`."),
    components(schemas(qy_web::Problem)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security =
            Some(vec![utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

pub async fn build(config: &Config) -> Result<App, String> {
    build_with_clock(config, Arc::new(SystemClock)).await
}

pub async fn build_with_clock(config: &Config, clock: Arc<dyn Clock>) -> Result<App, String> {
    let err = |e: qy_kernel::Error| format!("{}: {}", e.code, e.detail);
    let secret = config.load_or_create_secret()?;
    let db = Db::connect(&config.database_url()).await.map_err(err)?;
    qy_storage::migrate(&db, &modules::migrations(), clock.now_ms()).await.map_err(err)?;
    qy_regions::load_shipped(&db).await.map_err(err)?;
    let bus = qy_bus::connect(config.nats_url.as_deref(), clock.clone()).await.map_err(|e| e.to_string())?;

    let identity = qy_identity::Identity::new(db.clone(), clock.clone(), qy_identity::crypto::Sealer::new(secret));
    let regions = Arc::new(qy_regions::StoreDirectory::new(db.clone()));
    let bootstrap =
        identity.bootstrap(regions.as_ref(), config.bootstrap_admin_password.as_deref()).await.map_err(err)?;

    let audit = qy_audit::sink(db.clone(), clock.clone());
    if let Some(id) = &bootstrap.created_admin {
        let target = format!("identity_account/{id}");
        crate::system_audit::record(
            audit.as_ref(),
            "identity.bootstrap",
            target,
            "first operator created at first start",
        )
        .await
        .map_err(err)?;
    }
    let ingest = Arc::new(qy_eco::Ingest::new(db.clone(), clock.clone(), bus.clone()));
    let vault: Arc<dyn qy_kernel::vault::PersonalDataVault> = Arc::new(qy_identity::crypto::Sealer::new(secret));
    let credit_policy = Arc::new(match &config.credit_policy {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            qy_credit::Policy::from_toml(&text, path.parent().unwrap_or(std::path::Path::new(".")))?
        }
        None => qy_credit::Policy::default(),
    });
    let credit = qy_credit::Credit::new(db.clone(), clock.clone(), vault.clone(), credit_policy.clone());
    let credit_check: Arc<dyn qy_kernel::credit::CreditCheck> = Arc::new(qy_credit::Checker(credit.clone()));
    let feeds: Arc<dyn qy_kernel::feed::DataFeeds> =
        Arc::new(qy_kernel::feed::Feeds(vec![Arc::new(qy_eco::feeds::EcoFeeds::new(db.clone()))]));
    let catalog_policy = Arc::new(qy_catalog::Policy::default());
    let catalog = qy_catalog::Catalog::new(db.clone(), clock.clone(), feeds.clone(), catalog_policy.clone());
    let trace_config = qy_trace::TraceConfig {
        namespace: config.trace_namespace.clone().unwrap_or_else(|| qy_trace::config::DEFAULT_NAMESPACE.to_owned()),
        ..Default::default()
    };
    let mods = modules::all(&modules::Wiring {
        secret,
        ingest: ingest.clone(),
        vault,
        credit_policy,
        feeds,
        catalog_policy,
        trace_config: trace_config.clone(),
    });
    let mut ftl: Vec<i18n::FtlSource> = qy_web::LOCALES.to_vec();
    ftl.extend_from_slice(shell::LOCALES);
    let mut tpl: Vec<(&'static str, &'static str)> = shell::TEMPLATES.to_vec();
    let mut nav = shell::nav();
    for m in &mods {
        ftl.extend_from_slice(m.locales());
        tpl.extend_from_slice(m.templates());
        nav.extend(m.nav());
    }
    let i18n = Arc::new(i18n::I18n::new(&ftl)?);
    let templates = templates::environment(i18n.clone(), &tpl)?;

    let trace = qy_trace::Trace::new(db.clone(), clock.clone(), bus.clone(), Arc::new(trace_config));
    let state = AppState(Arc::new(Core {
        db,
        clock: clock.clone(),
        bus,
        audit,
        auth: qy_identity::IdentityAuthenticator::new(identity),
        regions,
        i18n,
        templates,
        nav,
        limiter: Default::default(),
        config: WebConfig { cookie_secure: config.cookie_secure, public_url: config.public_url.clone() },
    }));

    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(shell::api());
    let mut pages = shell::pages();
    for m in &mods {
        api = api.merge(m.api());
        pages = pages.merge(m.pages());
    }
    let (api_router, openapi) = api.split_for_parts();
    let router = Router::new()
        .merge(pages)
        .merge(api_router)
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi.clone()))
        .route("/api/{*rest}", axum::routing::any(qy_web::problem::api_not_found))
        .method_not_allowed_fallback(qy_web::problem::api_method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), qy_web::audit_layer::audit_writes))
        .layer(axum::middleware::from_fn(crate::metrics_layer::record))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // Path only: query strings may carry search terms typed by people.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(HeaderName::from_static("x-request-id")))
        .layer(SetRequestIdLayer::new(HeaderName::from_static("x-request-id"), MakeRequestUuid))
        .with_state(state.clone());
    Ok(App {
        router,
        state,
        generated_admin_password: bootstrap.generated_password,
        openapi,
        ingest,
        credit,
        credit_check,
        catalog,
        trace,
    })
}
