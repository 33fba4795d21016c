//! Frame times and the stretches they span: a stretch runs from its first frame's time to the
//! end of its last frame (the next frame's time, or one frame step after the last frame).

use super::Stretch;

/// The presentation times of a clip's frames, in display order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timeline {
    /// Each frame's time in seconds.
    times: Vec<f64>,
    /// How long the last frame is shown: the median step between frames (0 for one frame).
    last_step: f64,
}

impl Timeline {
    /// The timeline of frames shown at `times` (increasing).
    pub fn new(times: Vec<f64>) -> Self {
        let steps: Vec<f64> = times.windows(2).map(|pair| pair[1] - pair[0]).collect();
        let last_step = super::median(&steps);
        Self { times, last_step }
    }

    /// How many frames.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// When frame `index` stops being shown.
    fn end(&self, index: usize) -> f64 {
        self.times
            .get(index + 1)
            .copied()
            .unwrap_or(self.times[index] + self.last_step)
    }

    /// The stretch from frame `first` to the end of frame `last`, in whole milliseconds.
    pub fn stretch(&self, first: usize, last: usize) -> Stretch {
        let ms = |s: f64| (s * 1000.0).round() / 1000.0;
        Stretch {
            from_s: ms(self.times[first]),
            to_s: ms(self.end(last)),
        }
    }

    /// The stretches of consecutive frames for which `member` holds, at least `min_s` long
    /// (a microsecond of slack, so five frames at 25 fps make 0.2 s).
    pub fn stretches(&self, member: &[bool], min_s: f64) -> Vec<Stretch> {
        runs(member)
            .into_iter()
            .map(|(first, last)| self.stretch(first, last))
            .filter(|stretch| stretch.to_s - stretch.from_s >= min_s - 1e-6)
            .collect()
    }
}

/// The maximal runs of `true` in `member`, as (first, last) indices.
pub(crate) fn runs(member: &[bool]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (index, &inside) in member.iter().enumerate() {
        match (inside, start) {
            (true, None) => start = Some(index),
            (false, Some(first)) => {
                found.push((first, index - 1));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(first) = start {
        found.push((first, member.len() - 1));
    }
    found
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // Exact: small sums of whole numbers.
mod tests {
    use super::*;

    #[test]
    fn runs_are_maximal_and_include_the_ends() {
        let t = true;
        let f = false;
        assert_eq!(runs(&[t, t, f, t, f, f, t]), [(0, 1), (3, 3), (6, 6)]);
        assert_eq!(runs(&[f, f]), []);
    }

    #[test]
    fn a_stretch_ends_where_its_last_frame_ends() {
        let timeline = Timeline::new((0..10).map(|i| f64::from(i) / 4.0).collect());
        assert_eq!(
            timeline.stretch(2, 3),
            Stretch {
                from_s: 0.5,
                to_s: 1.0
            }
        );
        // The last frame lasts one step.
        assert_eq!(timeline.stretch(9, 9).to_s, 2.5);
        let member = [
            false, true, true, false, true, false, false, true, true, true,
        ];
        let long = timeline.stretches(&member, 0.5);
        assert_eq!(long.len(), 2);
        assert_eq!((long[1].from_s, long[1].to_s), (1.75, 2.5));
    }
}
