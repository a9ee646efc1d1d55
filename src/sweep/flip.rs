//! Flip points: for one share alone, the value at which the first finalist's win probability reaches 50%, found by bisection with common random numbers.

use super::Point;
use crate::engine::Interrupted;
use serde::{Deserialize, Serialize};

/// Halvings of the bracket: a bracket as wide as a whole share (0 to 1) ends 0.00024 wide, and the
/// crossing is interpolated inside it.
const HALVINGS: usize = 12;
/// After this many halvings the bracket is narrow enough to give the local slope, and still wide
/// enough that the probabilities at its ends differ by many draws (the slope sets the error).
const SLOPE_AFTER: usize = 4;

/// Where one assumption, moved alone, turns the race.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flip {
    /// The range searched: the values the assumption can take.
    pub range: [f64; 2],
    /// The value nearest the scenario's own at which P(first finalist wins) = 50%, or `None`:
    /// nowhere in the range.
    pub value: Option<f64>,
    /// Its Monte Carlo standard error: that of the probability over the curve's local slope.
    pub se: Option<f64>,
    /// With no flip: the value of the range where the probability came nearest 50%, and that
    /// probability.
    pub nearest: Option<[f64; 2]>,
}

/// A value of the assumption and the first finalist's win probability there.
#[derive(Debug, Clone, Copy)]
struct Known {
    x: f64,
    p: f64,
    se: f64,
}

impl Known {
    fn of(x: f64, point: &Point) -> Self {
        Known {
            x,
            p: point.win[0],
            se: point.win_se,
        }
    }
}

/// Find the flip of one assumption now at `now` (win probability `base`), moved within `range`.
/// `moved` are the tornado's two moves, already simulated; `simulate_at` runs the scenario with
/// the assumption at a value (same seed and draws, so every value shares its random numbers).
pub fn search(
    now: f64,
    base: &Point,
    moved: [(f64, &Point); 2],
    range: [f64; 2],
    simulate_at: &dyn Fn(f64) -> Result<Point, Interrupted>,
) -> Result<Flip, Interrupted> {
    let start = Known::of(now, base);
    let reached = |k: &Known| (k.p - 0.5) * (start.p - 0.5) <= 0.0;
    if start.p == 0.5 {
        return Ok(Flip {
            range,
            value: Some(now),
            se: None,
            nearest: None,
        });
    }
    let mut flips = Vec::new();
    let mut nearest = start;
    // Down, then up: each side's move, then, if the move did not reach 50% and did not lead away
    // from it, the end of the range.
    for ((x, point), end) in moved.into_iter().zip(range) {
        let step = Known::of(x, point);
        if (step.p - 0.5).abs() < (nearest.p - 0.5).abs() {
            nearest = step;
        }
        let bracket = if reached(&step) {
            Some((start, step))
        } else if (step.p - 0.5).abs() <= (start.p - 0.5).abs() && end != x {
            let far = Known::of(end, &simulate_at(end)?);
            // On a tie the end is named, since it shows how far the search went.
            if (far.p - 0.5).abs() <= (nearest.p - 0.5).abs() {
                nearest = far;
            }
            reached(&far).then_some((step, far))
        } else {
            None
        };
        if let Some((inside, outside)) = bracket {
            flips.push(refine(inside, outside, &reached, simulate_at)?);
        }
    }
    // Both sides turn it only on a curve that is not monotone: the nearer flip is the answer.
    let flip = flips
        .into_iter()
        .min_by(|a, b| (a.0 - now).abs().total_cmp(&(b.0 - now).abs()));
    Ok(match flip {
        Some((value, se)) => Flip {
            range,
            value: Some(value),
            se,
            nearest: None,
        },
        None => Flip {
            range,
            value: None,
            se: None,
            nearest: Some([nearest.x, nearest.p]),
        },
    })
}

/// Halve the bracket from `inside` (short of 50%) to `outside` (at or past it), then interpolate.
fn refine(
    mut inside: Known,
    mut outside: Known,
    reached: &dyn Fn(&Known) -> bool,
    simulate_at: &dyn Fn(f64) -> Result<Point, Interrupted>,
) -> Result<(f64, Option<f64>), Interrupted> {
    let slope_of = |a: &Known, b: &Known| (b.p - a.p) / (b.x - a.x);
    let mut slope = slope_of(&inside, &outside);
    for halving in 0..HALVINGS {
        if outside.p == 0.5 {
            break;
        }
        let x = (inside.x + outside.x) / 2.0;
        let mid = Known::of(x, &simulate_at(x)?);
        if reached(&mid) {
            outside = mid;
        } else {
            inside = mid;
        }
        if halving + 1 == SLOPE_AFTER {
            slope = slope_of(&inside, &outside);
        }
    }
    let t = if outside.p == inside.p {
        1.0
    } else {
        ((inside.p - 0.5) / (inside.p - outside.p)).clamp(0.0, 1.0)
    };
    let value = inside.x + t * (outside.x - inside.x);
    let se =
        (slope.is_finite() && slope != 0.0).then(|| ((inside.se + outside.se) / 2.0 / slope).abs());
    Ok((value, se))
}
