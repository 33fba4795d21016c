//! Expanding the run-length coded sample tables (`stsz`, `stsc` + `stco`/`co64`, `stts`,
//! `ctts`) into one value per sample. Every loop is bounded by the sample count, which the
//! caller has capped, so a table claiming 4 billion entries cannot allocate or spin.

use mp4_atom::{Ctts, Stbl, Stsz, StszSamples, Stts};

use super::Problem;

/// Per-sample sizes, refusing more than `max` samples.
pub(super) fn sizes(stsz: &Stsz, max: u64) -> Result<Vec<u32>, Problem> {
    let count = match &stsz.samples {
        StszSamples::Identical { count, .. } => u64::from(*count),
        StszSamples::Different { sizes } => sizes.len() as u64,
    };
    if count > max {
        return Err(Problem::NotMp4(format!(
            "video track claims {count} samples (at most {max} are read)"
        )));
    }
    if count == 0 {
        return Err(Problem::NotMp4("video track has no samples".into()));
    }
    Ok(match &stsz.samples {
        StszSamples::Identical { count, size } => vec![*size; *count as usize],
        StszSamples::Different { sizes } => sizes.clone(),
    })
}

/// Per-sample file offsets: chunks from `stco`/`co64`, samples per chunk from `stsc`, each
/// sample after the previous one within its chunk.
pub(super) fn offsets(stbl: &Stbl, sizes: &[u32]) -> Result<Vec<u64>, Problem> {
    let chunks: Vec<u64> = match (&stbl.stco, &stbl.co64) {
        (Some(stco), _) => stco.entries.iter().map(|&o| u64::from(o)).collect(),
        (None, Some(co64)) => co64.entries.clone(),
        (None, None) => return Err(Problem::NotMp4("video track has no chunk offsets".into())),
    };
    let runs = &stbl.stsc.entries;
    let mut offsets = Vec::with_capacity(sizes.len());
    let mut run = 0;
    for (chunk, &start) in chunks.iter().enumerate() {
        let number = chunk as u64 + 1;
        while runs
            .get(run + 1)
            .is_some_and(|next| u64::from(next.first_chunk) <= number)
        {
            run += 1;
        }
        let per_chunk = runs.get(run).map_or(0, |entry| entry.samples_per_chunk);
        let mut at = start;
        for _ in 0..per_chunk {
            let Some(&size) = sizes.get(offsets.len()) else {
                break;
            };
            offsets.push(at);
            at = at.saturating_add(u64::from(size));
        }
        if offsets.len() == sizes.len() {
            return Ok(offsets);
        }
    }
    Err(Problem::NotMp4(format!(
        "sample table places {} of {} samples in chunks",
        offsets.len(),
        sizes.len()
    )))
}

/// Per-sample decode times (`stts`) and their total span; samples past the table's end
/// repeat its last duration.
pub(super) fn decode_times(stts: &Stts, count: usize) -> (Vec<i64>, u64) {
    let mut times = Vec::with_capacity(count);
    let mut now = 0_i64;
    let mut delta = 0_u32;
    'entries: for entry in &stts.entries {
        delta = entry.sample_delta;
        for _ in 0..entry.sample_count {
            if times.len() == count {
                break 'entries;
            }
            times.push(now);
            now = now.saturating_add(i64::from(delta));
        }
    }
    while times.len() < count {
        times.push(now);
        now = now.saturating_add(i64::from(delta));
    }
    (times, now.max(0) as u64)
}

/// Per-sample composition offsets (`ctts`); 0 where the table is absent or ends early.
pub(super) fn composition_offsets(ctts: Option<&Ctts>, count: usize) -> Vec<i64> {
    let mut offsets = Vec::with_capacity(count);
    'entries: for entry in ctts.iter().flat_map(|ctts| &ctts.entries) {
        for _ in 0..entry.sample_count {
            if offsets.len() == count {
                break 'entries;
            }
            offsets.push(entry.sample_offset);
        }
    }
    offsets.resize(count, 0);
    offsets
}
