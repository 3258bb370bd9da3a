//! The HJ 212 TCP gateway: long-lived station connections, one task each.
//!
//! A data upload is acknowledged (9014) only after its observations are committed, so an
//! acknowledged packet survives a crash; a retransmitted packet (same station, QN and CN) is
//! answered again but stored once. A misbehaving connection (garbage, oversize frames, wrong
//! CRC or password, silence) costs only its own task and is closed after too many bad frames
//! or an idle period; it never blocks another station.

mod connections;
mod ingest;
pub mod mqtt;
pub mod writer;

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

pub use connections::{ConnectionInfo, Connections};
pub use ingest::{Ingest, Outcome};

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Close a connection that sent nothing for this long (loggers send at least every
    /// minute or hour; a dead peer must not hold a slot forever).
    pub idle_timeout: Duration,
    /// Connections beyond this wait for a free slot (protects memory under a flood).
    pub max_connections: usize,
    /// Close a connection after this many consecutive unusable frames.
    pub max_bad_frames: u32,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self { idle_timeout: Duration::from_secs(30 * 60), max_connections: 4096, max_bad_frames: 20 }
    }
}

/// Accepts connections on `listener` until `shutdown` turns true.
pub async fn serve(
    listener: TcpListener,
    ingest: Arc<Ingest>,
    config: GatewayConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(config.max_connections));
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(%addr, "HJ 212 gateway listening");
    }
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => return },
            _ = shutdown.changed() => return,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => return,
        };
        match accepted {
            Ok((stream, peer)) => {
                let ingest = ingest.clone();
                let config = config.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    connection(stream, peer.to_string(), ingest, config, shutdown).await;
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn connection(
    mut stream: TcpStream,
    peer: String,
    ingest: Arc<Ingest>,
    config: GatewayConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let mut decoder = qy_hj212::Decoder::with_options(qy_hj212::FrameOptions::LEGACY);
    let mut buf = vec![0u8; 4096];
    let mut bad = 0u32;
    let mut mn: Option<String> = None;
    metrics::gauge!("qy_eco_hj212_connections").increment(1.0);
    'conn: loop {
        let read = tokio::select! {
            r = tokio::time::timeout(config.idle_timeout, stream.read(&mut buf)) => r,
            _ = shutdown.changed() => break,
        };
        let n = match read {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => n,
            Ok(Err(e)) => {
                tracing::debug!(%peer, error = %e, "read failed");
                break;
            }
        };
        decoder.push(buf.get(..n).unwrap_or_default());
        while let Some(frame) = decoder.next_frame() {
            let outcome = match frame {
                Ok(frame) => ingest.handle(&frame, &peer).await,
                Err(e) => Outcome::Rejected(format!("frame: {e}")),
            };
            match outcome {
                Outcome::Reply { reply, mn: station } => {
                    bad = 0;
                    if mn.as_deref() != Some(station.as_str()) {
                        ingest.connections.connected(&station, &peer);
                        mn = Some(station);
                    }
                    if let Some(mn) = &mn {
                        ingest.connections.seen(mn);
                    }
                    if let Some(r) = reply {
                        if stream.write_all(r.as_bytes()).await.is_err() {
                            break 'conn;
                        }
                    }
                }
                Outcome::Rejected(reason) => {
                    bad += 1;
                    metrics::counter!("qy_eco_hj212_rejected_total").increment(1);
                    tracing::warn!(%peer, reason = %reason, "HJ 212 frame rejected");
                    if bad >= config.max_bad_frames {
                        tracing::warn!(%peer, "closing connection after repeated bad frames");
                        break 'conn;
                    }
                }
                Outcome::Unavailable(reason) => {
                    // Not acknowledged: the logger keeps the data and sends it again.
                    tracing::error!(%peer, reason = %reason, "upload not stored");
                }
            }
        }
    }
    if let Some(mn) = &mn {
        ingest.connections.disconnected(mn, &peer);
    }
    metrics::gauge!("qy_eco_hj212_connections").decrement(1.0);
}
