//! One chunk's draws, column by column, for `run --save-draws`: what the export writes as
//! `draws.parquet`, one row per draw.

/// A chunk's draws. The rates are the shares of a source's voters each draw sent to the first
/// finalist, the second and home (for new voters: their split between the finalists, home 0).
#[derive(Debug, Clone, Default)]
pub struct Draws {
    /// The first finalist's two-party share after the swing.
    pub share: Vec<f64>,
    /// The first finalist's margin in votes.
    pub margin: Vec<f64>,
    /// Runoff turnout in votes.
    pub turnout: Vec<f64>,
    /// The swing's shift of the share (after the share is held in [0, 1]).
    pub swing: Vec<f64>,
    /// New voters' votes (0 without them).
    pub new_voters: Vec<f64>,
    /// Per flow source (every candidate, then the new voters when the scenario has them): the
    /// rates to [A, B, home], in single precision (seven digits, half the file).
    pub rates: Vec<[Vec<f32>; 3]>,
    /// With polls, each draw's weight (the polls' likelihood of its share); empty without.
    pub weight: Vec<f64>,
}

impl Draws {
    /// Empty columns for `sources` flow sources.
    pub fn clear(&mut self, sources: usize) {
        for column in [
            &mut self.share,
            &mut self.margin,
            &mut self.turnout,
            &mut self.swing,
            &mut self.new_voters,
            &mut self.weight,
        ] {
            column.clear();
        }
        self.rates.resize_with(sources, Default::default);
        for rate in &mut self.rates {
            for column in rate.iter_mut() {
                column.clear();
            }
        }
    }

    /// Draws held.
    pub fn len(&self) -> usize {
        self.share.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.share.is_empty()
    }
}
