//! Line charts drawn by the server as SVG coordinates for a template: no script, no style
//! sheet of their own (presentation attributes only), the numbers also given as a table.

use crate::format::number;
use serde::Serialize;

const WIDTH: i64 = 720;
const HEIGHT: i64 = 260;
const LEFT: i64 = 64;
const RIGHT: i64 = 16;
const TOP: i64 = 16;
const BOTTOM: i64 = 40;

/// One series of a chart.
#[derive(Debug, Clone, Serialize)]
pub struct ChartLine {
    pub label: String,
    /// An SVG colour (presentation attribute).
    pub color: &'static str,
    /// `stroke-dasharray`, "" for a solid line (so the series differ without colour too).
    pub dash: &'static str,
    /// The `points` attribute of its polyline.
    pub points: String,
}

/// A tick on an axis: its position and its label.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub at: i64,
    pub label: String,
}

/// A line chart ready for `partials/chart.svg.html`.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// A prefix for the SVG's title and description ids.
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub right: i64,
    pub top: i64,
    pub bottom: i64,
    pub lines: Vec<ChartLine>,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
}

const STYLES: [(&str, &str); 3] = [("#0b5394", ""), ("#b45f06", "6 4"), ("#38761d", "2 3")];

/// A round step giving about four intervals up to `max`.
fn step(max: i64) -> i64 {
    let rough = (max.max(1) + 3) / 4;
    let mut p = 1;
    while p * 10 <= rough {
        p *= 10;
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= rough)
        .unwrap_or(10 * p)
}

impl Chart {
    /// `labels` name the points along the x axis (dates); each series has one value per
    /// label. At most about eight x labels are shown, evenly spaced.
    pub fn lines(
        id: &str,
        title: &str,
        desc: &str,
        labels: &[String],
        series: &[(&str, Vec<i64>)],
    ) -> Chart {
        let max = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1);
        let step = step(max);
        let top_value = (max + step - 1) / step * step;
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let n = i64::try_from(labels.len()).unwrap_or(1).max(1);
        let x = |i: i64| {
            if n == 1 {
                LEFT + plot_w / 2
            } else {
                LEFT + i * plot_w / (n - 1)
            }
        };
        let y = |v: i64| TOP + plot_h - v * plot_h / top_value;
        let lines = series
            .iter()
            .zip(STYLES.iter().cycle())
            .map(|((label, values), (color, dash))| ChartLine {
                label: (*label).to_owned(),
                color,
                dash,
                points: values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| format!("{},{}", x(i64::try_from(i).unwrap_or(0)), y(*v)))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect();
        let y_ticks = (0..=top_value / step)
            .map(|k| Tick {
                at: y(k * step),
                label: number(k * step),
            })
            .collect();
        let every = (n + 7) / 8;
        let x_ticks = labels
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let i = i64::try_from(*i).unwrap_or(0);
                i % every.max(1) == 0 || i == n - 1
            })
            .map(|(i, l)| Tick {
                at: x(i64::try_from(i).unwrap_or(0)),
                label: l.clone(),
            })
            .collect();
        Chart {
            id: id.to_owned(),
            title: title.to_owned(),
            desc: desc.to_owned(),
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: HEIGHT - BOTTOM,
            lines,
            y_ticks,
            x_ticks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(step(1), 1);
        assert_eq!(step(7), 2);
        assert_eq!(step(40), 10);
        assert_eq!(step(1234), 500);
    }

    #[test]
    fn points_span_the_plot() {
        let labels: Vec<String> = (1..=3).map(|d| format!("0{d}/06")).collect();
        let c = Chart::lines("c", "t", "d", &labels, &[("Lượt", vec![0, 5, 10])]);
        assert_eq!(c.lines[0].points, "64,220 384,118 704,16");
        assert_eq!(c.y_ticks.first().map(|t| t.label.as_str()), Some("0"));
        assert_eq!(c.y_ticks.last().map(|t| t.label.as_str()), Some("10"));
        assert_eq!(c.x_ticks.len(), 3);
    }
}
