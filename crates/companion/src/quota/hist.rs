//! A fixed log-scale latency histogram, so p50/p95 of a month of calls come from merged
//! 15-minute rollups instead of sorting a million raw latencies.
//!
//! Bucket 0 holds calls under 1 ms; bucket `i >= 1` holds `[2^((i-1)/4), 2^(i/4))` ms (four
//! buckets per doubling, so an estimate is within about 19 % of the true value); the last bucket
//! also holds everything above ~55 s. Stored sparse, as `(bucket: u8, count: u32 LE)` pairs of
//! the non-empty buckets: a 15-minute rollup row usually has a handful, and the month's rollups
//! are what the screen scans.

pub const BUCKETS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LatencyHist([u32; BUCKETS]);

impl Default for LatencyHist {
    fn default() -> Self {
        Self([0; BUCKETS])
    }
}

fn upper_ms(index: usize) -> f64 {
    2f64.powf(index as f64 / 4.0)
}

fn lower_ms(index: usize) -> f64 {
    if index == 0 {
        0.0
    } else {
        upper_ms(index - 1)
    }
}

impl LatencyHist {
    pub fn index(latency_us: u64) -> usize {
        let ms = latency_us as f64 / 1000.0;
        if ms < 1.0 {
            0
        } else {
            ((ms.log2() * 4.0).floor() as usize + 1).min(BUCKETS - 1)
        }
    }

    pub fn add(&mut self, latency_us: u64) {
        let slot = &mut self.0[Self::index(latency_us)];
        *slot = slot.saturating_add(1);
    }

    pub fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            *mine = mine.saturating_add(*theirs);
        }
    }

    pub fn total(&self) -> u64 {
        self.0.iter().map(|&c| u64::from(c)).sum()
    }

    /// The `q`-quantile (0..=1) in ms, interpolated inside its bucket; `None` when empty.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let total = self.total();
        if total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * total as f64).ceil() as u64).max(1);
        let mut below = 0u64;
        for (index, &count) in self.0.iter().enumerate() {
            let count = u64::from(count);
            if count > 0 && below + count >= rank {
                let fraction = (rank - below) as f64 / count as f64;
                let (lo, hi) = (lower_ms(index), upper_ms(index));
                return Some(lo + (hi - lo) * fraction);
            }
            below += count;
        }
        None
    }

    pub fn to_blob(&self) -> Vec<u8> {
        let mut blob = Vec::new();
        for (index, &count) in self.0.iter().enumerate().filter(|(_, &c)| c > 0) {
            blob.push(index as u8);
            blob.extend_from_slice(&count.to_le_bytes());
        }
        blob
    }

    /// Reads a stored histogram; pairs that make no sense are skipped.
    pub fn from_blob(blob: &[u8]) -> Self {
        let mut hist = Self::default();
        hist.add_blob(blob);
        hist
    }

    /// Merges a stored histogram into this one.
    pub fn add_blob(&mut self, blob: &[u8]) {
        for pair in blob.chunks_exact(5) {
            if let Some(slot) = self.0.get_mut(usize::from(pair[0])) {
                *slot =
                    slot.saturating_add(u32::from_le_bytes([pair[1], pair[2], pair[3], pair[4]]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_a_bucket_of_the_truth() {
        let mut hist = LatencyHist::default();
        for ms in 1..=100u64 {
            hist.add(ms * 1000);
        }
        let p50 = hist.quantile_ms(0.5).unwrap();
        let p95 = hist.quantile_ms(0.95).unwrap();
        assert!((p50 / 50.0 - 1.0).abs() < 0.2, "{p50}");
        assert!((p95 / 95.0 - 1.0).abs() < 0.2, "{p95}");
        assert_eq!(LatencyHist::default().quantile_ms(0.5), None);
    }

    #[test]
    fn blobs_round_trip_and_merge() {
        let mut a = LatencyHist::default();
        a.add(300);
        a.add(2_000_000_000);
        let b = LatencyHist::from_blob(&a.to_blob());
        assert_eq!(a, b);
        a.merge(&b);
        assert_eq!(a.total(), 4);
        assert_eq!(b.to_blob().len(), 10);
        assert_eq!(LatencyHist::from_blob(b"shrt"), LatencyHist::default());
    }
}
