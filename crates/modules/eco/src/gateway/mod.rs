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

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

pub use connections::{ConnectionInfo, Connections};
pub use ingest::{Ingest, Outcome, Started, Storing};

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

/// How long `serve` waits at shutdown for connections to finish what they have in flight.
pub const DRAIN: Duration = Duration::from_secs(5);

/// Accepts connections on `listener` until `shutdown` turns true; then waits (at most `DRAIN`)
/// for the connections to finish the uploads they have in flight: answered if they can be,
/// and what follows their commit run.
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
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = shutdown.changed() => break,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        // Forget the connections that ended.
        while connections.try_join_next().is_some() {}
        match accepted {
            Ok((stream, peer)) => {
                let ingest = ingest.clone();
                let config = config.clone();
                let shutdown = shutdown.clone();
                connections.spawn(async move {
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
    let drained = tokio::time::timeout(DRAIN, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(left = connections.len(), "HJ 212 connections still busy at shutdown; abandoned");
    }
}

/// Frames of one connection started (their uploads handed to the writer) before the oldest
/// is answered. A logger that sends its backlog back to back after an outage gets its packets
/// stored in a few batches instead of one batch per packet; a connection that sends faster
/// than it is answered is not read until the oldest is done (back-pressure). 8 did no better
/// with 200 stations and worse with 1,000, whose 8,000 uploads overran the writer's queue and
/// raised the server's memory by about 40 MB (docs/benchmarks.md, section 2).
const MAX_IN_FLIGHT: usize = 4;

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
    let mut conn = Answering { peer, bad: 0, mn: None };
    // Frames started and not yet answered, oldest first; answers go out in this order.
    let mut in_flight: VecDeque<Started> = VecDeque::new();
    metrics::gauge!("qy_eco_hj212_connections").increment(1.0);
    // Once the station stops sending (end of stream, idle), the frames it sent are still
    // handled and answered; at shutdown, the ones in flight. Once answers can no longer go out
    // (a failed write, too many bad frames), what is in flight is still finished: its data is
    // committed or about to be, and what follows a commit must run.
    let (mut reading, mut answering, mut stopping) = (true, true, false);
    loop {
        while answering && !stopping && in_flight.len() < MAX_IN_FLIGHT {
            let Some(item) = decoder.next_frame() else { break };
            in_flight.push_back(match item {
                Ok(frame) => ingest.start(&frame, &conn.peer).await,
                Err(e) => Started::Answered(Outcome::Rejected(format!("frame: {e}"))),
            });
        }
        while let Some(Started::Answered(_)) = in_flight.front() {
            if let Some(Started::Answered(outcome)) = in_flight.pop_front() {
                answering = answering && conn.answer(outcome, &ingest, &mut stream, &config).await;
            }
        }
        if in_flight.is_empty() && !(reading && answering && !stopping) {
            break;
        }
        let event = tokio::select! {
            committed = oldest_committed(&mut in_flight) => Event::Committed(committed),
            r = tokio::time::timeout(config.idle_timeout, stream.read(&mut buf)),
                if reading && answering && !stopping && in_flight.len() < MAX_IN_FLIGHT => Event::Read(r),
            _ = shutdown.changed(), if !stopping => Event::Shutdown,
        };
        match event {
            Event::Committed(committed) => {
                if let Some(Started::Storing(storing)) = in_flight.pop_front() {
                    let outcome = ingest.finish(*storing, committed).await;
                    answering = answering && conn.answer(outcome, &ingest, &mut stream, &config).await;
                }
            }
            Event::Read(Ok(Ok(n))) if n > 0 => decoder.push(buf.get(..n).unwrap_or_default()),
            Event::Read(read) => {
                if let Ok(Err(e)) = read {
                    tracing::debug!(peer = %conn.peer, error = %e, "read failed");
                }
                reading = false;
            }
            Event::Shutdown => stopping = true,
        }
    }
    if let Some(mn) = &conn.mn {
        ingest.connections.disconnected(mn, &conn.peer);
    }
    metrics::gauge!("qy_eco_hj212_connections").decrement(1.0);
}

enum Event {
    Committed(qy_kernel::Result<writer::Committed>),
    /// A read: bytes, end of stream (0), an error, or the idle timeout.
    Read(Result<std::io::Result<usize>, tokio::time::error::Elapsed>),
    Shutdown,
}

/// Resolves when the oldest frame in flight has its upload committed (never, if the oldest
/// has no upload or there is none). Cancel-safe: the outcome waits for the next call.
async fn oldest_committed(in_flight: &mut VecDeque<Started>) -> qy_kernel::Result<writer::Committed> {
    match in_flight.front_mut() {
        Some(Started::Storing(storing)) => (&mut storing.pending).await,
        _ => std::future::pending().await,
    }
}

/// What a connection remembers between its answers.
struct Answering {
    peer: String,
    /// Unusable frames in a row.
    bad: u32,
    /// The station this connection speaks for, once one frame was accepted.
    mn: Option<String>,
}

impl Answering {
    /// Sends what `outcome` calls for; `false` when the connection is to be closed.
    async fn answer(
        &mut self,
        outcome: Outcome,
        ingest: &Ingest,
        stream: &mut TcpStream,
        config: &GatewayConfig,
    ) -> bool {
        match outcome {
            Outcome::Reply { reply, mn: station } => {
                self.bad = 0;
                if self.mn.as_deref() != Some(station.as_str()) {
                    ingest.connections.connected(&station, &self.peer);
                    self.mn = Some(station);
                }
                if let Some(mn) = &self.mn {
                    ingest.connections.seen(mn);
                }
                if let Some(r) = reply {
                    if stream.write_all(r.as_bytes()).await.is_err() {
                        return false;
                    }
                }
            }
            Outcome::Rejected(reason) => {
                self.bad += 1;
                metrics::counter!("qy_eco_hj212_rejected_total").increment(1);
                tracing::warn!(peer = %self.peer, reason = %reason, "HJ 212 frame rejected");
                if self.bad >= config.max_bad_frames {
                    tracing::warn!(peer = %self.peer, "closing connection after repeated bad frames");
                    return false;
                }
            }
            Outcome::Unavailable(reason) => {
                // Not acknowledged: the logger keeps the data and sends it again.
                tracing::error!(peer = %self.peer, reason = %reason, "upload not stored");
            }
        }
        true
    }
}
