//! Split-packet reassembly (HJ 212-2017 Table 3: Flag bit D, `PNUM` total, `PNO` number).
//!
//! Parts are grouped by (`MN`, `QN`, `CN`). When every `PNO` of 1..=`PNUM` has arrived the
//! parts' CP areas are merged in `PNO` order and returned. Duplicates (a part already held, or a
//! part of a group completed within `max_age_ms`) are ignored. Memory is bounded: at most
//! `max_pending` groups of at most `max_parts` parts each (a part is at most one 1024-byte
//! segment); groups older than `max_age_ms` (by the caller's clock) are evicted, and when the
//! table is full the oldest group is evicted to make room.
//!
//! Each part of a split upload with A=1 is acknowledged on its own (Table C.50); reassembly
//! does not change what is answered.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use serde::Serialize;

use crate::cp::{Cp, MergeConflict};
use crate::segment::Packet;

/// Limits of a [`Reassembler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblyConfig {
    /// Largest `PNUM` accepted.
    pub max_parts: u16,
    /// Most groups held at once.
    pub max_pending: usize,
    /// Age (from its first part) after which an incomplete group is dropped.
    pub max_age_ms: u64,
}

impl Default for ReassemblyConfig {
    /// 100 parts, 64 groups, 10 minutes (a logger retries 3 × 10 s per part, Table 1).
    fn default() -> Self {
        Self { max_parts: 100, max_pending: 64, max_age_ms: 600_000 }
    }
}

/// What identifies one split packet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PartKey {
    /// Device `MN`.
    pub mn: String,
    /// Request number `QN` (absent in 2005-style packets).
    pub qn: Option<String>,
    /// Command `CN`.
    pub cn: String,
}

impl PartKey {
    /// The key of a packet.
    #[must_use]
    pub fn of(p: &Packet) -> Self {
        Self { mn: p.mn.clone(), qn: p.qn.clone(), cn: p.cn.clone() }
    }
}

/// A completely received split packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassembled {
    /// The group's key.
    pub key: PartKey,
    /// Number of parts.
    pub total: u16,
    /// The merged CP area.
    pub cp: Cp,
    /// The parts' CP texts joined by `;` in `PNO` order.
    pub cp_text: String,
}

/// The result of offering one packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reassembly {
    /// Not a split packet; use it as is.
    NotSplit,
    /// Stored; waiting for more parts.
    Pending {
        /// Distinct parts held.
        received: u16,
        /// `PNUM`.
        total: u16,
    },
    /// Already held or already completed; ignored.
    Duplicate,
    /// All parts arrived.
    Complete(Reassembled),
}

/// A split packet dropped before completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evicted {
    /// The group's key.
    pub key: PartKey,
    /// Parts that had arrived.
    pub received: u16,
    /// `PNUM`.
    pub total: u16,
}

/// Why a part was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReassemblyError {
    /// `PNUM` above [`ReassemblyConfig::max_parts`].
    TooManyParts {
        /// `PNUM`.
        pnum: u16,
        /// The limit.
        max: u16,
    },
    /// `PNUM` differs from the group's earlier parts.
    PnumChanged {
        /// Earlier parts' `PNUM`.
        was: u16,
        /// This part's.
        now: u16,
    },
    /// The parts' CP areas contradict each other (the group is dropped).
    Conflict(MergeConflict),
}

impl ReassemblyError {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooManyParts { .. } => "too_many_parts",
            Self::PnumChanged { .. } => "pnum_changed",
            Self::Conflict(_) => "part_conflict",
        }
    }
}

impl fmt::Display for ReassemblyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooManyParts { pnum, max } => write!(f, "PNUM={pnum} exceeds the limit of {max} parts"),
            Self::PnumChanged { was, now } => write!(f, "PNUM changed from {was} to {now} within one split packet"),
            Self::Conflict(c) => c.fmt(f),
        }
    }
}

impl std::error::Error for ReassemblyError {}

#[derive(Debug, Clone)]
struct Group {
    total: u16,
    first_ms: u64,
    parts: BTreeMap<u16, (String, Cp)>,
}

/// Collects split packets (see the module documentation).
#[derive(Debug, Clone)]
pub struct Reassembler {
    config: ReassemblyConfig,
    groups: BTreeMap<PartKey, Group>,
    completed: VecDeque<(PartKey, u64)>,
    evicted: Vec<Evicted>,
    evicted_dropped: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(ReassemblyConfig::default())
    }
}

impl Reassembler {
    /// An empty reassembler.
    #[must_use]
    pub fn new(config: ReassemblyConfig) -> Self {
        Self { config, groups: BTreeMap::new(), completed: VecDeque::new(), evicted: Vec::new(), evicted_dropped: 0 }
    }

    /// Groups waiting for parts.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.groups.len()
    }

    /// Offer a packet received at `now_ms` (any monotonic millisecond clock).
    pub fn push(&mut self, packet: &Packet, now_ms: u64) -> Result<Reassembly, ReassemblyError> {
        self.evict_expired(now_ms);
        let (Some(total), Some(pno)) = (packet.pnum, packet.pno) else {
            return Ok(Reassembly::NotSplit);
        };
        if total > self.config.max_parts {
            return Err(ReassemblyError::TooManyParts { pnum: total, max: self.config.max_parts });
        }
        let key = PartKey::of(packet);
        if self.completed.iter().any(|(k, _)| *k == key) {
            return Ok(Reassembly::Duplicate);
        }
        if !self.groups.contains_key(&key) {
            if self.config.max_pending == 0 {
                return Ok(Reassembly::Pending { received: 0, total });
            }
            while self.groups.len() >= self.config.max_pending {
                self.evict_oldest();
            }
            self.groups.insert(key.clone(), Group { total, first_ms: now_ms, parts: BTreeMap::new() });
        }
        let Some(group) = self.groups.get_mut(&key) else {
            return Ok(Reassembly::Pending { received: 0, total });
        };
        if group.total != total {
            return Err(ReassemblyError::PnumChanged { was: group.total, now: total });
        }
        if group.parts.contains_key(&pno) {
            return Ok(Reassembly::Duplicate);
        }
        group.parts.insert(pno, (packet.cp_text.clone(), packet.cp.clone()));
        let received = u16::try_from(group.parts.len()).unwrap_or(u16::MAX);
        if received < total {
            return Ok(Reassembly::Pending { received, total });
        }
        let Some(group) = self.groups.remove(&key) else {
            return Ok(Reassembly::Pending { received, total });
        };
        self.remember_completed(key.clone(), now_ms);
        let mut cp = Cp::default();
        let mut texts = Vec::with_capacity(group.parts.len());
        for (text, part) in group.parts.values() {
            cp.merge(part).map_err(ReassemblyError::Conflict)?;
            if !text.is_empty() {
                texts.push(text.as_str());
            }
        }
        Ok(Reassembly::Complete(Reassembled { key, total, cp, cp_text: texts.join(";") }))
    }

    /// Drop groups older than `max_age_ms` and forget old completions; the dropped groups are
    /// returned (and not also queued for [`Reassembler::take_evicted`]).
    pub fn evict_expired(&mut self, now_ms: u64) -> Vec<Evicted> {
        let max_age = self.config.max_age_ms;
        let expired: Vec<PartKey> = self
            .groups
            .iter()
            .filter(|(_, g)| now_ms.saturating_sub(g.first_ms) > max_age)
            .map(|(k, _)| k.clone())
            .collect();
        let mut out = Vec::with_capacity(expired.len());
        for key in expired {
            if let Some(g) = self.groups.remove(&key) {
                out.push(Evicted { received: u16::try_from(g.parts.len()).unwrap_or(u16::MAX), total: g.total, key });
            }
        }
        self.completed.retain(|(_, t)| now_ms.saturating_sub(*t) <= max_age);
        out
    }

    /// Groups evicted to make room since the last call (at most `max_pending` are kept; see
    /// [`Reassembler::evictions_dropped`]).
    pub fn take_evicted(&mut self) -> Vec<Evicted> {
        std::mem::take(&mut self.evicted)
    }

    /// Room-making evictions not kept because [`Reassembler::take_evicted`] was not called.
    #[must_use]
    pub fn evictions_dropped(&self) -> u64 {
        self.evicted_dropped
    }

    fn evict_oldest(&mut self) {
        let oldest = self.groups.iter().min_by_key(|(_, g)| g.first_ms).map(|(k, _)| k.clone());
        let Some(key) = oldest else {
            return;
        };
        if let Some(g) = self.groups.remove(&key) {
            let e = Evicted { received: u16::try_from(g.parts.len()).unwrap_or(u16::MAX), total: g.total, key };
            if self.evicted.len() < self.config.max_pending {
                self.evicted.push(e);
            } else {
                self.evicted_dropped += 1;
            }
        }
    }

    fn remember_completed(&mut self, key: PartKey, now_ms: u64) {
        if self.config.max_pending == 0 {
            return;
        }
        while self.completed.len() >= self.config.max_pending {
            self.completed.pop_front();
        }
        self.completed.push_back((key, now_ms));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn part(qn: &str, pnum: u16, pno: u16, cp: &str) -> Packet {
        Packet::parse(&format!(
            "QN={qn};ST=22;CN=2061;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM={pnum};PNO={pno};CP=&&{cp}&&"
        ))
        .unwrap()
    }

    const QN: &str = "20240101000000001";

    #[test]
    fn out_of_order_with_duplicates() {
        let mut r = Reassembler::default();
        let p2 = part(QN, 3, 2, "DataTime=20240101000000;a21004-Avg=7");
        let p1 = part(QN, 3, 1, "DataTime=20240101000000;a21026-Avg=5");
        let p3 = part(QN, 3, 3, "DataTime=20240101000000;a34004-Avg=14");
        assert_eq!(r.push(&p2, 0).unwrap(), Reassembly::Pending { received: 1, total: 3 });
        assert_eq!(r.push(&p2, 1).unwrap(), Reassembly::Duplicate);
        assert_eq!(r.push(&p1, 2).unwrap(), Reassembly::Pending { received: 2, total: 3 });
        let Reassembly::Complete(done) = r.push(&p3, 3).unwrap() else { panic!("not complete") };
        assert_eq!(done.total, 3);
        assert_eq!(done.cp.factors.len(), 3);
        assert_eq!(done.cp.data_time.unwrap().to_string(), "20240101000000");
        assert_eq!(
            done.cp_text,
            "DataTime=20240101000000;a21026-Avg=5;DataTime=20240101000000;a21004-Avg=7;DataTime=20240101000000;a34004-Avg=14"
        );
        assert_eq!(r.pending(), 0);
        assert_eq!(r.push(&p3, 4).unwrap(), Reassembly::Duplicate);
    }

    #[test]
    fn not_split_and_errors() {
        let mut r = Reassembler::new(ReassemblyConfig { max_parts: 2, ..ReassemblyConfig::default() });
        let single = Packet::parse("ST=22;CN=2011;PW=123456;MN=A;CP=&&&&").unwrap();
        assert_eq!(r.push(&single, 0).unwrap(), Reassembly::NotSplit);
        assert_eq!(r.push(&part(QN, 3, 1, ""), 0).unwrap_err().code(), "too_many_parts");
        r.push(&part(QN, 2, 1, "a=1"), 0).unwrap();
        assert_eq!(r.push(&part(QN, 1, 1, ""), 0).unwrap_err(), ReassemblyError::PnumChanged { was: 2, now: 1 });
        let conflict = r.push(&part(QN, 2, 2, "DataTime=20240101000000;x-Rtd=1"), 0);
        assert!(conflict.is_ok());
        let mut r = Reassembler::default();
        r.push(&part(QN, 2, 1, "DataTime=20240101000000"), 0).unwrap();
        let e = r.push(&part(QN, 2, 2, "DataTime=20240101010000"), 0).unwrap_err();
        assert_eq!(e.code(), "part_conflict");
    }

    #[test]
    fn bounded_and_aged() {
        let cfg = ReassemblyConfig { max_parts: 10, max_pending: 2, max_age_ms: 1000 };
        let mut r = Reassembler::new(cfg);
        r.push(&part("20240101000000001", 2, 1, ""), 0).unwrap();
        r.push(&part("20240101000000002", 2, 1, ""), 10).unwrap();
        r.push(&part("20240101000000003", 2, 1, ""), 20).unwrap();
        assert_eq!(r.pending(), 2);
        let ev = r.take_evicted();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].key.qn.as_deref(), Some("20240101000000001"));
        assert_eq!((ev[0].received, ev[0].total), (1, 2));
        let expired = r.evict_expired(1015);
        assert_eq!(expired.len(), 1);
        assert_eq!(r.pending(), 1);
        assert_eq!(r.evict_expired(5000).len(), 1);
        assert_eq!(r.pending(), 0);
    }
}
