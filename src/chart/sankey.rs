//! sankey.png: where the votes went, as the picture people expect of vote transfers ("report de
//! voix"): first-round candidates on the left, the two finalists and "stayed home" on the right,
//! ribbons as wide as the mean votes that flow between them, coloured by where they go.

use super::*;
use crate::format::{labels_with, votes_to};
use crate::summary::{NEW_VOTERS_ROW, Summary};

/// The Sankey chart of one scenario.
pub struct SankeyChart<'a>(pub &'a Summary);

/// Most sources drawn as nodes of their own: past this, the smallest are grouped into one node
/// ("12 others"), so that every node keeps room for a label. New voters always keep theirs.
pub const MAX_SOURCES: usize = 14;

/// Pixels per source of the chart's height, beyond the fixed part.
const SOURCE_PX: u32 = 34;
/// Width of a node's bar.
const NODE_PX: i32 = 14;

impl SankeyChart<'_> {
    /// Height grows with the sources drawn: max(800, 260 + 34·sources).
    pub fn height(sources: usize) -> u32 {
        HEIGHT.max(260 + SOURCE_PX * sources.min(MAX_SOURCES) as u32)
    }
}

/// A left node: its label, its votes, and its votes to [A, B, home].
struct Source {
    label: String,
    votes: f64,
    to: [f64; 3],
}

/// The sources as drawn: every source, or the largest with the rest grouped.
fn sources(s: &Summary) -> Vec<Source> {
    let labels = labels_with(
        &s.sources.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
        &s.display_names,
    );
    let all: Vec<(Source, bool)> = s
        .sources
        .iter()
        .zip(labels)
        .map(|(src, label)| {
            let to = s.votes_from(&src.name);
            let new_voters = src.row == NEW_VOTERS_ROW;
            let votes = if new_voters {
                to.iter().sum()
            } else {
                src.votes
            };
            (Source { label, votes, to }, new_voters)
        })
        .filter(|(src, _)| src.votes > 0.0)
        .collect();
    if all.len() <= MAX_SOURCES {
        return all.into_iter().map(|(src, _)| src).collect();
    }
    // Keep the largest candidates (and the new voters), in their order; group the rest last.
    let mut by_votes: Vec<usize> = (0..all.len()).filter(|&i| !all[i].1).collect();
    by_votes.sort_by(|&i, &j| all[j].0.votes.total_cmp(&all[i].0.votes));
    let kept_new = all.iter().filter(|(_, n)| *n).count();
    let room = MAX_SOURCES - 1 - kept_new;
    let keep: Vec<usize> = by_votes[..room].to_vec();
    let mut grouped = Source {
        label: String::new(),
        votes: 0.0,
        to: [0.0; 3],
    };
    let mut count = 0;
    let mut out = Vec::new();
    let mut new_voters = Vec::new();
    for (i, (src, is_new)) in all.into_iter().enumerate() {
        if is_new {
            new_voters.push(src);
        } else if keep.contains(&i) {
            out.push(src);
        } else {
            count += 1;
            grouped.votes += src.votes;
            for d in 0..3 {
                grouped.to[d] += src.to[d];
            }
        }
    }
    grouped.label = format!("{count} others");
    out.push(grouped);
    out.extend(new_voters);
    out
}

/// Vertical positions of labels centred at `want`, each `height` tall, pushed apart so that none
/// overlap and all stay within `[top, bottom]`.
fn spread(want: &[i32], height: i32, top: i32, bottom: i32) -> Vec<i32> {
    let mut at: Vec<i32> = Vec::with_capacity(want.len());
    for &y in want {
        let lowest = at.last().map_or(top + height / 2, |p| p + height);
        at.push(y.max(lowest));
    }
    // Whatever ran past the bottom moves back up, as far as the labels above allow.
    let mut limit = bottom - height / 2;
    for y in at.iter_mut().rev() {
        *y = (*y).min(limit);
        limit = *y - height;
    }
    at
}

impl Chart for SankeyChart<'_> {
    const NAME: &'static str = "sankey";

    fn size(&self) -> (u32, u32) {
        (WIDTH, Self::height(self.0.sources.len()))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> anyhow::Result<()> {
        let s = self.0;
        let decimals = s.vote_decimals();
        let subtitle = "Where the first round's voters go: ribbons as wide as the mean votes over \
                        the draws, coloured by destination (flows.png has each share's 90% \
                        interval).";
        let area = header(root, &s.scenario, subtitle)?;
        let (w, h) = area.dim_in_pixel();
        let (x0, y0) = area.get_base_pixel();
        let label = label_style();
        let small = (FONT, LABEL_PX - 2).into_font().color(&MUTED);
        let nodes = sources(s);
        let destinations = [
            (s.finalists[0].clone(), FIRST),
            (s.finalists[1].clone(), SECOND),
            ("stayed home".to_string(), HOME),
        ];
        let arriving: [f64; 3] = [0, 1, 2].map(|d| nodes.iter().map(|n| n.to[d]).sum::<f64>());
        let runoff = arriving[0] + arriving[1];

        // Columns: source labels | source bars … ribbons … destination bars | destination labels.
        // As wide as the longest source label needs, up to 30% of the chart.
        let mut widest = 0;
        for node in &nodes {
            let count = text_width(root, &votes_to(node.votes, decimals), &small)? as i32;
            widest = widest.max(text_width(root, &node.label, &label)? as i32 + count + 8);
        }
        let left_labels = (widest + 60).clamp(160, w as i32 * 30 / 100);
        let right_labels = (w as i32 * 22 / 100).max(200);
        let x_left = x0 + left_labels;
        let x_right = x0 + w as i32 - right_labels - NODE_PX;
        let (top, bottom) = (y0 + 10, y0 + h as i32 - 30);
        let height = (bottom - top) as f64;
        let gap_left = (10.0_f64).min(height * 0.3 / nodes.len().max(2) as f64);
        let gap_right = 28.0;
        let total: f64 = nodes.iter().map(|n| n.votes).sum::<f64>().max(1.0);
        // One scale for both sides, so a ribbon is as wide where it leaves as where it arrives.
        let scale = ((height - gap_left * (nodes.len() as f64 - 1.0)) / total)
            .min((height - 2.0 * gap_right) / arriving.iter().sum::<f64>().max(1.0));
        let mut y = top as f64;
        let left_top: Vec<f64> = nodes
            .iter()
            .map(|n| {
                let at = y;
                y += n.votes * scale + gap_left;
                at
            })
            .collect();
        let mut y = top as f64;
        let right_top: Vec<f64> = arriving
            .iter()
            .map(|v| {
                let at = y;
                y += v * scale + gap_right;
                at
            })
            .collect();

        // Ribbons: each source's in the order A, B, home from its top; each destination's in the
        // sources' order from its top.
        let mut into = right_top.clone();
        let samples = 40;
        for (i, node) in nodes.iter().enumerate() {
            let mut out_at = left_top[i];
            for (d, (_, colour)) in destinations.iter().enumerate() {
                let width = node.to[d] * scale;
                if width <= 0.0 {
                    continue;
                }
                let (from, to) = (out_at, into[d]);
                let (xa, xb) = ((x_left + NODE_PX) as f64, x_right as f64);
                let curve = |t: f64| from + (to - from) * (3.0 * t * t - 2.0 * t * t * t);
                let mut points: Vec<(i32, i32)> = (0..=samples)
                    .map(|k| {
                        let t = k as f64 / samples as f64;
                        ((xa + (xb - xa) * t) as i32, curve(t) as i32)
                    })
                    .collect();
                points.extend((0..=samples).rev().map(|k| {
                    let t = k as f64 / samples as f64;
                    // At least a pixel, so that a thin flow is seen rather than lost.
                    (
                        (xa + (xb - xa) * t) as i32,
                        (curve(t) + width.max(1.0)) as i32,
                    )
                }));
                root.draw(&Polygon::new(points, colour.mix(0.45).filled()))
                    .drawn()?;
                out_at += width;
                into[d] += width;
            }
        }

        // Nodes.
        for (i, node) in nodes.iter().enumerate() {
            let (a, b) = (left_top[i], left_top[i] + (node.votes * scale).max(1.0));
            root.draw(&Rectangle::new(
                [(x_left, a as i32), (x_left + NODE_PX, b as i32)],
                MUTED.filled(),
            ))
            .drawn()?;
        }
        for (d, (_, colour)) in destinations.iter().enumerate() {
            let (a, b) = (right_top[d], right_top[d] + (arriving[d] * scale).max(1.0));
            root.draw(&Rectangle::new(
                [(x_right, a as i32), (x_right + NODE_PX, b as i32)],
                colour.filled(),
            ))
            .drawn()?;
        }

        // Source labels, right-aligned beside their bars, pushed apart where bars are thin, with
        // a leader line where a label left its bar.
        let line = LABEL_PX as i32 + 3;
        let centres: Vec<i32> = nodes
            .iter()
            .zip(&left_top)
            .map(|(n, t)| (t + n.votes * scale / 2.0) as i32)
            .collect();
        let placed = spread(&centres, line, top, bottom);
        for ((node, &centre), &at) in nodes.iter().zip(&centres).zip(&placed) {
            let count = votes_to(node.votes, decimals);
            let count_px = text_width(root, &count, &small)? as i32;
            let room = (left_labels - count_px - 40).max(40) as u32;
            let name = fit_text(root, &node.label, &label, room)?;
            let name_px = text_width(root, &name, &label)? as i32;
            let right = x_left - 8;
            root.draw_text(
                &count,
                &small,
                (right - count_px, at - LABEL_PX as i32 / 2 + 1),
            )
            .drawn()?;
            root.draw_text(
                &name,
                &label,
                (right - count_px - 8 - name_px, at - LABEL_PX as i32 / 2),
            )
            .drawn()?;
            if (at - centre).abs() > 2 {
                root.draw(&PathElement::new(
                    vec![(right + 2, at), (x_left - 1, centre)],
                    MUTED.mix(0.6).stroke_width(1),
                ))
                .drawn()?;
            }
        }

        // Destination labels: the name, then its votes and what share of the runoff (or of the
        // first round, for those who stayed home) they are.
        let first_round: f64 = s.turnout.first_round_total;
        for (d, (name, colour)) in destinations.iter().enumerate() {
            let centre = (right_top[d] + arriving[d] * scale / 2.0) as i32;
            let x = x_right + NODE_PX + 10;
            let name = fit_text(root, name, &label.color(colour), right_labels as u32 - 20)?;
            let detail = if d < 2 {
                format!(
                    "{} ({} of the runoff)",
                    votes_to(arriving[d], decimals),
                    crate::format::pct(arriving[d] / runoff.max(1.0))
                )
            } else {
                format!(
                    "{} ({} of round one)",
                    votes_to(arriving[d], decimals),
                    crate::format::pct(arriving[d] / first_round.max(1.0))
                )
            };
            let ink = if d == 2 { INK } else { *colour };
            root.draw_text(&name, &label.color(&ink), (x, centre - LABEL_PX as i32 - 1))
                .drawn()?;
            root.draw_text(&detail, &small, (x, centre + 2)).drawn()?;
        }
        let note = if nodes.len() < s.sources.iter().filter(|x| x.votes > 0.0).count() {
            format!(
                "The {} largest sources are drawn apart; the rest are grouped (summary.json has \
                 every flow).",
                MAX_SOURCES - 1
            )
        } else {
            String::new()
        };
        if !note.is_empty() {
            root.draw_text(&note, &small, (x0 + 20, bottom + 10))
                .drawn()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn labels_pushed_apart_stay_in_order_and_in_bounds() {
        let at = spread(&[10, 12, 14, 100], 20, 0, 200);
        assert_eq!(at, [10, 30, 50, 100]);
        let at = spread(&[180, 185, 190], 20, 0, 200);
        assert_eq!(at, [150, 170, 190]);
    }
}
