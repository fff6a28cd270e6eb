//! Seeded random numbers, so a run with random waits can be replayed and
//! checked: the same seed gives the same waits. Each run has its own
//! generator; lessons call [`randint`](super::randint).

/// SplitMix64: tiny, fast and good enough for choosing wait times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    /// A generator that gives the same sequence for the same seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number from `lo` to `hi`, both included, like Python's
    /// `random.randint`.
    ///
    /// ```
    /// let mut rng = async_tour::rt::Rng::new(7);
    /// let n = rng.randint(0, 3);
    /// assert!((0..=3).contains(&n));
    /// ```
    pub fn randint(&mut self, lo: u32, hi: u32) -> u32 {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let span = u64::from(hi - lo) + 1;
        // The modulo bias is below 2^-59 for the small ranges lessons use.
        lo + (self.next_u64() % span) as u32
    }
}
