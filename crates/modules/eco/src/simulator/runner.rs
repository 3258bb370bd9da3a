//! Running simulated data loggers against a platform over TCP.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qy_hj212::{execution_result, notification_answer, request_answer, Decoder, ExeRtn, Packet, QnRtn};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::{sleep_until, timeout, Instant};

use super::stations::SimStation;
use super::wire::packet;

/// Unacknowledged packets a logger keeps; the oldest is dropped beyond this.
pub const QUEUE_CAPACITY: usize = 1000;
/// First reconnect delay; doubles per failure up to [`BACKOFF_MAX`], ±25 % jitter.
pub const BACKOFF_START: Duration = Duration::from_secs(1);
/// Longest reconnect delay.
pub const BACKOFF_MAX: Duration = Duration::from_secs(30);
/// How long to wait for the last acks after the last packet of `packets_per_station`.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long an unanswered packet waits before it is sent again on the same connection.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(15);
/// Retries on one connection before the link is deemed unusable and reopened (HJ 212-2017
/// Table 1: 3 retries).
pub const ACK_RETRIES: u32 = 3;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Platform address, e.g. `127.0.0.1:8212`.
    pub target: String,
    /// The stations (see [`stations`](super::stations())).
    pub stations: Vec<SimStation>,
    /// Time between two packets of one station.
    pub interval: Duration,
    /// Command code of the uploads: `2011`, `2051`, `2061` (or `2031`).
    pub cn: String,
    /// Packets per station, then wait for the acks and stop; `None`: until `stop`.
    pub packets_per_station: Option<u64>,
    /// MNs of stations that stay silent (never connect), for "station offline" alert demos.
    pub silent: Vec<String>,
}

impl SimConfig {
    /// Real-time data (2011) every 30 s until stopped, no silent station.
    #[must_use]
    pub fn new(target: impl Into<String>, stations: Vec<SimStation>) -> Self {
        Self {
            target: target.into(),
            stations,
            interval: Duration::from_secs(30),
            cn: "2011".into(),
            packets_per_station: None,
            silent: Vec::new(),
        }
    }
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SimReport {
    /// Stations that ran (silent ones excluded).
    pub stations: usize,
    /// Packets transmitted at least once.
    pub sent: u64,
    /// 9014 answers whose QN matched an unacknowledged packet.
    pub acked: u64,
    /// Connections re-established after a loss.
    pub reconnects: u64,
    /// Retransmissions of packets already sent once (after a reconnect or an ack timeout).
    pub resent: u64,
    /// Failed connects, lost connections (closed by the platform included), undecodable
    /// replies, packets dropped from a full queue or never acknowledged.
    pub errors: u64,
}

impl SimReport {
    fn add(&mut self, o: &SimReport) {
        self.sent += o.sent;
        self.acked += o.acked;
        self.reconnects += o.reconnects;
        self.resent += o.resent;
        self.errors += o.errors;
    }
}

struct Shared {
    target: String,
    cn: String,
    interval: Duration,
    limit: Option<u64>,
}

/// An unacknowledged packet.
struct Pending {
    qn: String,
    frame: String,
    /// Transmitted on some connection at least once.
    transmitted: bool,
    /// Last transmission on the current connection.
    last_tx: Option<Instant>,
    /// Retransmissions on the current connection.
    retries: u32,
}

struct Conn {
    rd: OwnedReadHalf,
    wr: OwnedWriteHalf,
    decoder: Decoder,
}

enum Event {
    Stop { closed: bool },
    Send,
    Read(io::Result<usize>),
    Connect,
    Retry,
    Drain,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

async fn write(wr: &mut OwnedWriteHalf, bytes: &[u8]) -> io::Result<()> {
    match timeout(WRITE_TIMEOUT, wr.write_all(bytes)).await {
        Ok(r) => r,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "write timed out")),
    }
}

/// Run the stations until `stop` becomes true or, with `packets_per_station`, until every
/// station has sent its packets and had them acknowledged (or [`DRAIN_TIMEOUT`] passed since
/// its last packet).
///
/// Each station is one task with its own long-lived TCP connection, like a real data logger.
/// Start times are spread evenly over one `interval`. Packets are kept until a 9014 answer
/// with their QN arrives (at most [`QUEUE_CAPACITY`]); they are sent again after a reconnect
/// (backoff 1 s doubling to 30 s, with jitter) or after [`ACK_TIMEOUT`]. Requests from the
/// platform are answered 9011 (`QnRtn=1`) + 9012 (`ExeRtn=1`); notifications 2012/2022 with
/// 9013.
pub async fn run(config: SimConfig, stop: watch::Receiver<bool>) -> SimReport {
    let SimConfig { target, stations, interval, cn, packets_per_station, silent } = config;
    let interval = interval.max(Duration::from_millis(1));
    let active: Vec<SimStation> = stations.into_iter().filter(|s| !silent.contains(&s.mn)).collect();
    let n = active.len();
    let shared = Arc::new(Shared { target, cn, interval, limit: packets_per_station });
    tracing::info!(stations = n, target = %shared.target, cn = %shared.cn, ?interval, "simulator starting");
    let mut tasks = JoinSet::new();
    for (i, station) in active.into_iter().enumerate() {
        let offset = interval.mul_f64(i as f64 / n.max(1) as f64);
        tasks.spawn(station_task(station, offset, Arc::clone(&shared), stop.clone()));
    }
    let mut report = SimReport { stations: n, ..SimReport::default() };
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(r) => report.add(&r),
            Err(e) => {
                tracing::warn!(error = %e, "station task failed");
                report.errors += 1;
            }
        }
    }
    tracing::info!(?report, "simulator finished");
    report
}

struct Logger {
    station: SimStation,
    shared: Arc<Shared>,
    stats: SimReport,
    queue: VecDeque<Pending>,
    conn: Option<Conn>,
    ever_connected: bool,
    backoff: Duration,
    next_connect: Instant,
    rng: StdRng,
}

impl Logger {
    /// Drop the connection and schedule a reconnect with backoff.
    fn broken(&mut self, why: &str) {
        self.stats.errors += 1;
        tracing::warn!(mn = %self.station.mn, reason = why, unacked = self.queue.len(), "connection lost");
        self.conn = None;
        for p in &mut self.queue {
            p.last_tx = None;
            p.retries = 0;
        }
        let delay = self.backoff.mul_f64(self.rng.gen_range(0.75..1.25));
        self.next_connect = Instant::now() + delay;
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
    }

    /// Transmit the queued packets selected by `pick` in one write.
    async fn transmit(&mut self, pick: impl Fn(&Pending) -> bool) {
        let Some(conn) = self.conn.as_mut() else { return };
        let mut bytes = Vec::new();
        let mut picked = Vec::new();
        for (i, p) in self.queue.iter().enumerate() {
            if pick(p) {
                bytes.extend_from_slice(p.frame.as_bytes());
                picked.push(i);
            }
        }
        if picked.is_empty() {
            return;
        }
        if let Err(e) = write(&mut conn.wr, &bytes).await {
            self.broken(&format!("write: {e}"));
            return;
        }
        let now = Instant::now();
        for i in picked {
            let Some(p) = self.queue.get_mut(i) else { continue };
            if p.transmitted {
                self.stats.resent += 1;
                tracing::debug!(mn = %self.station.mn, qn = %p.qn, "packet resent");
            } else {
                p.transmitted = true;
                self.stats.sent += 1;
                tracing::debug!(mn = %self.station.mn, qn = %p.qn, cn = %self.shared.cn, "packet sent");
            }
            if p.last_tx.is_some() {
                p.retries += 1;
            }
            p.last_tx = Some(now);
        }
    }

    async fn connect(&mut self) {
        let attempt = timeout(CONNECT_TIMEOUT, TcpStream::connect(self.shared.target.as_str())).await;
        let stream = match attempt {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return self.connect_failed(&e.to_string()),
            Err(_) => return self.connect_failed("connect timed out"),
        };
        let _ = stream.set_nodelay(true);
        let (rd, wr) = stream.into_split();
        if self.ever_connected {
            self.stats.reconnects += 1;
        }
        self.ever_connected = true;
        self.backoff = BACKOFF_START;
        tracing::debug!(mn = %self.station.mn, target = %self.shared.target, queued = self.queue.len(), "connected");
        self.conn = Some(Conn { rd, wr, decoder: Decoder::new() });
        self.transmit(|_| true).await;
    }

    fn connect_failed(&mut self, why: &str) {
        self.stats.errors += 1;
        tracing::warn!(mn = %self.station.mn, target = %self.shared.target, error = why, "connect failed");
        let delay = self.backoff.mul_f64(self.rng.gen_range(0.75..1.25));
        self.next_connect = Instant::now() + delay;
        self.backoff = (self.backoff * 2).min(BACKOFF_MAX);
    }

    /// Queue a new packet and send it if connected.
    async fn send_new(&mut self, counter: u64) {
        let at = now_ms();
        let frame = packet(&self.station, &self.shared.cn, at, counter);
        let qn = super::wire::qn(at, counter);
        if self.queue.len() >= QUEUE_CAPACITY {
            if let Some(old) = self.queue.pop_front() {
                self.stats.errors += 1;
                tracing::warn!(mn = %self.station.mn, qn = %old.qn, "queue full: oldest unacknowledged packet dropped");
            }
        }
        self.queue.push_back(Pending { qn: qn.clone(), frame, transmitted: false, last_tx: None, retries: 0 });
        self.transmit(|p| p.qn == qn && !p.transmitted).await;
    }

    /// Feed received bytes; handle acks and platform requests.
    async fn received(&mut self, bytes: &[u8]) {
        let mut replies = String::new();
        {
            let Some(conn) = self.conn.as_mut() else { return };
            conn.decoder.push(bytes);
            while let Some(item) = conn.decoder.next_frame() {
                let packet = match item.map_err(|e| e.to_string()).and_then(|f| f.packet().map_err(|e| e.to_string())) {
                    Ok(p) => p,
                    Err(e) => {
                        self.stats.errors += 1;
                        tracing::warn!(mn = %self.station.mn, error = %e, "undecodable reply");
                        continue;
                    }
                };
                handle_reply(&self.station, &mut self.queue, &mut self.stats, &packet, &mut replies);
            }
        }
        if replies.is_empty() {
            return;
        }
        if let Some(conn) = self.conn.as_mut() {
            if let Err(e) = write(&mut conn.wr, replies.as_bytes()).await {
                self.broken(&format!("write: {e}"));
            }
        }
    }
}

fn handle_reply(
    station: &SimStation,
    queue: &mut VecDeque<Pending>,
    stats: &mut SimReport,
    p: &Packet,
    out: &mut String,
) {
    match p.cn.as_str() {
        "9014" => {
            let pos = p.qn.as_ref().and_then(|qn| queue.iter().position(|x| &x.qn == qn));
            match pos {
                Some(i) => {
                    queue.remove(i);
                    stats.acked += 1;
                    tracing::debug!(mn = %station.mn, qn = ?p.qn, "packet acknowledged");
                }
                None => tracing::debug!(mn = %station.mn, qn = ?p.qn, "ack for no pending packet"),
            }
        }
        cn if cn.starts_with('9') => {}
        "2012" | "2022" => out.push_str(&notification_answer(&p.reply_to())),
        cn => {
            tracing::debug!(mn = %station.mn, cn, "platform request answered");
            let to = p.reply_to();
            out.push_str(&request_answer(&to, QnRtn::Ready));
            out.push_str(&execution_result(&to, ExeRtn::Success));
        }
    }
}

async fn station_task(
    station: SimStation,
    offset: Duration,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) -> SimReport {
    let start = Instant::now() + offset;
    let interval = shared.interval;
    let limit = shared.limit;
    let rng = StdRng::seed_from_u64(station.seed ^ 0x4A49_5454);
    let mut lg = Logger {
        station,
        shared,
        stats: SimReport::default(),
        queue: VecDeque::new(),
        conn: None,
        ever_connected: false,
        backoff: BACKOFF_START,
        next_connect: start,
        rng,
    };
    let mut next_send = start;
    let mut generated: u64 = 0;
    let mut last_send: Option<Instant> = None;
    let mut stop_open = true;
    let mut buf = vec![0u8; 4096];

    loop {
        if *stop.borrow() {
            break;
        }
        let all_generated = limit.is_some_and(|l| generated >= l);
        if all_generated && lg.queue.is_empty() {
            break;
        }
        let now = Instant::now();
        let drain = all_generated.then(|| last_send.map_or(now, |t| t + DRAIN_TIMEOUT));
        if drain.is_some_and(|d| now >= d) {
            lg.stats.errors += 1;
            tracing::warn!(mn = %lg.station.mn, unacked = lg.queue.len(), "gave up waiting for acknowledgements");
            break;
        }
        let retry = match lg.conn {
            Some(_) => lg.queue.iter().filter_map(|p| p.last_tx).min().map(|t| t + ACK_TIMEOUT),
            None => None,
        };
        let far = now + Duration::from_secs(86_400);

        let event = match lg.conn.as_mut() {
            Some(conn) => tokio::select! {
                r = stop.changed(), if stop_open => Event::Stop { closed: r.is_err() },
                _ = sleep_until(next_send), if !all_generated => Event::Send,
                r = conn.rd.read(&mut buf) => Event::Read(r),
                _ = sleep_until(retry.unwrap_or(far)), if retry.is_some() => Event::Retry,
                _ = sleep_until(drain.unwrap_or(far)), if drain.is_some() => Event::Drain,
            },
            None => tokio::select! {
                r = stop.changed(), if stop_open => Event::Stop { closed: r.is_err() },
                _ = sleep_until(next_send), if !all_generated => Event::Send,
                _ = sleep_until(lg.next_connect) => Event::Connect,
                _ = sleep_until(drain.unwrap_or(far)), if drain.is_some() => Event::Drain,
            },
        };

        match event {
            Event::Stop { closed } => {
                if closed {
                    stop_open = false;
                }
            }
            Event::Send => {
                lg.send_new(generated).await;
                generated += 1;
                let now = Instant::now();
                last_send = Some(now);
                next_send += interval;
                if next_send < now {
                    next_send = now + interval;
                }
            }
            Event::Read(Ok(0)) => lg.broken("closed by the platform"),
            Event::Read(Ok(n)) => {
                lg.received(buf.get(..n).unwrap_or_default()).await;
            }
            Event::Read(Err(e)) => lg.broken(&format!("read: {e}")),
            Event::Connect => {
                // A stop request interrupts a slow connect.
                tokio::select! {
                    () = lg.connect() => {}
                    r = stop.changed(), if stop_open => stop_open = r.is_ok(),
                }
            }
            Event::Retry => {
                let now = Instant::now();
                let due = |p: &Pending| p.last_tx.is_some_and(|t| t + ACK_TIMEOUT <= now);
                if lg.queue.iter().any(|p| due(p) && p.retries >= ACK_RETRIES) {
                    lg.broken("no acknowledgement after retries");
                } else {
                    lg.transmit(due).await;
                }
            }
            Event::Drain => {}
        }
    }

    if let Some(mut conn) = lg.conn.take() {
        let _ = timeout(Duration::from_secs(1), conn.wr.shutdown()).await;
    }
    lg.stats
}
