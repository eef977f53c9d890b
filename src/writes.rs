//! The guide's "I/O processes" as a lesson: a generated dataset written by 1..k writers, each to
//! its own file in the browser's Origin Private File System, then read back and verified.
//!
//! The core owns the three parts that must not differ between writers or engines: the limits
//! (validated once, here: [`WritesPlan::from_input`]), the dataset ([`fill_rows`]: fixed-width
//! CSV rows of a synthetic sensor table, a pure function of writer and row, so a writer can
//! generate its share in any order and a test can regenerate it), and the checksum
//! ([`Checksum`], XXH32 through `xxhash-rust`): the writer sums what it generated, sums what it
//! reads back, and the card compares the two, file by file, with the byte counts. XXH32 rather
//! than CRC-32: `crc32fast` carries 16 KiB of lookup tables, which made the plain .wasm (every
//! process and writer loads it) 25.1 → 43.9 kB gzipped; XXH32 needs no table.
//!
//! Two regimes, because their difference is the lesson: *latency-bound* (many small records,
//! each flushed: a flush is a real disk sync, and concurrent syncs overlap like sleepers) and
//! *bandwidth-bound* (1 MiB blocks, one flush at the end: the device and the page cache are the
//! limit, and more writers add little).

use crate::error::LabError;
use crate::input::Input;
use crate::limits::{param, Bounds, Key};

pub use crate::limits::{MAX_RECORD_BYTES, MAX_TOTAL_MB, MAX_WRITERS, ROW_BYTES};

// Every row is padded to ROW_BYTES, so a record of `n` bytes is exactly `n / 64` rows and a
// writer can start anywhere without reading what came before. The reader's limits (writers,
// record and dataset sizes; the smallest record is one row) are rows of crate::limits::PARAMS.

/// The bandwidth regime's block: 1 MiB, written back to back and flushed once.
pub const BLOCK_BYTES: u64 = 1 << 20;
/// The latency regime writes an eighth of the dataset: flushing every record is two orders of
/// magnitude slower per byte, and a reader should not wait minutes for it.
pub const LATENCY_SHARE: u64 = 8;
/// Most flushes in one latency run (at ~0.3 ms per sync, a few seconds).
pub const MAX_FLUSHES: u64 = 16_384;

/// How a writer writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Regime {
    /// Records of `record_bytes`, each followed by a flush.
    Latency,
    /// [`BLOCK_BYTES`] blocks, one flush at the end.
    Bandwidth,
}

/// One validated parallel-writes run: `writers` files of `bytes_per_writer` each. The writer
/// Workers read it as a serde view (`writesPlan` binding, camelCase, plus `totalBytes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WritesPlan {
    pub writers: u32,
    pub regime: Regime,
    /// Bytes per `write()` call: the record (latency) or the block (bandwidth).
    pub record_bytes: u64,
    pub bytes_per_writer: u64,
    /// Whether each record is flushed (latency) or only the file at its end (bandwidth).
    pub flush_each: bool,
}

fn range_err(field: &'static str, message: String) -> LabError {
    LabError::OutOfRange { field, message }
}

impl WritesPlan {
    /// Validate `{writers, regime, recordBytes, totalMb}`. The dataset (`totalMb`) is split
    /// evenly, so every worker count writes the same bytes and MB/s compare; each share is
    /// rounded down to whole records.
    ///
    /// # Errors
    /// [`LabError::OutOfRange`] naming the field, or [`LabError::Unsupported`] for a regime.
    pub fn from_input(obj: &Input) -> Result<WritesPlan, LabError> {
        if !matches!(obj, Input::Object(_)) {
            return Err(LabError::BadSpec("expected an object such as {\"writers\": 4, \"totalMb\": 32}.".into()));
        }
        let bounds = Bounds::form(1, 1); // every bound here is fixed
        let read = |key: Key| -> Result<u64, LabError> {
            let p = param(key);
            Ok(p.read(obj.get(key.name()), &bounds)?.or(p.initial(&bounds)).unwrap_or(p.min))
        };
        let writers = read(Key::Writers)?;
        let regime = match obj.get("regime").text() {
            Some("latency") => Regime::Latency,
            Some("bandwidth") | None => Regime::Bandwidth,
            Some(other) => {
                return Err(LabError::Unsupported(format!(
                    "Unknown regime \"{}\": use \"latency\" or \"bandwidth\".",
                    other.chars().take(24).collect::<String>()
                )))
            }
        };
        let record = read(Key::RecordBytes)?;
        if record % ROW_BYTES != 0 {
            return Err(range_err(
                "recordBytes",
                format!("The record size must be a multiple of {ROW_BYTES} bytes (one CSV row), got {record}."),
            ));
        }
        let total_mb = read(Key::TotalMb)?;
        let (record_bytes, total) = match regime {
            Regime::Bandwidth => (BLOCK_BYTES, total_mb << 20),
            Regime::Latency => (record, ((total_mb << 20) / LATENCY_SHARE).max(record * writers)),
        };
        let records_each = (total / writers / record_bytes).max(1);
        if regime == Regime::Latency && records_each * writers > MAX_FLUSHES {
            return Err(range_err(
                "recordBytes",
                format!(
                    "Latency runs flush after every record: {} flushes of {record} bytes is too many (at most {MAX_FLUSHES}); pick bigger records or a smaller dataset.",
                    records_each * writers
                ),
            ));
        }
        Ok(WritesPlan {
            writers: writers as u32,
            regime,
            record_bytes,
            bytes_per_writer: records_each * record_bytes,
            flush_each: regime == Regime::Latency,
        })
    }

    /// Bytes written by all writers together.
    pub fn total_bytes(&self) -> u64 {
        self.bytes_per_writer * u64::from(self.writers)
    }
}

/// SplitMix64's finaliser: the row's pseudo-random fields from (writer, row).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Write `value` as `width` decimal digits (zero-padded) at the end of `out`.
fn digits(out: &mut Vec<u8>, mut value: u64, width: usize) {
    let start = out.len();
    out.resize(start + width, b'0');
    for slot in out[start..].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Append `rows` CSV rows of writer `writer`'s file, from row `first_row` on, to `out`.
///
/// A row is `id,writer,sensor,time_ms,value,status,tag` in exactly [`ROW_BYTES`] bytes, e.g.
/// `000000000042,03,7311,1764115210500,-000123.456,low,8f3a0c21d9e4` and a newline. Written by
/// hand (no `format!`): the formatting machinery would be most of this module's wasm size.
pub fn fill_rows(out: &mut Vec<u8>, writer: u32, first_row: u64, rows: u64) {
    out.reserve((rows * ROW_BYTES) as usize);
    for id in first_row..first_row + rows {
        let h = mix((u64::from(writer) << 40) ^ id);
        digits(out, id, 12);
        out.push(b',');
        digits(out, u64::from(writer), 2);
        out.push(b',');
        digits(out, h % 10_000, 4);
        out.push(b',');
        digits(out, 1_764_115_200_000 + id * 250, 13);
        out.push(b',');
        let milli = (h >> 14) % 2_000_000_000;
        let (sign, abs) =
            if milli < 1_000_000_000 { (b'-', 1_000_000_000 - milli) } else { (b'+', milli - 1_000_000_000) };
        out.push(sign);
        digits(out, abs / 1000, 6);
        out.push(b'.');
        digits(out, abs % 1000, 3);
        out.push(b',');
        out.extend_from_slice(match (sign, abs) {
            (b'-', a) if a > 500_000_000 => b"low",
            (b'+', a) if a > 500_000_000 => b"hi_",
            _ => b"ok_",
        });
        out.push(b',');
        for i in (0..12).rev() {
            out.push(HEX[((h >> (i * 4)) & 0xF) as usize]);
        }
        out.push(b'\n');
    }
}

/// An XXH32 (seed 0) of a stream of chunks: what the writer generated, or what it read back.
#[derive(Clone)]
pub struct Checksum(xxhash_rust::xxh32::Xxh32);

impl Default for Checksum {
    fn default() -> Self {
        Checksum(xxhash_rust::xxh32::Xxh32::new(0))
    }
}

impl Checksum {
    pub fn new() -> Checksum {
        Checksum::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The checksum so far (the hasher goes on).
    pub fn value(&self) -> u32 {
        self.0.digest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(json: &str) -> Result<WritesPlan, String> {
        WritesPlan::from_input(&Input::from_json(json).unwrap()).map_err(|e| e.to_string())
    }

    #[test]
    fn rows_are_fixed_width_csv() {
        let mut out = Vec::new();
        fill_rows(&mut out, 3, 42, 100);
        assert_eq!(out.len(), 100 * ROW_BYTES as usize);
        for row in out.chunks(ROW_BYTES as usize) {
            assert_eq!(row.last(), Some(&b'\n'));
            assert_eq!(row.iter().filter(|&&b| b == b',').count(), 6, "{}", String::from_utf8_lossy(row));
        }
        assert!(out.starts_with(b"000000000042,03,"));
    }

    #[test]
    fn a_share_is_the_same_however_it_is_cut() {
        let (mut whole_file, mut parts) = (Vec::new(), Vec::new());
        fill_rows(&mut whole_file, 1, 0, 300);
        fill_rows(&mut parts, 1, 0, 128);
        fill_rows(&mut parts, 1, 128, 172);
        assert_eq!(whole_file, parts);
        let mut a = Checksum::new();
        a.update(&whole_file);
        let mut b = Checksum::new();
        b.update(&parts[..1000]);
        b.update(&parts[1000..]);
        assert_eq!(a.value(), b.value());
        assert_eq!(a.value(), xxhash_rust::xxh32::xxh32(&whole_file, 0));
    }

    #[test]
    fn a_flipped_byte_changes_the_checksum() {
        let mut data = Vec::new();
        fill_rows(&mut data, 0, 0, 64);
        let sum = |d: &[u8]| {
            let mut c = Checksum::new();
            c.update(d);
            c.value()
        };
        let good = sum(&data);
        data[777] ^= 1;
        assert_ne!(sum(&data), good);
    }

    #[test]
    fn every_worker_count_writes_the_same_dataset() {
        for k in [1, 2, 4, 8] {
            let p = plan(&format!(r#"{{"writers":{k},"regime":"bandwidth","totalMb":32}}"#)).unwrap();
            assert_eq!(p.total_bytes(), 32 << 20, "k = {k}");
            assert!(!p.flush_each);
            let l = plan(&format!(r#"{{"writers":{k},"regime":"latency","totalMb":32,"recordBytes":4096}}"#)).unwrap();
            assert_eq!(l.total_bytes(), 4 << 20, "k = {k}");
            assert!(l.flush_each);
            assert_eq!(l.record_bytes, 4096);
        }
    }

    #[test]
    fn bad_writes_inputs_get_clear_messages() {
        let cases = [
            (r#"{"writers":0}"#, "Writers must be a whole number from 1 to 8, got 0"),
            (r#"{"writers":9}"#, "got 9"),
            (r#"{"totalMb":0}"#, "Dataset (MiB) must be a whole number from 1 to 256"),
            (r#"{"totalMb":100000}"#, "got 100000"),
            (r#"{"recordBytes":100}"#, "multiple of 64 bytes"),
            (r#"{"recordBytes":32}"#, "from 64 to 1048576"),
            (r#"{"regime":"latency","recordBytes":64,"totalMb":256}"#, "too many"),
            (r#"{"regime":"sideways"}"#, "Unknown regime \"sideways\""),
            ("[1]", "expected an object"),
        ];
        for (json, want) in cases {
            let got = plan(json).unwrap_err();
            assert!(got.contains(want), "{json}: got {got:?}, want {want:?}");
        }
    }
}
