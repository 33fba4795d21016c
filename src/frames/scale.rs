//! Downscaling while converting: each output pixel is the mean of the box of source pixels it
//! covers (luma at full resolution, chroma in its half-size planes), so a thumbnail costs one
//! pass over the planes and a conversion per output pixel, and shows no aliasing.

use super::planes::Planes;

/// Where each output column or row starts and ends in a source of `source` samples.
fn spans(source: usize, output: usize) -> Vec<(usize, usize)> {
    (0..output)
        .map(|i| {
            let start = i * source / output;
            let end = ((i + 1) * source / output).max(start + 1).min(source);
            (start, end)
        })
        .collect()
}

/// The same spans in a chroma plane of half the resolution (rounded up).
fn half_spans(spans: &[(usize, usize)], source: usize) -> Vec<(usize, usize)> {
    let half = source.div_ceil(2);
    spans
        .iter()
        .map(|&(start, end)| {
            let start = (start / 2).min(half - 1);
            (start, end.div_ceil(2).clamp(start + 1, half))
        })
        .collect()
}

/// Fills `out` (`size.0 * size.1` RGB pixels, smaller than the planes) with box means of the
/// planes, each converted by `rgb(y, cb, cr)`.
pub(super) fn box_average(
    planes: &Planes<'_>,
    size: (usize, usize),
    out: &mut [u8],
    rgb: impl Fn(i32, i32, i32) -> [u8; 3],
) {
    let (columns, rows) = (spans(planes.width, size.0), spans(planes.height, size.1));
    let (c_columns, c_rows) = (
        half_spans(&columns, planes.width),
        half_spans(&rows, planes.height),
    );
    let mut luma = vec![0_u64; size.0];
    let mut cb = vec![0_u64; size.0];
    let mut cr = vec![0_u64; size.0];
    for (row, out_row) in out.chunks_exact_mut(size.0 * 3).enumerate() {
        let (y0, y1) = rows[row];
        sum_rows(planes.y, planes.y_stride, (y0, y1), &columns, &mut luma);
        let (c0, c1) = c_rows[row];
        sum_rows(planes.u, planes.c_stride, (c0, c1), &c_columns, &mut cb);
        sum_rows(planes.v, planes.c_stride, (c0, c1), &c_columns, &mut cr);
        for (x, pixel) in out_row.chunks_exact_mut(3).enumerate() {
            let mean = |sum: u64, (a, b): (usize, usize), (c, d): (usize, usize)| {
                let count = ((b - a) * (d - c)) as u64;
                ((sum + count / 2) / count) as i32
            };
            let y = mean(luma[x], columns[x], (y0, y1));
            let u = mean(cb[x], c_columns[x], (c0, c1));
            let v = mean(cr[x], c_columns[x], (c0, c1));
            pixel.copy_from_slice(&rgb(y, u, v));
        }
    }
}

/// Fills `out` (`size.0 * size.1` samples, smaller than the planes) with box means of the
/// luma plane alone.
pub(super) fn box_luma(planes: &Planes<'_>, size: (usize, usize), out: &mut [u8]) {
    let (columns, rows) = (spans(planes.width, size.0), spans(planes.height, size.1));
    let mut sums = vec![0_u64; size.0];
    for (row, out_row) in out.chunks_exact_mut(size.0).enumerate() {
        let (y0, y1) = rows[row];
        sum_rows(planes.y, planes.y_stride, (y0, y1), &columns, &mut sums);
        for ((sample, &sum), &(x0, x1)) in out_row.iter_mut().zip(&sums).zip(&columns) {
            let count = ((x1 - x0) * (y1 - y0)) as u64;
            *sample = ((sum + count / 2) / count) as u8;
        }
    }
}

/// Sums, per output column, the samples of `rows` within that column's span.
fn sum_rows(
    plane: &[u8],
    stride: usize,
    rows: (usize, usize),
    columns: &[(usize, usize)],
    sums: &mut [u64],
) {
    sums.fill(0);
    for row in rows.0..rows.1 {
        let line = &plane[row * stride..];
        for (sum, &(start, end)) in sums.iter_mut().zip(columns) {
            *sum += line[start..end].iter().map(|&s| u64::from(s)).sum::<u64>();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_tile_the_source() {
        assert_eq!(spans(5, 2), [(0, 2), (2, 5)]);
        assert_eq!(spans(3, 3), [(0, 1), (1, 2), (2, 3)]);
        assert_eq!(half_spans(&spans(5, 2), 5), [(0, 1), (1, 3)]);
    }

    #[test]
    fn a_flat_picture_stays_flat_when_shrunk() {
        let (y, u, v) = (vec![100_u8; 64], vec![120_u8; 16], vec![140_u8; 16]);
        let planes = Planes {
            y: &y,
            u: &u,
            v: &v,
            y_stride: 8,
            c_stride: 4,
            width: 8,
            height: 8,
        };
        let mut out = vec![0; 3 * 2 * 3];
        box_average(&planes, (3, 2), &mut out, |y, cb, cr| {
            [y as u8, cb as u8, cr as u8]
        });
        assert!(out.chunks(3).all(|p| p == [100, 120, 140]), "{out:?}");
    }
}
