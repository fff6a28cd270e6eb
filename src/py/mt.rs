//! The Mersenne Twister (MT19937) as CPython's `random` module seeds and
//! draws from it, so that a program that calls `random.seed(n)` prints
//! the very numbers CPython prints. A program that never seeds draws from
//! the run's own seeded generator instead (CPython's numbers would be
//! different on every run anyway).

const N: usize = 624;
const M: usize = 397;

/// A generator in the state `random.seed(n)` leaves it in.
pub struct Mt {
    state: [u32; N],
    index: usize,
}

impl Mt {
    /// `random.seed(n)` for an int `n`: its absolute value's 32-bit words,
    /// least significant first, through `init_by_array`.
    pub fn seeded(n: u64) -> Mt {
        match n >> 32 {
            0 => Mt::by_array(&[n as u32]),
            high => Mt::by_array(&[n as u32, high as u32]),
        }
    }

    /// The reference `init_by_array`.
    fn by_array(key: &[u32]) -> Mt {
        let mut mt = Mt::from_u32(19_650_218);
        let s = &mut mt.state;
        let (mut i, mut j) = (1, 0);
        for _ in 0..N.max(key.len()) {
            let prev = s[i - 1] ^ (s[i - 1] >> 30);
            s[i] = (s[i] ^ prev.wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j = (j + 1) % key.len();
            if i >= N {
                s[0] = s[N - 1];
                i = 1;
            }
        }
        for _ in 0..N - 1 {
            let prev = s[i - 1] ^ (s[i - 1] >> 30);
            s[i] = (s[i] ^ prev.wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                s[0] = s[N - 1];
                i = 1;
            }
        }
        s[0] = 0x8000_0000;
        mt
    }

    fn from_u32(seed: u32) -> Mt {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1] ^ (state[i - 1] >> 30);
            state[i] = prev.wrapping_mul(1_812_433_253).wrapping_add(i as u32);
        }
        Mt { state, index: N }
    }

    /// The next 32 random bits.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        let s = &mut self.state;
        for i in 0..N {
            let y = (s[i] & 0x8000_0000) | (s[(i + 1) % N] & 0x7fff_ffff);
            let mag = if y & 1 == 0 { 0 } else { 0x9908_b0df };
            s[i] = s[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// `random.random()`: 53 random bits from two draws.
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (a as f64 * 67_108_864.0 + b as f64) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random.getrandbits(k)` for `k` up to 64: whole words, least
    /// significant first, the last one cut to what is left.
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        let (mut out, mut shift, mut left) = (0u64, 0, k);
        while left > 0 {
            let mut word = self.next_u32();
            if left < 32 {
                word >>= 32 - left;
            }
            out |= u64::from(word) << shift;
            shift += 32;
            left = left.saturating_sub(32);
        }
        out
    }

    /// `_randbelow(n)`: draws of `n`'s bit length until one is below it.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let k = 64 - n.leading_zeros();
        loop {
            let r = self.getrandbits(k);
            if r < n {
                return r;
            }
        }
    }
}
