//! The guide's naive divisor test in SIMD lanes: every divisor `d` in `1..n` is still tried, but
//! four (`f32x4`) or two (`f64x2`) at a time, with a division instead of a remainder.
//!
//! The test for one divisor: `q = trunc(n / d)`, and `d` divides `n` exactly when `q · d == n`.
//! Floating point, because wasm SIMD has lane-wise float division and no integer division.
//!
//! **Why `f32` is exact while `n ≤ 2^24`** (so the `f32x4` kernel, twice as wide as `f64x2`, is
//! only used there; above it the `f64x2` kernel runs, exact below 2^53):
//! - `n` and every `d < n` are integers ≤ 2^24, so both are exact in `f32` (24-bit significand).
//! - If `d | n`, `n / d` is an integer ≤ 2^24: the division is exact, `q · d = n` exactly. ✓
//! - If `d ∤ n`, the rounded quotient is at least `⌊n / d⌋` (representable; rounding is
//!   monotone), so `q` is either `⌊n / d⌋`, whose product with `d` is below `n`, exact and `≠ n`,
//!   or `k = ⌈n / d⌉` when the quotient rounds up; then `k · d = n + r` with `1 ≤ r < d`. That
//!   product is exact (so `≠ n`) unless `n + r > 2^24`, and because `f32` integers above 2^24 are
//!   even, `fl(n + r) = n` only for `n = 2^24`, `r = 1`: `k · d = 2^24 + 1 = 97 · 257 · 673`, and
//!   for none of its factor pairs does `2^24 / d` round up to `k` (the tests check exactly these
//!   near-divisors). So `fl(q · d) ≠ n`. ✓
//! - Past 2^24 it breaks at once: `2^24 + 1` is not even representable (it rounds to 2^24).
//!
//! The per-divisor sums are kept in integer lanes (`u32`): an `f32` sum would stop being exact
//! past 2^24 even though every term is. All lanes together hold the divisor sum, below 4·n < 2^26 for these n
//! (σ(n) < 5·n holds up to 122 522 400, the first n with σ(n) ≥ 5·n).
//!
//! On wasm the kernels are written with `core::arch::wasm32` intrinsics; natively they are
//! plain loops that LLVM vectorises itself — *if* the target has a vector `trunc` (SSE4.1's
//! `roundps`, in x86-64-v2 and later). With the default x86-64 target (SSE2) each `trunc` is a
//! library call and the "lanes" kernel is slower than the scalar loop: build native lanes with
//! `-C target-cpu=x86-64-v2` or `native` (the benchmark does). The loop bounds are written
//! `1..n` (exclusive): `for d in 1..=m` kept LLVM from vectorising.

/// Largest `n` for which the `f32` test is exact (see the module docs).
pub const F32_EXACT_MAX: u64 = 1 << 24;
/// Largest `n` for which the `f64` test is exact.
pub const F64_EXACT_MAX: u64 = 1 << 53;

/// Sum of the divisors of `n` in `1..n` by the `f32` test, four at a time on wasm.
/// Callers keep `2 ≤ n ≤ F32_EXACT_MAX`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn divisor_sum_f32(n: u32) -> u64 {
    use core::arch::wasm32::{f32x4_convert_i32x4, f32x4_div, f32x4_eq, f32x4_mul, f32x4_splat, f32x4_trunc};
    use core::arch::wasm32::{u32x4, u32x4_add, u32x4_extract_lane, u32x4_splat, v128_and};
    let nf = n as f32;
    let nv = f32x4_splat(nf);
    let four = u32x4_splat(4);
    let mut di = u32x4(1, 2, 3, 4);
    let mut sum = u32x4_splat(0);
    let count = n - 1; // divisors 1..n-1
    for _ in 0..count / 4 {
        // The divisors as floats, converted from the integer counter each time rather than
        // counted in floats: a float add chained from one iteration to the next (4 cycles)
        // would bound the loop, while the conversion is off the chain. (d < 2^24: exact, and
        // positive, so the signed conversion is right.)
        let d = f32x4_convert_i32x4(di);
        let q = f32x4_trunc(f32x4_div(nv, d));
        let hit = f32x4_eq(f32x4_mul(q, d), nv); // all ones where d divides n
        sum = u32x4_add(sum, v128_and(hit, di));
        di = u32x4_add(di, four);
    }
    let lanes = [
        u32x4_extract_lane::<0>(sum),
        u32x4_extract_lane::<1>(sum),
        u32x4_extract_lane::<2>(sum),
        u32x4_extract_lane::<3>(sum),
    ];
    let mut total: u64 = lanes.iter().map(|&s| u64::from(s)).sum();
    for dd in (count / 4) * 4 + 1..n {
        total += u64::from(f32_hit(nf, dd));
    }
    total
}

/// Sum of the divisors of `n` in `1..n` by the `f32` test (native: a loop LLVM vectorises).
/// Callers keep `2 ≤ n ≤ F32_EXACT_MAX`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub fn divisor_sum_f32(n: u32) -> u64 {
    let nf = n as f32;
    let mut sum = 0u32;
    for d in 1..n {
        sum += f32_hit(nf, d);
    }
    u64::from(sum)
}

/// `d` when the `f32` test says `d` divides `n` (as `nf`), else 0.
#[inline(always)]
pub fn f32_hit(nf: f32, d: u32) -> u32 {
    let df = d as f32;
    if (nf / df).trunc() * df == nf {
        d
    } else {
        0
    }
}

/// Sum of the divisors of `n` in `1..n` by the `f64` test, two at a time on wasm.
/// Callers keep `2 ≤ n < F64_EXACT_MAX`.
pub fn divisor_sum_f64(n: u64) -> f64 {
    let nf = n as f64;
    let count = n - 1; // divisors 1..n-1
    let mut sum = sum_pairs(nf, count / 2);
    if count % 2 == 1 {
        let d = count as f64; // the odd one out: n - 1
        if (nf / d).trunc() * d == nf {
            sum += d;
        }
    }
    sum
}

/// Sum of the divisors among `1, 2, …, 2·pairs`, two at a time.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn sum_pairs(nf: f64, pairs: u64) -> f64 {
    use core::arch::wasm32::{f64x2, f64x2_add, f64x2_div, f64x2_eq, f64x2_extract_lane, f64x2_mul, f64x2_splat};
    use core::arch::wasm32::{f64x2_trunc, v128_and};
    let n = f64x2_splat(nf);
    let two = f64x2_splat(2.0);
    let mut d = f64x2(1.0, 2.0);
    let mut sum = f64x2_splat(0.0);
    for _ in 0..pairs {
        let q = f64x2_trunc(f64x2_div(n, d));
        let hit = f64x2_eq(f64x2_mul(q, d), n); // all ones where d divides n
        sum = f64x2_add(sum, v128_and(hit, d));
        d = f64x2_add(d, two);
    }
    f64x2_extract_lane::<0>(sum) + f64x2_extract_lane::<1>(sum)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn sum_pairs(nf: f64, pairs: u64) -> f64 {
    let (mut a, mut b) = (0.0f64, 0.0f64);
    let (mut d0, mut d1) = (1.0f64, 2.0f64);
    for _ in 0..pairs {
        if (nf / d0).trunc() * d0 == nf {
            a += d0;
        }
        if (nf / d1).trunc() * d1 == nf {
            b += d1;
        }
        d0 += 2.0;
        d1 += 2.0;
    }
    a + b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Does the `f32` test say `d | n`? (The per-divisor predicate both kernels use.)
    fn f32_says(n: u32, d: u32) -> bool {
        f32_hit(n as f32, d) != 0
    }

    fn exact_sum(n: u64) -> u64 {
        (1..n).filter(|&d| n.is_multiple_of(d)).sum()
    }

    /// The divisors of `m` (trial division up to √m).
    fn divisors(m: u64) -> Vec<u64> {
        let mut out = Vec::new();
        let mut d = 1;
        while d * d <= m {
            if m.is_multiple_of(d) {
                out.push(d);
                out.push(m / d);
            }
            d += 1;
        }
        out
    }

    /// Sum of the divisors of `n` below `n`, by trial division up to √n (fast for any n here).
    fn proper_divisor_sum(n: u64) -> u64 {
        let set: std::collections::BTreeSet<u64> = divisors(n).into_iter().filter(|&d| d < n).collect();
        set.iter().sum()
    }

    /// A small fixed-seed generator (xorshift64*): the sample is the same every run.
    fn sample(count: usize, lo: u64, hi: u64) -> Vec<u64> {
        let mut x = 0x9E37_79B9_7F4A_7C15_u64;
        (0..count)
            .map(|_| {
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                lo + x.wrapping_mul(0x2545_F491_4F6C_DD1D) % (hi - lo + 1)
            })
            .collect()
    }

    /// The cases the proof worries about, for one `n`: every true divisor, every `d` that
    /// *nearly* divides `n` (it divides `n + 1`, `n + 2`, `n − 1` or `n − 2`: the quotient is an
    /// integer ± a hair, where rounding could lie), and the last few divisors below `n`.
    fn check_edges(n: u64) {
        let mut ds: Vec<u64> = Vec::new();
        for m in [n - 2, n - 1, n, n + 1, n + 2] {
            ds.extend(divisors(m));
        }
        ds.extend((n.saturating_sub(64)).max(1)..n);
        for d in ds.into_iter().filter(|&d| (1..n).contains(&d)) {
            assert_eq!(f32_says(n as u32, d as u32), n.is_multiple_of(d), "n = {n}, d = {d}");
        }
    }

    #[test]
    fn f32_kernel_sums_every_divisor_exactly_for_small_n() {
        for n in 2..3_000u64 {
            assert_eq!(divisor_sum_f32(n as u32), exact_sum(n), "n = {n}");
        }
    }

    #[test]
    fn f32_test_is_exact_on_every_near_divisor_up_to_the_edge() {
        // The top of the range, every n of it, then a wide fixed sample below.
        for n in F32_EXACT_MAX - 2_000..=F32_EXACT_MAX {
            check_edges(n);
        }
        for n in sample(3_000, 2, F32_EXACT_MAX) {
            check_edges(n);
        }
        // Highly composite and prime neighbours of the edge.
        for n in [16_777_213, 16_777_215, 16_777_216, 14_414_400, 11_531_520, 8_648_640, 720_720] {
            check_edges(n);
        }
    }

    #[test]
    fn f32_kernel_matches_the_exact_sum_at_the_edge() {
        // Whole kernels (16 million divisor tests each): 2^24 itself, its odd neighbour below,
        // and 2^24 − 2 (= 2 · 3 · 2796203, so its near-divisors are spread out).
        for n in [F32_EXACT_MAX, F32_EXACT_MAX - 1, F32_EXACT_MAX - 2] {
            assert_eq!(divisor_sum_f32(n as u32), proper_divisor_sum(n), "n = {n}");
        }
    }

    #[test]
    fn f32_test_breaks_just_past_the_edge() {
        // 2^24 + 1 is not an f32: it rounds to 2^24, whose divisors (powers of two) the test then
        // "finds" in 2^24 + 1 = 97 · 257 · 673. This is why the kernel switches to f64 above 2^24.
        let n = F32_EXACT_MAX + 1;
        assert!(f32_says(n as u32, 2), "2 is reported as a divisor of the odd 2^24 + 1");
        assert_ne!(n % 2, 0);
    }

    #[test]
    fn f64_kernel_sums_every_divisor_exactly() {
        for n in 2..3_000u64 {
            assert_eq!(divisor_sum_f64(n) as u64, exact_sum(n), "n = {n}");
        }
        for n in [F32_EXACT_MAX + 1, F32_EXACT_MAX + 3] {
            assert_eq!(divisor_sum_f64(n) as u64, proper_divisor_sum(n), "n = {n}");
        }
    }
}
