//! `build --shard K/N`: a stable share of the documents for one CI runner.

/// One share of the documents of a build spread over CI runners
/// (`build --shard K/N`): a document belongs to share `hash(id) mod N`, so
/// adding a document never moves the others to another runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 1-based, as a CI matrix counts.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Option<Shard> {
        let (k, n) = s.split_once('/')?;
        let (index, count) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Whether the document `id` is in this share.
    pub fn holds(self, id: &str) -> bool {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(id.as_bytes());
        let n = u64::from_be_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]);
        n % u64::from(self.count) == u64::from(self.index - 1)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::Shard;

    #[test]
    fn every_document_is_in_exactly_one_share_and_stays_there() {
        let ids: Vec<String> = (0..200).map(|i| format!("order-{i}")).collect();
        let shares: Vec<Shard> = (1..=4).map(|k| Shard { index: k, count: 4 }).collect();
        for id in &ids {
            assert_eq!(shares.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        // Each share gets some: the hash spreads the ids.
        for s in &shares {
            assert!(ids.iter().filter(|id| s.holds(id)).count() > 20, "{s}");
        }
        assert_eq!(Shard::parse("2/4"), Some(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse("0/4"), None);
        assert_eq!(Shard::parse("5/4"), None);
    }
}
