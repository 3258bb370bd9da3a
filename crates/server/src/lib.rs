//! The composition root: which modules exist, how they are wired to the kernel ports, and
//! the HTTP application. Nothing depends on this crate but the CLI and the test kit.

pub mod app;
pub mod config;
pub mod demo;
mod metrics_layer;
pub mod modules;
pub mod shell;
pub mod system_audit;

pub use app::{build, App};
pub use config::Config;

/// Serves `app`: HTTP on `http`, the HJ 212 gateway on `hj212` (when given), and the
/// housekeeping tasks, until Ctrl-C or SIGTERM; then drains in-flight requests.
pub async fn serve(
    app: App,
    http: tokio::net::TcpListener,
    hj212: Option<tokio::net::TcpListener>,
    config: &Config,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    app.ingest.repair_latest().await;
    let gateway = hj212.map(|listener| {
        let ingest = app.ingest.clone();
        tokio::spawn(qy_eco::gateway::serve(listener, ingest, qy_eco::GatewayConfig::default(), stop_rx.clone()))
    });
    tokio::spawn(housekeeping(app.state.clone(), config.packet_retention_days, stop_rx.clone()));
    // Hourly means from minute data, batched off the acknowledgement path.
    tokio::spawn(app.ingest.clone().run_derivations(std::time::Duration::from_secs(10), stop_rx.clone()));
    if let Some(url) = config.mqtt_url.clone() {
        // The shared subscription spreads frames over the instances of one deployment.
        let mqtt = qy_eco::gateway::mqtt::MqttConfig {
            url,
            client_id: format!("qingyun-{}", config.instance_id),
            group: qy_eco::gateway::mqtt::GROUP.into(),
            persistent: true,
            sta_base: format!(
                "{}/sta/v1.1",
                config
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", config.http_addr))
                    .trim_end_matches('/')
            ),
        };
        tokio::spawn(qy_eco::gateway::mqtt::run(mqtt, app.ingest.clone(), stop_rx.clone()));
    }
    tokio::spawn(qy_catalog::service::subscriptions::run_deliveries(app.catalog.clone(), stop_rx.clone()));
    tokio::spawn(qy_trace::service::subscriptions::run_deliveries(app.trace.clone(), stop_rx.clone()));
    spawn_early_warning(&app, config, stop_rx);
    let service = app.router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(http, service).with_graceful_shutdown(shutdown_signal()).await;
    let _ = stop_tx.send(true);
    // Station connections finish the uploads they have in flight (see `gateway::serve`).
    if let Some(gateway) = gateway {
        let _ = tokio::time::timeout(qy_eco::gateway::DRAIN + std::time::Duration::from_secs(1), gateway).await;
    }
    result
}

/// Early warning: the minute-by-minute silence check and the notification outbox.
fn spawn_early_warning(app: &App, config: &Config, stop: tokio::sync::watch::Receiver<bool>) {
    let (db, clock, bus) = (app.state.db.clone(), app.state.clock.clone(), app.state.bus.clone());
    let notifier =
        std::sync::Arc::new(qy_eco::alerts::outbox::LogFileNotifier::new(config.data_dir.join("notifications.log")));
    tokio::spawn(qy_eco::alerts::outbox::collect(db.clone(), clock.clone(), bus, stop.clone()));
    tokio::spawn(qy_eco::alerts::outbox::deliver(db, clock, notifier, stop.clone()));
    let alerts = app.ingest.alerts.clone();
    let mut stop = stop;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            match alerts.check_silent().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(alerts = n, "silent stations alerted"),
                Err(e) => tracing::warn!(code = %e.code, "silence check failed"),
            }
        }
    });
}

/// Hourly: drops raw HJ 212 packets, and real-time and minute values, older than the
/// retention period.
async fn housekeeping(state: qy_web::AppState, retention_days: u32, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        let before = state.now_ms() - i64::from(retention_days) * 86_400_000;
        match qy_eco::store::purge_packets(&state.db, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(rows = n, "purged archived HJ 212 packets past retention"),
            Err(e) => tracing::warn!(code = %e.code, "packet purge failed"),
        }
        // Real-time and minute values follow the same retention; hourly and daily values stay.
        match qy_eco::store::purge_fine_observations(&state.db, before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(rows = n, "purged real-time and minute values past retention"),
            Err(e) => tracing::warn!(code = %e.code, "observation purge failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
