//! Properties of any decision: the preference scale, interval order, and a next batch that
//! partitions the models and is priced by its own formula.

use proptest::prelude::*;

use super::*;

/// Evidence for 2-4 models ($0.10-$0.60) on 3-8 prompts at 1-2 samples, each clip's quality
/// 5-25 or unscored; `seed` for the draws.
fn any_evidence() -> impl Strategy<Value = Evidence> {
    (2usize..=4, 3usize..=8, 1u32..=2, any::<u64>()).prop_flat_map(
        |(models, prompts, repeats, seed)| {
            let clips = models * prompts * repeats as usize;
            (
                prop::collection::vec(10u32..=60, models),
                prop::collection::vec(prop::option::weighted(0.9, 5u32..=25), clips),
            )
                .prop_map(move |(cents, qualities)| {
                    let ids: Vec<String> = (0..models).map(|m| format!("m{m}")).collect();
                    let prices: Vec<f64> = cents.iter().map(|c| f64::from(*c) / 100.0).collect();
                    let clips = qualities
                        .iter()
                        .enumerate()
                        .map(|(n, q)| {
                            let (model, prompt) = (n % models, n / models / repeats as usize);
                            let mut c =
                                clip(&format!("p{prompt}"), &ids[model], 0.0, prices[model]);
                            (c.quality, c.usable) = (q.map(f64::from), q.map(|q| q >= 15));
                            c
                        })
                        .collect();
                    let table: Vec<(&str, f64)> = ids
                        .iter()
                        .map(String::as_str)
                        .zip(prices.iter().copied())
                        .collect();
                    Evidence {
                        repeats,
                        seed,
                        ..evidence(&table, clips)
                    }
                })
        },
    )
}

fn ordered(interval: Option<[f64; 2]>) -> bool {
    interval.is_none_or(|[low, high]| low <= high)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_decision_is_consistent(e in any_evidence()) {
        let d = decide(&e);
        let points: Vec<f64> = d.models.values().filter_map(|m| m.preference).collect();
        if !points.is_empty() {
            let mean = points.iter().sum::<f64>() / points.len() as f64;
            prop_assert!((mean - 1000.0).abs() < 1e-6, "{points:?}");
        }
        for m in d.models.values() {
            prop_assert!(m.usable_clips <= m.judged_clips);
            prop_assert!(ordered(m.cost_per_usable_interval) && ordered(m.preference_interval));
            prop_assert!(ordered(m.value_interval));
        }
        let Some(next) = d.next else { return Ok(()) };
        let verdict = d.verdict.unwrap();
        let confidence = verdict.confidence.unwrap();
        prop_assert!((0.0..=1.0).contains(&confidence));
        prop_assert_eq!(next.more_prompts == 0, confidence >= TARGET_CONFIDENCE);
        prop_assert!(next.more_prompts <= MAX_MORE_PROMPTS);
        prop_assert!(next.note.is_none() || next.more_prompts == MAX_MORE_PROMPTS);
        prop_assert!(next.models.contains(&verdict.leader));
        let mut all: Vec<&String> = next.drop.iter().chain(&next.models).collect();
        all.sort();
        let ids: Vec<&String> = e.models.iter().map(|m| &m.model).collect();
        prop_assert_eq!(all, ids);
        let price: f64 = e.models.iter().filter(|m| next.models.contains(&m.model)).map(|m| m.price_usd).sum();
        let cost = f64::from(next.more_prompts) * f64::from(e.repeats) * price;
        prop_assert!(close(next.cost_usd, cost));
    }
}
