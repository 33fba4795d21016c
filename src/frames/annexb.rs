//! MP4 samples hold NAL units each prefixed by its length (1, 2 or 4 bytes, as `avcC` says);
//! OpenH264 reads Annex-B, where each NAL unit follows a start code. This rewrites one into
//! the other, refusing (never panicking on, never looping over) lengths that do not add up.

/// The Annex-B start code written before every NAL unit.
const START_CODE: [u8; 4] = [0, 0, 0, 1];

/// Why a sample could not be rewritten (the caller adds which sample).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NalError {
    /// `avcC` names a length size other than 1, 2 or 4.
    LengthSize(u8),
    /// The sample holds no NAL unit at all.
    Empty,
    /// Bytes left at the end too few for a length prefix.
    TrailingBytes(usize),
    /// A NAL unit of length 0.
    ZeroLength,
    /// A NAL unit longer than what is left of the sample.
    Overlong {
        /// The length the prefix claims.
        claimed: u64,
        /// The bytes left in the sample.
        left: usize,
    },
}

impl std::fmt::Display for NalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::LengthSize(size) => write!(f, "NAL length size {size} (allowed: 1, 2 or 4)"),
            Self::Empty => write!(f, "empty sample (no NAL unit)"),
            Self::TrailingBytes(left) => write!(f, "{left} stray bytes after the last NAL unit"),
            Self::ZeroLength => write!(f, "zero-length NAL unit"),
            Self::Overlong { claimed, left } => {
                write!(
                    f,
                    "NAL unit of {claimed} bytes overruns the sample ({left} bytes left)"
                )
            }
        }
    }
}

/// Appends `sample`'s NAL units to `out` in Annex-B form; returns how many there were.
///
/// # Errors
/// A [`NalError`] when the length size is invalid or the lengths do not tile the sample.
pub(crate) fn append_sample(
    sample: &[u8],
    length_size: u8,
    out: &mut Vec<u8>,
) -> Result<usize, NalError> {
    let prefix = match length_size {
        1 | 2 | 4 => usize::from(length_size),
        other => return Err(NalError::LengthSize(other)),
    };
    let mut rest = sample;
    let mut count = 0;
    while !rest.is_empty() {
        if rest.len() < prefix {
            return Err(NalError::TrailingBytes(rest.len()));
        }
        let (head, body) = rest.split_at(prefix);
        let claimed = head.iter().fold(0_u64, |len, &b| (len << 8) | u64::from(b));
        if claimed == 0 {
            return Err(NalError::ZeroLength);
        }
        let len = usize::try_from(claimed)
            .ok()
            .filter(|&len| len <= body.len())
            .ok_or(NalError::Overlong {
                claimed,
                left: body.len(),
            })?;
        out.extend_from_slice(&START_CODE);
        out.extend_from_slice(&body[..len]);
        rest = &body[len..];
        count += 1;
    }
    if count == 0 {
        return Err(NalError::Empty);
    }
    Ok(count)
}

/// Appends parameter sets (SPS or PPS NAL units from `avcC`) in Annex-B form, skipping empty ones.
pub(crate) fn append_parameter_sets(sets: &[Vec<u8>], out: &mut Vec<u8>) {
    for set in sets.iter().filter(|set| !set.is_empty()) {
        out.extend_from_slice(&START_CODE);
        out.extend_from_slice(set);
    }
}

/// Whether Annex-B data written by this module holds a NAL unit of type `kind` (its low five
/// header bits). Start codes cannot occur inside NAL units (emulation prevention), so every
/// match is a unit's start.
pub(crate) fn has_nal_type(annexb: &[u8], kind: u8) -> bool {
    annexb
        .windows(START_CODE.len() + 1)
        .any(|w| w[..START_CODE.len()] == START_CODE && w[START_CODE.len()] & 0x1f == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_size_is_rewritten() {
        for (size, sample) in [
            (1_u8, vec![2, 0x65, 0xaa, 1, 0x06]),
            (2, vec![0, 2, 0x65, 0xaa, 0, 1, 0x06]),
            (4, vec![0, 0, 0, 2, 0x65, 0xaa, 0, 0, 0, 1, 0x06]),
        ] {
            let mut out = Vec::new();
            assert_eq!(append_sample(&sample, size, &mut out), Ok(2));
            assert_eq!(out, [0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06]);
        }
    }

    #[test]
    fn broken_lengths_are_errors() {
        let mut out = Vec::new();
        assert_eq!(
            append_sample(&[0, 0, 0, 0], 4, &mut out),
            Err(NalError::ZeroLength)
        );
        assert_eq!(
            append_sample(&[0, 0, 0, 9, 1, 2], 4, &mut out),
            Err(NalError::Overlong {
                claimed: 9,
                left: 2
            })
        );
        assert_eq!(
            append_sample(&[0, 1, 0x65, 0], 2, &mut out),
            Err(NalError::TrailingBytes(1))
        );
        assert_eq!(append_sample(&[], 4, &mut out), Err(NalError::Empty));
        assert_eq!(
            append_sample(&[1, 1], 3, &mut out),
            Err(NalError::LengthSize(3))
        );
    }
}
