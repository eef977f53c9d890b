//! The wasm API of the parallel-writes lesson (see [`crate::writes`]): the writer Workers call
//! these from their own plain wasm instance; the page never does.

use crate::writes::{fill_rows, Checksum, WritesPlan, ROW_BYTES};
use wasm_bindgen::prelude::*;

/// Validate a writes spec and return it normalised, as a serde view of [`WritesPlan`]:
/// `{writers, regime, recordBytes, bytesPerWriter, flushEach, totalBytes}`.
///
/// # Errors
/// The core's message for the first field out of range; nothing has been written then.
#[wasm_bindgen(js_name = writesPlan)]
pub fn writes_plan(spec: &JsValue) -> Result<JsValue, JsError> {
    /// The plan's fields and its total. Listed, not `#[serde(flatten)]`: a flattened struct is
    /// serialised as a map, which serde-wasm-bindgen turns into a JS `Map`, not an object.
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct View {
        writers: u32,
        regime: crate::writes::Regime,
        record_bytes: u64,
        bytes_per_writer: u64,
        flush_each: bool,
        total_bytes: u64,
    }
    let plan = WritesPlan::from_input(&crate::bindings::input_of(spec)).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(crate::bindings::to_js(&View {
        writers: plan.writers,
        regime: plan.regime,
        record_bytes: plan.record_bytes,
        bytes_per_writer: plan.bytes_per_writer,
        flush_each: plan.flush_each,
        total_bytes: plan.total_bytes(),
    }))
}

/// `bytes` of writer `writer`'s file starting at byte `offset` (both multiples of 64: whole
/// CSV rows), as a fresh `Uint8Array`.
#[wasm_bindgen(js_name = writesRows)]
pub fn writes_rows(writer: u32, offset: f64, bytes: f64) -> Vec<u8> {
    let mut out = Vec::new();
    fill_rows(&mut out, writer, offset as u64 / ROW_BYTES, bytes as u64 / ROW_BYTES);
    out
}

/// XXH32 of a stream of chunks (`xxhash-rust`): one for what a writer generated, one for what
/// it read back.
#[wasm_bindgen(js_name = Xxh32)]
pub struct Xxh32(Checksum);

#[wasm_bindgen(js_class = Xxh32)]
impl Xxh32 {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Xxh32 {
        Xxh32(Checksum::new())
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The checksum so far, as an unsigned 32-bit number.
    pub fn value(&self) -> u32 {
        self.0.value()
    }
}

impl Default for Xxh32 {
    fn default() -> Self {
        Xxh32::new()
    }
}
