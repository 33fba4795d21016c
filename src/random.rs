//! The one random source of the crate: a tiny seeded PRNG (splitmix64, Steele, Lea and Flood,
//! 2014) and a stable hash (FNV-1a), without the `rand` crate.
//!
//! Everything seeded — the simulator's draws, the scoring bootstrap, the blind labels' order and
//! the jobs' polling jitter — goes through here, so a seed gives the same sequence on every
//! platform and in every release: reports of one session show the same intervals forever.

/// splitmix64: one 64-bit state word, good statistical quality for simulation draws, and its
/// output is fixed for a seed on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence depends only on `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniformly drawn from `[0, 1)` (53 bits of precision).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform index in `0..n` (`n` > 0), by multiply-and-shift: the bias is below n / 2^64,
    /// far under anything a bootstrap can see.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Shuffles `items` in place (Fisher-Yates; index `i` swaps with `next_u64() % (i + 1)`).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, (self.next_u64() % (i as u64 + 1)) as usize);
        }
    }

    /// A float uniformly drawn from `[low, high)`.
    pub fn range_f64(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next_f64()
    }

    /// An integer uniformly drawn from `[low, high]` (inclusive; the modulo bias is negligible
    /// for the tiny ranges the simulator uses).
    pub fn range_u64(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// A random version-4 UUID string, the shape fal uses for request ids.
    pub fn uuid(&mut self) -> String {
        let hi = (self.next_u64() & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
        let lo = (self.next_u64() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }
}

/// FNV-1a over the bytes of `text`: stable across Rust versions and runs (unlike `DefaultHasher`),
/// so per-prompt draws stay reproducible for a given seed.
pub fn fnv1a(text: &str) -> u64 {
    fnv1a_bytes(text.bytes())
}

/// FNV-1a over any bytes (e.g. several ids chained with a separator).
pub fn fnv1a_bytes(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// A per-task random source for polling jitter: no shared state, so many jobs do not poll in
/// lockstep.
#[derive(Debug, Clone)]
pub struct Jitter(SplitMix64);

impl Jitter {
    /// Seeded from the process's random hasher keys and `salt`: differs per process and task.
    pub fn new(salt: &str) -> Self {
        let state = std::collections::hash_map::RandomState::new();
        Jitter(SplitMix64::new(std::hash::BuildHasher::hash_one(
            &state, salt,
        )))
    }

    /// Seeded from `seed` alone, for reproducible schedules (tests, benchmarks).
    pub fn seeded(seed: u64) -> Self {
        Jitter(SplitMix64::new(seed))
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.next_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(SplitMix64::new(43).next_u64(), xs[0]);
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference outputs of splitmix64 seeded with 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[rng.below(3)] += 1;
        }
        assert!(seen.iter().all(|&n| (900..1100).contains(&n)), "{seen:?}");
    }

    #[test]
    fn floats_and_ranges_stay_in_bounds() {
        let mut rng = SplitMix64::new(7);
        for _ in 0..10_000 {
            let f = rng.next_f64();
            assert!((0.0..1.0).contains(&f));
            let r = rng.range_f64(2.0, 3.0);
            assert!((2.0..3.0).contains(&r));
            assert!((3..=5).contains(&rng.range_u64(3, 5)));
        }
    }

    #[test]
    fn uuid_is_v4_shaped() {
        let id = SplitMix64::new(1).uuid();
        let parts: Vec<&str> = id.split('-').collect();
        let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        assert_eq!(lens, vec![8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(
            parts[3].chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
    }

    #[test]
    fn below_and_shuffle_keep_their_sequences() {
        // Pinned: the bootstrap intervals and the blind labels of stored sessions depend on them.
        let mut rng = SplitMix64::new(0);
        let drawn: Vec<usize> = (0..6).map(|_| rng.below(10)).collect();
        assert_eq!(drawn, [8, 4, 0, 9, 1, 3]);
        let mut items = [1, 2, 3, 4, 5, 6];
        SplitMix64::new(0).shuffle(&mut items);
        assert_eq!(items, [5, 3, 6, 4, 1, 2]);
    }

    #[test]
    fn jitter_draws_are_in_range_and_vary() {
        let mut j = Jitter::new("a");
        let draws: Vec<f64> = (0..100).map(|_| j.unit()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        assert!(draws.windows(2).any(|w| (w[0] - w[1]).abs() > 1e-6));
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a_bytes(*b"a"), fnv1a("a"));
        assert_eq!(fnv1a(""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a("a"), 0xAF63_DC4C_8601_EC8C);
    }
}
