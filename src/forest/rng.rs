//! SplitMix64: the forest's own seeds and the train/test shuffle.
//!
//! Why not `rand`: the lesson's promise is the *same* forest natively and in wasm, and the same
//! split in the bench's Python anchor. SplitMix64 is ten lines of 64-bit integer arithmetic
//! (Steele, Lea & Flood 2014), identical on every target and easy to write again in Python
//! (`bench/forest.py` does). The trees themselves draw from smartcore's `StdRng` (ChaCha),
//! which is also target-independent, seeded from [`tree_seed`].

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), as `next % n`: the bias is below 2⁻⁵³ for the lab's sizes,
    /// and a modulo is what the Python anchor can repeat exactly.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// The seed of tree `tree` in a forest seeded `seed`: a function of those two numbers only, so
/// a tree is the same whichever worker builds it and whenever — the reason the forest does not
/// depend on n_jobs.
pub fn tree_seed(seed: u64, tree: usize) -> u64 {
    let base = SplitMix64::new(seed).next_u64();
    SplitMix64::new(base ^ tree as u64).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence() {
        // SplitMix64 from seed 0, as published with the algorithm (and in Java's SplittableRandom).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn tree_seeds_are_the_python_anchors() {
        // Computed by the SplitMix64 of bench/forest.py (Python integers, masked to 64 bits), not
        // by this code: a change of the rule here changes every forest and must fail.
        assert_eq!(tree_seed(0, 0), 0xA706_DD2F_4D19_7E6F);
        assert_eq!(tree_seed(7, 3), 0x6BAA_7868_1A99_F995);
        assert_eq!(tree_seed(42, 99), 0x9727_D8CE_432E_1FD4);
    }

    #[test]
    fn tree_seeds_differ_per_tree_and_per_seed() {
        let mut seen: Vec<u64> = (0..1_000).map(|tree| tree_seed(7, tree)).collect();
        seen.extend((0..100).map(|seed| tree_seed(seed, 0)));
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 1_099, "tree_seed(7, 0) is counted twice; every other seed differs");
    }

    #[test]
    fn below_stays_below_and_reaches_every_value() {
        let mut r = SplitMix64::new(3);
        let mut hits = [0u32; 7];
        for _ in 0..7_000 {
            let v = r.below(7);
            assert!(v < 7, "{v}");
            hits[v as usize] += 1;
        }
        // 1000 expected each; a fair generator stays far inside 800..1200 at this count
        assert!(hits.iter().all(|&h| (800..1_200).contains(&h)), "{hits:?}");
    }
}
