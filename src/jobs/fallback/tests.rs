use super::*;
use crate::catalog::Catalog;
use crate::jobs::plan_jobs;
use crate::prompts::PromptDefaults;
use crate::session::PromptSpec;

fn prompt(id: &str) -> PromptSpec {
    PromptDefaults::default().prompt(id, &format!("{id} prompt"))
}

/// A session with one job per (prompt, model) pair given, all planned.
fn session(pairs: &[(&str, &str)]) -> Session {
    let cat = Catalog::embedded().unwrap();
    let mut session = Session::new("s".into(), String::new(), true, Vec::new(), Vec::new());
    for (prompt_id, model) in pairs {
        if session.prompt(prompt_id).is_none() {
            session.prompts.push(prompt(prompt_id));
        }
        let spec = session.prompt(prompt_id).unwrap().clone();
        let planned = plan_jobs(
            &[spec],
            &[cat.get(model).unwrap()],
            &Batch::into_session(&session),
        )
        .unwrap();
        session.jobs.extend(planned);
    }
    session
}

fn fail(session: &mut Session, clip_id: &str, error: &str) {
    let job = session.job_mut(clip_id).unwrap();
    job.stage = JobStage::Failed;
    job.error = Some(error.into());
}

fn policy() -> FallbackPolicy {
    FallbackPolicy::new(vec![
        ("wan25".into(), "ray2-flash".into()),
        ("kling-turbo".into(), "ray2-flash".into()),
    ])
}

fn run(session: &mut Session, budget: Option<f64>, failed: &str) -> Option<Fallback> {
    fall_back(
        session,
        &Catalog::embedded().unwrap(),
        &policy(),
        budget,
        &failed.into(),
    )
}

#[test]
fn a_failed_job_gets_one_planned_fallback_on_its_pair_model() {
    let mut s = session(&[("a", "wan25")]);
    fail(&mut s, "a.wan25", "content policy");
    let outcome = run(&mut s, None, "a.wan25");
    assert_eq!(
        outcome,
        Some(Fallback::Planned {
            failed: "a.wan25".into(),
            clip_id: "a.ray2-flash".into(),
            model: "ray2-flash".into(),
            cost_usd: 0.40,
        })
    );
    let fallback = s.job("a.ray2-flash").unwrap();
    assert_eq!(fallback.fallback_for.as_deref(), Some("a.wan25"));
    assert_eq!(fallback.stage, JobStage::Planned);
    assert!(
        outcome
            .unwrap()
            .describe()
            .starts_with("a.wan25: falling back to ray2-flash as a.ray2-flash")
    );
    // Asked again (a resume, a repeated event): nothing more.
    assert_eq!(run(&mut s, None, "a.wan25"), None);
    assert_eq!(s.jobs.len(), 2);
}

#[test]
fn a_failed_fallback_does_not_fall_back_again() {
    let mut s = session(&[("a", "kling-turbo")]);
    fail(&mut s, "a.kling-turbo", "boom");
    run(&mut s, None, "a.kling-turbo");
    fail(&mut s, "a.ray2-flash", "boom again");
    let chained = FallbackPolicy::new(vec![
        ("kling-turbo".into(), "ray2-flash".into()),
        ("ray2-flash".into(), "wan25".into()),
    ]);
    let cat = Catalog::embedded().unwrap();
    assert_eq!(
        fall_back(&mut s, &cat, &chained, None, &"a.ray2-flash".into()),
        None
    );
    assert_eq!(s.jobs.len(), 2);
}

#[test]
fn only_jobs_that_failed_for_good_fall_back() {
    let mut s = session(&[("a", "wan25"), ("b", "wan25"), ("c", "ray2-flash")]);
    s.job_mut("a.wan25").unwrap().stage = JobStage::Cancelled;
    fail(&mut s, "b.wan25", INTERRUPTED_SUBMIT);
    fail(&mut s, "c.ray2-flash", "no pair for ray2-flash");
    for id in ["a.wan25", "b.wan25", "c.ray2-flash"] {
        assert_eq!(run(&mut s, None, id), None, "{id}");
    }
    assert_eq!(run(&mut s, None, "unknown"), None);
    assert_eq!(s.jobs.len(), 3);
}

#[test]
fn a_prompt_being_compared_gets_no_fallback() {
    let mut s = session(&[("a", "wan25"), ("a", "kling-turbo")]);
    fail(&mut s, "a.wan25", "boom");
    assert_eq!(run(&mut s, None, "a.wan25"), None);
}

#[test]
fn a_fallback_above_the_remaining_budget_is_skipped_and_the_reason_kept() {
    // The Kling job still planned commits $0.21, so of $0.60 only $0.39 remain for $0.40.
    let mut s = session(&[("a", "wan25"), ("b", "kling-turbo")]);
    fail(&mut s, "a.wan25", "boom");
    assert!(matches!(
        run(&mut s.clone(), Some(0.61), "a.wan25"),
        Some(Fallback::Planned { .. })
    ));
    let outcome = run(&mut s, Some(0.60), "a.wan25");
    let reason =
        "no fallback to ray2-flash: $0.40 is above the remaining budget $0.39 (budget $0.60)";
    assert_eq!(
        outcome,
        Some(Fallback::Skipped {
            failed: "a.wan25".into(),
            reason: reason.into(),
        })
    );
    assert_eq!(
        s.job("a.wan25").unwrap().fallback_skipped.as_deref(),
        Some(reason)
    );
    assert_eq!(s.jobs.len(), 2, "nothing was added");
    assert_eq!(run(&mut s, None, "a.wan25"), None, "decided once");
}

#[test]
fn settings_the_fallback_model_cannot_do_are_a_recorded_skip() {
    let mut s = session(&[("a", "kling-turbo")]);
    // Kling has no resolution knob and ignores 540p; WAN 2.5 cannot do it.
    s.prompts[0].resolution = "540p".into();
    fail(&mut s, "a.kling-turbo", "boom");
    let cat = Catalog::embedded().unwrap();
    let to_wan = FallbackPolicy::new(vec![("kling-turbo".into(), "wan25".into())]);
    let outcome = fall_back(&mut s, &cat, &to_wan, None, &"a.kling-turbo".into());
    let Some(Fallback::Skipped { reason, .. }) = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        reason.starts_with("no fallback to wan25: prompt \"a\": wan25 cannot do resolution"),
        "{reason}"
    );
}

#[test]
fn fall_back_all_covers_every_due_failure_once() {
    let mut s = session(&[("a", "wan25"), ("b", "kling-turbo"), ("c", "wan25")]);
    fail(&mut s, "a.wan25", "boom");
    fail(&mut s, "b.kling-turbo", "boom");
    let cat = Catalog::embedded().unwrap();
    let done = fall_back_all(&mut s, &cat, &policy(), None);
    assert_eq!(done.len(), 2);
    assert_eq!(
        s.job("b.ray2-flash").unwrap().fallback_for.as_deref(),
        Some("b.kling-turbo")
    );
    assert!(fall_back_all(&mut s, &cat, &policy(), None).is_empty());
}

#[test]
fn the_last_pair_for_a_model_wins() {
    let policy = FallbackPolicy::new(vec![
        ("wan25".into(), "ray2-flash".into()),
        ("wan25".into(), "kling-turbo".into()),
    ]);
    assert_eq!(policy.target("wan25"), Some("kling-turbo"));
    assert_eq!(policy.target("ray2-flash"), None);
}

#[test]
fn a_target_that_cannot_run_is_skipped_with_the_reason() {
    let mut s = session(&[("a", "wan25")]);
    fail(&mut s, "a.wan25", "content policy");
    let keyless = policy().without("ray2-flash", "FAL_KEY is not set".into());
    let cat = Catalog::embedded().unwrap();
    let outcome = fall_back(&mut s, &cat, &keyless, None, &"a.wan25".into());
    assert_eq!(
        outcome,
        Some(Fallback::Skipped {
            failed: "a.wan25".into(),
            reason: "no fallback to ray2-flash: FAL_KEY is not set".into(),
        })
    );
    assert_eq!(s.jobs.len(), 1, "nothing planned");
    assert_eq!(
        s.job("a.wan25").unwrap().fallback_skipped.as_deref(),
        Some("no fallback to ray2-flash: FAL_KEY is not set")
    );
}

#[test]
fn a_fallback_keeps_the_sample_it_stands_in_for() {
    let cat = Catalog::embedded().unwrap();
    let mut s = Session::new(
        "s".into(),
        String::new(),
        true,
        vec![prompt("a")],
        Vec::new(),
    );
    let batch = Batch::into_session(&s).repeats(2);
    let planned = plan_jobs(&s.prompts, &[cat.get("wan25").unwrap()], &batch).unwrap();
    s.jobs.extend(planned);
    fail(&mut s, "a.wan25.2", "content policy");
    let Some(Fallback::Planned { clip_id, .. }) = run(&mut s, None, "a.wan25.2") else {
        panic!("a fallback is due");
    };
    assert_eq!(clip_id, "a.ray2-flash.2", "sample 2's id on the new model");
    let fallback = s.job(&clip_id).unwrap();
    assert_eq!(fallback.sample, 2);
    assert!(fallback.params.get("seed").is_none(), "Ray takes no seed");
}
