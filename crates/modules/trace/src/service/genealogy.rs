//! Genealogy: for a lot or serial, everything it came from (through transformations and the
//! containers it was unpacked from) and everything it went into (transformation outputs and
//! the containers it was packed in), breadth first, one indexed query per generation.

use std::collections::{BTreeSet, HashSet};

use qy_kernel::{Error, Result};

use super::index::canonical_id;
use super::Trace;
use crate::store::search::{self, Link};

/// Generations followed at most: a guard against cycles in bad data, far above real chains.
const MAX_DEPTH: usize = 64;
/// Identifiers a genealogy may reach before it stops with an error instead of exhausting memory.
const MAX_NODES: usize = 200_000;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Genealogy {
    pub root: String,
    pub upstream: Vec<Link>,
    pub downstream: Vec<Link>,
    /// Every identifier upstream of the root (not the root).
    pub ancestors: Vec<String>,
    /// Every identifier downstream of the root (not the root).
    pub descendants: Vec<String>,
}

async fn walk(trace: &Trace, root: &str, down: bool) -> Result<(Vec<Link>, Vec<String>)> {
    let mut seen: HashSet<String> = HashSet::from([root.to_owned()]);
    let mut links: BTreeSet<(String, String, i64, &'static str)> = BTreeSet::new();
    let mut frontier = vec![root.to_owned()];
    for _ in 0..MAX_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let hops = if down {
            search::downstream(&trace.db, &frontier).await?
        } else {
            search::upstream(&trace.db, &frontier).await?
        };
        let mut next = Vec::new();
        for l in hops {
            if seen.insert(l.to.clone()) {
                next.push(l.to.clone());
            }
            links.insert((l.from, l.to, l.seq, l.kind));
        }
        if seen.len() > MAX_NODES {
            return Err(Error::bad_request(
                "trace.genealogy_too_large",
                format!("the genealogy of {root} reaches more than {MAX_NODES} identifiers"),
            ));
        }
        frontier = next;
    }
    seen.remove(root);
    let mut nodes: Vec<String> = seen.into_iter().collect();
    nodes.sort();
    Ok((links.into_iter().map(|(from, to, seq, kind)| Link { from, to, seq, kind }).collect(), nodes))
}

impl Trace {
    pub async fn genealogy(&self, id: &str) -> Result<Genealogy> {
        let root = canonical_id(id);
        if root.is_empty() {
            return Err(Error::bad_request("trace.missing_identifier", "give a lot, serial or container identifier"));
        }
        let (upstream, ancestors) = walk(self, &root, false).await?;
        let (downstream, descendants) = walk(self, &root, true).await?;
        Ok(Genealogy { root, upstream, downstream, ancestors, descendants })
    }
}
