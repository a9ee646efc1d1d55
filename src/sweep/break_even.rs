//! Break-even values: where the first finalist's win probability crosses 50%, along a sweep's grid, or searched for one assumption alone (`tornado --break-even`, and `--match-actual`'s like search).

use super::{Point, Z95, key_value};
use crate::engine::Interrupted;
use serde::{Deserialize, Serialize};

/// Bisection steps that refine a one-key break-even between two grid points of a sweep.
const REFINE_STEPS: usize = 10;

/// Halvings of a searched break-even's bracket: one as wide as a whole share (0 to 1) ends 0.00024
/// wide, and the crossing is interpolated inside it.
const HALVINGS: usize = 12;
/// After this many halvings the bracket is narrow enough to give the local slope, and still wide
/// enough that the probabilities at its ends differ by many draws (the slope sets the error).
const SLOPE_AFTER: usize = 4;

/// Where a quantity crosses 50% along a one-key sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakEven {
    /// The crossing value, or `None`: never crosses in this range.
    pub value: Option<f64>,
    /// Its Monte Carlo standard error.
    pub se: Option<f64>,
    /// Whether the quantity rises (true) or falls through 50% there.
    pub rising: Option<bool>,
}

impl BreakEven {
    fn never() -> Self {
        BreakEven {
            value: None,
            se: None,
            rising: None,
        }
    }

    /// "0.4312 ± 0.0004 (95%: ± 0.0008)" (for a vote count, "45,120 ± 310 (95%: ± 608)"), or "never
    /// crosses in this range".
    pub fn describe(&self, key: &str) -> String {
        match (self.value, self.se) {
            (Some(v), Some(se)) => format!(
                "{} ± {} (95%: ± {})",
                key_value(key, v),
                key_value(key, se),
                key_value(key, Z95 * se)
            ),
            (Some(v), None) => key_value(key, v),
            _ => "never crosses in this range".to_string(),
        }
    }
}

/// The first grid interval where `metric − 0.5` changes sign: its index and the linear position in it.
pub(super) fn first_crossing(
    points: &[Point],
    metric: impl Fn(&Point) -> f64,
) -> Option<(usize, f64)> {
    points.windows(2).enumerate().find_map(|(i, w)| {
        let (a, b) = (metric(&w[0]) - 0.5, metric(&w[1]) - 0.5);
        if a == 0.0 {
            Some((i, 0.0))
        } else if a * b < 0.0 || b == 0.0 {
            Some((i, a / (a - b)))
        } else {
            None
        }
    })
}

/// Find where `metric` crosses 50%: the grid bracket, refined by bisection with new simulations,
/// then linear interpolation; the error is the metric's standard error over the grid bracket's
/// slope.
pub(super) fn break_even(
    points: &[Point],
    metric: impl Fn(&Point) -> f64,
    se: impl Fn(&Point) -> f64,
    simulate_at: &dyn Fn(f64) -> anyhow::Result<Point>,
) -> anyhow::Result<BreakEven> {
    let Some((i, _)) = first_crossing(points, &metric) else {
        return Ok(BreakEven::never());
    };
    let known = |p: &Point| Known {
        x: p.values[0],
        p: metric(p),
        se: se(p),
    };
    let simulate = |x: f64| simulate_at(x).map(|p| known(&p));
    // The slope of the grid bracket (no halving): its ends are far enough apart for any draws.
    let crossing = halve(
        known(&points[i]),
        known(&points[i + 1]),
        REFINE_STEPS,
        0,
        &simulate,
    )?;
    Ok(BreakEven {
        value: Some(crossing.value),
        se: crossing.se,
        rising: Some(crossing.slope > 0.0),
    })
}

/// Where one assumption, moved alone, turns the race: its break-even searched over its whole range
/// (or, for `--match-actual`, where the actual result becomes the median: see [`Target`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchedBreakEven {
    /// The range searched: the values the assumption can take.
    pub range: [f64; 2],
    /// The value nearest the scenario's own at which the target probability (P(first finalist
    /// wins) for a break-even) = 50%, or `None`: nowhere in the range.
    pub value: Option<f64>,
    /// Its Monte Carlo standard error: that of the probability over the curve's local slope.
    pub se: Option<f64>,
    /// With no break-even: the value of the range where the probability came nearest 50%, and that
    /// probability.
    pub nearest: Option<[f64; 2]>,
}

/// A value of the assumption, the probability (or share) there whose 50% is sought, and its
/// standard error.
#[derive(Debug, Clone, Copy)]
struct Known {
    x: f64,
    p: f64,
    se: f64,
}

impl Known {
    /// `x` and the probability `target` reads off the point there.
    fn of(x: f64, point: &Point, target: Target) -> Self {
        let (p, se) = match (target, point.above_actual) {
            (Target::Win, _) => (point.win[0], point.win_se),
            (Target::ActualShare, Some([share, _])) => (share.p, share.se),
            (Target::ActualTurnout, Some([_, turnout])) => (turnout.p, turnout.se),
            // Searched only where the scenario gives the actual result.
            (_, None) => (f64::NAN, f64::NAN),
        };
        Known { x, p, se }
    }
}

/// What a search brings to 50%.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The first finalist's win probability: the break-even.
    Win,
    /// The fraction of draws whose share lies above the actual share: at 50%, the actual share is
    /// the median.
    ActualShare,
    /// The same for the turnout.
    ActualTurnout,
}

/// Search the value of one assumption now at `now` (the scenario's point `base`), moved within
/// `range`, at which `target` reaches 50%. `moved` are the tornado's two moves, already simulated;
/// `simulate_at` runs the scenario with the assumption at a value (same seed and draws, so every
/// value shares its random numbers).
pub fn search(
    target: Target,
    now: f64,
    base: &Point,
    moved: [(f64, &Point); 2],
    range: [f64; 2],
    simulate_at: &dyn Fn(f64) -> Result<Point, Interrupted>,
) -> Result<SearchedBreakEven, Interrupted> {
    let start = Known::of(now, base, target);
    let reached = |k: &Known| (k.p - 0.5) * (start.p - 0.5) <= 0.0;
    if start.p == 0.5 {
        return Ok(SearchedBreakEven {
            range,
            value: Some(now),
            se: None,
            nearest: None,
        });
    }
    let mut found = Vec::new();
    let mut nearest = start;
    // Down, then up: each side's move, then, if the move did not reach 50% and did not lead away
    // from it, the end of the range.
    for ((x, point), end) in moved.into_iter().zip(range) {
        let step = Known::of(x, point, target);
        if (step.p - 0.5).abs() < (nearest.p - 0.5).abs() {
            nearest = step;
        }
        let bracket = if reached(&step) {
            Some((start, step))
        } else if (step.p - 0.5).abs() <= (start.p - 0.5).abs() && end != x {
            let far = Known::of(end, &simulate_at(end)?, target);
            // On a tie the end is named, since it shows how far the search went.
            if (far.p - 0.5).abs() <= (nearest.p - 0.5).abs() {
                nearest = far;
            }
            reached(&far).then_some((step, far))
        } else {
            None
        };
        if let Some((inside, outside)) = bracket {
            let simulate = |x: f64| simulate_at(x).map(|p| Known::of(x, &p, target));
            found.push(halve(inside, outside, HALVINGS, SLOPE_AFTER, &simulate)?);
        }
    }
    // Both sides turn it only on a curve that is not monotone: the nearer crossing is the answer.
    let nearest_crossing = found
        .into_iter()
        .min_by(|a, b| (a.value - now).abs().total_cmp(&(b.value - now).abs()));
    Ok(match nearest_crossing {
        Some(crossing) => SearchedBreakEven {
            range,
            value: Some(crossing.value),
            se: crossing.se,
            nearest: None,
        },
        None => SearchedBreakEven {
            range,
            value: None,
            se: None,
            nearest: Some([nearest.x, nearest.p]),
        },
    })
}

/// Where a bracket's probability crosses 50%, and how steeply.
struct Crossing {
    value: f64,
    se: Option<f64>,
    slope: f64,
}

/// Halve the bracket from `inside` (short of 50%) to `outside` (at or past it) `halvings` times,
/// stopping at an end exactly at 50%, then interpolate. The error is the probability's over the
/// slope of the bracket after `slope_after` halvings (0: the bracket given).
fn halve<E>(
    mut inside: Known,
    mut outside: Known,
    halvings: usize,
    slope_after: usize,
    simulate_at: &dyn Fn(f64) -> Result<Known, E>,
) -> Result<Crossing, E> {
    let slope_of = |a: &Known, b: &Known| (b.p - a.p) / (b.x - a.x);
    let mut slope = slope_of(&inside, &outside);
    for halving in 0..halvings {
        if inside.p == 0.5 || outside.p == 0.5 {
            break;
        }
        let mid = simulate_at((inside.x + outside.x) / 2.0)?;
        if (mid.p - 0.5) * (inside.p - 0.5) > 0.0 {
            inside = mid;
        } else {
            outside = mid;
        }
        if halving + 1 == slope_after {
            slope = slope_of(&inside, &outside);
        }
    }
    let (a, b) = (inside.p - 0.5, outside.p - 0.5);
    let t = if a == b {
        0.5
    } else {
        (a / (a - b)).clamp(0.0, 1.0)
    };
    let value = inside.x + t * (outside.x - inside.x);
    let se =
        (slope.is_finite() && slope != 0.0).then(|| ((inside.se + outside.se) / 2.0 / slope).abs());
    Ok(Crossing { value, se, slope })
}
