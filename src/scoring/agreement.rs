//! Agreement between reviewers: Krippendorff's alpha with the ordinal metric.
//!
//! Star ratings are ordered categories, not distances (a 5 is "better than" a 4, not "one more"),
//! so the ordinal metric fits them. The computation is Krippendorff's coincidence-matrix form
//! ("Computing Krippendorff's Alpha-Reliability", 2011): every ordered pair of ratings within a
//! unit adds `1 / (m_u − 1)` to the coincidence `o_ck`, where `m_u` is the unit's number of
//! ratings; then
//!
//! ```text
//! α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck,    δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)²
//! ```
//!
//! with `n_c` the marginals of the coincidence matrix and `n` their sum (the pairable ratings).

/// Krippendorff's alpha (ordinal metric) of `units`, each the ratings different reviewers gave
/// one item (one clip on one criterion). Ratings are ordered by value; any `u8` scale works.
///
/// Units with fewer than two ratings cannot be paired and are dropped. Returns `None` when
/// nothing is left to compare or when the pairable ratings do not vary at all: the expected
/// disagreement is then zero and alpha is 0/0. Reporting a perfect 1.0 there would claim an
/// agreement the data cannot show (every reviewer giving every clip a 4 says nothing about
/// whether they would agree on a clip that deserves a 2), so the caller shows "no data" instead.
pub fn krippendorff_alpha_ordinal(units: &[Vec<u8>]) -> Option<f64> {
    let coincidences = Coincidences::of(units)?;
    let metric = coincidences.ordinal_metric();
    let marginals = &coincidences.marginals;
    let observed: f64 = coincidences
        .matrix
        .iter()
        .zip(&metric)
        .map(|(row, deltas)| row.iter().zip(deltas).map(|(o, d)| o * d).sum::<f64>())
        .sum();
    let expected: f64 = marginals
        .iter()
        .zip(&metric)
        .map(|(n_c, deltas)| {
            let row = marginals.iter().zip(deltas);
            row.map(|(n_k, d)| n_c * n_k * d).sum::<f64>()
        })
        .sum();
    let pairable: f64 = marginals.iter().sum();
    (expected > 0.0).then(|| 1.0 - (pairable - 1.0) * observed / expected)
}

/// The coincidence matrix of the pairable units, over the distinct values that occur.
struct Coincidences {
    /// The distinct rating values, ascending: row/column `i` is `values[i]`.
    values: Vec<u8>,
    /// `o_ck`: how often value `c` was paired with value `k` within a unit, weighted.
    matrix: Vec<Vec<f64>>,
    /// `n_c`: row sums of `matrix`, i.e. how many pairable ratings had value `c`.
    marginals: Vec<f64>,
}

impl Coincidences {
    /// Builds the matrix from the units with at least two ratings; `None` when there are none.
    fn of(units: &[Vec<u8>]) -> Option<Self> {
        let pairable: Vec<&Vec<u8>> = units.iter().filter(|u| u.len() >= 2).collect();
        let mut values: Vec<u8> = pairable.iter().flat_map(|u| u.iter().copied()).collect();
        values.sort_unstable();
        values.dedup();
        if values.is_empty() {
            return None;
        }
        // Every rating of a pairable unit is in `values`, so the search always finds it.
        let index = |v: u8| values.binary_search(&v).unwrap_or_default();
        let mut matrix = vec![vec![0.0; values.len()]; values.len()];
        for unit in pairable {
            // Each rating is paired with every *other* rating of the unit, and the weight
            // 1 / (m_u − 1) makes every pairable rating contribute exactly 1 to the marginals.
            let weight = 1.0 / (unit.len() - 1) as f64;
            for (i, &a) in unit.iter().enumerate() {
                for (j, &b) in unit.iter().enumerate() {
                    if i != j {
                        matrix[index(a)][index(b)] += weight;
                    }
                }
            }
        }
        let marginals = matrix.iter().map(|row| row.iter().sum()).collect();
        Some(Coincidences {
            values,
            matrix,
            marginals,
        })
    }

    /// `δ²_ck` for every pair of values: the squared count of ratings lying between `c` and
    /// `k` (inclusive, each end counting half), so the distance follows how the ratings are
    /// actually spread over the scale rather than the numbers themselves.
    fn ordinal_metric(&self) -> Vec<Vec<f64>> {
        let size = self.values.len();
        let distance = |c: usize, k: usize| {
            let between: f64 = self.marginals[c.min(k)..=c.max(k)].iter().sum();
            let d = between - f64::midpoint(self.marginals[c], self.marginals[k]);
            d * d
        };
        (0..size)
            .map(|c| (0..size).map(|k| distance(c, k)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn perfect_agreement_with_variation_is_one() {
        let units = [vec![1, 1], vec![3, 3, 3], vec![5, 5]];
        assert!(close(krippendorff_alpha_ordinal(&units).unwrap(), 1.0));
    }

    #[test]
    fn hand_worked_two_value_case_is_four_ninths() {
        // Units (1,1), (1,2), (2,2): o_11 = 2, o_12 = o_21 = 1, o_22 = 2; n_1 = n_2 = 3, n = 6.
        // δ²_12 = (n_1 + n_2 − (n_1 + n_2)/2)² = 3² = 9.
        // α = 1 − (n − 1) · (1·9 + 1·9) / (3·3·9 + 3·3·9) = 1 − 5 · 18/162 = 4/9.
        let units = [vec![1, 1], vec![1, 2], vec![2, 2]];
        assert!(close(
            krippendorff_alpha_ordinal(&units).unwrap(),
            4.0 / 9.0
        ));
    }

    #[test]
    fn systematic_disagreement_is_negative() {
        // Reviewers always at opposite ends: o_15 = o_51 = 3, n_1 = n_5 = 3, the values between
        // are unused so δ²_15 = (6 − 3)² = 9; α = 1 − 5 · 54/162 = −2/3.
        let units = [vec![1, 5], vec![5, 1], vec![1, 5]];
        assert!(close(
            krippendorff_alpha_ordinal(&units).unwrap(),
            -2.0 / 3.0
        ));
    }

    #[test]
    fn krippendorffs_published_example_gives_0_815() {
        // "Computing Krippendorff's Alpha-Reliability" (2011), section C: four observers, twelve
        // units, missing values; the paper reports α_ordinal = 0.815 (and 0.743 nominal). The
        // exact value, from the same formula in rational arithmetic, is 108577/133160.
        let units = [
            vec![1, 1, 1],
            vec![2, 2, 3, 2],
            vec![3, 3, 3, 3],
            vec![3, 3, 3, 3],
            vec![2, 2, 2, 2],
            vec![1, 2, 3, 4],
            vec![4, 4, 4, 4],
            vec![1, 1, 2, 1],
            vec![2, 2, 2, 2],
            vec![5, 5, 5],
            vec![1, 1],
            vec![3], // one rating: not pairable, dropped
        ];
        let alpha = krippendorff_alpha_ordinal(&units).unwrap();
        assert!(close(alpha, 108_577.0 / 133_160.0));
        assert!((alpha - 0.815).abs() < 0.0005);
    }

    #[test]
    fn three_ratings_in_a_unit_are_weighted_by_m_minus_one() {
        // Mixed unit sizes, checked against the rational computation: 227/350.
        let units = [vec![1, 1, 2], vec![3, 3], vec![2, 3]];
        assert!(close(
            krippendorff_alpha_ordinal(&units).unwrap(),
            227.0 / 350.0
        ));
    }

    #[test]
    fn no_variation_or_nothing_pairable_is_none() {
        assert_eq!(
            krippendorff_alpha_ordinal(&[vec![4, 4], vec![4, 4, 4]]),
            None
        );
        assert_eq!(krippendorff_alpha_ordinal(&[vec![4], vec![2]]), None);
        assert_eq!(krippendorff_alpha_ordinal(&[]), None);
    }
}
