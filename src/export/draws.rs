//! `draws.parquet` (`run --save-draws`): one row per draw, for questions no summary anticipates
//! (docs/draws.md). Written chunk by chunk as the engine merges them, so memory stays flat in the
//! draws; the command gives the file.

use crate::engine::{Draws, Model};
use crate::scenario::Scenario;
use arrow_array::{ArrayRef, Float32Array, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use std::io::Write;
use std::sync::Arc;

/// The draws' columns, then each flow's rate: `"<source> → <finalist>"` and
/// `"<source> → stayed home"` (new voters: their split, no home column).
pub fn column_names(s: &Scenario, model: &Model) -> Vec<String> {
    let mut names: Vec<String> = [
        "share",
        "margin",
        "turnout",
        "winner",
        "swing",
        "new_voters",
    ]
    .map(String::from)
    .into();
    if model.has_polls() {
        names.push("weight".into());
    }
    let [a, b] = &s.finalists;
    for c in &s.candidates {
        names.push(format!("{} → {a}", c.name));
        names.push(format!("{} → {b}", c.name));
        names.push(format!("{} → stayed home", c.name));
    }
    if model.rate_sources() > s.candidates.len() {
        let label = crate::summary::new_voters_label(s);
        names.push(format!("{label} → {a}"));
        names.push(format!("{label} → {b}"));
    }
    names
}

/// A Parquet file of draws being written.
pub struct DrawsWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: Arc<Schema>,
    finalists: [String; 2],
    polls: bool,
    new_voters: bool,
    candidates: usize,
}

impl<W: Write + Send> DrawsWriter<W> {
    /// Start the file for scenario `s` compiled as `model`.
    pub fn new(out: W, s: &Scenario, model: &Model) -> anyhow::Result<Self> {
        let fields: Vec<Field> = column_names(s, model)
            .into_iter()
            .map(|name| {
                let kind = if name == "winner" {
                    DataType::Utf8
                } else if name.contains(" → ") {
                    DataType::Float32
                } else {
                    DataType::Float64
                };
                Field::new(name, kind, false)
            })
            .collect();
        let schema = Arc::new(Schema::new(fields));
        // A row group per chunk: the writer then holds one chunk, not a million rows.
        let properties = WriterProperties::builder()
            // Random doubles do not compress: snappy cost time and saved nothing.
            .set_compression(Compression::UNCOMPRESSED)
            // Nor do they repeat: a dictionary per column is tried, buffered and dropped. The
            // winner, two names and "tie", is the column that gains from one.
            .set_dictionary_enabled(false)
            .set_column_dictionary_enabled(ColumnPath::from("winner"), true)
            // Statistics per row group, not per page: the page index is held until the file
            // closes, and grew with the draws (95 MB at 10^8).
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_max_row_group_size(crate::engine::CHUNK_DRAWS as usize)
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))?;
        Ok(DrawsWriter {
            writer,
            schema,
            finalists: s.finalists.clone(),
            polls: model.has_polls(),
            new_voters: model.rate_sources() > s.candidates.len(),
            candidates: s.candidates.len(),
        })
    }

    /// Write a chunk's draws, taking its columns (no copy of a chunk's megabytes).
    pub fn write(&mut self, d: &mut Draws) -> anyhow::Result<()> {
        let float =
            |x: &mut Vec<f64>| -> ArrayRef { Arc::new(Float64Array::from(std::mem::take(x))) };
        let single =
            |x: &mut Vec<f32>| -> ArrayRef { Arc::new(Float32Array::from(std::mem::take(x))) };
        let winner: StringArray = d
            .share
            .iter()
            .map(|&s| {
                Some(if s > 0.5 {
                    self.finalists[0].as_str()
                } else if s < 0.5 {
                    self.finalists[1].as_str()
                } else {
                    "tie"
                })
            })
            .collect();
        let mut columns: Vec<ArrayRef> = vec![
            float(&mut d.share),
            float(&mut d.margin),
            float(&mut d.turnout),
            Arc::new(winner),
            float(&mut d.swing),
            float(&mut d.new_voters),
        ];
        if self.polls {
            columns.push(float(&mut d.weight));
        }
        for rates in &mut d.rates[..self.candidates] {
            columns.extend(rates.iter_mut().map(single));
        }
        if self.new_voters {
            columns.extend(d.rates[self.candidates][..2].iter_mut().map(single));
        }
        let batch = RecordBatch::try_new(self.schema.clone(), columns)?;
        self.writer.write(&batch)?;
        Ok(())
    }

    /// Finish the file (its footer).
    pub fn finish(self) -> anyhow::Result<()> {
        self.writer.close()?;
        Ok(())
    }
}
