//! Break-even values: where the first finalist's win probability crosses 50%, along a sweep's grid, or searched for one assumption alone (`tornado --break-even`).

use super::{Point, Z95, key_value};
use crate::engine::Interrupted;
use serde::{Deserialize, Serialize};

/// Bisection steps that refine a one-key break-even between two grid points of a sweep.
const REFINE_STEPS: usize = 10;

/// Halvings of a searched break-even's bracket: one as wide as a whole share (0 to 1) ends 0.00024 wide, and the
/// crossing is interpolated inside it.
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
/// then linear interpolation; the error is the metric's standard error over its slope.
pub(super) fn break_even(
    points: &[Point],
    metric: impl Fn(&Point) -> f64,
    se: impl Fn(&Point) -> f64,
    simulate_at: &dyn Fn(f64) -> anyhow::Result<Point>,
) -> anyhow::Result<BreakEven> {
    let Some((i, _)) = first_crossing(points, &metric) else {
        return Ok(BreakEven::never());
    };
    let (mut lo, mut hi) = (points[i].clone(), points[i + 1].clone());
    let x = |p: &Point| p.values[0];
    let grid_slope = (metric(&hi) - metric(&lo)) / (x(&hi) - x(&lo));
    for _ in 0..REFINE_STEPS {
        if metric(&lo) - 0.5 == 0.0 || metric(&hi) - 0.5 == 0.0 {
            break;
        }
        let mid = simulate_at((x(&lo) + x(&hi)) / 2.0)?;
        if (metric(&mid) - 0.5) * (metric(&lo) - 0.5) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let (a, b) = (metric(&lo) - 0.5, metric(&hi) - 0.5);
    let t = if a == b {
        0.5
    } else {
        (a / (a - b)).clamp(0.0, 1.0)
    };
    let value = x(&lo) + t * (x(&hi) - x(&lo));
    let se_metric = (se(&lo) + se(&hi)) / 2.0;
    let se_x = if grid_slope != 0.0 {
        Some((se_metric / grid_slope).abs())
    } else {
        None
    };
    Ok(BreakEven {
        value: Some(value),
        se: se_x,
        rising: Some(grid_slope > 0.0),
    })
}

/// Where one assumption, moved alone, turns the race: its break-even searched over its whole range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchedBreakEven {
    /// The range searched: the values the assumption can take.
    pub range: [f64; 2],
    /// The value nearest the scenario's own at which P(first finalist wins) = 50%, or `None`:
    /// nowhere in the range.
    pub value: Option<f64>,
    /// Its Monte Carlo standard error: that of the probability over the curve's local slope.
    pub se: Option<f64>,
    /// With no break-even: the value of the range where the probability came nearest 50%, and that
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

/// Search the break-even of one assumption now at `now` (win probability `base`), moved within
/// `range`. `moved` are the tornado's two moves, already simulated; `simulate_at` runs the scenario
/// with the assumption at a value (same seed and draws, so every value shares its random numbers).
pub fn search(
    now: f64,
    base: &Point,
    moved: [(f64, &Point); 2],
    range: [f64; 2],
    simulate_at: &dyn Fn(f64) -> Result<Point, Interrupted>,
) -> Result<SearchedBreakEven, Interrupted> {
    let start = Known::of(now, base);
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
            found.push(refine(inside, outside, &reached, simulate_at)?);
        }
    }
    // Both sides turn it only on a curve that is not monotone: the nearer crossing is the answer.
    let nearest_crossing = found
        .into_iter()
        .min_by(|a, b| (a.0 - now).abs().total_cmp(&(b.0 - now).abs()));
    Ok(match nearest_crossing {
        Some((value, se)) => SearchedBreakEven {
            range,
            value: Some(value),
            se,
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
