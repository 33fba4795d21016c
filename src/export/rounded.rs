//! The decision's numbers rounded for writing, as the export rounds everything it writes:
//! money and ratios (usable rates, confidences, preferences and every interval) to 4
//! decimals. The export and the merge both call this on the one [`Decision`] they compute, so
//! their files say the same numbers.

use super::round;
use crate::scoring::decision::{Decision, ModelDecision, NextBatch, Verdict};

/// Decimal places of every decision number (USD amounts and ratios alike).
const DECIMALS: i32 = 4;

/// `decision` with every number rounded; a non-finite number becomes `null` (or 0.0 where the
/// field is a plain number: it cannot be non-finite, the sum of finite catalog prices).
pub(crate) fn rounded_decision(decision: &Decision) -> Decision {
    Decision {
        models: decision
            .models
            .iter()
            .map(|(id, model)| (id.clone(), rounded_model(model)))
            .collect(),
        verdict: decision.verdict.as_ref().map(rounded_verdict),
        next: decision.next.as_ref().map(rounded_next),
        scored_prompts: decision.scored_prompts,
    }
}

fn rounded_model(model: &ModelDecision) -> ModelDecision {
    ModelDecision {
        usable_rate: model.usable_rate.and_then(r),
        cost_per_usable_usd: model.cost_per_usable_usd.and_then(r),
        cost_per_usable_interval: model.cost_per_usable_interval.and_then(interval),
        monthly_cost_usd: model.monthly_cost_usd.and_then(r),
        preference: model.preference.and_then(r),
        preference_interval: model.preference_interval.and_then(interval),
        value_interval: model.value_interval.and_then(interval),
        ..model.clone()
    }
}

fn rounded_verdict(verdict: &Verdict) -> Verdict {
    Verdict {
        confidence: verdict.confidence.and_then(r),
        ..verdict.clone()
    }
}

fn rounded_next(next: &NextBatch) -> NextBatch {
    NextBatch {
        cost_usd: r(next.cost_usd).unwrap_or(0.0),
        beaten_in: next
            .beaten_in
            .iter()
            .filter_map(|(id, share)| r(*share).map(|share| (id.clone(), share)))
            .collect(),
        ..next.clone()
    }
}

/// `[low, high]` rounded; `None` when either end is not finite.
fn interval([low, high]: [f64; 2]) -> Option<[f64; 2]> {
    Some([r(low)?, r(high)?])
}

fn r(value: f64) -> Option<f64> {
    round(value, DECIMALS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_is_rounded_and_a_non_finite_one_is_dropped() {
        let model = ModelDecision {
            usable_clips: 2,
            judged_clips: 3,
            usable_rate: Some(2.0 / 3.0),
            cost_per_usable_usd: Some(0.123_456),
            cost_per_usable_interval: Some([0.1, f64::INFINITY]),
            monthly_cost_usd: Some(11.111_111),
            preference: Some(1_012.345_67),
            preference_interval: Some([990.123_44, 1_030.000_06]),
            value_interval: Some([f64::NAN, 1.0]),
        };
        let decision = Decision {
            models: [("wan25".to_string(), model)].into(),
            verdict: Some(Verdict {
                leader: "wan25".into(),
                runner_up: None,
                confidence: Some(0.912_345),
            }),
            next: Some(NextBatch {
                drop: Vec::new(),
                models: vec!["wan25".into()],
                more_prompts: 3,
                cost_usd: 1.234_567,
                note: None,
                beaten_in: [("ray2-flash".to_string(), 0.999_87)].into(),
            }),
            scored_prompts: 3,
        };
        let rounded = rounded_decision(&decision);
        let wan = &rounded.models["wan25"];
        assert_eq!((wan.usable_clips, wan.judged_clips), (2, 3));
        assert_eq!(wan.usable_rate, Some(0.6667));
        assert_eq!(wan.cost_per_usable_usd, Some(0.1235));
        assert_eq!(wan.cost_per_usable_interval, None);
        assert_eq!(wan.monthly_cost_usd, Some(11.1111));
        assert_eq!(wan.preference, Some(1012.3457));
        assert_eq!(wan.preference_interval, Some([990.1234, 1030.0001]));
        assert_eq!(wan.value_interval, None);
        assert_eq!(rounded.verdict.unwrap().confidence, Some(0.9123));
        let next = rounded.next.unwrap();
        assert_eq!((next.cost_usd, next.more_prompts), (1.2346, 3));
        assert_eq!(next.beaten_in.get("ray2-flash"), Some(&0.9999));
        assert_eq!(rounded.scored_prompts, 3);
    }
}
