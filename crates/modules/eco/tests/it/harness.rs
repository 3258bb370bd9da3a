//! A gateway on a fresh database, with a registered station and a client that speaks HJ 212.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use qy_eco::domain::station::{NewStation, StationKind};
use qy_eco::{Eco, GatewayConfig, Ingest};
use qy_kernel::region::{RegionDirectory, RegionSummary};
use qy_kernel::{FixedClock, SystemClock};
use qy_storage::testing::TestDb;
use qy_storage::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Every 63xxxx code exists (the regions module is not under test here).
pub struct AnyQinghaiRegion;

#[async_trait]
impl RegionDirectory for AnyQinghaiRegion {
    async fn get(&self, code: &str) -> qy_kernel::Result<Option<RegionSummary>> {
        Ok(code.starts_with("63").then(|| RegionSummary {
            code: code.into(),
            name: "test".into(),
            level: "county".into(),
        }))
    }
}

pub struct Gateway {
    pub db: Db,
    pub clock: Arc<FixedClock>,
    pub bus: Arc<qy_bus::InProcessBus>,
    pub addr: String,
    pub ingest: Arc<Ingest>,
    _stop: tokio::sync::watch::Sender<bool>,
    _test_db: TestDb,
}

pub const PW: &str = "123456";

pub async fn start(config: GatewayConfig) -> Gateway {
    let test_db = TestDb::new().await.unwrap();
    println!("eco gateway tests on {}", TestDb::backend_name());
    let db = test_db.db.clone();
    qy_storage::migrate(&db, &[qy_eco::MIGRATIONS], 0).await.unwrap();
    // A clock that moves only when a test says so, starting now.
    let clock = Arc::new(FixedClock::new(qy_kernel::Clock::now_ms(&SystemClock)));
    let bus = Arc::new(qy_bus::InProcessBus::new(clock.clone()));
    let ingest = Arc::new(Ingest::new(db.clone(), clock.clone(), bus.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(qy_eco::gateway::serve(listener, ingest.clone(), config, stop_rx));
    Gateway { db, clock, bus, addr, ingest, _stop: stop, _test_db: test_db }
}

impl Gateway {
    pub async fn station(&self, mn: &str, allow_swapped_crc: bool) -> String {
        self.station_of(mn, StationKind::Air, allow_swapped_crc).await
    }

    pub async fn station_of(&self, mn: &str, kind: StationKind, allow_swapped_crc: bool) -> String {
        let new = NewStation {
            mn: mn.into(),
            name: format!("测试站 {mn}"),
            kind,
            st: None,
            region_code: "632801".into(),
            latitude: 36.4,
            longitude: 94.9,
            password: PW.into(),
            allow_swapped_crc,
            water_body: None,
            target_class: None,
        };
        Eco::new(self.db.clone(), self.clock.clone()).create_station(None, &AnyQinghaiRegion, new).await.unwrap().id
    }

    pub async fn connect(&self) -> Client {
        Client { stream: TcpStream::connect(&self.addr).await.unwrap(), decoder: qy_hj212::Decoder::new() }
    }

    pub async fn count(&self, table: &str) -> i64 {
        let row =
            qy_storage::sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(self.db.pool()).await.unwrap();
        qy_storage::Row::try_get(&row, 0).unwrap()
    }
}

pub struct Client {
    pub stream: TcpStream,
    decoder: qy_hj212::Decoder,
}

impl Client {
    pub async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
    }

    /// The next frame the gateway sends, or `None` if nothing comes within `wait`.
    pub async fn reply(&mut self, wait: Duration) -> Option<qy_hj212::Packet> {
        let mut buf = [0u8; 2048];
        loop {
            if let Some(frame) = self.decoder.next_frame() {
                return Some(frame.unwrap().packet().unwrap());
            }
            match tokio::time::timeout(wait, self.stream.read(&mut buf)).await {
                Ok(Ok(0)) | Err(_) | Ok(Err(_)) => return None,
                Ok(Ok(n)) => self.decoder.push(&buf[..n]),
            }
        }
    }

    /// Is the connection closed by the gateway (EOF within `wait`)?
    pub async fn closed(&mut self, wait: Duration) -> bool {
        let mut buf = [0u8; 256];
        matches!(tokio::time::timeout(wait, self.stream.read(&mut buf)).await, Ok(Ok(0)) | Ok(Err(_)))
    }
}

/// An hourly upload (CN 2061) asking for an answer (Flag=5: 2017 edition, A bit).
pub fn hourly(mn: &str, qn: &str, pw: &str, hour: &str, pm25: &str) -> String {
    hourly_on("20260115", mn, qn, pw, hour, pm25)
}

pub fn hourly_on(date: &str, mn: &str, qn: &str, pw: &str, hour: &str, pm25: &str) -> String {
    qy_hj212::encode_frame(&format!(
        "QN={qn};ST=22;CN=2061;PW={pw};MN={mn};Flag=5;CP=&&DataTime={date}{hour}0000;\
         a34004-Avg={pm25},a34004-Flag=N;a34002-Avg=80,a34002-Flag=N&&"
    ))
}
