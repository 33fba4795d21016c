//! Bradley-Terry fixed points solved by hand.

use super::super::bradley_terry::{elo, fit, wins_by_prompt};
use super::*;

/// The root above 1 of `f` (increasing there), by bisection: the tests' own solver, independent
/// of the MM iteration under test.
fn root(f: impl Fn(f64) -> f64) -> f64 {
    let (mut low, mut high) = (1.0, 10.0);
    for _ in 0..200 {
        let middle = f64::midpoint(low, high);
        if f(middle) < 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
    low
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn one_win_against_the_virtual_average() {
    // A beat B once. With the pseudo-games, W_A = 2, W_B = 1 and the fixed point solves
    //   2/a = 1/(a+b) + 2/(a+1)   and   1/b = 1/(a+b) + 2/(b+1).
    // Trying b = 1/a, both reduce to 1/(a²+1) + 2/(a+1) = 1, i.e. a³ − a² − 2 = 0:
    // a ≈ 1.69562, b = 1/a; on the Elo scale 1000 ± 400·log10(a) ≈ 1000 ± 91.7.
    let a = root(|a| a * a * a - a * a - 2.0);
    let strengths = fit(&vec![vec![0.0, 1.0], vec![0.0, 0.0]]);
    assert!(
        near(strengths[0].unwrap(), a) && near(strengths[1].unwrap(), 1.0 / a),
        "{strengths:?}"
    );
    let points = elo(&strengths);
    assert!(near(points[0].unwrap(), 1000.0 + 400.0 * a.log10()));
    assert!(near(points[1].unwrap(), 1000.0 - 400.0 * a.log10()));
}

#[test]
fn an_unbeaten_model_stays_finite() {
    // Ten wins and no loss: unregularised, A's strength would grow without bound.
    let strengths = fit(&vec![vec![0.0, 10.0], vec![0.0, 0.0]]);
    let (a, b) = (strengths[0].unwrap(), strengths[1].unwrap());
    assert!(
        a.is_finite() && a > 1.0 && b < 1.0 && b > 0.0,
        "{strengths:?}"
    );
}

#[test]
fn a_tie_is_half_a_win_each() {
    // One tie: W_A = W_B = 1.5, symmetric, so a = b = 1 and both sit at 1000.
    let strengths = fit(&vec![vec![0.0, 0.5], vec![0.5, 0.0]]);
    assert!(near(strengths[0].unwrap(), 1.0) && near(strengths[1].unwrap(), 1.0));
    assert_eq!(elo(&strengths), vec![Some(1000.0), Some(1000.0)]);
}

#[test]
fn three_models_with_a_tie() {
    // A and B tie, both beat C. By symmetry a = b. W_A = 0.5 + 1 + 1 = 2.5, W_C = 1:
    //   2.5/a = 1/(2a) + 1/(a+c) + 2/(a+1)  ⇒  1/(a+c) = 2/a − 2/(a+1)  ⇒  c = a(a−1)/2;
    //   1/c = 2/(a+c) + 2/(c+1)  ⇒  2/(a(a−1)) = 4/(a(a+1)) + 4/(a²−a+2)
    //   ⇒  (6 − 2a)(a² − a + 2) = 4a(a² − 1)  ⇒  3a³ − 4a² + 3a − 6 = 0: a ≈ 1.5324.
    let a = root(|a| 3.0 * a * a * a - 4.0 * a * a + 3.0 * a - 6.0);
    let c = a * (a - 1.0) / 2.0;
    let wins = vec![
        vec![0.0, 0.5, 1.0],
        vec![0.5, 0.0, 1.0],
        vec![0.0, 0.0, 0.0],
    ];
    let s = fit(&wins);
    assert!(
        near(s[0].unwrap(), a) && near(s[1].unwrap(), a) && near(s[2].unwrap(), c),
        "{s:?}"
    );
    // Elo: mean of 400·log10 over the three is (2·log a + log c)·400/3; A sits above it by
    // 400·(log a − log c)/3.
    let points = elo(&s);
    assert!(near(
        points[0].unwrap(),
        1000.0 + 400.0 * (a / c).log10() / 3.0
    ));
    assert!(near(
        points[2].unwrap(),
        1000.0 - 800.0 * (a / c).log10() / 3.0
    ));
}

#[test]
fn repeats_pair_every_sample_with_every_sample() {
    // Two samples each on one prompt: A 20, 15; B 15, 10 gives four games: A's 20 beats both,
    // A's 15 ties B's 15 and beats B's 10: A 3.5, B 0.5. Clips of the same model never play.
    let e = evidence(
        &[("a", 0.2), ("b", 0.2)],
        vec![
            clip("p", "a", 20.0, 0.2),
            clip("p", "a", 15.0, 0.2),
            clip("p", "b", 15.0, 0.2),
            clip("p", "b", 10.0, 0.2),
        ],
    );
    assert_eq!(
        wins_by_prompt(&e),
        vec![vec![vec![0.0, 3.5], vec![0.5, 0.0]]]
    );
}

#[test]
fn a_model_without_a_compared_pair_has_no_preference() {
    // C's clips are unscored; A beat B once on each of three prompts (a > b, mean 1000).
    let mut clips: Vec<ClipEvidence> = ["p", "q", "r"]
        .iter()
        .flat_map(|p| [clip(p, "a", 20.0, 0.2), clip(p, "b", 10.0, 0.2)])
        .collect();
    let mut unscored = clip("p", "c", 0.0, 0.2);
    (unscored.quality, unscored.usable) = (None, None);
    clips.push(unscored);
    let d = decide(&evidence(&[("a", 0.2), ("b", 0.2), ("c", 0.2)], clips));
    let (a, b) = (
        d.models["a"].preference.unwrap(),
        d.models["b"].preference.unwrap(),
    );
    assert!(near(a + b, 2000.0) && a > b);
    assert_eq!(
        (d.models["c"].preference, d.models["c"].preference_interval),
        (None, None)
    );
    let [low, high] = d.models["a"].preference_interval.unwrap();
    // Every resample holds three A wins: the same fit as the full data.
    assert!(near(low, a) && near(high, a), "{low} {high} {a}");
}
