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

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, then drains in-flight requests.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let service = app.router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await
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
