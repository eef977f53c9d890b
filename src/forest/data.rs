//! The dataset file (`www/data/digits.bin`, described in `www/data/README.md`) and the fixed
//! train/test split.

use super::rng::SplitMix64;
use crate::error::LabError;

const MAGIC: &[u8; 8] = b"SLDIGIT1";
const HEADER: usize = 12;

/// A labelled table of small integer features (the handwritten digits: 1797 × 64, pixels 0..16).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub rows: usize,
    pub features: usize,
    pub classes: usize,
    /// `rows × features`, row-major.
    pub pixels: Vec<u8>,
    /// One label per row, each below `classes`.
    pub labels: Vec<u8>,
}

fn bad(why: &str) -> LabError {
    LabError::BadSpec(format!("the dataset file is not a digits.bin ({why}); reload the page to fetch it again."))
}

impl Dataset {
    /// Read the binary format of `www/data/README.md`, checking every size and label.
    ///
    /// # Errors
    /// [`LabError::BadSpec`] naming what is wrong (truncated, wrong magic, a label out of range).
    pub fn parse(bytes: &[u8]) -> Result<Dataset, LabError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(bad("no SLDIGIT1 header"));
        }
        let rows = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        let features = usize::from(bytes[10]);
        let classes = usize::from(bytes[11]);
        if rows < 8 || features == 0 || classes < 2 {
            return Err(bad("too few rows, features or classes"));
        }
        if bytes.len() != HEADER + rows * (features + 1) {
            return Err(bad("wrong length"));
        }
        let (pixels, labels) = bytes[HEADER..].split_at(rows * features);
        if labels.iter().any(|&l| usize::from(l) >= classes) {
            return Err(bad("a label out of range"));
        }
        Ok(Dataset { rows, features, classes, pixels: pixels.to_vec(), labels: labels.to_vec() })
    }

    /// Row `i`'s features.
    pub fn row(&self, i: usize) -> &[u8] {
        &self.pixels[i * self.features..(i + 1) * self.features]
    }
}

/// Row indices of the training and the held-out (test) part, each in ascending order.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// The fixed 75/25 split for `seed`: a Fisher–Yates shuffle of `0..rows` by SplitMix64, the
/// first `ceil(rows / 4)` rows held out (450 of 1797, as scikit-learn's `test_size=0.25`).
/// `bench/forest.py` repeats it, so scikit-learn is scored on exactly the same rows.
pub fn split(rows: usize, seed: u64) -> Split {
    let mut order: Vec<usize> = (0..rows).collect();
    let mut rng = SplitMix64::new(seed);
    for i in (1..rows).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    let held_out = rows.div_ceil(4);
    let mut test = order[..held_out].to_vec();
    let mut train = order[held_out..].to_vec();
    test.sort_unstable();
    train.sort_unstable();
    Split { train, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rows: u16, features: u8, classes: u8, labels: &[u8]) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend(rows.to_le_bytes());
        b.extend([features, classes]);
        b.extend(vec![3u8; usize::from(rows) * usize::from(features)]);
        b.extend(labels);
        b
    }

    #[test]
    fn reads_a_well_formed_file() {
        let d = Dataset::parse(&file(8, 2, 2, &[0, 1, 0, 1, 0, 1, 0, 1])).unwrap();
        assert_eq!((d.rows, d.features, d.classes), (8, 2, 2));
        assert_eq!(d.row(7), &[3, 3]);
    }

    #[test]
    fn refuses_broken_files() {
        assert!(Dataset::parse(b"nonsense").is_err());
        let mut f = file(8, 2, 2, &[0, 1, 0, 1, 0, 1, 0, 1]);
        f.pop();
        assert!(Dataset::parse(&f).unwrap_err().to_string().contains("wrong length"));
        let f = file(8, 2, 2, &[0, 1, 0, 1, 0, 1, 0, 2]);
        assert!(Dataset::parse(&f).unwrap_err().to_string().contains("label out of range"));
    }

    #[test]
    fn the_split_is_a_partition_of_three_to_one() {
        let s = split(1797, 0);
        assert_eq!((s.train.len(), s.test.len()), (1347, 450));
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..1797).collect::<Vec<_>>());
        assert_eq!(split(1797, 0), s);
        assert_ne!(split(1797, 1).test, s.test);
    }
}
