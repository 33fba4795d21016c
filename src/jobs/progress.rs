//! Download progress as the screen shows it, and how often it is reported. A download calls
//! back after every chunk (hundreds a second on a fast link); the owner only needs to hear when
//! what it shows changes, and not more than a few times a second, so the event channel and the
//! redraws stay cheap however many clips download at once. A download tried again starts its
//! count over from 0, and says so at once.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use super::{JobEvent, JobReport};
use crate::session::ClipId;

/// The least time between two reports of one download (the last one, at 100 %, is never held
/// back).
pub const MIN_REPORT_INTERVAL: Duration = Duration::from_millis(250);

/// Bytes in a MiB.
const MIB: f64 = 1024.0 * 1024.0;

/// Whole percent of `total` that `bytes` is (never above 100; an empty body is complete), or
/// `None` when the size was not announced.
pub fn download_percent(bytes: u64, total: Option<u64>) -> Option<u8> {
    let total = total?;
    if total == 0 {
        return Some(100);
    }
    let percent = (u128::from(bytes) * 100 / u128::from(total)).min(100);
    Some(u8::try_from(percent).unwrap_or(100))
}

/// `bytes` in MiB, for a download whose size is unknown.
pub fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / MIB
}

/// What the screen shows of a download: its whole percent, or tenths of a MiB when the size
/// is unknown (shown with one decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Whole percent of the announced size.
    Percent(u8),
    /// Tenths of a MiB received.
    TenthsMib(u64),
}

impl Shown {
    fn of(bytes: u64, total: Option<u64>) -> Self {
        match download_percent(bytes, total) {
            Some(percent) => Shown::Percent(percent),
            None => Shown::TenthsMib((mebibytes(bytes) * 10.0) as u64),
        }
    }
}

/// Decides which progress callbacks of one download become reports.
#[derive(Debug, Default)]
pub struct ProgressThrottle {
    /// What was last reported, and when.
    last: Option<(Shown, Instant)>,
}

impl ProgressThrottle {
    /// Whether `bytes` of `total` received at `now` should be reported: when what is shown
    /// changed and the last report is at least [`MIN_REPORT_INTERVAL`] old, or when the
    /// download just reached 100 % (so the last report says it is complete).
    pub fn should_report(&mut self, bytes: u64, total: Option<u64>, now: Instant) -> bool {
        let shown = Shown::of(bytes, total);
        let report = match self.last {
            None => true,
            Some((last, _)) if last == shown => false,
            Some(_) if shown == Shown::Percent(100) => true,
            Some((_, at)) => now.duration_since(at) >= MIN_REPORT_INTERVAL,
        };
        if report {
            self.last = Some((shown, now));
        }
        report
    }
}

/// Turns one job's download callbacks into [`JobEvent::Downloading`] reports, across every
/// attempt of the download.
#[derive(Debug)]
pub(crate) struct DownloadReporter {
    /// The job.
    clip_id: ClipId,
    /// Where reports go.
    events: mpsc::Sender<JobReport>,
    /// What the current attempt has reported.
    throttle: ProgressThrottle,
    /// The size the latest attempt announced.
    total: Option<u64>,
}

impl DownloadReporter {
    /// A reporter for `clip_id`'s download.
    pub fn new(clip_id: ClipId, events: mpsc::Sender<JobReport>) -> Self {
        Self {
            clip_id,
            events,
            throttle: ProgressThrottle::default(),
            total: None,
        }
    }

    /// One chunk's callback: reported when the throttle lets it through. Best effort: a full
    /// channel drops a report rather than stall the download.
    pub fn chunk(&mut self, bytes: u64, total: Option<u64>, now: Instant) {
        self.total = total;
        if !self.throttle.should_report(bytes, total, now) {
            return;
        }
        let report = JobEvent::Downloading {
            clip_id: self.clip_id.clone(),
            bytes,
            total,
        };
        let _ = self.events.try_send(report.now());
    }

    /// The report that starts the count again before another attempt: 0 bytes of the size last
    /// announced, so the screen does not hold the failed attempt's figure while the next one
    /// waits and starts. The next attempt's first chunk is then reported at once.
    pub fn restart(&mut self) -> JobEvent {
        self.throttle = ProgressThrottle::default();
        JobEvent::Downloading {
            clip_id: self.clip_id.clone(),
            bytes: 0,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restart_reports_zero_and_lets_the_next_attempt_report_at_once() {
        let (tx, mut rx) = mpsc::channel(8);
        let mut reporter = DownloadReporter::new("a.wan25".into(), tx);
        let start = Instant::now();
        let total = Some(1000);
        let next_report = |rx: &mut mpsc::Receiver<JobReport>| match rx.try_recv() {
            Ok(JobReport {
                event: JobEvent::Downloading { bytes, total, .. },
                ..
            }) => Some((bytes, total)),
            _ => None,
        };
        reporter.chunk(400, total, start);
        assert_eq!(next_report(&mut rx), Some((400, total)));
        reporter.chunk(500, total, start + Duration::from_millis(10));
        assert_eq!(next_report(&mut rx), None, "held back: too soon");
        let JobEvent::Downloading { bytes, total, .. } = reporter.restart() else {
            panic!("a restart is a progress report");
        };
        assert_eq!(
            (bytes, total),
            (0, Some(1000)),
            "back to 0 of the known size"
        );
        reporter.chunk(20, Some(1000), start + Duration::from_millis(20));
        assert_eq!(
            next_report(&mut rx),
            Some((20, Some(1000))),
            "the new attempt's first chunk is not held back"
        );
    }

    #[test]
    fn percent_is_whole_capped_and_unknown_without_a_size() {
        assert_eq!(download_percent(0, Some(200)), Some(0));
        assert_eq!(download_percent(91, Some(200)), Some(45));
        assert_eq!(download_percent(199, Some(200)), Some(99));
        assert_eq!(download_percent(200, Some(200)), Some(100));
        assert_eq!(download_percent(300, Some(200)), Some(100));
        assert_eq!(download_percent(0, Some(0)), Some(100));
        assert_eq!(download_percent(u64::MAX, Some(u64::MAX)), Some(100));
        assert_eq!(download_percent(5, None), None);
    }

    #[test]
    fn reports_only_changes_and_at_most_every_interval_but_always_the_end() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut throttle = ProgressThrottle::default();
        let total = Some(1000);
        assert!(throttle.should_report(10, total, at(0)), "the first one");
        assert!(!throttle.should_report(15, total, at(300)), "same percent");
        assert!(!throttle.should_report(200, total, at(100)), "too soon");
        assert!(
            throttle.should_report(450, total, at(250)),
            "changed, interval passed"
        );
        assert!(!throttle.should_report(990, total, at(260)), "too soon");
        assert!(
            throttle.should_report(1000, total, at(270)),
            "100 % is never held back"
        );
        assert!(
            !throttle.should_report(1000, total, at(900)),
            "nor repeated"
        );
    }

    #[test]
    fn without_a_size_tenths_of_a_mib_count_as_a_change() {
        let start = Instant::now();
        let mut throttle = ProgressThrottle::default();
        let mib = 1024 * 1024;
        assert!(throttle.should_report(1, None, start));
        let later = start + MIN_REPORT_INTERVAL;
        assert!(
            !throttle.should_report(mib / 20, None, later),
            "still 0.0 MiB"
        );
        assert!(throttle.should_report(mib / 5, None, later), "0.2 MiB");
        assert!((mebibytes(3 * mib / 2) - 1.5).abs() < 1e-9);
    }
}
