//! Black stretches, as ffmpeg's `blackdetect` finds them (its picture and pixel thresholds), but
//! with a shorter minimum: its default of 2 s would miss a black second in a 5 s clip.

use super::Stretch;
use super::timeline::Timeline;

/// A pixel is black at or below this full-range luma: 10% of 255 (`blackdetect`'s default
/// `pixel_black_th=0.10`, which it applies as `<= 0.10 * 255` in full range).
pub const BLACK_LEVEL: u8 = 25;

/// A picture is black when at least this share of its pixels is (`blackdetect`'s default
/// `picture_black_ratio_th=0.98`): a logo or a subtitle on black still counts as black.
pub const BLACK_PICTURE_SHARE: f64 = 0.98;

/// Black stretches shorter than this are not reported: 0.2 s is five frames at 24 fps, long
/// enough to be seen as a gap, short enough to catch a black start in a 5 s clip
/// (`blackdetect`'s `black_min_duration` defaults to 2 s, made for films).
pub const BLACK_MIN_S: f64 = 0.2;

/// The share of `luma`'s samples at or below [`BLACK_LEVEL`].
pub fn black_share(luma: &[u8]) -> f64 {
    if luma.is_empty() {
        return 0.0;
    }
    let black = luma.iter().filter(|&&y| y <= BLACK_LEVEL).count();
    black as f64 / luma.len() as f64
}

/// Whether a picture with `share` black pixels is a black picture.
pub fn is_black(share: f64) -> bool {
    share >= BLACK_PICTURE_SHARE
}

/// The black stretches of a clip whose frames (at `timeline`) are black or not (`black`).
pub fn black_stretches(timeline: &Timeline, black: &[bool]) -> Vec<Stretch> {
    timeline.stretches(black, BLACK_MIN_S)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_is_black_when_98_percent_of_it_is() {
        let mut luma = vec![10_u8; 100];
        assert!(is_black(black_share(&luma)));
        luma[..2].fill(200);
        assert!(is_black(black_share(&luma)));
        luma[..3].fill(200);
        assert!(!is_black(black_share(&luma)));
        assert!(!is_black(black_share(&[26; 100])));
        assert!(is_black(black_share(&[25; 100])));
    }

    #[test]
    fn only_black_runs_of_a_fifth_of_a_second_count() {
        let timeline = Timeline::new((0..48).map(|i| f64::from(i) / 24.0).collect());
        let mut black = vec![false; 48];
        black[..4].fill(true); // 0.167 s: too short
        black[10..15].fill(true); // 0.208 s
        let found = black_stretches(&timeline, &black);
        assert_eq!(found.len(), 1);
        assert!((found[0].from_s - 10.0 / 24.0).abs() < 1e-3);
        assert!((found[0].to_s - 15.0 / 24.0).abs() < 1e-3);
    }
}
