//! Rows as JSON lines: one array per row, in the table's column order; integers as numbers,
//! text as strings, bytes as base64 strings, NULL as null. Readable by any JSON tool, and the
//! same whichever database wrote it.

use crate::copy::{Kind, TableSpec, Value};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value as Json;

/// Appends rows to `out`, one line each.
pub(crate) fn encode(rows: &[Vec<Value>], out: &mut Vec<u8>) {
    for row in rows {
        let line: Vec<Json> = row
            .iter()
            .map(|v| match v {
                Value::Null => Json::Null,
                Value::Int(i) => Json::from(*i),
                Value::Text(s) => Json::from(s.as_str()),
                Value::Bytes(b) => Json::from(STANDARD.encode(b)),
            })
            .collect();
        // A Vec of JSON values always serializes.
        if serde_json::to_writer(&mut *out, &line).is_ok() {
            out.push(b'\n');
        }
    }
}

/// The rows of one chunk, each checked against the table's columns; the error says which
/// line is wrong.
pub(crate) fn decode(t: &TableSpec, bytes: &[u8]) -> Result<Vec<Vec<Value>>, String> {
    let mut rows = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let values: Vec<Json> =
            serde_json::from_slice(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        if values.len() != t.columns.len() {
            return Err(format!(
                "line {}: {} values for {} columns",
                n + 1,
                values.len(),
                t.columns.len()
            ));
        }
        let row = values
            .into_iter()
            .zip(t.columns)
            .map(|(v, (col, kind))| {
                value(v, *kind).ok_or_else(|| format!("line {}: bad value for {col}", n + 1))
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(row);
    }
    Ok(rows)
}

fn value(v: Json, kind: Kind) -> Option<Value> {
    Some(match (v, kind) {
        (Json::Null, _) => Value::Null,
        (Json::Number(n), Kind::Int) => Value::Int(n.as_i64()?),
        (Json::String(s), Kind::Text) => Value::Text(s),
        (Json::String(s), Kind::Bytes) => Value::Bytes(STANDARD.decode(s).ok()?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::TABLES;

    fn spec(name: &str) -> &'static TableSpec {
        TABLES.iter().find(|t| t.name == name).expect("table")
    }

    #[test]
    fn rows_survive_the_round_trip() {
        let t = spec("stats_secrets");
        let rows = vec![
            vec![Value::Int(20_000), Value::Bytes(vec![0, 255, 10, 13])],
            vec![Value::Int(-1), Value::Null],
        ];
        let mut out = Vec::new();
        encode(&rows, &mut out);
        assert_eq!(decode(t, &out).expect("decode"), rows);
        let t = spec("site_settings");
        let rows = vec![vec![
            Value::Text("ten\n\"tổ chức\"".into()),
            Value::Text(String::new()),
            Value::Int(2),
        ]];
        let mut out = Vec::new();
        encode(&rows, &mut out);
        assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1, "one line");
        assert_eq!(decode(t, &out).expect("decode"), rows);
    }

    #[test]
    fn wrong_shapes_are_refused_with_the_line() {
        let t = spec("site_settings");
        assert!(
            decode(t, b"[\"a\",\"b\"]\n")
                .expect_err("refused")
                .contains("line 1")
        );
        assert!(
            decode(t, b"[\"a\",\"b\",1]\n[\"a\",\"b\",\"x\"]\n")
                .expect_err("refused")
                .contains("line 2")
        );
        assert!(decode(t, b"[\"a\",\"b\"").is_err());
        let t = spec("stats_secrets");
        assert!(decode(t, b"[1,\"not base64!\"]\n").is_err());
        assert!(decode(t, b"[1.5,null]\n").is_err());
    }
}
