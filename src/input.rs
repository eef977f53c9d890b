//! Loosely typed input — what a page, an attribute or a URL hands the core — before validation.
//!
//! The core validates an [`Input`], not JSON text, so the wasm build needs no JSON parser and no
//! float formatting (both are large in wasm): the bindings build an `Input` from a JS value, with
//! each number's text as JavaScript writes it (for messages such as `got -1`), and native code
//! builds one from JSON ([`Input::from_json`]).

/// A value as received.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Absent, `null` or `undefined`.
    Null,
    Bool(bool),
    /// A number, with its text as the sender wrote it (shown in error messages).
    Number {
        value: f64,
        text: String,
    },
    /// A string, with its numeric reading if it is one (attributes are strings).
    Text {
        text: String,
        number: Option<f64>,
    },
    List(Vec<Input>),
    Object(Vec<(String, Input)>),
}

impl Input {
    /// The field `key` of an object (`Null` when absent or not an object).
    pub fn get(&self, key: &str) -> &Input {
        match self {
            Input::Object(fields) => fields.iter().find(|(k, _)| k == key).map_or(&Input::Null, |(_, v)| v),
            _ => &Input::Null,
        }
    }

    /// The value as a number, if it is one or a string that reads as one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Input::Number { value, .. } => Some(*value),
            Input::Text { number, .. } => *number,
            _ => None,
        }
    }

    /// The value as a string, if it is a string.
    pub fn text(&self) -> Option<&str> {
        match self {
            Input::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A short rendering for error messages: strings quoted, everything cut at 40 characters.
    pub fn show(&self) -> String {
        let cut = |s: &str| s.chars().take(40).collect::<String>();
        match self {
            Input::Null => "nothing".into(),
            Input::Bool(b) => b.to_string(),
            Input::Number { text, .. } => cut(text),
            Input::Text { text, .. } => format!("\"{}\"", cut(text)),
            Input::List(_) => "a list".into(),
            Input::Object(_) => "an object".into(),
        }
    }

    /// Read a string as a number the way the core accepts it: trimmed, decimal or exponent
    /// notation; empty is not a number.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn parse_number(text: &str) -> Option<f64> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        t.parse::<f64>().ok()
    }

    /// Parse JSON text (native code and tests; the browser hands over JS values instead).
    ///
    /// # Errors
    /// serde_json's message when `json` is not JSON.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(json: &str) -> Result<Input, String> {
        fn convert(v: serde_json::Value) -> Input {
            use serde_json::Value;
            match v {
                Value::Null => Input::Null,
                Value::Bool(b) => Input::Bool(b),
                Value::Number(n) => Input::Number { value: n.as_f64().unwrap_or(f64::NAN), text: n.to_string() },
                Value::String(s) => Input::Text { number: Input::parse_number(&s), text: s },
                Value::Array(a) => Input::List(a.into_iter().map(convert).collect()),
                Value::Object(o) => Input::Object(o.into_iter().map(|(k, v)| (k, convert(v))).collect()),
            }
        }
        serde_json::from_str(json).map(convert).map_err(|e| e.to_string())
    }
}
