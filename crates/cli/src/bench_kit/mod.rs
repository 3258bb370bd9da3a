//! What the in-process benches (`bench credit`, `bench catalog`) share: serving the
//! application on the loopback, a minimal HTTP/1.1 client, logging in and minting tokens
//! through the identity API, nearest-rank latency percentiles, and a deterministic random
//! number generator.

pub(crate) mod http;
pub(crate) mod identity;
pub(crate) mod latency;
pub(crate) mod rng;

use std::net::SocketAddr;

use anyhow::Context;
use tokio::task::JoinHandle;

/// Serves `app` on 127.0.0.1 with an ephemeral port; abort the handle to stop.
pub(crate) async fn serve(app: &qy_server::App) -> anyhow::Result<(SocketAddr, JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("cannot listen on 127.0.0.1")?;
    let addr = listener.local_addr()?;
    let router = app.router.clone();
    let server =
        tokio::spawn(
            async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await },
        );
    Ok((addr, server))
}

/// A password for accounts a bench creates (24 characters of an unambiguous alphabet).
pub(crate) fn password(rng: &mut rng::Rng) -> String {
    (0..24).map(|_| char::from(b"abcdefghjkmnpqrstuvwxyz23456789"[rng.below(31)])).collect()
}
